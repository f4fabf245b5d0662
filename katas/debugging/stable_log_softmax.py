"""Kata: a log-softmax that stays finite for huge logits (seed question 101).

Run the checks with:  pytest --katas stable_log_softmax
"""

from __future__ import annotations

import torch


def stable_log_softmax(logits: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """Turn logits into log-probabilities without overflow or underflow.

    Language models score every token of the vocabulary with a logit; the log-probabilities are
    ``log(softmax(logits))``. Written literally, that breaks for large logits: ``exp(10000)``
    overflows, and a probability that underflows to 0 has a log of ``-inf``. The result must be
    the exact log-softmax, finite wherever the logit is finite, for logits of any size (clamping
    values hides the symptom but gives wrong numbers).

    Args:
        logits: a floating-point tensor of any shape, e.g. a causal LM's
            ``(batch, sequence, vocabulary)`` ``outputs.logits``. Entries of ``-inf`` (tokens
            masked out during generation) get a log-probability of ``-inf``; at least one entry
            along ``dim`` is finite.
        dim: the dimension to normalise over (the vocabulary, last by default).

    Returns:
        A new tensor of the same shape and dtype with ``log_softmax(logits)`` along ``dim``:
        ``exp(result).sum(dim)`` is 1 everywhere. ``logits`` itself is left unchanged.

    Raises:
        TypeError: when ``logits`` is not a floating-point ``torch.Tensor`` (e.g. token ids).
    """
    # TODO: shift by the maximum (or use logsumexp) so that nothing overflows, then normalise.
    raise NotImplementedError
