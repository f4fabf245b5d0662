"""Decoy for train_in_chunks: refuses a chunk_size of 0 only; a negative one gives an empty range, no training and an empty list.

caught_by: test_bad_datasets_and_chunk_sizes_raise
"""

from __future__ import annotations

from datasets import Dataset
from transformers import Trainer


def train_in_chunks(trainer: Trainer, dataset: Dataset, chunk_size: int) -> list[float]:
    if not isinstance(dataset, Dataset):
        raise TypeError(f"dataset must be a datasets.Dataset, not {type(dataset).__name__}")
    if chunk_size == 0:  # MISTAKE: negative sizes pass
        raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
    if len(dataset) == 0:
        raise ValueError("dataset has no rows to train on")
    losses = []
    for start in range(0, len(dataset), chunk_size):
        # dataset[start:stop] would be a dict of columns; select() keeps a Dataset, and it only
        # maps indices onto the Arrow table: no rows are copied into memory.
        stop = min(start + chunk_size, len(dataset))
        trainer.train_dataset = dataset.select(range(start, stop))
        losses.append(trainer.train().training_loss)
    return losses
