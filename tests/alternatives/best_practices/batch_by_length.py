"""Alternative: longest texts first, the batches' logits concatenated in sorted order and put back
with the inverse permutation (argsort of the order), under torch.no_grad()."""

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
    if not isinstance(batch_size, int) or batch_size <= 0:
        raise ValueError("batch_size must be a positive integer")
    if len(texts) == 0:
        return torch.zeros((0, model.config.num_labels))
    lengths = torch.tensor([len(tokenizer(text)["input_ids"]) for text in texts])
    order = torch.argsort(lengths, descending=True, stable=True)
    mode = model.training
    model.eval()
    outputs = []
    with torch.no_grad():
        for batch in torch.split(order, batch_size):
            encoded = tokenizer([texts[i] for i in batch.tolist()], padding="longest", return_tensors="pt")
            outputs.append(
                model(input_ids=encoded["input_ids"], attention_mask=encoded["attention_mask"]).logits
            )
    model.train(mode)
    return torch.cat(outputs)[torch.argsort(order)]
