"""A learner's stable_log_softmax that retries for ever, swallowing the error every time."""

import torch


def stable_log_softmax(logits, dim=-1):
    while True:  # <- here
        try:  # <- here
            return logits - torch.logsumexp(logits, dims=dim, keepdim=True)  # <- here (TypeError: dims)
        except Exception:  # <- here
            pass  # <- here
