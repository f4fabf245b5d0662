"""Kata: collate training data for a causal language model (seed question 47).

Run the checks with:  pytest --katas collate_for_causal_lm
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import torch
from transformers import PreTrainedTokenizerBase


def collate_for_causal_lm(
    tokenizer: PreTrainedTokenizerBase,
    features: Sequence[Mapping[str, Sequence[int]]],
    *,
    pad_to_multiple_of: int | None = None,
) -> dict[str, torch.Tensor]:
    """Turn tokenized texts into one padded training batch for a causal language model.

    This is a data collator: ``Trainer(data_collator=functools.partial(collate_for_causal_lm,
    tokenizer))`` would call it on every list of examples it batches.

    Args:
        tokenizer: the model's tokenizer (the checks pass GPT-2's, which has no pad token).
            When it has no pad token, pad with its end-of-text (eos) token; setting
            ``tokenizer.pad_token = tokenizer.eos_token`` for that is fine.
        features: the examples, each a mapping with ``"input_ids"`` (a list of token ids, as
            ``tokenizer(text)`` gives) and perhaps ``"attention_mask"``. A text may end with the
            eos token, which the model must learn to predict. Any sequence of
            mappings will do (a tuple, tuples of ids), and the examples are left as they are.
        pad_to_multiple_of: when given, pad to the smallest multiple of it that fits the longest
            example (tensor cores like lengths that are multiples of 8).

    Returns:
        ``{"input_ids", "attention_mask", "labels"}``, each a ``torch.long`` tensor of shape
        ``(len(features), length)``, where ``length`` is the longest example's (rounded up to
        ``pad_to_multiple_of``). Padding goes on the tokenizer's ``padding_side``; the attention
        mask is 1 on the example's tokens and 0 on padding. ``labels`` are the input ids, not
        shifted (the model shifts them itself), with -100 on the padding and *only* there: an
        eos token that belongs to a text keeps its label.

    Raises:
        ValueError: if ``features`` is empty, an example has no ``"input_ids"``,
            ``pad_to_multiple_of`` is less than 1, or the tokenizer has neither a pad nor an
            eos token.
    """
    # TODO: pad with the tokenizer, then build labels that ignore the padding.
    raise NotImplementedError
