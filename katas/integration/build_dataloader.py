"""Kata: from a datasets.Dataset to a PyTorch DataLoader (seed question 164).

Run the checks with:  pytest --katas build_dataloader
"""

from __future__ import annotations

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
    """A DataLoader of model-ready batches from a dataset of texts (and maybe labels).

    Tokenize the texts once, with ``dataset.map`` in batches (no padding there; a text longer
    than the model reads is cut, ``truncation=True``), keep only the
    tokenizer's columns and the ``label`` column if there is one, and let a padding collator
    pad each batch to its own longest row (``DataCollatorWithPadding``). A tokenizer without a
    pad token (GPT-2's) pads with its end-of-sequence token; the caller's tokenizer and
    dataset are left as they were.

    Args:
        dataset: a ``datasets.Dataset`` with a text column, maybe a ``label`` column (int), and
            maybe other columns (ids, notes) that a model does not read.
        tokenizer: the model's tokenizer.
        text_column: the column of texts.
        batch_size: the rows in a batch (the last batch holds what is left).
        shuffle: whether the rows come in a random order (torch's generator decides it).

    Returns:
        A ``torch.utils.data.DataLoader`` whose batches are mappings (a dict, or the collator's
        ``BatchEncoding``) of ``torch.int64`` tensors:
        ``input_ids`` and ``attention_mask`` (and whatever else the tokenizer gives), padded to
        the batch's longest row, and ``labels`` when the dataset has a ``label`` column. Without
        ``shuffle``, the rows come in the dataset's order.

    Raises:
        ValueError: if ``text_column`` is not a column of ``dataset``, or ``batch_size`` is less
            than 1.
    """
    # TODO: map the tokenizer, keep the model's columns, torch format, a padding collator.
    raise NotImplementedError
