"""Kata: a run that gives the same numbers every time (seed question 128).

Run the checks with:  pytest --katas reproducible_run
"""

from __future__ import annotations

import os
from collections.abc import Sequence


def reproducible_run(
    model_name_or_path: str | os.PathLike[str],
    texts: Sequence[str],
    seed: int,
    *,
    steps: int = 3,
    learning_rate: float = 0.1,
) -> tuple[list[float], str]:
    """A small training run and a sample, every random number drawn from ``seed``: two calls
    with the same seed give the same losses and the same text; another seed, other ones.

    In this order:

    1. seed every generator the run uses (Python's ``random``, numpy and torch) with ``seed``,
       first of all: ``transformers.set_seed(seed)``;
    2. load the causal LM and its tokenizer from ``model_name_or_path`` (the tokenizer is
       yours: give it its end-of-sequence token as pad token if it has none);
    3. put the model in training mode (dropout draws random numbers) and take ``steps`` steps
       of ``torch.optim.SGD(model.parameters(), lr=learning_rate)`` on the batch of all
       ``texts`` (padded; labels: the input ids, with -100 on the padding), each loss recorded
       as a float before its update;
    4. put the model in evaluation mode and sample (``do_sample=True``) 8 new tokens after
       ``texts[0]``, decoded without special tokens.

    Args:
        model_name_or_path: a causal LM's folder (the checks pass tiny local models).
        texts: the training texts, at least one.
        seed: the seed, any int from 0 up (0 is a seed like any other).
        steps: the number of training steps, at least 1.
        learning_rate: the SGD learning rate.

    Returns:
        ``(losses, sample)``: ``steps`` floats, and the sampled continuation.

    Raises:
        ValueError: if ``texts`` is empty, ``steps`` is less than 1, or ``seed`` is negative.
    """
    # TODO: set_seed first, load, train steps with SGD, sample 8 tokens.
    raise NotImplementedError
