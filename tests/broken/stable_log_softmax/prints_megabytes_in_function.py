"""A learner's stable_log_softmax that prints megabytes of debugging output on every call, then fails."""
# ruff: noqa: F401

import torch


def stable_log_softmax(logits, dim=-1):
    print(logits.tolist() if logits.numel() < 10 else "logits " + "#" * 2_000_000)
    shifted = logits - logits.amax(dim=dim, keepdim=True)
    raise ValueError(f"giving up on {shifted.shape} " + "?" * 1_000_000)  # <- here
