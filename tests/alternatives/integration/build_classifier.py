"""Alternative: an nn.Sequential-style head, and the [CLS] state taken from hidden_states."""

from __future__ import annotations

import os

import torch
from torch import nn
from transformers import AutoModel


class Classifier(nn.Module):
    def __init__(self, path: str | os.PathLike[str], num_labels: int, dropout: float) -> None:
        super().__init__()
        self.encoder = AutoModel.from_pretrained(path)
        self.drop = nn.Dropout(p=dropout)
        self.head = nn.Linear(self.encoder.config.hidden_size, num_labels)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None) -> torch.Tensor:
        states = self.encoder(
            input_ids, attention_mask=attention_mask, output_hidden_states=True
        ).hidden_states
        return self.head(self.drop(states[-1][:, 0, :]))


def build_classifier(
    model_name_or_path: str | os.PathLike[str],
    num_labels: int,
    *,
    dropout: float = 0.1,
) -> nn.Module:
    if num_labels <= 0 or dropout < 0 or dropout > 1:
        raise ValueError("num_labels must be positive and dropout within [0, 1]")
    module = Classifier(model_name_or_path, num_labels, dropout)
    module.train()
    return module
