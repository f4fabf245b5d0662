"""Alternative: an empty GPT-2 tokenizer holding the special tokens, retrained by train_new_from_iterator."""

from __future__ import annotations

from collections.abc import Sequence

from transformers import GPT2Tokenizer, PreTrainedTokenizerFast

SPECIAL_TOKENS = ("<pad>", "<s>", "</s>", "<unk>")


def train_bpe_tokenizer(texts: Sequence[str], vocab_size: int = 1000) -> PreTrainedTokenizerFast:
    if vocab_size < 256 + len(SPECIAL_TOKENS):
        raise ValueError(f"vocab_size {vocab_size} is too small")
    corpus = [text for text in texts if text.strip()]
    if not corpus:
        raise ValueError("no text")
    # GPT-2's pipeline (byte-level BPE) with an empty vocabulary that holds only the special
    # tokens, at ids 0 to 3; train_new_from_iterator keeps that pipeline and the full byte alphabet.
    empty = GPT2Tokenizer(
        vocab={token: i for i, token in enumerate(SPECIAL_TOKENS)},
        merges=[],
        pad_token="<pad>",
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
    )
    return empty.train_new_from_iterator(corpus, vocab_size=vocab_size, show_progress=False)
