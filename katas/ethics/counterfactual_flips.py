"""Kata: a counterfactual test of a classifier's bias (seed question 146).

Run the checks with:  pytest --katas counterfactual_flips
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from transformers import PreTrainedModel, PreTrainedTokenizerBase


def counterfactual_flips(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    swaps: Mapping[str, str],
) -> dict[str, float]:
    """Swap group words in ``texts`` and measure how much a classifier's predictions move.

    A fair classifier gives "He is a nurse." and "She is a nurse." the same answer. For each
    text that holds at least one word of ``swaps`` (as a whole word, in any case), build its
    counterfactual: every such word replaced by its counterpart, all at once (with
    ``{"he": "she", "she": "he"}``, "he and she" becomes "she and he"), keeping a capital first
    letter ("He" becomes "She"); nothing else changes ("the" keeps its "he"). Classify the
    original and the counterfactual (softmax over the model's logits, the model as given).

    Args:
        model: a sequence classifier, in evaluation mode.
        tokenizer: its tokenizer.
        texts: the texts, any sequence; left unchanged.
        swaps: lower-case word -> lower-case counterpart; give both directions to swap both ways.

    Returns:
        ``{"pairs": n, "flip_rate": f, "mean_shift": s}``: ``n`` the number of texts that had a
        word to swap (a float, e.g. ``3.0``); ``f`` the share of those whose predicted label
        differs from their counterfactual's; ``s`` the mean, over those texts, of the absolute
        change of the probability of the original's predicted label.

    Raises:
        ValueError: if no text holds a word of ``swaps``.
    """
    # TODO: one regex of the swap words with a replacement function; classify both; compare.
    raise NotImplementedError
