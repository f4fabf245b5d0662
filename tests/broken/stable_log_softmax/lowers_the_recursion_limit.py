"""A learner's stable_log_softmax that sets a small recursion limit "to fail fast", for good."""

import sys

import torch


def stable_log_softmax(logits, dim=-1):
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise TypeError("logits must be a floating-point tensor")
    sys.setrecursionlimit(50)  # <- here
    return logits - torch.logsumexp(logits, dim=dim, keepdim=True)
