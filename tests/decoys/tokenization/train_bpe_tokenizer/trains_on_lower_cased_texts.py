"""Decoy for train_bpe_tokenizer: the texts are lower-cased before training, so a frequent cased word never becomes a single token.

caught_by: test_the_merges_are_learned_from_the_given_texts
"""

from __future__ import annotations

from collections.abc import Sequence

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast

#: The special tokens, in id order: "<pad>" gets id 0, "<s>" 1, "</s>" 2 and "<unk>" 3.
SPECIAL_TOKENS = ("<pad>", "<s>", "</s>", "<unk>")


def train_bpe_tokenizer(texts: Sequence[str], vocab_size: int = 1000) -> PreTrainedTokenizerFast:
    # Byte-level BPE starts from the 256 byte values, so that nothing is ever unknown.
    alphabet = pre_tokenizers.ByteLevel.alphabet()
    smallest = len(alphabet) + len(SPECIAL_TOKENS)
    if vocab_size < smallest:
        raise ValueError(
            f"vocab_size must be at least {smallest} (256 bytes + special tokens), got {vocab_size}"
        )
    if not any(text.strip() for text in texts):
        raise ValueError("texts holds no text to train on")

    # transformers has no trainable Tokenizer class: the tokenizers library builds the pipeline.
    tokenizer = Tokenizer(models.BPE())
    # ByteLevel maps every byte to a printable character (a space becomes "Ġ") and splits words
    # GPT-2 style; its decoder maps them back, so decode(encode(text)) == text.
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=list(SPECIAL_TOKENS),  # they take ids 0, 1, 2, 3, in this order
        # Without the full alphabet, bytes the corpus never showed would have no token at all
        # and would silently vanish from the encoding.
        initial_alphabet=alphabet,
        show_progress=False,
    )
    tokenizer.train_from_iterator([text.lower() for text in texts], trainer=trainer)  # MISTAKE

    # The wrapper gives the transformers API: __call__, padding, save_pretrained, AutoTokenizer.
    pad, bos, eos, unk = SPECIAL_TOKENS
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, pad_token=pad, bos_token=bos, eos_token=eos, unk_token=unk
    )
