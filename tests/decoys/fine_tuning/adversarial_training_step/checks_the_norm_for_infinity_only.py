"""Decoy for adversarial_training_step: skips the perturbation when the norm is 0 or infinite, but lets a NaN norm through, which makes the embeddings NaN.

caught_by: test_no_perturbation_when_the_embedding_gradient_is_not_finite[nan]
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import torch
from transformers import PreTrainedModel


def adversarial_training_step(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    batch: Mapping[str, torch.Tensor],
    epsilon: float,
) -> tuple[float, float]:
    if not (math.isfinite(epsilon) and epsilon >= 0):
        raise ValueError(f"epsilon must be a finite number >= 0, got {epsilon}")
    if "labels" not in batch:
        raise ValueError(f"batch has no 'labels' (it has {sorted(batch)}): there is no loss to train on")
    model.train()
    optimizer.zero_grad()
    clean = model(**batch).loss
    clean.backward()

    embeddings = model.get_input_embeddings().weight
    original = embeddings.detach().clone()  # to put back bit for bit: (E + d) - d is not always E
    if embeddings.grad is not None:
        norm = torch.linalg.vector_norm(embeddings.grad)  # one L2 norm over the whole matrix
        if not torch.isinf(norm) and norm != 0:  # MISTAKE: NaN passes
            with torch.no_grad():  # an edit of the weights, not part of any graph
                embeddings.add_(embeddings.grad, alpha=epsilon / norm.item())

    adversarial = model(**batch).loss
    adversarial.backward()  # no zero_grad() in between: the two gradients add up
    with torch.no_grad():
        embeddings.copy_(original)  # back to the clean weights before the update
    optimizer.step()
    optimizer.zero_grad()
    return clean.item(), adversarial.item()
