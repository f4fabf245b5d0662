"""A learner's stable_log_softmax that "unloads" transformers to free memory, as a notebook might."""

import sys

import torch


def stable_log_softmax(logits, dim=-1):
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise TypeError("logits must be a floating-point tensor")
    for name in [name for name in sys.modules if name.partition(".")[0] == "transformers"]:  # <- here
        del sys.modules[name]  # <- here
    return logits - torch.logsumexp(logits, dim=dim, keepdim=True)
