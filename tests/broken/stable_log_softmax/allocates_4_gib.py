"""A learner's stable_log_softmax that fills a 4 GiB scratch buffer it does not need, and is right."""

import torch


def stable_log_softmax(logits, dim=-1):
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise TypeError("logits must be a floating-point tensor")
    scratch = bytearray(4 * 2**30)
    del scratch
    return logits - torch.logsumexp(logits, dim=dim, keepdim=True)
