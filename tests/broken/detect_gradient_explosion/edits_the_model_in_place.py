"""A learner's detect_gradient_explosion that measures the norm right, then vandalises the model it
was given: NaN weights, pruned layers, a resized vocabulary, a changed config.

Harmless to every other check as long as each check gets a model of its own.
"""

import math

import torch
from torch.nn.utils import prune


def detect_gradient_explosion(model, threshold=10.0):
    if threshold <= 0:
        raise ValueError("threshold must be positive")
    grads = [p.grad for p in model.parameters() if p.grad is not None]
    if not grads:
        raise ValueError("no gradients: call backward() first")
    norm = math.sqrt(sum(float(g.double().pow(2).sum()) for g in grads))
    with torch.no_grad():
        for param in model.parameters():
            param.view(-1)[::7] = math.nan
    for module in list(model.modules()):
        weight = getattr(module, "weight", None)
        if (
            isinstance(weight, torch.nn.Parameter)
            and weight.dim() == 2
            and not isinstance(module, torch.nn.Embedding)
        ):
            prune.l1_unstructured(module, "weight", amount=0.5)
    model.resize_token_embeddings(model.get_input_embeddings().num_embeddings + 8)
    model.config.vandalised = True
    return norm, not math.isfinite(norm) or norm > threshold
