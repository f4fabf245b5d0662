"""A learner's stable_log_softmax that turns gradients off "because nothing is trained here", and
never turns them back on."""

import torch


def stable_log_softmax(logits, dim=-1):
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise TypeError("logits must be a floating-point tensor")
    torch.set_grad_enabled(False)  # <- here
    return logits - torch.logsumexp(logits, dim=dim, keepdim=True)
