"""Kata: new domain words for a tokenizer and its model (seed question 36).

Run the checks with:  pytest --katas add_domain_tokens
"""

from __future__ import annotations

from collections.abc import Sequence

from transformers import PreTrainedModel, PreTrainedTokenizerBase


def add_domain_tokens(
    model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, tokens: Sequence[str]
) -> int:
    """Teach ``tokenizer`` and ``model`` whole domain words ("angiotensin", "nephrectomy") that
    the tokenizer would otherwise cut into many pieces; change both in place.

    Tokenizer: each token of ``tokens`` it does not already have becomes a new (ordinary, not
    special) token, once however often it is listed, in the order of its first appearance: they
    get the ids ``len(tokenizer)``, ``len(tokenizer) + 1``, ... Text that contains one of them
    then tokenizes it as one token. A token already in the vocabulary is not added again.

    Model: its input embedding matrix needs a row for every new id. It grows to
    ``len(tokenizer)`` rows if it has fewer; a matrix that already has spare rows (padded to a
    round size) keeps its size, never shrinks. The row of each new id is set to the mean of the
    rows of the old ids (``0`` to the old ``len(tokenizer) - 1``), so that a new token starts as
    an average one; when the model has output embeddings of its own (an LM head not tied to the
    input embeddings, as Llama's), the rows of the new ids there are set to the mean of its old
    rows in the same way. A model with tied embeddings (GPT-2) keeps them tied. Every other row
    (old ids, spare rows) is left as it was, and so are the dtype, the model's train/eval mode,
    and its config apart from ``vocab_size`` (which follows the matrix).

    Args:
        model: the tokenizer's model; its matrix has a row for each of the tokenizer's ids.
        tokenizer: the model's tokenizer.
        tokens: the domain tokens, any sequence (a list, a tuple); duplicates and known tokens
            allowed; may be empty.

    Returns:
        How many tokens were added: ``len(tokenizer)`` after the call minus before it. With
        nothing to add (an empty ``tokens``, or only known ones) it is 0, and neither the
        tokenizer nor the model changes.

    Raises:
        TypeError: if ``tokens`` is a ``str`` (one string is a sequence of characters).
        ValueError: if a token is the empty string.
        Both before anything is changed.
    """
    # TODO: add the tokens, give the model rows for them, and start each new row at the mean.
    raise NotImplementedError
