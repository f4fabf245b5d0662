"""Kata: integrated gradients over the input embeddings (seed question 160).

Run the checks with:  pytest --katas integrated_gradients
"""

from __future__ import annotations

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def integrated_gradients(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    text: str,
    target: int,
    *,
    steps: int = 50,
) -> tuple[list[str], torch.Tensor, float]:
    """Attribute a classifier's logit for ``target`` to the tokens of ``text`` with integrated gradients.

    Let ``x`` be the word embeddings of ``tokenizer(text)``'s ids (special tokens included, no
    padding), as ``model.get_input_embeddings()`` gives them, and the baseline ``x'`` all zeros of
    the same shape (every position; the model still adds its position embeddings). ``F(e)`` is the
    logit of label ``target`` (not its probability) when the model is given ``inputs_embeds=e``.
    With the midpoint Riemann rule, ``alpha_k = (k - 0.5) / steps`` for ``k = 1 .. steps``::

        IG[t, d] = (x - x')[t, d] * mean over k of dF/de[t, d] at e = x' + alpha_k * (x - x')

    and the attribution of token ``t`` is the sum of ``IG[t, d]`` over the embedding dimension.

    Args:
        model: a sequence classifier (the checks pass BERT-style ones); run in evaluation mode (no
            dropout) and left in the mode it was in, with its weights and their ``.grad`` as they
            were.
        tokenizer: the model's tokenizer; not changed.
        text: one text.
        target: the label whose logit is explained, ``0 <= target < model.config.num_labels``.
        steps: the number of points on the path, at least 1.

    Returns:
        ``(tokens, attributions, gap)``: ``tokens`` the list of token strings of the ids
        (``convert_ids_to_tokens``, special tokens included), ``attributions`` a float32 tensor
        of shape ``(len(tokens),)`` that does not require grad, and ``gap`` the completeness gap
        ``|attributions.sum() - (F(x) - F(x'))|`` as a Python float.

    Raises:
        ValueError: before the model runs, if ``target`` is not a label of the model or ``steps``
            is less than 1.
    """
    # TODO: the embeddings, the points on the path in one batch, the gradient of the target's
    # logit with respect to them, the average times (x - x') summed per token, and the gap.
    raise NotImplementedError
