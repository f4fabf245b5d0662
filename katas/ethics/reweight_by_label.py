"""Kata: mitigate label imbalance by reweighting the loss (seed question 151).

Run the checks with:  pytest --katas reweight_by_label
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from datasets import Dataset
from transformers import PreTrainedModel, Trainer, TrainingArguments


def reweight_by_label(
    model: PreTrainedModel,
    args: TrainingArguments,
    train_dataset: Dataset,
) -> Trainer:
    """Build a Trainer whose loss weighs every class by the inverse of its frequency.

    With ``n`` training examples, ``k = model.config.num_labels`` classes and ``n_c`` examples of
    class ``c``, the weight of class ``c`` is ``n / (k * n_c)`` (so a rare class weighs more, and
    the weights average to 1 over the training set). The loss of a batch is
    ``sum(w[label_i] * cross_entropy_i) / B``: ``B`` is the batch size, or ``num_items_in_batch``
    when the Trainer passes it (with gradient accumulation it is the number of examples in the
    whole accumulated batch, and the Trainer then does not average over the steps itself).

    Args:
        model: a sequence classifier (the checks pass a tiny BERT with 2 labels).
        args: the training arguments to use, unchanged.
        train_dataset: a tokenized dataset with ``input_ids``, ``attention_mask`` (padded to one
            length) and integer ``labels`` columns; left unchanged.

    Returns:
        A ``transformers.Trainer`` for ``model``, ``args`` and ``train_dataset`` whose training
        loss (``trainer.compute_loss`` and so ``trainer.train()``) is the weighted loss above.

    Raises:
        ValueError: if ``train_dataset`` has no ``labels`` column (a ``label`` column is not
            renamed for you), if a label lies outside ``[0, num_labels)``, or if a class has no
            example (its weight would be infinite), as in an empty dataset.
    """
    # TODO: count the labels, compute the class weights, and make the Trainer's loss use them.
    raise NotImplementedError
