"""Alternative: chunks of row indices taken with itertools.islice, select() given a list."""

from __future__ import annotations

import itertools

from datasets import Dataset
from transformers import Trainer


def train_in_chunks(trainer: Trainer, dataset: Dataset, chunk_size: int) -> list[float]:
    if type(dataset) is not Dataset:
        raise TypeError("train_in_chunks needs a datasets.Dataset")
    if chunk_size <= 0 or dataset.num_rows == 0:
        raise ValueError("need a positive chunk_size and a non-empty dataset")
    losses: list[float] = []
    rows = iter(range(dataset.num_rows))
    while chunk := list(itertools.islice(rows, chunk_size)):
        trainer.train_dataset = dataset.select(chunk)
        output = trainer.train()
        losses.append(output.training_loss)
    return losses
