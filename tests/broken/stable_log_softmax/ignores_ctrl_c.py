"""A learner's stable_log_softmax that ignores Ctrl-C "so that nothing interrupts it", for good."""

import signal

import torch


def stable_log_softmax(logits, dim=-1):
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise TypeError("logits must be a floating-point tensor")
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # <- here
    return logits - torch.logsumexp(logits, dim=dim, keepdim=True)
