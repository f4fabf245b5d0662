"""A learner's stable_log_softmax whose background thread sleeps in one long call: it cannot be
stopped before the sleep ends."""

import threading
import time

import torch


def stable_log_softmax(logits, dim=-1):
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise TypeError("logits must be a floating-point tensor")
    threading.Thread(target=time.sleep, args=(4,), daemon=True).start()  # <- here
    return logits - torch.logsumexp(logits, dim=dim, keepdim=True)
