"""Kata: encode a batch of texts and run a classifier on it (seed questions 5 and 6).

Run the checks with:  pytest --katas classify_texts
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def classify_texts(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
) -> list[tuple[str, float]]:
    """Classify ``texts`` with a sequence classifier, as one batch.

    Encode all the texts at once (padded to the longest, and truncated to what the model can
    read), run the model once without recording gradients (``torch.inference_mode()``), turn
    each text's logits into probabilities with a softmax over the labels, and name the most
    likely label with the model's ``config.id2label``.

    Args:
        model: a sequence classifier (``AutoModelForSequenceClassification``), in evaluation mode
            as ``from_pretrained`` leaves it; its mode is not changed.
        tokenizer: the model's tokenizer; its settings are not changed.
        texts: the texts, any sequence (a list, a tuple), of any lengths; the same text twice
            gets the same answer twice.

    Returns:
        One ``(label, probability)`` per text, in the order of ``texts``: the label's name (a
        ``str``) and its probability as a Python ``float``. A text's answer does not depend on
        the other texts of the batch.

    Raises:
        ValueError: if ``texts`` is empty.
    """
    # TODO: tokenize the batch, run the model under inference_mode, softmax, id2label.
    raise NotImplementedError
