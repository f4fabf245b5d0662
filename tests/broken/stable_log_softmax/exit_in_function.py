"""A learner's stable_log_softmax that calls sys.exit() to report bad input."""

import sys

import torch


def stable_log_softmax(logits, dim=-1):
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        print("logits must be a float tensor")
        sys.exit(1)  # <- here
    return logits - torch.logsumexp(logits, dim=dim, keepdim=True)
