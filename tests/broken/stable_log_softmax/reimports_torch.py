"""A learner's stable_log_softmax that "reloads" torch by removing it from sys.modules and importing
it again: a second torch in one process crashes it."""

import importlib
import sys


def stable_log_softmax(logits, dim=-1):
    for name in [name for name in sys.modules if name.partition(".")[0] == "torch"]:  # <- here
        del sys.modules[name]  # <- here
    torch = importlib.import_module("torch")
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise TypeError("logits must be a floating-point tensor")
    return logits - torch.logsumexp(logits, dim=dim, keepdim=True)
