"""The tiny model zoo: built locally, deterministic, cached, and shaped like the real models."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import torch

from pytest_tfkatas import zoo


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def fresh_zoo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TFKATAS_ZOO_DIR", str(tmp_path))
    return tmp_path


def test_the_cache_folder_is_keyed_by_zoo_transformers_and_torch_versions(fresh_zoo: Path) -> None:
    import transformers

    root = zoo.cache_root()
    assert root.parent == fresh_zoo
    assert f"zoo{zoo.ZOO_VERSION}" in root.name
    assert f"transformers{transformers.__version__}" in root.name
    assert f"torch{torch.__version__.split('+')[0]}" in root.name


def test_two_cold_builds_write_identical_files(fresh_zoo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = {model.name: _digests(model.path) for model in zoo.build_all()}
    monkeypatch.setenv("TFKATAS_ZOO_DIR", str(fresh_zoo / "again"))
    second = {model.name: _digests(model.path) for model in zoo.build_all()}
    assert first == second
    assert set(first) == set(zoo.NAMES)


def test_a_built_model_is_reused_and_an_unfinished_folder_is_rebuilt(fresh_zoo: Path) -> None:
    path = zoo.path("gpt2")
    stamp = (path / "model.safetensors").stat().st_mtime_ns
    assert zoo.path("gpt2") == path
    assert (path / "model.safetensors").stat().st_mtime_ns == stamp
    (path / zoo.MARKER).unlink()  # as if a build had been interrupted
    (path / "model.safetensors").write_bytes(b"half written")
    rebuilt = zoo.path("gpt2")
    assert (rebuilt / zoo.MARKER).is_file()
    assert (rebuilt / "model.safetensors").stat().st_size > 1000


def test_an_unknown_model_name_lists_the_zoo() -> None:
    with pytest.raises(KeyError, match="gpt2, gpt2-eager"):
        zoo.get("mistral")


def test_the_gpt2_tokenizer_is_byte_level_bpe_without_a_pad_token() -> None:
    tokenizer = zoo.get("gpt2").load_tokenizer()
    assert tokenizer.pad_token is None, "like GPT-2, so learners must set one"
    assert tokenizer.eos_token == tokenizer.bos_token == "<|endoftext|>"
    for text in ["Привет, мир!", "今天天气很好", "Où est la gare ?", "emoji 🤗"]:
        ids = tokenizer(text)["input_ids"]
        assert tokenizer.decode(ids) == text, "byte-level BPE round-trips any text"


def test_the_gpt2_model_generates_corpus_like_text_and_samples_vary_with_temperature() -> None:
    model, tokenizer = zoo.get("gpt2").load_model(), zoo.get("gpt2").load_tokenizer()
    inputs = tokenizer("Once upon a time", return_tensors="pt")
    samples = set()
    for temperature in (0.5, 1.0, 2.0):
        torch.manual_seed(0)
        out = model.generate(**inputs, do_sample=True, temperature=temperature, max_new_tokens=10)
        samples.add(tokenizer.decode(out[0]))
    assert len(samples) == 3
    with torch.no_grad():
        probs = model(**inputs).logits[0, -1].softmax(-1)
    assert probs.max() > 5 / len(tokenizer), "a peaked, not uniform, next-token distribution"


def test_the_bert_tokenizer_is_wordpiece_with_bert_templates() -> None:
    tokenizer = zoo.get("bert").load_tokenizer()
    encoded = tokenizer("The robot read", "a book")
    tokens = tokenizer.convert_ids_to_tokens(encoded["input_ids"])
    assert tokens[0] == "[CLS]" and tokens.count("[SEP]") == 2
    assert encoded["token_type_ids"][-1] == 1
    assert tokenizer.tokenize("unseenword")[1].startswith("##")


def test_the_bert_models_have_sentiment_and_nli_labels() -> None:
    assert zoo.get("bert").load_model().config.id2label == {0: "NEGATIVE", 1: "POSITIVE"}
    nli = zoo.get("bert-nli").load_model().config.label2id
    assert nli == {"contradiction": 0, "neutral": 1, "entailment": 2}


def test_the_zero_shot_pipeline_runs_on_the_nli_model() -> None:
    from transformers import pipeline

    classifier = pipeline("zero-shot-classification", model=str(zoo.path("bert-nli")))
    result = classifier("The food was delicious.", candidate_labels=["food", "travel"])
    assert sorted(result["labels"]) == ["food", "travel"]
    assert sum(result["scores"]) == pytest.approx(1.0)


@pytest.mark.parametrize("name", ["gpt2-eager", "bert-eager"])
def test_the_eager_variants_return_attention_weights(name: str) -> None:
    model, tokenizer = zoo.get(name).load_model(), zoo.get(name).load_tokenizer()
    with torch.no_grad():
        outputs = model(**tokenizer("The robot read a book", return_tensors="pt"), output_attentions=True)
    assert len(outputs.attentions) == 2
    assert torch.allclose(outputs.attentions[0].sum(-1), torch.ones(1))


def test_the_eager_variants_share_their_base_models_weights() -> None:
    base = zoo.get("gpt2").load_model().state_dict()
    eager = zoo.get("gpt2-eager").load_model().state_dict()
    assert all(torch.equal(base[name], eager[name]) for name in base)


def test_the_captioner_turns_an_image_into_text() -> None:
    from PIL import Image

    captioner = zoo.get("vit-gpt2")
    processor, model, tokenizer = (
        captioner.load_image_processor(),
        captioner.load_model(),
        captioner.load_tokenizer(),
    )
    pixels = processor(images=Image.new("RGB", (50, 40), "teal"), return_tensors="pt").pixel_values
    assert tuple(pixels.shape) == (1, 3, 32, 32)
    ids = model.generate(pixel_values=pixels, max_new_tokens=5)
    assert tokenizer.decode(ids[0], skip_special_tokens=True).strip()


def test_a_variant_is_cached_and_answers_differently_from_its_base() -> None:
    base = zoo.get("bert-nli")
    variant = base.variant(seed=7)
    assert variant.path == base.variant(seed=7).path
    assert variant.path.parent == base.path.parent
    inputs = base.load_tokenizer()("The food was good.", "This example is food.", return_tensors="pt")
    with torch.no_grad():
        assert not torch.allclose(base.load_model()(**inputs).logits, variant.load_model()(**inputs).logits)


def test_load_model_hands_out_independent_copies() -> None:
    tiny = zoo.get("gpt2")
    first = tiny.load_model()
    with torch.no_grad():
        first.transformer.wte.weight.zero_()
    second = tiny.load_model()
    assert second.transformer.wte.weight.abs().sum() > 0


def test_zoo_folders_are_named_the_way_a_learner_gets_them_and_other_paths_are_not() -> None:
    assert zoo.expression_for(zoo.path("gpt2")) == "zoo.path('gpt2')"
    assert zoo.expression_for("bert-nli") == "zoo.path('bert-nli')"
    assert zoo.expression_for(zoo.cache_root() / "bert-variant12") == "zoo.get('bert').variant(12).path"
    for other in ("gpt3", "bert-variant", "bert-variantx", "/elsewhere/gpt2"):
        assert zoo.expression_for(other) is None, other


def test_the_llama_variant_has_four_distinct_non_zero_special_tokens_and_starts_texts_with_bos() -> None:
    tokenizer = zoo.get("llama").load_tokenizer()
    ids = [tokenizer.unk_token_id, tokenizer.pad_token_id, tokenizer.bos_token_id, tokenizer.eos_token_id]
    assert len(set(ids)) == 4 and 0 not in ids
    assert tokenizer("Rain fell")["input_ids"][0] == tokenizer.bos_token_id
    assert tokenizer.tokenize("Rain") != tokenizer.tokenize("rain"), "cased"
    assert type(zoo.get("llama").load_model()).__name__ == "LlamaForCausalLM"


@pytest.mark.parametrize("prompt", zoo.LLAMA_EOS_PROMPTS)
def test_the_llama_variant_ends_its_greedy_continuation_early_on_its_eos_prompts(prompt: str) -> None:
    model, tokenizer = zoo.get("llama").load_model(), zoo.get("llama").load_tokenizer()
    inputs = tokenizer(prompt, return_tensors="pt")
    with torch.no_grad():
        output = model.generate(**inputs, max_new_tokens=6, do_sample=False)
    new = output[0, inputs["input_ids"].shape[1] :].tolist()
    assert tokenizer.eos_token_id in new, tokenizer.decode(new)


def test_the_llama_variant_runs_its_greedy_continuation_past_twenty_tokens_on_its_long_prompt() -> None:
    model, tokenizer = zoo.get("llama").load_model(), zoo.get("llama").load_tokenizer()
    inputs = tokenizer(zoo.LLAMA_LONG_PROMPT, return_tensors="pt")
    with torch.no_grad():
        output = model.generate(**inputs, max_new_tokens=22, do_sample=False)
    new = output[0, inputs["input_ids"].shape[1] :].tolist()
    assert tokenizer.eos_token_id not in new and len(new) == 22
    texts = [tokenizer.decode(new[:n], skip_special_tokens=True) for n in (19, 20, 21)]
    assert len(set(texts)) == 3, texts


def test_the_sampling_variant_samples_by_default_and_the_bf16_one_keeps_its_dtype() -> None:
    from transformers import AutoModelForCausalLM

    assert zoo.get("llama-sampling").load_model().generation_config.do_sample is True
    assert not zoo.get("llama").load_model().generation_config.do_sample
    assert AutoModelForCausalLM.from_pretrained(zoo.path("gpt2-bf16")).dtype == torch.bfloat16


def test_the_cased_bert_keeps_case_has_one_head_and_no_pad_at_zero() -> None:
    model, tokenizer = zoo.get("bert-cased").load_model(), zoo.get("bert-cased").load_tokenizer()
    assert tokenizer.tokenize("Rain") != tokenizer.tokenize("rain")
    assert tokenizer.pad_token_id != 0 and model.config.pad_token_id == tokenizer.pad_token_id
    assert model.config.num_attention_heads == 1
    inputs = tokenizer("Rain fell", return_tensors="pt")
    assert len(model(**inputs, output_attentions=True).attentions) == model.config.num_hidden_layers


def test_the_shuffled_nli_model_puts_entailment_first() -> None:
    config = zoo.get("bert-nli-shuffled").load_model().config
    assert config.id2label[0] == "entailment" and config.label2id["entailment"] == 0
    assert set(config.id2label.values()) == set(zoo.NLI_LABELS)
