"""Kata: implement a custom loss function (seed question 51).

Run the checks with:  pytest --katas train_with_weighted_loss
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import torch
import torch.nn.functional as F
from datasets import Dataset
from transformers import PreTrainedModel, PreTrainedTokenizerBase, Trainer, TrainingArguments


def train_with_weighted_loss(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    train_dataset: Dataset,
    class_weights: Sequence[float],
    output_dir: str | os.PathLike[str],
    *,
    max_steps: int = 10,
    batch_size: int = 8,
    learning_rate: float = 5e-5,
) -> Trainer:
    """Fine-tune a sequence classifier with a class-weighted cross-entropy loss.

    Rare classes often deserve a larger weight. The model's own loss is the plain cross-entropy:
    give the Trainer your loss instead.

    Args:
        model: a sequence classifier (the checks pass a tiny 2-label BERT, in float32 or
            bfloat16); trained in place, in its own dtype.
        tokenizer: its tokenizer.
        train_dataset: a ``datasets.Dataset`` with a ``"text"`` and a ``"label"`` column.
        class_weights: one weight per class (``model.config.num_labels`` of them), class 0 first.
        output_dir: the folder the Trainer may write to.
        max_steps, batch_size, learning_rate: as for ``fine_tune``: optimizer steps, examples
            per step, peak learning rate.

    Returns:
        The Trainer, after training, set up like ``fine_tune``'s (CPU, loss logged at every step,
        no checkpoints, no tracker, no progress bar). Its loss, at every training step and in
        ``trainer.compute_loss(model, inputs)``, is
        ``F.cross_entropy(logits, labels, weight=class_weights)``: the weighted *mean*,
        Σ w[yᵢ]·CEᵢ / Σ w[yᵢ].

    Raises:
        ValueError: if ``class_weights`` does not have one weight per class, or a weight is
            negative, or their sum is 0.
    """
    # TODO: write the weighted loss, hand it to the Trainer (compute_loss_func=, or a subclass
    #       that overrides compute_loss), then train as in fine_tune.
    raise NotImplementedError
