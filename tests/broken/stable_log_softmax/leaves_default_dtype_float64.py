"""A learner's stable_log_softmax that switches torch to float64 "for precision", and leaves it so."""

import torch


def stable_log_softmax(logits, dim=-1):
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise TypeError("logits must be a floating-point tensor")
    torch.set_default_dtype(torch.float64)  # <- here
    return logits - torch.logsumexp(logits, dim=dim, keepdim=True)
