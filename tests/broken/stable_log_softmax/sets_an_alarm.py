"""A learner's stable_log_softmax that guards itself with its own SIGALRM time limit, and neither
cancels the alarm nor puts the handler back."""

import signal

import torch


def _too_slow(signum, frame):
    raise TimeoutError("stable_log_softmax took too long")


def stable_log_softmax(logits, dim=-1):
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise TypeError("logits must be a floating-point tensor")
    signal.signal(signal.SIGALRM, _too_slow)  # <- here
    signal.alarm(30)
    return logits - torch.logsumexp(logits, dim=dim, keepdim=True)
