"""Kata: a text too long for the model, read in overlapping windows (seed question 30).

Run the checks with:  pytest --katas split_into_windows
"""

from __future__ import annotations

from transformers import PreTrainedTokenizerBase


def split_into_windows(
    tokenizer: PreTrainedTokenizerBase,
    text: str,
    *,
    max_length: int,
    stride: int,
) -> list[dict]:
    """Cut ``text`` into overlapping windows of at most ``max_length`` tokens, for a model that
    reads no more than that at once, and say which characters of the text each window covers.

    Truncation alone would drop the end of a long text (an answer there is lost). Instead, the
    text's tokens (without special tokens) are read in windows of ``room`` tokens, where
    ``room = max_length - tokenizer.num_special_tokens_to_add()``: the first window holds the
    first ``room`` tokens, and each next window starts ``stride`` tokens before the end of the
    one before it (so two neighbours share exactly ``stride`` tokens), until a window ends with
    the text's last token. Each window gets the tokenizer's special tokens ([CLS] and [SEP],
    <s>, or none), so it is at most ``max_length`` tokens long. A text of at most ``room``
    tokens gives one window.

    Args:
        tokenizer: a fast tokenizer (it gives character offsets), used as it is; whichever side
            it truncates on (``truncation_side``), the windows run from the text's start.
        text: the text, of any length; an empty text gives one window of special tokens only.
        max_length: the most tokens a window holds, special tokens included.
        stride: how many tokens two neighbouring windows share, 0 for none.

    Returns:
        One ``dict`` per window, in the text's order, with:

        - ``"input_ids"``: the window's token ids, special tokens included, a list of Python
          ints (no tensor, no padding);
        - ``"span"``: a tuple ``(start, end)`` of Python ints: the window's text tokens cover
          ``text[start:end]``, from the first character of its first text token to the last
          character of its last one (as the tokenizer's character offsets say); ``(0, 0)`` for a
          window with no text token.

        The tokenizer is left as it was.

    Raises:
        ValueError: if ``stride`` is negative or not less than ``room`` (the windows would not
            move forward; ``max_length`` at most the number of special tokens leaves no room).
    """
    # TODO: let the tokenizer cut the text into overflowing windows, then map each back to characters.
    raise NotImplementedError
