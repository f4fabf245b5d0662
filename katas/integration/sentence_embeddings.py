"""Kata: sentence embeddings, their cosine similarities and a walk through the latent space
(miscellaneous seed question 3).

Run the checks with:  pytest --katas sentence_embeddings
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def sentence_embeddings(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    steps: int = 5,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Embed texts in an encoder's latent space, compare them, and walk from the first to the last.

    A text's embedding is the mean of the model's ``last_hidden_state`` over its own tokens
    (attention-masked mean pooling: padding is left out), computed in evaluation mode (no dropout)
    and without gradients. The texts are padded on the right, whatever the tokenizer's own
    ``padding_side``: a BERT-style model adds position embeddings counted from the first token, so
    left padding would shift them. A text therefore gets the same embedding alone as in a batch
    with longer texts.

    Args:
        model: an encoder whose output has ``last_hidden_state`` (the checks pass BERT-style
            models); left in the mode (training or evaluation) it was given in.
        tokenizer: the model's tokenizer (it may pad on either side); not changed.
        texts: one or more texts, as a list or a tuple; duplicates allowed.
        steps: how many points the path has, both ends included; at least 2.

    Returns:
        ``(embeddings, similarities, path)``, tensors in the model's dtype (float32 for a float32
        model) that do not require grad:

        - ``embeddings``: shape ``(len(texts), hidden_size)``, row ``i`` for ``texts[i]``;
        - ``similarities``: shape ``(len(texts), len(texts))``, the cosine similarity of the
          embeddings of texts ``i`` and ``j`` at ``[i, j]`` (symmetric, ones on the diagonal);
        - ``path``: shape ``(steps, hidden_size)``, the straight line (linear interpolation) from
          the first text's embedding to the last's at evenly spaced weights ``0, 1/(steps-1), ...,
          1``; ``path[0]`` and ``path[-1]`` are exactly those two embeddings.

    Raises:
        ValueError: if ``texts`` is empty or ``steps`` is less than 2.
    """
    # TODO: masked mean of last_hidden_state (eval mode, no_grad), normalised dot products, lerp.
    raise NotImplementedError
