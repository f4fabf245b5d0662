"""Alternative: the deprecated gradient_checkpointing_enable(), the token losses summed by hand
from the logits (cross_entropy with reduction="sum") and divided by the group's token count, and
the groups cut up front."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import torch
import torch.nn.functional as F
from transformers import PreTrainedModel


def accumulate_gradients(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    micro_batches: Sequence[Mapping[str, torch.Tensor]],
    accumulation_steps: int,
) -> list[float]:
    if accumulation_steps < 1 or len(micro_batches) == 0:
        raise ValueError("need accumulation_steps >= 1 and at least one micro-batch")
    model.train(True)
    model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    model.zero_grad(set_to_none=True)
    losses = []
    k = accumulation_steps
    groups = [micro_batches[i : i + k] for i in range(0, len(micro_batches), k)]
    for group in groups:
        count = sum(int(torch.count_nonzero(b["labels"][..., 1:] != -100)) for b in group)
        total = 0.0
        for b in group:
            inputs = {key: b[key] for key in ("input_ids", "attention_mask")}
            logits = model(**inputs, use_cache=False).logits
            summed = F.cross_entropy(
                logits[:, :-1].flatten(0, 1), b["labels"][:, 1:].flatten(), ignore_index=-100, reduction="sum"
            )
            (summed / count).backward()
            total += summed.item()
        optimizer.step()
        model.zero_grad(set_to_none=True)
        losses.append(total / count)
    return losses
