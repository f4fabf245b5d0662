"""Kata: padding, truncation and the attention mask (seed questions 21 and 22).

Run the checks with:  pytest --katas pad_batch
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from transformers import PreTrainedTokenizerBase


def pad_batch(
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    *,
    max_length: int | None = None,
    pad_to_multiple_of: int | None = None,
) -> dict[str, torch.Tensor]:
    """Encode ``texts`` as one batch of tensors that a model can read.

    Texts have different lengths; a batch is a rectangle. Pad every text to the longest one of
    the batch (no further), then up to a multiple of ``pad_to_multiple_of`` when it is given.
    With ``max_length``, a text longer than that many tokens (special tokens included) is cut
    first (then a batch cut to 7 tokens is padded up to 8 for a multiple of 8). The padding goes
    on the tokenizer's own ``padding_side`` (right for BERT; left, for instance, for a
    decoder-only model that generates). A tokenizer that has no pad token
    (GPT-2's) pads with its end-of-sequence token. The caller's tokenizer is left as it was.

    Args:
        tokenizer: the model's tokenizer.
        texts: the texts, any sequence (a list, a tuple); not empty.
        max_length: the most tokens a text keeps, or None to keep every text whole.
        pad_to_multiple_of: round the padded length up to a multiple of this, or None.

    Returns:
        A plain ``dict`` (the tokenizer's ``BatchEncoding`` is not one: ``dict(batch)``) of what
        the tokenizer returns for the batch, as ``torch.int64`` tensors of shape
        ``(len(texts), padded length)``: ``input_ids``, ``attention_mask`` (1 on a text's tokens,
        0 on the padding) and whatever else this tokenizer gives (``token_type_ids`` for BERT).

    Raises:
        ValueError: if ``texts`` is empty, or ``max_length`` or ``pad_to_multiple_of`` is given
            and less than 1.
    """
    # TODO: pad to the longest (and a multiple), truncate to max_length, keep the caller's tokenizer.
    raise NotImplementedError
