"""Decoy for classify_texts: runs the model once per text instead of once on the batch.

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
    batches = [tokenizer(text, truncation=True, return_tensors="pt") for text in texts]  # MISTAKE
    with torch.inference_mode():  # no graph is built: faster, and less memory than no_grad
        logits = torch.cat([model(**batch).logits for batch in batches])
    probabilities = logits.softmax(dim=-1)  # over the labels, for each text
    best = probabilities.argmax(dim=-1)
    return [
        (model.config.id2label[int(index)], float(row[index]))
        for index, row in zip(best, probabilities, strict=True)
    ]
