"""Hidden checks: split_into_windows."""

from __future__ import annotations

import copy
import functools

import pytest

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call

NAMES = ["bert", "llama", "gpt2"]
#: Lines of the corpus, and characters that take more than one byte (offsets count characters).
TEXT = " ".join(zoo.corpus()[:3]) + " A naïve café owner — 42 °C — sold crêpes. The end."


@functools.cache
def _tokenizer(name: str):
    return zoo.get(name).load_tokenizer()


def tokenizer_of(name: str):
    """A fresh copy of a zoo tokenizer (loaded once per process)."""
    return copy.deepcopy(_tokenizer(name))


def specials_of(tokenizer) -> tuple[list[int], list[int]]:
    """The special token ids the tokenizer puts before and after a text's tokens."""
    one = tokenizer("a", add_special_tokens=False)["input_ids"]
    full = tokenizer("a")["input_ids"]
    start = next(i for i in range(len(full)) if full[i : i + len(one)] == one)
    return full[:start], full[start + len(one) :]


def expected_windows(tokenizer, text: str, max_length: int, stride: int) -> list[dict]:
    """Windows worked out by hand: the text's tokens and offsets, cut every room - stride tokens."""
    encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    ids, offsets = encoded["input_ids"], encoded["offset_mapping"]
    before, after = specials_of(tokenizer)
    room = max_length - len(before) - len(after)
    windows, start = [], 0
    while True:
        end = min(start + room, len(ids))
        span = (offsets[start][0], offsets[end - 1][1]) if end > start else (0, 0)
        windows.append({"input_ids": before + ids[start:end] + after, "span": span})
        if end == len(ids):
            return windows
        start = end - stride


def _state(tokenizer) -> tuple:
    return (len(tokenizer), tokenizer.padding_side, tokenizer.truncation_side, tokenizer.model_max_length)


def check(kata, tokenizer, text: str, max_length: int, stride: int, what: str) -> list[dict]:
    __tracebackhide__ = True
    before = _state(tokenizer)
    result = kata(tokenizer, text, max_length=max_length, stride=stride)
    wanted = expected_windows(tokenizer, text, max_length, stride)
    expect(
        isinstance(result, list) and all(isinstance(window, dict) for window in result),
        kata,
        got=describe(result),
        expected="a list of dicts, one per window",
    )
    lengths = [len(window["input_ids"]) for window in wanted]
    if len(result) != len(wanted):
        shared = None
        if len(result) >= 2 and all(isinstance(w.get("input_ids"), list) for w in result[:2]):
            shared = _overlap(result[0]["input_ids"], result[1]["input_ids"], tokenizer)
        fail_call(
            kata,
            got=f"{len(result)} windows"
            + (f"; windows 0 and 1 share {shared} tokens" if shared is not None else ""),
            expected=f"{len(wanted)} windows of {lengths} tokens ({what})",
            tip="the windows go on until one ends with the text's last token, and stop there."
            if shared == stride
            else f"neighbouring windows share exactly stride={stride} tokens: the tokenizer's stride is "
            "that overlap."
            if shared is not None
            else None,
        )
    for index, (got, window) in enumerate(zip(result, wanted, strict=True)):
        ids = got.get("input_ids")
        expect(
            isinstance(ids, list) and all(type(i) is int for i in ids),
            kata,
            got=f"window {index}: input_ids {describe(ids)}",
            expected="input_ids as a list of Python ints",
        )
        if ids != window["input_ids"]:
            shared = None
            if index > 0 and isinstance(result[index - 1].get("input_ids"), list):
                shared = "tokens shared with the window before: " + str(
                    _overlap(result[index - 1]["input_ids"], ids, tokenizer)
                )
            fail_call(
                kata,
                got=f"window {index}: input_ids {ids} ({len(ids)} tokens)"
                + (f"; {shared}" if shared else ""),
                expected=f"{window['input_ids']} ({what}: at most {max_length} tokens with the special "
                f"tokens, {stride} of them shared with the window before)",
                tip="this tokenizer truncates on the left (truncation_side): its overflowing windows "
                "run back from the text's end; let a copy of it truncate on the right."
                if before[2] == "left"
                else "pass stride and max_length to the tokenizer with truncation=True and "
                "return_overflowing_tokens=True: it makes the windows and adds the special tokens.",
            )
        span = got.get("span")
        ok = type(span) is tuple and len(span) == 2 and all(type(i) is int for i in span)
        expect(
            ok and span == window["span"],
            kata,
            got=f"window {index}: span {span!r}"
            + (f", text[{span[0]}:{span[1]}] = {text[span[0] : span[1]]!r}" if ok else ""),
            expected=f"span {window['span']}, text[{window['span'][0]}:{window['span'][1]}] = "
            f"{text[window['span'][0] : window['span'][1]]!r}",
            tip="return_offsets_mapping=True gives each token's (start, end) in the text; special "
            "tokens get (0, 0) and belong to no sequence (encoding.sequence_ids(i) is None for them).",
        )
    expect(
        _state(tokenizer) == before,
        kata,
        got=f"the tokenizer's (size, padding_side, truncation_side, max length) now {_state(tokenizer)}",
        expected=f"{before}: the caller's tokenizer as it was",
    )
    return result


def _overlap(previous: list[int], current: list[int], tokenizer) -> int:
    """How many text tokens the end of ``previous`` and the start of ``current`` share."""
    before, after = specials_of(tokenizer)
    a = previous[len(before) : len(previous) - len(after)]
    b = current[len(before) : len(current) - len(after)]
    return max((k for k in range(min(len(a), len(b)) + 1) if a[len(a) - k :] == b[:k]), default=0)


@pytest.mark.parametrize("name", NAMES)
def test_neighbouring_windows_share_stride_tokens_and_cover_the_whole_text(kata, name):
    tokenizer = tokenizer_of(name)
    room = 12
    max_length = room + tokenizer.num_special_tokens_to_add()
    for stride in (4, 0, 1, room - 1):
        check(kata, tokenizer, TEXT, max_length, stride, f"windows of {room} text tokens, stride {stride}")


@pytest.mark.parametrize("name", NAMES)
def test_each_span_covers_the_characters_of_its_window(kata, name):
    tokenizer = tokenizer_of(name)
    text = "  Crêpes — 42 °C! " + TEXT[-60:] + "  "
    windows = check(
        kata, tokenizer, text, 7 + tokenizer.num_special_tokens_to_add(), 2, "spans in characters"
    )
    # What the spans promise, said another way: together they cover every character of every token.
    offsets = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)["offset_mapping"]
    covered = {c for window in windows for c in range(*window["span"])}
    assert all(set(range(a, b)) <= covered for a, b in offsets)


@pytest.mark.parametrize("name", NAMES)
def test_a_text_that_fits_gives_one_window(kata, name):
    tokenizer = tokenizer_of(name)
    specials = tokenizer.num_special_tokens_to_add()
    text = "The gardener planted tomatoes."
    size = len(tokenizer(text, add_special_tokens=False)["input_ids"])
    check(kata, tokenizer, text, size + specials + 20, 3, "a short text: one window")
    check(
        kata, tokenizer, text, size + specials, 3, f"{size} tokens fill a window of {size + specials} exactly"
    )
    check(kata, tokenizer, text, size + specials - 1, 3, "one token too many for one window: two")


@pytest.mark.parametrize("name", NAMES)
def test_an_empty_text_gives_one_window_without_text(kata, name):
    check(kata, tokenizer_of(name), "", 8, 2, "no text: one window of special tokens only, span (0, 0)")
    # BERT keeps no token of blank text (one window, span (0, 0)); byte-level BPE keeps its spaces.
    check(kata, tokenizer_of(name), " \n\t  ", 8, 2, "blank text")


@pytest.mark.parametrize("name", NAMES)
def test_a_tokenizer_that_truncates_on_the_left_still_gives_the_windows_from_the_start(kata, name):
    tokenizer = tokenizer_of(name)
    tokenizer.truncation_side = "left"
    room = 12
    max_length = room + tokenizer.num_special_tokens_to_add()
    check(kata, tokenizer, TEXT, max_length, 4, "truncation_side 'left': windows still in the text's order")
    text = "The gardener planted tomatoes."
    size = len(tokenizer(text, add_special_tokens=False)["input_ids"])
    check(
        kata, tokenizer, text, size + tokenizer.num_special_tokens_to_add() - 2, 1, "a short text cut in two"
    )


@pytest.mark.parametrize(
    ("name", "max_length", "stride", "because"),
    [
        (
            "bert",
            10,
            8,
            "a window of 10 holds 8 text tokens besides [CLS] and [SEP]: a stride of 8 never moves",
        ),
        ("bert", 10, 12, "a stride of 12 is more than the 8 text tokens of a window"),
        ("bert", 10, -1, "a stride cannot be negative"),
        ("llama", 10, 9, "a window of 10 holds 9 text tokens besides <s>: a stride of 9 never moves"),
        ("gpt2", 10, 10, "a window of 10 holds 10 text tokens: a stride of 10 never moves"),
        ("gpt2", 10, -3, "a stride cannot be negative"),
        ("bert", 2, 0, "[CLS] and [SEP] fill a window of 2: no room for text"),
        ("llama", 1, 0, "<s> fills a window of 1: no room for text"),
        ("gpt2", 0, 0, "no token fits in a window of 0"),
    ],
    ids=lambda value: str(value),
)
def test_a_stride_that_does_not_move_the_window_raises_value_error(kata, name, max_length, stride, because):
    try:
        expect_raises(
            kata, ValueError, tokenizer_of(name), TEXT, max_length=max_length, stride=stride, because=because
        )
    except BaseException as error:
        # The tokenizers library panics (pyo3's PanicException, no Exception) on such a stride.
        if type(error).__name__ != "PanicException":
            raise
        fail_call(
            kata,
            got=f"the tokenizer panicked: {str(error).splitlines()[0][:120]}",
            expected=f"ValueError, because {because}",
            tip="check the stride against the room a window has for text before calling the tokenizer.",
        )


@pytest.mark.parametrize(
    ("name", "text", "max_length", "stride", "because"),
    [
        ("bert", "Hi", 10, 8, "a stride of 8 never moves a window of 8 text tokens, even on a short text"),
        ("gpt2", "Hi", 10, -1, "a stride cannot be negative, even on a short text"),
        ("llama", "", 1, 0, "<s> fills a window of 1: no room for text, even for an empty text"),
    ],
    ids=["stride 8 of 8", "negative stride", "no room"],
)
def test_a_bad_stride_raises_value_error_even_for_a_text_that_fits(
    kata, name, text, max_length, stride, because
):
    expect_raises(
        kata, ValueError, tokenizer_of(name), text, max_length=max_length, stride=stride, because=because
    )
