"""A learner's stable_log_softmax that starts a worker process "to warm up a cache" and never joins
it. The worker writes its pid to the file named by $TFKATAS_TEST_PIDS."""

import multiprocessing
import os
import time

import torch


def _warm_up(pids):
    with open(pids, "a", encoding="utf-8") as file:
        file.write(f"{os.getpid()}\n")
    time.sleep(30)


def stable_log_softmax(logits, dim=-1):
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise TypeError("logits must be a floating-point tensor")
    worker = multiprocessing.get_context("fork").Process(
        target=_warm_up, args=(os.environ["TFKATAS_TEST_PIDS"],)
    )
    worker.start()  # <- here
    return logits - torch.logsumexp(logits, dim=dim, keepdim=True)
