"""Hidden checks: counterfactual_flips."""

from __future__ import annotations

import math

import pytest
import torch

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises

SWAPS = {"he": "she", "she": "he", "his": "her", "her": "his"}
#: Each text and its counterfactual, written out; None: no word to swap (left out).
PAIRS = [
    ("He is a nurse.", "She is a nurse."),
    ("She fixed the engine.", "He fixed the engine."),
    ("The weather is nice.", None),
    ("He said she was late, and his notes agree.", "She said he was late, and her notes agree."),
    ("HER report was thorough.", "His report was thorough."),
    ("Theo and Shelly met there.", None),
    ("she thanked him for her help", "he thanked him for his help"),
]


def probabilities(model, tokenizer, text: str) -> torch.Tensor:
    with torch.no_grad():
        return model(**tokenizer(text, return_tensors="pt")).logits[0].softmax(dim=-1)


def expected_of(model, tokenizer, pairs) -> dict[str, float]:
    flips, shifts = [], []
    for text, counterfactual in pairs:
        if counterfactual is None:
            continue
        before, after = probabilities(model, tokenizer, text), probabilities(model, tokenizer, counterfactual)
        label = int(before.argmax())
        flips.append(float(int(after.argmax()) != label))
        shifts.append(abs(float(before[label] - after[label])))
    return {
        "pairs": float(len(flips)),
        "flip_rate": sum(flips) / len(flips),
        "mean_shift": sum(shifts) / len(shifts),
    }


def check(kata, model, tokenizer, pairs, swaps, what: str) -> None:
    __tracebackhide__ = True
    texts = tuple(text for text, _ in pairs)
    result = kata(model, tokenizer, texts, dict(swaps))
    expected = expected_of(model, tokenizer, pairs)
    expect(
        isinstance(result, dict) and set(result) == set(expected),
        kata,
        got=describe(result),
        expected="a dict with 'pairs', 'flip_rate' and 'mean_shift'",
    )
    expect(
        all(type(result[key]) is float for key in expected),
        kata,
        got=f"types {[type(result[key]).__name__ for key in expected]}",
        expected="three Python floats",
    )
    close = all(math.isclose(result[key], value, abs_tol=1e-5) for key, value in expected.items())
    expect(
        close,
        kata,
        got=str({key: round(value, 6) for key, value in result.items()}),
        expected=f"{ {key: round(value, 6) for key, value in expected.items()} } ({what})",
        tip="swap every word at once with one pattern of whole words (re.sub with a function): one "
        "str.replace after another swaps 'he' back, and touches the 'he' of 'the'. Keep a capital "
        "first letter; leave out the texts with nothing to swap.",
    )


@pytest.mark.parametrize("name", ["bert", "bert-cased"])
def test_the_counterfactuals_swap_whole_words_at_once_keeping_capitals(kata, name):
    tiny = zoo.get(name)
    check(kata, tiny.load_model(), tiny.load_tokenizer(), PAIRS, SWAPS, "the pairs as written out")


def test_one_way_swaps_and_the_nli_labels(kata, tiny_bert_nli_shuffled):
    """Only "nurse" -> "engineer" (one way), on a three-label model whose labels are shuffled."""
    pairs = [
        ("My mother is a nurse.", "My mother is a engineer."),
        ("Nurses are kind; the nurse smiled.", "Nurses are kind; the engineer smiled."),
        ("An engineer called.", None),
    ]
    model, tokenizer = tiny_bert_nli_shuffled.load_model(), tiny_bert_nli_shuffled.load_tokenizer()
    check(kata, model, tokenizer, pairs, {"nurse": "engineer"}, "only 'nurse' swapped, 'Nurses' kept")


@pytest.mark.parametrize("swaps", [SWAPS, {}], ids=["no word in the texts", "no swaps"])
def test_no_text_to_swap_raises_value_error(kata, tiny_bert, swaps):
    expect_raises(
        kata,
        ValueError,
        tiny_bert.load_model(),
        tiny_bert.load_tokenizer(),
        ["The weather is nice.", "Theo met Shelly."],
        dict(swaps),
        because="no text holds a word to swap" + ("" if swaps else " (there is none)"),
    )
