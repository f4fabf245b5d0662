"""A learner's stable_log_softmax whose file loops for ever when it is imported."""

import torch

attempts = 0
while attempts < 3:  # <- here
    warm_up = torch.zeros(4).sum()  # <- here (the counter is never increased)


def stable_log_softmax(logits, dim=-1):
    return logits - torch.logsumexp(logits, dim=dim, keepdim=True)
