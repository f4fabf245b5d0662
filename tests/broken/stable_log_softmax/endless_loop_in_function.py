"""A learner's stable_log_softmax whose loop never ends: the exit condition never changes."""

import torch


def stable_log_softmax(logits, dim=-1):
    shift = logits.amax(dim=dim, keepdim=True)
    scale = 1.0
    while scale > 0:  # <- here
        shifted = (logits - shift) * scale  # <- here (scale is never lowered)
    return shifted - torch.logsumexp(shifted, dim=dim, keepdim=True)
