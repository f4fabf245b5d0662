"""A learner's stable_log_softmax whose file calls sys.exit() when it is imported (a script's habit)."""

import sys

import torch


def stable_log_softmax(logits, dim=-1):
    return logits - torch.logsumexp(logits, dim=dim, keepdim=True)


print(stable_log_softmax(torch.tensor([1.0, 2.0])))
sys.exit(0)  # <- here
