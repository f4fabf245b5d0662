"""A learner's stable_log_softmax whose file allocates a huge buffer when it is imported.

A petabyte fails at once on any machine (64 GiB already fails at once on a 24 GiB one).
"""

import torch

SCRATCH = bytearray(2**50)  # <- here


def stable_log_softmax(logits, dim=-1):
    return logits - torch.logsumexp(logits, dim=dim, keepdim=True)
