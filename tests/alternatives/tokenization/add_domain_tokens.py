"""Alternative: pick the unknown tokens from the vocabulary, take the means before resizing, and
write the new rows through .data."""

from __future__ import annotations

from collections.abc import Sequence

from transformers import PreTrainedModel, PreTrainedTokenizerBase


def _matrices(model: PreTrainedModel) -> list:
    head = model.get_output_embeddings()
    untied = head is not None and not model.config.tie_word_embeddings
    return [model.get_input_embeddings(), *([head] if untied else [])]


def add_domain_tokens(
    model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, tokens: Sequence[str]
) -> int:
    if isinstance(tokens, str):
        raise TypeError("pass a list of tokens, not a string")
    if "" in tokens:
        raise ValueError("an empty string is no token")
    vocabulary = tokenizer.get_vocab()
    new = [token for token in dict.fromkeys(tokens) if token not in vocabulary]
    if not new:
        return 0
    old = len(tokenizer)
    means = [module.weight.data[:old].mean(dim=0) for module in _matrices(model)]
    tokenizer.add_tokens(new)
    if len(tokenizer) > model.get_input_embeddings().weight.shape[0]:
        model.resize_token_embeddings(len(tokenizer))
    for module, mean in zip(_matrices(model), means, strict=True):
        module.weight.data[old : len(tokenizer)] = mean
    return len(new)
