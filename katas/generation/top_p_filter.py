"""Kata: a nucleus (top-p) filter on logits, as nucleus sampling uses it (seed question 64).

Run the checks with:  pytest --katas top_p_filter
"""

from __future__ import annotations

import torch


def top_p_filter(logits: torch.Tensor, p: float, *, filter_value: float = float("-inf")) -> torch.Tensor:
    """Keep the nucleus of each row: its most probable tokens, up to a probability mass of ``p``.

    ``model.generate(do_sample=True, top_p=p)`` samples from the nucleus only: before each draw it
    filters the logits as this function does (``transformers.TopPLogitsWarper`` with
    ``min_tokens_to_keep=1``), and the softmax of a -inf logit is 0. Each row on its own:

    - Its probabilities are the softmax of the row. Ranked from most to least probable, a token is
      kept when the tokens ranked before it add up to less than ``p``: the kept tokens are the
      smallest set of most probable tokens whose probabilities add up to ``p`` or more. Reaching
      ``p`` exactly is enough: with probabilities 0.5, 0.25, 0.125, 0.125 and p = 0.75, the first
      two are kept.
    - The most probable token is always kept (however small ``p``).
    - A token of probability 0 (a -inf logit) is never kept: it gets ``filter_value`` too.
    - With ``p = 1.0`` every token is kept but those the rule above drops: a -inf logit, and
      one so improbable that the others already add up to 1 in the logits' precision.
    - Among tokens of equal probability, which come first is up to you: where equal tokens
      straddle the cut, how many are kept is fixed, not which.

    Args:
        logits: a float tensor of shape (batch, vocab), e.g. float32, bfloat16 or float16.
        p: the probability mass of the nucleus, in (0, 1].
        filter_value: what the logits outside the nucleus become.

    Returns:
        A new tensor of the shape and dtype of ``logits``: the kept logits exactly as they were,
        the others ``filter_value``. ``logits`` itself is left unchanged.

    Raises:
        ValueError: if ``p`` is not in (0, 1] (NaN is not).
    """
    # TODO: sort each row, add up the probabilities, find where the nucleus ends, filter the rest.
    raise NotImplementedError
