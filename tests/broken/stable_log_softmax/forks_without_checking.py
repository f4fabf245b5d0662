"""A learner's stable_log_softmax that calls os.fork() without looking at what it returns: parent and
children alike go on, fork again, and return from the function (into pytest, if nothing stops
them). Each process writes its pid to the file named by $TFKATAS_TEST_PIDS."""

import os

import torch


def stable_log_softmax(logits, dim=-1):
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise TypeError("logits must be a floating-point tensor")
    os.fork()  # <- here
    os.fork()  # <- here
    with open(os.environ["TFKATAS_TEST_PIDS"], "a", encoding="utf-8") as pids:
        pids.write(f"{os.getpid()}\n")
    return logits - torch.logsumexp(logits, dim=dim, keepdim=True)
