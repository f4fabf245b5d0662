"""Decoy for classify_texts: runs the model without torch.inference_mode(), so a graph of gradients is built for nothing.

caught_by: test_each_text_gets_the_answer_it_gets_alone
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
    batch = tokenizer(list(texts), padding=True, truncation=True, return_tensors="pt")
    logits = model(**batch).logits.detach()  # MISTAKE
    probabilities = logits.softmax(dim=-1)  # over the labels, for each text
    best = probabilities.argmax(dim=-1)
    return [
        (model.config.id2label[int(index)], float(row[index]))
        for index, row in zip(best, probabilities, strict=True)
    ]
