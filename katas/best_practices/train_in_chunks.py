"""Kata: train on a large dataset one chunk at a time (seed question 143).

Run the checks with:  pytest --katas train_in_chunks
"""

from __future__ import annotations

from datasets import Dataset
from transformers import Trainer


def train_in_chunks(trainer: Trainer, dataset: Dataset, chunk_size: int) -> list[float]:
    """Train ``trainer``'s model on ``dataset``, ``chunk_size`` consecutive rows at a time.

    Args:
        trainer: a configured Trainer; its model is trained in place.
        dataset: the training examples, already tokenized.
        chunk_size: how many rows each chunk holds; the last chunk holds what is left.

    Returns:
        One training loss per chunk, in order: the ``training_loss`` of the ``trainer.train()``
        run on that chunk. Chunk ``k`` is rows ``k * chunk_size`` up to (not including)
        ``(k + 1) * chunk_size``, and every row is in exactly one chunk.

    Raises:
        TypeError: if ``dataset`` is not a ``datasets.Dataset`` (for example the dict that
            ``dataset[i:j]`` returns).
        ValueError: if ``chunk_size`` is less than 1 or ``dataset`` has no rows.
    """
    # TODO: train on dataset.select(...) of each chunk in turn and collect the losses.
    raise NotImplementedError
