"""Decoy for batch_by_length: tokenizes each batch with truncation=True, max_length=64, cutting a long text short.

caught_by: test_logits_match_each_text_alone_in_the_input_order_with_sorted_batches
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def batch_by_length(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    batch_size: int,
) -> torch.Tensor:
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    logits = torch.empty(len(texts), model.config.num_labels)
    if not texts:
        return logits
    lengths = [len(ids) for ids in tokenizer(list(texts))["input_ids"]]
    order = sorted(range(len(texts)), key=lengths.__getitem__)  # similar lengths side by side
    was_training = model.training
    model.eval()  # dropout off: a text's logits must not depend on its batch
    try:
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                chunk = order[start : start + batch_size]
                inputs = tokenizer(
                    [texts[i] for i in chunk],
                    padding=True,
                    truncation=True,
                    max_length=64,  # MISTAKE
                    return_tensors="pt",
                )
                logits[chunk] = model(**inputs).logits  # back at each text's own row
    finally:
        model.train(was_training)
    return logits
