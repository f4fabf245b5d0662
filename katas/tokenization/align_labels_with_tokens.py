"""Kata: word labels on subword tokens, for token classification (seed question 26).

Run the checks with:  pytest --katas align_labels_with_tokens
"""

from __future__ import annotations

from collections.abc import Sequence

from transformers import PreTrainedTokenizerBase


def align_labels_with_tokens(
    tokenizer: PreTrainedTokenizerBase,
    words: Sequence[Sequence[str]],
    labels: Sequence[Sequence[int]],
    *,
    label_all_subwords: bool = False,
    max_length: int | None = None,
) -> dict[str, list[list[int]]]:
    """Encode texts given as words, with one label per word, and give each token its label.

    A named-entity dataset labels words ("Paris" is a place); the model labels tokens, and a
    subword tokenizer cuts one word into several tokens (WordPiece: "unhappiness" may become
    "u", "##n", ...; byte-level BPE: "un", "h", ...) and adds special tokens ([CLS] and [SEP],
    or <s>, or none). Encode each example as already split into words, then label its tokens:
    the first token of a word gets the word's label; the word's other tokens get -100 (the
    label a loss ignores), or, with ``label_all_subwords``, the word's label too; special tokens
    always get -100. Labels are copied as they are (no B-/I- rewriting).

    Args:
        tokenizer: a fast tokenizer (it knows which word each token comes from), used as it is.
        words: the examples, any sequences (lists, tuples); each a sequence of words (str).
            Not empty.
        labels: for each example, one label (an int) per word, in the words' order.
        label_all_subwords: give every token of a word the word's label, not only the first.
        max_length: the most tokens an example keeps, special tokens included (the tokenizer
            cuts a longer one, on its ``truncation_side``, and the labels follow the tokens that
            are kept: a word cut on the left still has its first kept token labelled), or None to
            keep every example whole, however long.

    Returns:
        A plain ``dict`` (the tokenizer's ``BatchEncoding`` is not one) of what the tokenizer
        returns for the batch (``input_ids``, ``attention_mask``, and ``token_type_ids`` for
        BERT), plus ``labels``: for each key one list per example, in order, of Python ints,
        each example at its own length (no padding, no tensors). ``labels[i]`` is as long as
        ``input_ids[i]``.

        The tokenizer, ``words`` and ``labels`` are left as they were.

    Raises:
        TypeError: if the tokenizer is not a fast one (``tokenizer.is_fast`` is False).
        ValueError: if ``words`` is empty, ``words`` and ``labels`` hold different numbers of
            examples, an example has more or fewer labels than words, or ``max_length`` leaves no
            room for a token besides the special tokens (``max_length`` at most
            ``tokenizer.num_special_tokens_to_add()``).
    """
    # TODO: encode the words, then label each token from the word it comes from.
    raise NotImplementedError
