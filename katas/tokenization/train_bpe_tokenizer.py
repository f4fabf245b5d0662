"""Kata: create a custom tokenizer (seed question 27).

Run the checks with:  pytest --katas train_bpe_tokenizer
"""

from __future__ import annotations

from collections.abc import Sequence

from transformers import PreTrainedTokenizerFast

#: The special tokens, in id order: "<pad>" gets id 0, "<s>" 1, "</s>" 2 and "<unk>" 3.
SPECIAL_TOKENS = ("<pad>", "<s>", "</s>", "<unk>")


def train_bpe_tokenizer(texts: Sequence[str], vocab_size: int = 1000) -> PreTrainedTokenizerFast:
    """Train a byte-level BPE tokenizer on ``texts`` and return it ready for transformers.

    Args:
        texts: the training corpus, one string per line or document (a list, a tuple, ...),
            learned from as written (case kept); blank lines among the texts are allowed.
        vocab_size: the largest vocabulary allowed, special tokens included.

    Returns:
        A ``PreTrainedTokenizerFast`` (its ``save_pretrained`` folder loads back with
        ``AutoTokenizer.from_pretrained``) such that:

        - it is byte-level BPE: any Unicode text, even characters the corpus never showed (emoji,
          other scripts), encodes without loss, and
          ``tokenizer.decode(tokenizer(text)["input_ids"]) == text`` exactly;
        - its merges are learned from ``texts``: a word that is frequent in them becomes a
          single token;
        - it has at most ``vocab_size`` tokens (``len(tokenizer) <= vocab_size``), and exactly
          ``vocab_size`` when the texts offer enough merges;
        - ``SPECIAL_TOKENS`` have ids 0, 1, 2, 3, are the tokenizer's ``pad_token``,
          ``bos_token``, ``eos_token`` and ``unk_token``, and are never split;
        - ``tokenizer(text)`` adds no special tokens of its own.

    Raises:
        ValueError: if ``texts`` holds no non-blank text, or ``vocab_size`` is too small for the
            256 byte tokens plus the 4 special tokens (below 260).
    """
    # TODO: build a BPE tokenizer with a byte-level pre-tokenizer and decoder, train it, wrap it.
    raise NotImplementedError
