"""A learner's stable_log_softmax that starts a monitoring thread on every call and never stops it."""

import threading
import time

import torch

SEEN = []


def _watch(logits):
    while True:
        SEEN.append(float(logits.abs().max()))  # <- here
        time.sleep(0.02)  # <- here


def stable_log_softmax(logits, dim=-1):
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise TypeError("logits must be a floating-point tensor")
    threading.Thread(target=_watch, args=(logits,), daemon=True).start()  # <- here
    return logits - torch.logsumexp(logits, dim=dim, keepdim=True)
