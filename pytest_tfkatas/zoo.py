"""The tiny model zoo: small, seeded Transformers models built locally, never downloaded.

Every model is built from a config with random (seeded) weights and a tokenizer trained on the
small corpus shipped in ``pytest_tfkatas/data/corpus.txt``. A build is cached on disk, in a folder
keyed by the zoo's, transformers' and torch's versions, so it happens once per machine::

    >>> from pytest_tfkatas import zoo
    >>> path = zoo.path("gpt2")              # a folder that from_pretrained() accepts
    >>> model = zoo.get("gpt2").load_model()  # a fresh copy, yours to change

``python -m pytest_tfkatas.zoo`` builds every model and prints where each one lives.

The cache folder is ``$TFKATAS_ZOO_DIR`` if set, else ``$XDG_CACHE_HOME/pytest-tfkatas/zoo`` (by
default ``~/.cache/pytest-tfkatas/zoo``). Builds are written to a temporary folder and renamed
into place, so parallel runs never see a half-written model.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import json
import os
import pickle
import shutil
import tempfile
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

__all__ = ["NAMES", "TinyModel", "build_all", "cache_root", "get", "path"]

#: Bump when a build changes, so that old caches are not reused.
ZOO_VERSION = 5
SEED = 1234
#: The file written last into a model's folder: its presence means the build is complete.
MARKER = "tfkatas-zoo.json"

# The shapes are the smallest that still behave like the real architectures.
_HIDDEN = 32
_LAYERS = 2
_HEADS = 2
_POSITIONS = 128
_GPT2_VOCAB = 512
_BERT_VOCAB = 1024
_IMAGE_SIZE = 32
_TRAIN_STEPS = 40
_TRAIN_BATCH = 16
_TRAIN_BLOCK = 32
#: GPT-2's default (0.02) plus a short training gives a model that greedily says " the the the"
#: after every prompt; wider random weights keep its continuations apart.
_GPT2_INIT_RANGE = 0.1
#: BERT's default (0.02) makes a tiny random classifier answer ~1/n for every input; 0.2 gives
#: scores that depend on the input, so zero-shot and sentiment results can be told apart.
_BERT_INIT_RANGE = 0.2

SENTIMENT_LABELS = ("NEGATIVE", "POSITIVE")
NLI_LABELS = ("contradiction", "neutral", "entailment")
#: The same three labels in another order: entailment is not always the last one.
NLI_LABELS_SHUFFLED = ("entailment", "contradiction", "neutral")
#: The special tokens of the Llama-style tokenizer: each its own id, none of them 0.
LLAMA_SPECIALS = {"unk_token": "<unk>", "pad_token": "<pad>", "bos_token": "<s>", "eos_token": "</s>"}
#: Prompts after which the llama model's greedy continuation ends with its eos token within six
#: new tokens (tests/test_zoo.py keeps this true).
LLAMA_EOS_PROMPTS = (
    "A little bird sang in the garden, and the flowers",
    "The gardener planted tomatoes, beans, and sunflowers",
    "The hotel room was clean, quiet, and the view of the",
)
#: A prompt after which the llama model's greedy continuation runs past 21 new tokens, each of which
#: changes the text (tests/test_zoo.py keeps this true): it tells a default of 20 new tokens apart.
LLAMA_LONG_PROMPT = "The old man walked to the"


@dataclass(frozen=True)
class TinyModel:
    """One model of the zoo: where it lives and how to load fresh copies of it."""

    name: str
    path: Path
    description: str
    model_class: str

    def load_model(self, **kwargs: Any) -> PreTrainedModel:
        """A fresh model object: change it as you like, the files on disk stay as they are.

        The first load is kept in memory, untouched; later calls hand out deep copies of it,
        which is several times faster than loading from disk again.
        """
        return copy.deepcopy(_first_load(self.path, self.model_class, kwargs))

    def load_tokenizer(self, **kwargs: Any) -> PreTrainedTokenizerBase:
        """A fresh tokenizer object: change it as you like, the files on disk stay as they are.

        As with models, the first load is kept in memory, untouched; later calls hand out copies
        of it made by a pickle round trip, about four times faster than reading the files again
        (a run of every kata loads tokenizers some 250 times).
        """
        pristine = _first_load(self.path, "AutoTokenizer", kwargs)
        try:
            return pickle.loads(pickle.dumps(pristine, protocol=pickle.HIGHEST_PROTOCOL))
        except (pickle.PicklingError, TypeError, AttributeError):  # a tokenizer that cannot be pickled
            return _from_pretrained(self.path, "AutoTokenizer", kwargs)

    def load_image_processor(self, **kwargs: Any) -> Any:
        from transformers import AutoImageProcessor

        return AutoImageProcessor.from_pretrained(self.path, **kwargs)

    def variant(self, seed: int) -> TinyModel:
        """This model with seeded noise added to its weights, built once and cached like the zoo.

        Checks hand it to a function to make sure the function uses the model it is given and
        not, say, a path written into its code: the variant answers differently.
        """
        name = f"{self.name}{_VARIANT}{seed}"
        folder = _ensure_built(name, functools.partial(_build_variant, self, seed))
        return TinyModel(name, folder, f"{self.description}, weights shifted by noise", self.model_class)


#: A variant's folder is named after its model and seed: "<model>-variant<seed>".
_VARIANT = "-variant"


def _parse_folder_name(name: str) -> tuple[str, int | None] | None:
    """(model, variant seed or None) of a zoo folder's name, or None for any other name."""
    base, marker, seed = name.partition(_VARIANT)
    if base not in NAMES or (marker and not seed.isdigit()):
        return None
    return base, int(seed) if marker else None


def expression_for(folder: str | Path) -> str | None:
    """How a learner gets ``folder``, if it is a zoo folder: ``zoo.path('gpt2')`` or
    ``zoo.get('gpt2').variant(87).path``; None for any other path or name."""
    candidate = Path(folder)
    if candidate.is_absolute() and candidate.parent != cache_root():
        return None
    parsed = _parse_folder_name(candidate.name)
    if parsed is None:
        return None
    base, seed = parsed
    return f"zoo.get({base!r}).variant({seed}).path" if seed is not None else f"zoo.path({base!r})"


def rebuild(name: str) -> None:
    """Remove the zoo folder called ``name`` (a model or a variant) and build it again, the zoo's
    own deterministic build; copies loaded from the damaged files are forgotten."""
    shutil.rmtree(cache_root() / name, ignore_errors=True)
    _pristine.cache_clear()
    parsed = _parse_folder_name(name)
    if parsed is None:
        return
    base, seed = parsed
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = get(base)
        if seed is not None:
            model.variant(seed)


@dataclass(frozen=True)
class _Entry:
    description: str
    model_class: str
    build: Callable[[Path], None]


def _from_pretrained(folder: Path, class_name: str, kwargs: dict[str, Any]) -> Any:
    import transformers

    return getattr(transformers, class_name).from_pretrained(folder, **kwargs)


@functools.cache
def _pristine(folder: Path, class_name: str, kwargs: tuple[tuple[str, Any], ...]) -> Any:
    """The first load of a model or tokenizer, never handed out: callers get copies of it.

    ``_pristine.cache_clear()`` forgets them all (after a damaged model folder was rebuilt)."""
    return _from_pretrained(folder, class_name, dict(kwargs))


def _first_load(folder: Path, class_name: str, kwargs: dict[str, Any]) -> Any:
    key = tuple(sorted(kwargs.items()))
    try:
        hash(key)
    except TypeError:  # settings that cannot be a cache key (a list, a dict): load afresh
        return _from_pretrained(folder, class_name, kwargs)
    return _pristine(folder, class_name, key)


def corpus() -> list[str]:
    """The lines of the small multilingual corpus the zoo's tokenizers are trained on."""
    text = files("pytest_tfkatas").joinpath("data/corpus.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip()]


def cache_root() -> Path:
    """The folder that holds the builds of this zoo version for the installed libraries."""
    import torch
    import transformers

    base = os.environ.get("TFKATAS_ZOO_DIR")
    if base:
        root = Path(base)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        root = Path(xdg) / "pytest-tfkatas" / "zoo"
    torch_version = torch.__version__.split("+")[0]
    return root / f"zoo{ZOO_VERSION}-transformers{transformers.__version__}-torch{torch_version}"


def get(name: str) -> TinyModel:
    """The zoo model called ``name``, built first if this machine has no copy yet."""
    entry = _entry(name)
    return TinyModel(name, _ensure_built(name), entry.description, entry.model_class)


def path(name: str) -> Path:
    """The folder of the zoo model ``name``, ready for ``from_pretrained``."""
    return get(name).path


def build_all() -> list[TinyModel]:
    return [get(name) for name in NAMES]


def _entry(name: str) -> _Entry:
    try:
        return _ENTRIES[name]
    except KeyError:
        raise KeyError(f"the zoo has no model {name!r}; it has: {', '.join(NAMES)}") from None


def _ensure_built(name: str, build: Callable[[Path], None] | None = None) -> Path:
    """The folder of ``name`` in the cache, made by ``build`` (the zoo entry's) if missing."""
    build = build or _ENTRIES[name].build
    root = cache_root()
    final = root / name
    if (final / MARKER).is_file():
        return final
    root.mkdir(parents=True, exist_ok=True)
    if final.exists() and not (final / MARKER).is_file():  # a foreign folder: build it again
        shutil.rmtree(final, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=root))
    try:
        with _quiet_and_seeded():
            build(tmp)
        meta = {"name": name, "zoo_version": ZOO_VERSION, "seed": SEED}
        (tmp / MARKER).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        try:
            tmp.rename(final)
        except OSError:
            if not (final / MARKER).is_file():  # not a parallel build that won the race
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


@contextlib.contextmanager
def _quiet_and_seeded() -> Iterator[None]:
    """Seed torch for a build without disturbing the caller's random state; hush progress bars
    and the warnings a build sets off on purpose (the corpus is tokenized as one long sequence,
    and a tiny config names no loss type)."""
    import torch
    from transformers.utils import logging as hf_logging

    bars_were_on = hf_logging.is_progress_bar_enabled()
    verbosity = hf_logging.get_verbosity()
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    try:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(SEED)
            yield
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars_were_on:
            hf_logging.enable_progress_bar()


@functools.cache
def _gpt2_tokenizer() -> PreTrainedTokenizerBase:
    """A byte-level BPE tokenizer like GPT-2's: no pad token, ``<|endoftext|>`` as bos and eos."""
    from transformers import GPT2Tokenizer

    tokenizer = GPT2Tokenizer().train_new_from_iterator(corpus(), vocab_size=_GPT2_VOCAB, show_progress=False)
    tokenizer.model_max_length = _POSITIONS
    return tokenizer


@functools.cache
def _bert_tokenizer(cased: bool = False) -> PreTrainedTokenizerBase:
    """A lower-casing WordPiece tokenizer like BERT's, with [CLS] ... [SEP] templates; ``cased``:
    one that keeps case, with its special tokens after the characters (``[PAD]`` is not id 0).

    The tokenizers library's WordPiece trainer breaks ties in hash order, so its vocabulary
    changes from run to run. This one is built deterministically instead: every character, as a
    word start and as a ``##`` continuation, then the corpus's most frequent words.
    """
    from transformers import BertTokenizer

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab_of_specials = {token: i for i, token in enumerate(specials)}
    backend = BertTokenizer(vocab=vocab_of_specials, do_lower_case=not cased).backend_tokenizer
    counts: Counter[str] = Counter()
    for line in corpus():
        for word, _ in backend.pre_tokenizer.pre_tokenize_str(backend.normalizer.normalize_str(line)):
            counts[word] += 1
    chars = sorted({char for word in counts for char in word})
    pieces = [*chars, *(f"##{char}" for char in chars)]
    vocab = [*pieces, *specials] if cased else [*specials, *pieces]
    words = sorted((word for word in counts if len(word) > 1), key=lambda w: (-counts[w], w))
    vocab += words[: max(0, _BERT_VOCAB - len(vocab))]
    tokenizer = BertTokenizer(vocab={token: i for i, token in enumerate(vocab)}, do_lower_case=not cased)
    tokenizer.model_max_length = _POSITIONS
    return tokenizer


def _gpt2_config(**overrides: Any) -> Any:
    from transformers import GPT2Config

    eos = _gpt2_tokenizer().eos_token_id
    # GPT2Config's default special ids (50256) lie outside a tiny vocabulary: set them.
    settings: dict[str, Any] = dict(
        vocab_size=len(_gpt2_tokenizer()),
        n_positions=_POSITIONS,
        n_embd=_HIDDEN,
        n_layer=_LAYERS,
        n_head=_HEADS,
        bos_token_id=eos,
        eos_token_id=eos,
        pad_token_id=eos,
    )
    settings.update(overrides)
    return GPT2Config(**settings)


def _train_briefly(model: Any, steps: int = _TRAIN_STEPS, ids: Any = None) -> None:
    """A few optimiser steps on the corpus, so the model's guesses are peaked and corpus-like.

    An untrained tiny model predicts an almost uniform next-token distribution: its samples do
    not change with temperature or top_p, and its text is noise. A second of training fixes both.
    One thread keeps the result the same on every machine with this torch version.
    """
    import torch

    if ids is None:
        ids = torch.tensor(_gpt2_tokenizer()("\n".join(corpus()))["input_ids"])
    generator = torch.Generator().manual_seed(SEED)
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-2)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        model.train()
        for _ in range(steps):
            starts = torch.randint(0, len(ids) - _TRAIN_BLOCK, (_TRAIN_BATCH,), generator=generator)
            batch = torch.stack([ids[start : start + _TRAIN_BLOCK] for start in starts.tolist()])
            model(input_ids=batch, labels=batch).loss.backward()
            optimizer.step()
            optimizer.zero_grad()
        model.eval()
    finally:
        torch.set_num_threads(threads)


def _build_gpt2(folder: Path) -> None:
    from transformers import GPT2LMHeadModel

    model = GPT2LMHeadModel(_gpt2_config(initializer_range=_GPT2_INIT_RANGE))
    _train_briefly(model)
    model.save_pretrained(folder)
    _gpt2_tokenizer().save_pretrained(folder)


def _build_bert(folder: Path, labels: tuple[str, ...]) -> None:
    from transformers import BertConfig, BertForSequenceClassification

    tokenizer = _bert_tokenizer()
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=_HIDDEN,
        num_hidden_layers=_LAYERS,
        num_attention_heads=_HEADS,
        intermediate_size=2 * _HIDDEN,
        max_position_embeddings=_POSITIONS,
        initializer_range=_BERT_INIT_RANGE,
        pad_token_id=tokenizer.pad_token_id,
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
    )
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)


def _build_captioner(folder: Path) -> None:
    from transformers import (
        GPT2Config,
        VisionEncoderDecoderConfig,
        VisionEncoderDecoderModel,
        ViTConfig,
        ViTImageProcessorPil,
    )

    tokenizer = _gpt2_tokenizer()
    encoder = ViTConfig(
        image_size=_IMAGE_SIZE,
        patch_size=8,
        num_channels=3,
        hidden_size=_HIDDEN,
        num_hidden_layers=_LAYERS,
        num_attention_heads=_HEADS,
        intermediate_size=2 * _HIDDEN,
    )
    # Untied output embeddings: tied ones make a random decoder repeat its start token, which
    # is also its end token, so every caption would be empty.
    decoder: GPT2Config = _gpt2_config(add_cross_attention=True, is_decoder=True, tie_word_embeddings=False)
    config = VisionEncoderDecoderConfig.from_encoder_decoder_configs(encoder, decoder)
    eos = tokenizer.eos_token_id
    config.decoder_start_token_id = eos
    config.pad_token_id = eos
    config.eos_token_id = eos
    model = VisionEncoderDecoderModel(config=config)
    model.generation_config.decoder_start_token_id = eos
    model.generation_config.pad_token_id = eos
    model.generation_config.eos_token_id = eos
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    processor = ViTImageProcessorPil(
        size={"height": _IMAGE_SIZE, "width": _IMAGE_SIZE},
        image_mean=[0.5, 0.5, 0.5],
        image_std=[0.5, 0.5, 0.5],
    )
    processor.save_pretrained(folder)


@functools.cache
def _llama_tokenizer() -> PreTrainedTokenizerBase:
    """A cased byte-level BPE tokenizer like Llama's: it starts every text with ``<s>``, and its
    unknown, padding, start and end tokens are four distinct ids, none of them 0 (they come after
    the trained vocabulary)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    backend = Tokenizer(models.BPE())
    backend.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    backend.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=_GPT2_VOCAB, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False
    )
    backend.train_from_iterator(corpus(), trainer)
    backend.add_special_tokens(list(LLAMA_SPECIALS.values()))
    bos = LLAMA_SPECIALS["bos_token"]
    backend.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A", pair=f"{bos} $A {bos} $B", special_tokens=[(bos, backend.token_to_id(bos))]
    )
    return PreTrainedTokenizerFast(tokenizer_object=backend, model_max_length=_POSITIONS, **LLAMA_SPECIALS)


def _build_llama(folder: Path) -> None:
    """A Llama-style causal LM trained briefly on the corpus with ``</s>`` after every line, so that
    its greedy continuations end (with eos) after a few tokens on prompts from the corpus."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    tokenizer = _llama_tokenizer()
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=_HIDDEN,
        intermediate_size=2 * _HIDDEN,
        num_hidden_layers=_LAYERS,
        num_attention_heads=_HEADS * 2,
        num_key_value_heads=_HEADS,
        max_position_embeddings=_POSITIONS,
        initializer_range=_GPT2_INIT_RANGE,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        tie_word_embeddings=False,
    )
    model = LlamaForCausalLM(config)
    lines = [tokenizer(line)["input_ids"] + [tokenizer.eos_token_id] for line in corpus()]
    ids = torch.tensor([token for line in lines for token in line])
    _train_briefly(model, ids=ids, steps=3 * _TRAIN_STEPS)
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)


def _build_bf16(base: str) -> Callable[[Path], None]:
    """``base``'s weights saved in bfloat16: a checkpoint whose own dtype is not float32."""

    def build(folder: Path) -> None:
        import torch

        shutil.copytree(_ensure_built(base), folder, dirs_exist_ok=True)
        (folder / MARKER).unlink()
        model = get(base).load_model().to(torch.bfloat16)
        model.save_pretrained(folder)

    return build


def _with_generation_config(base: str, **settings: Any) -> Callable[[Path], None]:
    """``base`` with these defaults in its generation_config.json (e.g. sampling by default)."""

    def build(folder: Path) -> None:
        shutil.copytree(_ensure_built(base), folder, dirs_exist_ok=True)
        (folder / MARKER).unlink()
        config_file = folder / "generation_config.json"
        config = json.loads(config_file.read_text(encoding="utf-8"))
        config.update(settings)
        config_file.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")

    return build


def _build_bert_cased(folder: Path) -> None:
    """A cased BERT with one attention head, eager attention and ``[PAD]`` at a non-zero id."""
    from transformers import BertConfig, BertForSequenceClassification

    tokenizer = _bert_tokenizer(cased=True)
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=_HIDDEN,
        num_hidden_layers=_LAYERS,
        num_attention_heads=1,
        intermediate_size=2 * _HIDDEN,
        max_position_embeddings=_POSITIONS,
        initializer_range=_BERT_INIT_RANGE,
        pad_token_id=tokenizer.pad_token_id,
        id2label=dict(enumerate(SENTIMENT_LABELS)),
        label2id={label: i for i, label in enumerate(SENTIMENT_LABELS)},
    )
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    _set_eager_attention(folder)


def _build_variant(base: TinyModel, seed: int, folder: Path) -> None:
    import torch

    shutil.copytree(base.path, folder, dirs_exist_ok=True)
    (folder / MARKER).unlink()
    model = base.load_model()
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for parameter in model.parameters():
            scale = parameter.std().clamp(min=0.02) if parameter.numel() > 1 else 0.02
            parameter.add_(torch.randn(parameter.shape, generator=generator) * scale)
    model.save_pretrained(folder)


def _eager_copy_of(base: str) -> Callable[[Path], None]:
    """The same weights as ``base``, saved with eager attention so attention weights come back."""

    def build(folder: Path) -> None:
        shutil.copytree(_ensure_built(base), folder, dirs_exist_ok=True)
        (folder / MARKER).unlink()
        _set_eager_attention(folder)

    return build


def _set_eager_attention(folder: Path) -> None:
    """The saved model loads with eager attention (sdpa, the default, returns no weights)."""
    config_file = folder / "config.json"
    config = json.loads(config_file.read_text(encoding="utf-8"))
    config["attn_implementation"] = "eager"
    config_file.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


_ENTRIES: dict[str, _Entry] = {
    "gpt2": _Entry(
        "GPT-2-style causal LM (2 layers, 32 wide) with a byte-level BPE tokenizer",
        "AutoModelForCausalLM",
        _build_gpt2,
    ),
    "gpt2-eager": _Entry(
        "the gpt2 model with eager attention: output_attentions=True returns weights",
        "AutoModelForCausalLM",
        _eager_copy_of("gpt2"),
    ),
    "bert": _Entry(
        "BERT-style encoder with a WordPiece tokenizer and a 2-label sentiment head",
        "AutoModelForSequenceClassification",
        functools.partial(_build_bert, labels=SENTIMENT_LABELS),
    ),
    "bert-eager": _Entry(
        "the bert model with eager attention: output_attentions=True returns weights",
        "AutoModelForSequenceClassification",
        _eager_copy_of("bert"),
    ),
    "bert-nli": _Entry(
        "BERT-style NLI classifier (contradiction / neutral / entailment) for zero-shot pipelines",
        "AutoModelForSequenceClassification",
        functools.partial(_build_bert, labels=NLI_LABELS),
    ),
    "bert-cased": _Entry(
        "BERT-style 2-label sentiment classifier with a cased WordPiece tokenizer ([PAD] is not id 0), "
        "one attention head and eager attention",
        "AutoModelForSequenceClassification",
        _build_bert_cased,
    ),
    "bert-nli-shuffled": _Entry(
        "the bert-nli classifier's architecture with its labels in another order (entailment first)",
        "AutoModelForSequenceClassification",
        functools.partial(_build_bert, labels=NLI_LABELS_SHUFFLED),
    ),
    "gpt2-bf16": _Entry(
        "the gpt2 model saved in bfloat16: a checkpoint whose own dtype is not float32",
        "AutoModelForCausalLM",
        _build_bf16("gpt2"),
    ),
    "llama": _Entry(
        "Llama-style causal LM with a cased byte-level BPE tokenizer: <s> starts every text, "
        "<unk> <pad> <s> </s> are distinct non-zero ids, and it ends with </s> after a few tokens "
        "on prompts from the corpus",
        "AutoModelForCausalLM",
        _build_llama,
    ),
    "llama-sampling": _Entry(
        "the llama model whose generation_config samples by default (do_sample=True, temperature 1.5)",
        "AutoModelForCausalLM",
        _with_generation_config("llama", do_sample=True, temperature=1.5, top_k=0),
    ),
    "vit-gpt2": _Entry(
        "ViT encoder + GPT-2 decoder image captioner with its image processor",
        "VisionEncoderDecoderModel",
        _build_captioner,
    ),
}

#: The names of every model in the zoo.
NAMES: tuple[str, ...] = tuple(_ENTRIES)


def main() -> None:
    for model in build_all():
        print(f"{model.name:<11} {model.path}\n            {model.description}")


if __name__ == "__main__":
    main()
