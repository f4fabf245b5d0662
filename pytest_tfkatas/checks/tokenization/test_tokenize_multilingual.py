"""Hidden checks: tokenize_multilingual."""

from __future__ import annotations

import string

import pytest
import torch

from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call

#: Cyrillic, Chinese, Japanese, accented Latin and Greek, all in scripts the corpus covers.
TEXTS = [
    "Кошка играет в парке, а собака спит.",
    "我喜欢读书和画画。",
    "Les élèves étudient près de la fenêtre à Noël.",
    "公園で本を読むのが好きです。",
    "Die Bäume blühen schön im Garten.",
    "Η θάλασσα είναι γαλάζια.",
]
#: Scripts (or letters) the corpus never showed: a Unigram vocabulary trained on it lacks them.
UNSEEN = ["Жёлтый щёголь", "한국어 텍스트", "Party time 😀"]


@pytest.fixture
def gpt2_with_pad(tiny_gpt2):
    """Byte-level BPE whose pad token is <|endoftext|>, which is also its eos and unk token."""
    tokenizer = tiny_gpt2.load_tokenizer()
    tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def ascii_wordpiece_of(specials: list[str]):
    """A cased WordPiece tokenizer that knows only ASCII: everything else is [UNK]. ``specials``
    come first, in that order, so they set the special tokens' ids."""
    from transformers import BertTokenizer

    chars = list(string.ascii_letters + string.digits + string.punctuation)
    vocab = [*specials, *chars, *(f"##{c}" for c in chars), "the", "cat"]
    return BertTokenizer(vocab={token: i for i, token in enumerate(vocab)}, do_lower_case=False)


@pytest.fixture
def ascii_wordpiece():
    """A cased WordPiece tokenizer that knows only ASCII: everything else is [UNK] (id 1)."""
    return ascii_wordpiece_of(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])


def readable(kata, texts, tokenizer, max_length):
    """Call the kata on texts the tokenizer can read: a ValueError there is a false alarm.
    ``max_length=None`` calls it with its default."""
    __tracebackhide__ = True
    try:
        return kata(texts, tokenizer) if max_length is None else kata(texts, tokenizer, max_length)
    except ValueError as error:
        problem = str(error).strip().splitlines()[0] if str(error).strip() else "ValueError"
    tip = "compare ids with tokenizer.unk_token_id in each text's own ids, without padding."
    if tokenizer.pad_token_id == tokenizer.unk_token_id:
        tip = (
            f"this tokenizer's pad token {tokenizer.pad_token!r} is also its unknown token: padding is not "
            "unknown text. Look for the unknown id in each text's own ids (no padding), or only where "
            "attention_mask is 1."
        )
    fail_call(
        kata,
        got=f"ValueError: {problem}",
        expected="the batch: this tokenizer reads every one of these texts without an unknown token",
        tip=tip,
    )


def check_batch(kata, tokenizer, texts, max_length, result) -> None:
    __tracebackhide__ = True
    from transformers import BatchEncoding

    wanted = tokenizer(list(texts), padding=True, truncation=True, max_length=max_length, return_tensors="pt")
    expect(
        isinstance(result, BatchEncoding),
        kata,
        got=f"a {type(result).__name__}: {describe(result)}",
        expected="the BatchEncoding the tokenizer returns, as it is",
        tip="return the tokenizer's result itself; dict(...) drops what a BatchEncoding offers "
        "(.to(device), .word_ids(), ...).",
    )
    keys = sorted(result.keys()) if hasattr(result, "keys") else None
    expect(
        keys == sorted(wanted.keys()),
        kata,
        got=f"a result with keys {keys}" if keys is not None else describe(result),
        expected=f"the tokenizer's batch, with keys {sorted(wanted.keys())}",
    )
    for name, tensor in wanted.items():
        got = result[name]
        shape = list(got.shape) if isinstance(got, torch.Tensor) else None
        tip = None
        if shape is None:
            tip = "ask the tokenizer for PyTorch tensors: return_tensors='pt'."
        elif shape[1] > tensor.shape[1] and shape[1] > max_length:
            tip = "truncation=True, max_length=max_length cuts the long texts."
        elif shape[1] > tensor.shape[1]:
            tip = "padding=True pads to the longest text of the batch, not to max_length."
        expect(
            shape is not None and torch.equal(got, tensor),
            kata,
            got=f"{name} of shape {shape}" if shape is not None else f"{name} = {describe(got)}",
            expected=f"{name} of shape {list(tensor.shape)}: {tensor.tolist()}",
            tip=tip,
        )


@pytest.mark.parametrize("which", ["unigram", "byte-level"])
def test_cyrillic_cjk_and_accented_latin_come_out_without_unknown_tokens(
    kata, which, unigram_tokenizer, gpt2_with_pad
):
    tokenizer = unigram_tokenizer if which == "unigram" else gpt2_with_pad
    result = readable(kata, list(TEXTS), tokenizer, 64)
    check_batch(kata, tokenizer, TEXTS, 64, result)
    unknown = int((result["input_ids"][result["attention_mask"].bool()] == tokenizer.unk_token_id).sum())
    expect(unknown == 0, kata, got=f"{unknown} unknown tokens", expected="no unknown token in any text")


@pytest.mark.parametrize("which", ["unigram", "byte-level"])
def test_a_tuple_with_repeated_empty_and_spaced_texts_keeps_every_row_as_given(
    kata, which, unigram_tokenizer, gpt2_with_pad
):
    """texts is a Sequence: a tuple is fine. Every text is a row of the batch, in its place: a
    repeat, an empty text, spaces around a text (byte-level BPE has tokens for them)."""
    tokenizer = unigram_tokenizer if which == "unigram" else gpt2_with_pad
    texts = ("Мир.", "  Кошка играет.  ", "Мир.", "", "我喜欢读书。", "Мир.")
    before = list(texts)
    result = readable(kata, texts, tokenizer, 64)
    rows = len(result["input_ids"]) if hasattr(result, "keys") and "input_ids" in result else None
    expect(
        rows == len(texts),
        kata,
        got=f"{rows} rows" if rows is not None else describe(result),
        expected=f"{len(texts)} rows, one per text, repeats and the empty text included",
        tip="tokenize the texts as they are: no de-duplicating, no filtering, no strip().",
    )
    check_batch(kata, tokenizer, before, 64, result)


def test_long_texts_are_truncated_and_short_ones_padded(kata, unigram_tokenizer):
    texts = [TEXTS[0] + " " + TEXTS[2] + " " + TEXTS[0], "Мир.", TEXTS[1]]
    result = readable(kata, texts, unigram_tokenizer, 12)
    check_batch(kata, unigram_tokenizer, texts, 12, result)


def test_max_length_defaults_to_64_and_may_be_1(kata, unigram_tokenizer):
    texts = [" ".join(TEXTS * 3), "Мир.", TEXTS[1]]
    assert len(unigram_tokenizer(texts[0])["input_ids"]) > 64, "the check's long text must pass the default"
    check_batch(kata, unigram_tokenizer, texts, 64, readable(kata, texts, unigram_tokenizer, None))
    check_batch(kata, unigram_tokenizer, texts, 1, readable(kata, texts, unigram_tokenizer, 1))


def test_special_tokens_the_tokenizer_adds_are_not_unknown_text(kata, tiny_llama):
    """A Llama-style tokenizer prepends <s>; here <s> is also its unknown token. What the tokenizer
    adds around a text is not part of the text: only the text's own ids can be unknown."""
    from pytest_tfkatas import zoo

    tokenizer = tiny_llama.load_tokenizer()
    tokenizer.unk_token = tokenizer.bos_token
    texts = [zoo.corpus()[5], zoo.corpus()[9]]
    assert tokenizer(texts[0])["input_ids"][0] == tokenizer.unk_token_id, "the check needs <s> added as unk"
    check_batch(kata, tokenizer, texts, 64, readable(kata, texts, tokenizer, 64))


def test_a_tokenizer_that_cannot_read_a_script_is_refused(kata, ascii_wordpiece, unigram_tokenizer):
    texts = ["The cat sat on the mat.", TEXTS[0], TEXTS[1], TEXTS[2]]
    error = expect_raises(
        kata,
        ValueError,
        texts,
        ascii_wordpiece,
        because="this ASCII-only WordPiece tokenizer turns Cyrillic, Chinese and accented letters into [UNK]",
    )
    message = str(error)
    missing = [text for text in texts[1:] if text not in message]
    expect(
        not missing and texts[0] not in message,
        kata,
        got=f"ValueError: {message}",
        expected=f"a message that quotes each text with unknown tokens ({texts[1:]}), and not {texts[0]!r}",
    )
    unknown_first = ascii_wordpiece_of(["[UNK]", "[PAD]", "[CLS]", "[SEP]", "[MASK]"])
    assert unknown_first.unk_token_id == 0
    expect_raises(
        kata,
        ValueError,
        texts,
        unknown_first,
        because="this ASCII-only WordPiece tokenizer turns Cyrillic, Chinese and accented letters into "
        "[UNK], whose id is 0 here (an id like any other: only None means no unknown token)",
        match=texts[1],
    )
    late = " ".join([TEXTS[2]] * 3) + " " + UNSEEN[2]
    expect_raises(
        kata,
        ValueError,
        [late],
        unigram_tokenizer,
        8,
        because="the text ends with an emoji this tokenizer cannot read: the whole text counts, not only the "
        "8 tokens that max_length keeps",
    )
    for text in UNSEEN:
        expect_raises(
            kata,
            ValueError,
            [TEXTS[2], text],
            unigram_tokenizer,
            because=(
                f"the Unigram tokenizer trained on the corpus has no piece for some characters of {text!r}: "
                f"it turns them into its unknown token {unigram_tokenizer.unk_token!r}"
            ),
            match=text,
        )


def test_padding_is_not_mistaken_for_unknown_text(kata, gpt2_with_pad):
    texts = ["Мир.", TEXTS[0], "我喜欢读书。"]
    result = readable(kata, texts, gpt2_with_pad, 64)
    check_batch(kata, gpt2_with_pad, texts, 64, result)


def test_no_texts_or_a_bad_max_length_raises_value_error(kata, unigram_tokenizer):
    expect_raises(kata, ValueError, [], unigram_tokenizer, because="there are no texts to tokenize")
    expect_raises(
        kata, ValueError, (), unigram_tokenizer, because="an empty tuple holds no texts to tokenize"
    )
    expect_raises(
        kata, ValueError, list(TEXTS), unigram_tokenizer, 0, because="max_length=0 leaves room for no token"
    )
