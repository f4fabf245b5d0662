"""Decoy for add_domain_tokens: takes the tokens the tokenizer has from its base vocabulary, without the added tokens, so a second call counts again the tokens the first one added.

caught_by: test_new_tokens_get_the_next_ids_once_each_and_are_counted
"""

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
    vocabulary = tokenizer.backend_tokenizer.get_vocab(with_added_tokens=False)  # MISTAKE
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
