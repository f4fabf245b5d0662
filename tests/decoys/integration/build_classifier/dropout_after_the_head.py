"""Decoy for build_classifier: applies the dropout to the logits, after the head, not to the first token's state before it.

caught_by: test_forward_takes_input_ids_alone_and_drops_out_before_the_head
"""

from __future__ import annotations

import os

import torch
from torch import nn
from transformers import AutoModel


class EncoderClassifier(nn.Module):
    """A pretrained encoder, and a new linear head on its first token's last hidden state."""

    def __init__(self, encoder: nn.Module, num_labels: int, dropout: float) -> None:
        super().__init__()  # registers encoder and head as submodules: parameters(), train(), to()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(encoder.config.hidden_size, num_labels)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None) -> torch.Tensor:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self.dropout(self.head(hidden[:, 0]))  # MISTAKE: the dropout after the head


def build_classifier(
    model_name_or_path: str | os.PathLike[str],
    num_labels: int,
    *,
    dropout: float = 0.1,
) -> nn.Module:
    if num_labels < 1:
        raise ValueError(f"num_labels must be at least 1, got {num_labels}")
    if not 0 <= dropout <= 1:
        raise ValueError(f"dropout must be within [0, 1], got {dropout}")
    # AutoModel: the bare encoder (no head of its own); from_pretrained puts it in eval mode,
    # and the new module's train() below puts the whole in training mode, encoder included.
    encoder = AutoModel.from_pretrained(model_name_or_path)
    return EncoderClassifier(encoder, num_labels, dropout).train()
