"""Decoy for classify_texts: does not truncate, so a text longer than the model's positions makes the model fail.

caught_by: test_a_cased_tokenizer_whose_pad_is_not_zero_and_an_over_long_text
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def classify_texts(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
) -> list[tuple[str, float]]:
    if len(texts) == 0:
        raise ValueError("texts is empty: there is nothing to classify")
    # padding=True pads to the longest text and returns the attention mask that hides the
    # padding from the model; truncation=True cuts a text the model cannot read whole.
    batch = tokenizer(list(texts), padding=True, return_tensors="pt")  # MISTAKE: no truncation
    with torch.inference_mode():  # no graph is built: faster, and less memory than no_grad
        logits = model(**batch).logits  # the mask goes in too, or padding changes the answer
    probabilities = logits.softmax(dim=-1)  # over the labels, for each text
    best = probabilities.argmax(dim=-1)
    return [
        (model.config.id2label[int(index)], float(row[index]))
        for index, row in zip(best, probabilities, strict=True)
    ]
