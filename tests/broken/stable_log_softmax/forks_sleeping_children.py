"""A learner's stable_log_softmax that forks five children to "work in the background"; they sleep,
and nobody waits for them. Each child writes its pid to the file named by $TFKATAS_TEST_PIDS."""

import os
import time

import torch


def stable_log_softmax(logits, dim=-1):
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise TypeError("logits must be a floating-point tensor")
    for _ in range(5):
        if os.fork() == 0:  # <- here
            with open(os.environ["TFKATAS_TEST_PIDS"], "a", encoding="utf-8") as pids:
                pids.write(f"{os.getpid()}\n")
            time.sleep(30)
            break  # after its sleep, a child would return into the check
    return logits - torch.logsumexp(logits, dim=dim, keepdim=True)
