"""Hidden checks: align_labels_with_tokens."""

from __future__ import annotations

import copy
import functools
from pathlib import Path

import pytest

from pytest_tfkatas import zoo
from pytest_tfkatas.checks.helpers import tokenizer_changes, tokenizer_state
from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call

#: Words that one tokenizer or another cuts into many pieces ("unhappiness", "Zebra-crossings",
#: which WordPiece splits at its hyphen into pieces without "##"), words that stay one token
#: ("gardener" for BERT, "," for all), label 0 on a first word, and repeated labels.
WORDS = (
    ("The", "gardener", "planted", "tomatoes", ","),
    ("Zebra-crossings", "unhappiness", "Hi"),
    ("sunflowers",),
    ("Hi", "the", "gardener", "42", "naïve", "unhappiness", "in", "Paris", "."),
)
LABELS = ((0, 3, 0, 5, 0), (7, 2, 2), (1,), (4, 0, 3, 3, 6, 2, 0, 5, 0))
NAMES = ["bert", "bert-cased", "llama", "gpt2"]
#: A word that BERT's normalizer drops entirely (a zero-width space: no token, so the next words'
#: labels must not shift), words whose first character takes several bytes (byte-level BPE gives
#: each byte a token at the same character offset), and an unknown character ([UNK] for BERT, a
#: word's token all the same).
ODD_WORDS = (("Hi", "\u200b", "Éclairs", "x"), ("—", "☃", "in", "Ölkanne", "\u200b"))
ODD_LABELS = ((1, 2, 3, 4), (5, 6, 0, 7, 8))


@functools.cache
def _tokenizer(name: str):
    return zoo.get(name).load_tokenizer()


def tokenizer_of(name: str):
    """A fresh copy of a zoo tokenizer (loaded once per process)."""
    return copy.deepcopy(_tokenizer(name))


def expected_of(tokenizer, words, labels, all_subwords=False, max_length=None) -> dict[str, list[list[int]]]:
    """The encoding of the words, and labels worked out word by word: each word tokenized alone
    gives its pieces; the specials are whatever the full encoding holds around them."""
    encoding = tokenizer(
        [list(example) for example in words],
        is_split_into_words=True,
        truncation=max_length is not None,
        max_length=max_length,
    )
    room = None if max_length is None else max_length - tokenizer.num_special_tokens_to_add()
    expected = {key: [list(row) for row in value] for key, value in encoding.items()}
    expected["labels"] = []
    for example, tags, full in zip(words, labels, encoding["input_ids"], strict=True):
        pieces, wanted = [], []
        for word, tag in zip(example, tags, strict=True):
            ids = tokenizer(word, add_special_tokens=False)["input_ids"]
            pieces += ids
            wanted += ([tag] + [tag if all_subwords else -100] * (len(ids) - 1))[
                : len(ids)
            ]  # [] for no token
        if room is not None and len(pieces) > room:
            cut = slice(len(pieces) - room, None) if tokenizer.truncation_side == "left" else slice(room)
            pieces, wanted = pieces[cut], wanted[cut]
        start = next(i for i in range(len(full) - len(pieces) + 1) if full[i : i + len(pieces)] == pieces)
        expected["labels"].append([-100] * start + wanted + [-100] * (len(full) - start - len(pieces)))
    return expected


def check(kata, tokenizer, words, labels, what: str, **settings) -> None:
    __tracebackhide__ = True
    before = tokenizer_state(tokenizer)
    given = copy.deepcopy((words, labels))
    result = kata(tokenizer, words, labels, **settings)
    expected = expected_of(
        tokenizer,
        words,
        labels,
        settings.get("label_all_subwords", False),
        settings.get("max_length"),
    )
    extra = sorted(set(result) - set(expected)) if isinstance(result, dict) else []
    expect(
        type(result) is dict and set(result) == set(expected),
        kata,
        got=describe(result)
        if not isinstance(result, dict)
        else f"a {type(result).__name__} of {sorted(result)}",
        expected=f"a plain dict of exactly {sorted(expected)}",
        tip="return {**encoding, 'labels': labels}: a BatchEncoding is not a dict."
        if hasattr(result, "word_ids")
        else f"leave out {extra}: the model's forward() takes no such argument, only what the "
        "tokenizer returns by default and labels."
        if extra
        else None,
    )
    for key, wanted in expected.items():
        got = result[key]
        plain = (
            isinstance(got, list)
            and len(got) == len(wanted)
            and all(isinstance(row, list) and all(type(v) is int for v in row) for row in got)
        )
        expect(
            plain,
            kata,
            got=f"{key}: {describe(got)}",
            expected=f"{key} as a list of {len(wanted)} lists of Python ints, one per example, unpadded",
            tip="call the tokenizer without return_tensors and without padding.",
        )
        if got == wanted:
            continue
        index = next(i for i, (a, b) in enumerate(zip(got, wanted, strict=True)) if a != b)
        tokens = tokenizer.convert_ids_to_tokens(expected["input_ids"][index])
        detail = f"{key}[{index}] {got[index]}"
        if key == "labels" and len(got[index]) == len(tokens):
            where = next(j for j, (a, b) in enumerate(zip(got[index], wanted[index], strict=True)) if a != b)
            detail += f": token {where}, {tokens[where]!r}, labelled {got[index][where]}"
        fail_call(
            kata,
            got=detail,
            expected=f"{wanted[index]} ({what}; example {index}: {list(words[index])}, tokens {tokens})",
            tip=(
                "encoding.word_ids(batch_index=i) names the word of each token of example i (None for "
                "a special token); a word's first token is the one whose word differs from the one before."
            )
            if key == "labels" and len(got[index]) == len(tokens)
            else None,
        )
    after = tokenizer_state(tokenizer)
    expect(
        after == before and (words, labels) == given,
        kata,
        got="tokenizer changes: "
        f"{tokenizer_changes(before, after) if after != before else 'none'}; "
        f"words and labels {'unchanged' if (words, labels) == given else 'changed'}",
        expected="the tokenizer, words and labels as they were",
    )


@pytest.mark.parametrize("name", NAMES)
def test_the_first_token_of_each_word_gets_its_label_and_the_others_minus_100(kata, name):
    check(kata, tokenizer_of(name), WORDS, LABELS, "the first token of each word labelled, the rest -100")


@pytest.mark.parametrize("name", NAMES)
def test_label_all_subwords_gives_every_token_of_a_word_its_label(kata, name):
    check(
        kata,
        tokenizer_of(name),
        [list(example) for example in WORDS],
        [list(tags) for tags in LABELS],
        "every token of a word labelled, special tokens -100",
        label_all_subwords=True,
    )
    check(kata, tokenizer_of(name), WORDS, LABELS, "label_all_subwords=False", label_all_subwords=False)


@pytest.mark.parametrize("name", ["bert", "llama"])
def test_each_example_of_a_batch_is_aligned_with_its_own_tokens(kata, name):
    # A short example first: the tokens of the others are not those of example 0.
    order = (2, 0, 3, 1)
    check(
        kata,
        tokenizer_of(name),
        [WORDS[i] for i in order],
        [LABELS[i] for i in order],
        "each example labelled from its own tokens",
    )


@pytest.mark.parametrize("name", NAMES)
def test_max_length_cuts_each_example_and_its_labels(kata, name):
    tokenizer = tokenizer_of(name)
    specials = tokenizer.num_special_tokens_to_add()
    for max_length in (specials + 1, specials + 4, 9):
        check(kata, tokenizer, WORDS, LABELS, f"cut to {max_length} tokens", max_length=max_length)
    check(kata, tokenizer, WORDS, LABELS, "cut to 6, all subwords", max_length=6, label_all_subwords=True)
    exact = len(tokenizer(list(WORDS[0]), is_split_into_words=True)["input_ids"])
    check(
        kata,
        tokenizer,
        WORDS[:1],
        LABELS[:1],
        f"exactly max_length={exact} tokens: nothing cut",
        max_length=exact,
    )


def _word_boundaries(tokenizer, words) -> list[int]:
    """The max_length values at which a left cut keeps only whole words (a cut inside a word leaves
    it without its first token, where this contract does not say which piece gets the label)."""
    pieces = [len(tokenizer(word, add_special_tokens=False)["input_ids"]) for word in words]
    specials = tokenizer.num_special_tokens_to_add()
    return [specials + sum(pieces[start:]) for start in range(1, len(words)) if pieces[start - 1]]


@pytest.mark.parametrize("name", NAMES)
def test_a_tokenizer_that_truncates_on_the_left_keeps_the_last_tokens_and_their_labels(kata, name):
    tokenizer = tokenizer_of(name)
    tokenizer.truncation_side = "left"
    for index in (0, 3):
        for max_length in _word_boundaries(tokenizer, WORDS[index])[1::3]:
            for all_subwords in (False, True):
                check(
                    kata,
                    tokenizer,
                    [WORDS[index]],
                    [LABELS[index]],
                    "truncation_side 'left': the first tokens cut, whole words kept at the end",
                    max_length=max_length,
                    label_all_subwords=all_subwords,
                )


@pytest.mark.parametrize("name", NAMES)
def test_a_word_without_tokens_or_with_a_multibyte_first_letter_keeps_the_labels_in_step(kata, name):
    tokenizer = tokenizer_of(name)
    check(kata, tokenizer, ODD_WORDS, ODD_LABELS, "a zero-width space, accented and unknown first letters")
    check(kata, tokenizer, ODD_WORDS, ODD_LABELS, "the same, all subwords", label_all_subwords=True)


def test_without_max_length_a_long_example_is_kept_whole(kata):
    tokenizer = tokenizer_of("bert")
    words = [word for line in zoo.corpus()[:12] for word in line.split()]
    assert len(tokenizer(words, is_split_into_words=True)["input_ids"]) > tokenizer.model_max_length
    labels = [index % 5 for index in range(len(words))]
    check(
        kata,
        tokenizer,
        [words, ["Hi"]],
        [labels, [1]],
        f"max_length=None: nothing cut, not even to the tokenizer's {tokenizer.model_max_length}",
    )


@pytest.mark.parametrize(
    ("words", "labels", "settings", "because"),
    [
        ([], [], {}, "there is no example"),
        ((), (), {}, "there is no example"),
        (WORDS, LABELS[:3], {}, "4 examples have 3 label lists"),
        (WORDS[:1], LABELS[:2], {}, "1 example has 2 label lists"),
        ((("a", "b"),), ((1, 2, 3),), {}, "2 words have 3 labels"),
        ((("a", "b"), ("c",)), ((1, 2), ()), {}, "the second example's word has no label"),
        (WORDS, LABELS, {"max_length": 2}, "[CLS] and [SEP] fill 2 tokens"),
        (WORDS, LABELS, {"max_length": 0}, "no token fits in 0"),
    ],
    ids=[
        "no examples",
        "no examples in a tuple",
        "a label list short",
        "a label list too many",
        "a label too many",
        "a label short",
        "room for specials only",
        "max_length 0",
    ],
)
def test_bad_arguments_raise_value_error(kata, words, labels, settings, because):
    expect_raises(kata, ValueError, tokenizer_of("bert"), words, labels, because=because, **settings)


@pytest.mark.parametrize(("name", "max_length"), [("llama", 1), ("gpt2", 0)])
def test_max_length_with_no_room_for_a_word_raises_value_error(kata, name, max_length):
    expect_raises(
        kata,
        ValueError,
        tokenizer_of(name),
        WORDS,
        LABELS,
        max_length=max_length,
        because=f"this tokenizer adds {tokenizer_of(name).num_special_tokens_to_add()} special tokens, "
        f"which leaves no room in {max_length}",
    )


def test_a_slow_tokenizer_raises_type_error(kata, tmp_path: Path):
    from transformers import BertTokenizerLegacy

    fast = tokenizer_of("bert")
    vocab = tmp_path.parent / f"{tmp_path.name}-vocab.txt"  # outside the check's working folder
    vocab.write_text(
        "".join(f"{token}\n" for token, _ in sorted(fast.get_vocab().items(), key=lambda kv: kv[1]))
    )
    slow = BertTokenizerLegacy(vocab_file=str(vocab))
    expect_raises(
        kata,
        TypeError,
        slow,
        WORDS,
        LABELS,
        because="a Python (slow) tokenizer does not know which word each token comes from",
    )
