"""Kata: classify texts in batches of similar length (seed question 136).

Run the checks with:  pytest --katas batch_by_length
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def batch_by_length(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    batch_size: int,
) -> torch.Tensor:
    """Run a sequence classifier over ``texts`` in batches, with as little padding as sorting gives.

    Order the texts by their tokenized length (special tokens included; shortest or longest
    first), cut that order into consecutive batches of ``batch_size`` texts (the last may be
    smaller), pad each batch only to its own longest text, and run the model on each batch with
    its attention mask. Texts are not truncated.

    Args:
        model: a sequence classifier (the checks pass BERT-style encoders); it runs in evaluation
            mode (no dropout) and without gradients, and is left in the mode it was in, every
            layer of it, its weights unchanged.
        tokenizer: the model's tokenizer; not changed.
        texts: the texts, a list or a tuple, possibly with duplicates; not changed.
        batch_size: the most texts the model sees at once.

    Returns:
        A float32 tensor of shape ``(len(texts), model.config.num_labels)``, not requiring grad:
        row ``i`` holds the logits of ``texts[i]``, equal (up to float rounding) to the logits of
        that text run through the model alone. No texts give shape ``(0, num_labels)``, and the
        model is not called.

    Raises:
        ValueError: if ``batch_size`` is less than 1 (even for no texts), before the model is called.
    """
    # TODO: sort the indices by tokenized length, run each slice of batch_size padded, write the
    # logits back at the original indices.
    raise NotImplementedError
