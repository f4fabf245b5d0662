"""A learner's stable_log_softmax whose file prints megabytes of debugging output when imported,
and whose function is not finished."""
# ruff: noqa: F401

import torch

for step in range(100_000):
    print(f"debug {step}: " + "=" * 60)


def stable_log_softmax(logits, dim=-1):
    raise ValueError("not finished: still printing")  # <- here
