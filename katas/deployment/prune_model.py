"""Kata: magnitude pruning of a Transformers model (seed question 85).

Run the checks with:  pytest --katas prune_model
"""

from __future__ import annotations

from typing import Literal

from torch import nn
from torch.nn.utils import prune
from transformers import PreTrainedModel
from transformers.pytorch_utils import Conv1D


def prune_model(
    model: PreTrainedModel,
    amount: float = 0.5,
    *,
    scope: Literal["layer", "global"] = "layer",
) -> PreTrainedModel:
    """Zero the smallest-magnitude weights of the model's linear layers (L1 unstructured pruning).

    The pruned weights are the ``weight`` of every ``torch.nn.Linear`` and every
    ``transformers.pytorch_utils.Conv1D`` module (GPT-2 uses Conv1D for its projections), except
    the output embeddings (``model.get_output_embeddings()``, whose weight is tied to the input
    embeddings). Biases, embeddings and LayerNorms are left alone.

    Args:
        model: the model to prune in place (the checks pass a tiny GPT-2 and a tiny BERT).
        amount: the fraction of weights to zero, a float from 0.0 to 1.0.
        scope: ``"layer"``: each weight matrix loses ``round(amount * its size)`` of its own
            smallest weights; ``"global"``: the ``round(amount * total)`` smallest weights of all
            those matrices together are zeroed, so some layers lose more than others.

    Returns:
        The same model, pruned: its weights are plain tensors with the zeros in them (no
        ``weight_orig`` / ``weight_mask`` left), so ``save_pretrained`` and ``from_pretrained``
        give back the pruned model.

    Raises:
        ValueError: if ``amount`` is not a float from 0.0 to 1.0 (an int is refused: torch's prune
            would read it as a number of weights), or ``scope`` is not "layer" or "global".
    """
    # TODO: validate, collect the (module, "weight") pairs, prune them, then make it permanent.
    raise NotImplementedError
