"""Decoy for counterfactual_flips: builds its pattern from an empty swaps too, whose empty alternative matches in every text.

caught_by: test_no_text_to_swap_raises_value_error
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def _probabilities(
    model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, texts: list[str]
) -> torch.Tensor:
    batch = tokenizer(texts, padding=True, truncation=True, return_tensors="pt")
    with torch.inference_mode():
        return model(**batch).logits.softmax(dim=-1)


def counterfactual_flips(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    swaps: Mapping[str, str],
) -> dict[str, float]:
    # One pattern for every word, so that each is replaced once: "he"->"she" then "she"->"he"
    # one after the other would turn every "he" back. \b...\b: whole words ("the" keeps "he").
    # MISTAKE: with no swaps, the pattern \b()\b matches an empty word in every text
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, swaps)) + r")\b", re.IGNORECASE)

    def swap(match: re.Match[str]) -> str:
        word = match.group()
        counterpart = swaps.get(word.lower(), word)
        return counterpart[:1].upper() + counterpart[1:] if word[:1].isupper() else counterpart

    originals = [text for text in texts if pattern is not None and pattern.search(text)]
    if not originals:
        raise ValueError("no text holds a word to swap")
    counterfactuals = [pattern.sub(swap, text) for text in originals]  # type: ignore[union-attr]
    before = _probabilities(model, tokenizer, originals)
    after = _probabilities(model, tokenizer, counterfactuals)
    predicted = before.argmax(dim=-1)
    flips = (after.argmax(dim=-1) != predicted).float().mean()
    rows = torch.arange(len(originals))
    shift = (before[rows, predicted] - after[rows, predicted]).abs().mean()
    return {"pairs": float(len(originals)), "flip_rate": float(flips), "mean_shift": float(shift)}
