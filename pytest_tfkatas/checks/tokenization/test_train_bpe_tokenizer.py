"""Hidden checks: train_bpe_tokenizer."""

from __future__ import annotations

import random
import string

import pytest
from transformers import AutoTokenizer, PreTrainedTokenizerFast

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call

SPECIALS = {"pad_token": "<pad>", "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"}
#: Texts the corpus never showed: emoji, other scripts, odd spacing, punctuation glued or not.
UNSEEN = [
    "Жёлтый щёголь 😀 and a naïve façade",
    "한국어 텍스트, ελληνικά και 日本語のテキスト。",
    "  two  spaces,\ttabs\nand new lines ; it 's ok !  ",
]


def transformers_tokenizer(kata, result) -> PreTrainedTokenizerFast:
    """The result, if transformers can use it as a fast tokenizer; else a failure with a tip."""
    __tracebackhide__ = True
    if isinstance(result, PreTrainedTokenizerFast):
        return result
    tip = (
        "wrap the trained tokenizers.Tokenizer for transformers: "
        "PreTrainedTokenizerFast(tokenizer_object=tokenizer, pad_token=..., bos_token=..., "
        "eos_token=..., unk_token=...)."
        if type(result).__module__.startswith("tokenizers")
        else None
    )
    fail_call(kata, got=describe(result), expected="a transformers PreTrainedTokenizerFast", tip=tip)


def made_up_words(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(string.ascii_lowercase, k=9)) for _ in range(count)]


def test_any_text_round_trips_without_unknown_tokens(kata):
    tokenizer = transformers_tokenizer(kata, kata(zoo.corpus(), 400))
    for text in [zoo.corpus()[3], *UNSEEN]:
        ids = tokenizer(text)["input_ids"]
        back = tokenizer.decode(ids)
        tip = None
        if back.replace(" ", "") == text.replace(" ", "") or "<unk>" in back:
            tip = (
                "use a byte-level pipeline: pre_tokenizers.ByteLevel(add_prefix_space=False) "
                "and decoders.ByteLevel()."
            )
        elif "\ufffd" in back or len(back) < len(text):
            tip = (
                "start the BpeTrainer from every byte, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(): "
                "bytes the corpus never showed otherwise have no token and vanish."
            )
        expect(
            back == text,
            kata,
            got=f"tokenizer.decode(tokenizer({text!r})['input_ids']) == {back!r}",
            expected=f"{text!r}, the text itself: a byte-level tokenizer loses nothing",
            tip=tip,
        )


def test_the_special_tokens_have_ids_0_to_3_and_their_roles(kata):
    tokenizer = transformers_tokenizer(kata, kata(zoo.corpus(), 300))
    ids = tokenizer.convert_tokens_to_ids(list(SPECIALS.values()))
    expect(
        ids == [0, 1, 2, 3],
        kata,
        got=f"ids {ids} for {list(SPECIALS.values())}",
        expected="ids [0, 1, 2, 3]: the special tokens come first, in this order",
        tip="BpeTrainer(special_tokens=[...]) puts them at the start of the vocabulary, in the order given.",
    )
    roles = {role: getattr(tokenizer, role) for role in SPECIALS}
    expect(
        roles == SPECIALS,
        kata,
        got=str(roles),
        expected=str(SPECIALS),
        tip="PreTrainedTokenizerFast(tokenizer_object=..., pad_token='<pad>', bos_token='<s>', ...).",
    )
    tokens = tokenizer.tokenize("<s>hello world</s>")
    expect(
        tokens[:1] == ["<s>"] and tokens[-1:] == ["</s>"],
        kata,
        got=f"tokenizer.tokenize('<s>hello world</s>') == {tokens}",
        expected="'<s>' first and '</s>' last, each one token: special tokens are never split",
    )
    plain = tokenizer("hello world")["input_ids"]
    expect(
        not set(plain) & {0, 1, 2, 3},
        kata,
        got=f"tokenizer('hello world')['input_ids'] == {plain}",
        expected="no special token ids (0 to 3): tokenizer(text) adds no special tokens",
    )


@pytest.mark.parametrize(
    "vocab_size", [300, 457, 260, None], ids=["300", "457", "260, the smallest", "the default"]
)
def test_the_vocabulary_has_vocab_size_tokens(kata, vocab_size):
    """None calls the kata with its default vocab_size of 1000, which the corpus can fill."""
    result = kata(zoo.corpus()) if vocab_size is None else kata(zoo.corpus(), vocab_size)
    tokenizer = transformers_tokenizer(kata, result)
    vocab_size = vocab_size or 1000
    expect(
        len(tokenizer) == vocab_size,
        kata,
        got=f"len(tokenizer) == {len(tokenizer)}",
        expected=f"{vocab_size} tokens, special tokens included (the corpus offers enough merges)"
        + ("; 1000 is the default" if vocab_size == 1000 else ""),
        tip="give the trainer vocab_size=vocab_size: BpeTrainer(vocab_size=vocab_size, ...).",
    )


def test_the_merges_are_learned_from_the_given_texts(kata):
    first, second = made_up_words(2, seed=27)
    second = second.upper()  # the texts as they are: case included
    texts = [*zoo.corpus(), *(f"I saw a {first} and a {second} in the garden." for _ in range(40))]
    tokenizer = transformers_tokenizer(kata, kata(texts, 400))
    for word in (first, second):
        tokens = tokenizer.tokenize(f" {word}")
        tip = "train on the texts you are given: tokenizer.train_from_iterator(texts, trainer=trainer)."
        if word.isupper() and len(tokenizer.tokenize(f" {word.lower()}")) == 1:
            tip = "train on the texts as they are: lower-casing them loses the merges of cased words."
        expect(
            len(tokens) == 1,
            kata,
            got=f"tokenizer.tokenize(' {word}') == {tokens}",
            expected=f"one token, 'Ġ{word}': the word appears 40 times in the texts it was trained on",
            tip=tip,
        )


def test_blank_texts_among_others_are_no_reason_to_refuse(kata):
    """texts is a Sequence: a tuple is fine. Only texts that are *all* blank are refused."""
    texts = ("", "   ", "\n", *zoo.corpus())
    try:
        result, refusal = kata(texts, 300), None
    except ValueError as error:
        result, refusal = None, error
    if refusal is not None:
        fail_call(
            kata,
            got=f"ValueError: {refusal}",
            expected="a tokenizer: these texts start with blank lines, but the others hold text to train on",
            tip="refuse only when no text is non-blank: not any(text.strip() for text in texts).",
        )
    tokenizer = transformers_tokenizer(kata, result)
    expect(
        len(tokenizer) == 300,
        kata,
        got=f"len(tokenizer) == {len(tokenizer)}",
        expected="300 tokens, trained on the texts of the tuple",
    )


def test_it_saves_and_loads_back_with_autotokenizer(kata, tmp_path):
    tokenizer = transformers_tokenizer(kata, kata(zoo.corpus(), 350))
    tokenizer.save_pretrained(tmp_path)
    reloaded = AutoTokenizer.from_pretrained(tmp_path)
    for text in [zoo.corpus()[10], UNSEEN[0]]:
        got, wanted = reloaded(text)["input_ids"], tokenizer(text)["input_ids"]
        expect(
            got == wanted and reloaded.decode(got) == text,
            kata,
            got=f"after save_pretrained and AutoTokenizer.from_pretrained, {text!r} encodes as {got}",
            expected=f"{wanted}, as before saving, and decodes back to the text",
        )
    expect(
        reloaded.pad_token_id == 0 and reloaded.eos_token == "</s>",
        kata,
        got=f"after reloading, pad_token_id={reloaded.pad_token_id}, eos_token={reloaded.eos_token!r}",
        expected="pad_token_id=0 and eos_token='</s>', kept by save_pretrained",
    )


@pytest.mark.parametrize(
    ("texts", "vocab_size", "because"),
    [
        ([], 300, "there is no text to train on"),
        (["", "   ", "\n"], 300, "the texts are all blank"),
        (["some text"], 259, "259 tokens cannot hold the 256 bytes and the 4 special tokens"),
    ],
)
def test_no_text_or_a_too_small_vocabulary_raises_value_error(kata, texts, vocab_size, because):
    expect_raises(kata, ValueError, texts, vocab_size, because=because)
