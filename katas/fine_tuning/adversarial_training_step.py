"""Kata: one step of adversarial training, the Fast Gradient Method (seed question 52).

Run the checks with:  pytest --katas adversarial_training_step
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
from transformers import PreTrainedModel


def adversarial_training_step(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    batch: Mapping[str, torch.Tensor],
    epsilon: float,
) -> tuple[float, float]:
    """Take one training step on a batch and on an adversarial version of it (FGM).

    Token ids are integers and cannot be nudged along a gradient; their embeddings can. The Fast
    Gradient Method (Miyato et al.) moves the word-embedding matrix a small step in the direction
    that increases the loss most, trains on the loss there too, and puts the matrix back:

    1. Put the model in training mode, clear the gradients an earlier step left, run the model
       on the batch with its labels and backpropagate this clean loss.
    2. Let ``E = model.get_input_embeddings().weight`` (only this matrix: not the position
       embeddings, not the other parameters) and ``g`` its gradient from step 1. Add
       ``epsilon * g / ||g||`` to ``E``, where ``||g||`` is the L2 (Frobenius) norm of the whole
       of ``g``, taken as one vector. When ``E`` got no gradient (it is frozen) or ``||g||`` is 0
       or not finite, ``E`` is not perturbed. (GPT-2's output layer shares ``E``: its gradient
       and its perturbation are part of ``g`` and of the step, as they come.)
    3. Run the model on the batch again and backpropagate this adversarial loss, *adding* its
       gradients to those of step 1.
    4. Put ``E`` back exactly as it was before step 2, bit for bit, then ``optimizer.step()``
       (which thus updates from the original weights with the sum of both gradients), then
       clear the gradients.

    Args:
        model: a model that returns a loss when given labels (the checks pass sequence
            classifiers and causal language models); trained in place.
        optimizer: the optimizer of the model's trainable parameters; its gradients may hold
            what an earlier step left there, which must not leak in.
        batch: the model's inputs with ``labels``; left unchanged.
        epsilon: the size (L2 norm) of the perturbation, a finite number >= 0; with 0 the
            second pass sees the clean batch again.

    Returns:
        ``(clean_loss, adversarial_loss)``, a tuple of two Python floats: the loss of step 1 and
        the loss of step 3, both before the update. Afterwards the model is in training mode,
        its gradients are cleared (zero or None), and ``E`` is the same Parameter object as
        before (still shared with the output layer where it was).

    Raises:
        ValueError: if ``epsilon`` is negative, NaN or infinite, or ``batch`` has no
            ``labels``, before anything is changed.
    """
    # TODO: validate; clean forward/backward; perturb the word embeddings along their gradient;
    #  adversarial forward/backward; restore the embeddings; step; clear the gradients.
    raise NotImplementedError
