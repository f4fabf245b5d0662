"""A learner's stable_log_softmax that waits for ever, with a bare except around its wait."""
# ruff: noqa: E722, SIM105

import time

import torch


def stable_log_softmax(logits, dim=-1):
    ready = False
    while not ready:  # <- here
        try:  # <- here
            time.sleep(0.05)  # <- here (waiting for something that never comes)
        except:  # <- here
            pass  # <- here
    return logits - torch.logsumexp(logits, dim=dim, keepdim=True)
