"""Decoy for prune_model: scope is lower-cased before it is checked, so "Global" is accepted instead of refused.

caught_by: test_bad_arguments_raise_value_error
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
    if isinstance(amount, bool) or not isinstance(amount, float) or not 0.0 <= amount <= 1.0:
        # torch.nn.utils.prune reads an int as a *number* of weights: insist on a fraction.
        raise ValueError(f"amount must be a float between 0.0 and 1.0, got {amount!r}")
    scope = scope.lower()  # MISTAKE: "Global" is not one of the two scopes
    if scope not in ("layer", "global"):
        raise ValueError(f"scope must be 'layer' or 'global', got {scope!r}")
    # GPT-2 implements its projections with transformers' Conv1D (a transposed Linear), BERT
    # with nn.Linear. The output embeddings (lm_head) share their weight with the input
    # embeddings: pruning them would prune the embedding table too, so they are left alone.
    head = model.get_output_embeddings()
    targets = [
        (module, "weight")
        for module in model.modules()
        if isinstance(module, (nn.Linear, Conv1D)) and module is not head
    ]
    if scope == "global":
        # One magnitude threshold over all the weights together: layers end up unevenly sparse.
        prune.global_unstructured(targets, pruning_method=prune.L1Unstructured, amount=amount)
    else:
        for module, name in targets:
            prune.l1_unstructured(module, name=name, amount=amount)
    # Pruning reparametrises each weight as weight_orig * weight_mask (plus a forward pre-hook).
    # prune.remove() bakes the zeros into a plain `weight`, so save_pretrained() writes the
    # usual keys and from_pretrained() loads the pruned model.
    for module, name in targets:
        prune.remove(module, name)
    return model
