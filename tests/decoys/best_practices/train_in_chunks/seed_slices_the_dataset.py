"""Decoy for train_in_chunks: like the seed it trains on dataset[i:i + n], a dict of columns in datasets 5, not a Dataset.

caught_by: test_each_chunk_is_trained_once_in_order
"""

from __future__ import annotations

from datasets import Dataset
from transformers import Trainer


def train_in_chunks(trainer: Trainer, dataset: Dataset, chunk_size: int) -> list[float]:
    if not isinstance(dataset, Dataset):
        raise TypeError(f"dataset must be a datasets.Dataset, not {type(dataset).__name__}")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
    if len(dataset) == 0:
        raise ValueError("dataset has no rows to train on")
    losses = []
    for start in range(0, len(dataset), chunk_size):
        # dataset[start:stop] would be a dict of columns; select() keeps a Dataset, and it only
        # maps indices onto the Arrow table: no rows are copied into memory.
        trainer.train_dataset = dataset[start : start + chunk_size]  # MISTAKE: a dict
        losses.append(trainer.train().training_loss)
    return losses
