"""Kata: a top-k filter on logits, as top-k sampling uses it (seed question 62).

Run the checks with:  pytest --katas top_k_filter
"""

from __future__ import annotations

import torch


def top_k_filter(logits: torch.Tensor, k: int, *, filter_value: float = float("-inf")) -> torch.Tensor:
    """Keep the ``k`` largest logits of each row; every other logit becomes ``filter_value``.

    ``model.generate(do_sample=True, top_k=k)`` samples from the k most probable tokens only: before
    each draw it filters the logits as this function does (``transformers.TopKLogitsWarper``), and
    the softmax of a -inf logit is 0. Each row is filtered on its own:

    - A logit is filtered out when it is smaller than the k-th largest logit of its row. Logits
      equal to the k-th largest are all kept, so a tie can keep more than k:
      ``[3., 1., 3., 3.]`` with k=2 keeps the three 3s.
    - A ``k`` larger than the vocabulary keeps every logit.
    - -inf logits count like any other value: in a row with fewer than k finite logits the k-th
      largest is -inf and nothing changes; otherwise a -inf logit becomes ``filter_value`` too.

    Args:
        logits: a float tensor of shape (batch, vocab), e.g. float32, bfloat16 or float16.
        k: how many of the largest logits of each row to keep; at least 1.
        filter_value: what the other logits become (-inf: their probability is then 0).

    Returns:
        A new tensor of the shape and dtype of ``logits``: the kept logits exactly as they were,
        the others ``filter_value``. ``logits`` itself is left unchanged.

    Raises:
        ValueError: if ``k`` is less than 1.
    """
    # TODO: find the k-th largest logit of each row, and filter out the logits below it.
    raise NotImplementedError
