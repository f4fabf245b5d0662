"""Alternative: no map; a collate function that tokenizes each batch of rows with padding."""

from __future__ import annotations

import copy
from typing import Any

import torch
from datasets import Dataset
from torch.utils.data import DataLoader
from transformers import PreTrainedTokenizerBase


def build_dataloader(
    dataset: Dataset,
    tokenizer: PreTrainedTokenizerBase,
    *,
    text_column: str = "text",
    batch_size: int = 8,
    shuffle: bool = False,
) -> DataLoader:
    if text_column not in dataset.features or batch_size <= 0:
        raise ValueError("unknown text column, or batch_size below 1")
    padder = copy.deepcopy(tokenizer)
    padder.pad_token = padder.pad_token or padder.eos_token

    def collate(rows: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
        batch = dict(
            padder([row[text_column] for row in rows], padding=True, truncation=True, return_tensors="pt")
        )
        if "label" in dataset.features:
            batch["labels"] = torch.tensor([row["label"] for row in rows], dtype=torch.int64)
        return batch

    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=collate)
