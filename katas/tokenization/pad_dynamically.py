"""Kata: implement dynamic padding (seed question 31).

Run the checks with:  pytest --katas pad_dynamically
"""

from __future__ import annotations

import torch
from datasets import Dataset
from transformers import BatchEncoding, DataCollatorWithPadding, PreTrainedTokenizerBase


def pad_dynamically(
    dataset: Dataset,
    tokenizer: PreTrainedTokenizerBase,
    batch_size: int = 8,
    pad_to_multiple_of: int | None = None,
) -> list[BatchEncoding]:
    """Cut a tokenized dataset into batches, each padded only as far as its own longest row.

    Args:
        dataset: a tokenized dataset: an ``input_ids`` column of unpadded lists of ids, usually
            ``attention_mask`` (and ``token_type_ids`` for BERT), maybe a ``label`` (or
            ``labels``) column, and maybe columns that are not model inputs at all, such as the
            raw ``text``.
        tokenizer: the tokenizer that made the ids; it must have a pad token. It knows the pad
            id and the side to pad on (``padding_side``).
        batch_size: rows per batch; the last batch may be smaller.
        pad_to_multiple_of: if given, every batch's length is rounded up to a multiple of it
            (tensor cores like lengths that are multiples of 8).

    Returns:
        The batches, in the dataset's row order (not shuffled); an empty dataset gives ``[]``.
        Each is a mapping of PyTorch tensors of shape ``(rows in the batch, L)``, where ``L`` is
        the length of the batch's longest row, rounded up to the nearest multiple of
        ``pad_to_multiple_of`` if given (a length that already is one stays): the ids padded
        with ``tokenizer.pad_token_id`` on the tokenizer's padding side, and an
        ``attention_mask``, 1 on the tokens and 0 on the padding (made for the batch when the
        dataset has none). The ``label`` (or ``labels``) column, if there is one, comes as a
        ``labels`` tensor of shape ``(rows,)``. Integer columns stay integers (int64), labels
        included. Columns that are neither model inputs (``tokenizer.model_input_names``) nor
        labels, whatever they hold (text or numbers), are left out. The dataset and the
        tokenizer are left unchanged.

    Raises:
        ValueError: if ``batch_size`` < 1, the dataset has no ``input_ids`` column, or the
            tokenizer has no pad token.
    """
    # TODO: feed lists of rows to a DataCollatorWithPadding, batch by batch.
    raise NotImplementedError
