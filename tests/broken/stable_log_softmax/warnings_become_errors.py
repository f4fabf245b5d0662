"""A learner's stable_log_softmax that turns warnings into errors "to catch numerical problems",
for the whole program."""

import warnings

import torch


def stable_log_softmax(logits, dim=-1):
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise TypeError("logits must be a floating-point tensor")
    warnings.simplefilter("error")  # <- here
    return logits - torch.logsumexp(logits, dim=dim, keepdim=True)
