"""A learner's stable_log_softmax that allocates a huge buffer on every call."""

import torch


def stable_log_softmax(logits, dim=-1):
    scratch = bytearray(2**50)  # <- here
    return logits - torch.logsumexp(logits, dim=dim, keepdim=True) + len(scratch) * 0
