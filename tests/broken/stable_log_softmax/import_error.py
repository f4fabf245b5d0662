"""A learner's stable_log_softmax that imports a class transformers 5 no longer has."""
# ruff: noqa: F401

import torch
from transformers import ViTFeatureExtractor  # <- here


def stable_log_softmax(logits, dim=-1):
    return logits - torch.logsumexp(logits, dim=dim, keepdim=True)
