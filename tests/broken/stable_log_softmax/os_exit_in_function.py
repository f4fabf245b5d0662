"""A learner's stable_log_softmax that calls os._exit(), which skips every clean-up, on bad input."""

import os

import torch


def stable_log_softmax(logits, dim=-1):
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        os._exit(3)  # <- here
    return logits - torch.logsumexp(logits, dim=dim, keepdim=True)
