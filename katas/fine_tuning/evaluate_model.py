"""Kata: evaluate a fine-tuned model (seed question 45).

Run the checks with:  pytest --katas evaluate_model
"""

from __future__ import annotations

import os

import numpy as np
from datasets import Dataset
from transformers import EvalPrediction, PreTrainedModel, PreTrainedTokenizerBase, Trainer, TrainingArguments


def evaluate_model(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    eval_dataset: Dataset,
    output_dir: str | os.PathLike[str],
    *,
    batch_size: int = 8,
) -> dict[str, float]:
    """Evaluate a sequence classifier on labelled texts with the Trainer: loss, accuracy and F1.

    Args:
        model: a fine-tuned sequence classifier (the checks pass a tiny BERT); it may arrive in
            training mode, and it must not be changed.
        tokenizer: its tokenizer.
        eval_dataset: a ``datasets.Dataset`` with a ``"text"`` column (strings) and a
            ``"label"`` column (class ids).
        output_dir: the folder the Trainer may write to.
        batch_size: how many examples to run through the model at once.

    Returns:
        The metrics of ``trainer.evaluate()``, which prefixes every key with ``eval_``. They
        include at least:

        - ``eval_loss``: the mean cross-entropy over the examples;
        - ``eval_accuracy``: the fraction of examples whose highest logit is the label's;
        - ``eval_f1``: the macro F1, the mean over the classes ``0 .. num_labels - 1`` of each
          class's F1 = 2·TP / (2·TP + FP + FN), which counts 0 for a class with no true and no
          predicted example.

        Evaluate on the CPU, in batches of ``batch_size``, without dropout, reporting to no
        experiment tracker and with no progress bar.

    Raises:
        ValueError: if ``eval_dataset`` is empty or lacks the ``"text"`` or ``"label"`` column
            (the message names it), or if ``batch_size`` is less than 1.
    """
    # TODO: tokenize, write compute_metrics(EvalPrediction) -> dict, build a Trainer, evaluate.
    raise NotImplementedError
