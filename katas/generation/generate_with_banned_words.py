"""Kata: controllable generation, words banned or boosted by a logits processor (seed question 72).

Run the checks with:  pytest --katas generate_with_banned_words
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from transformers import PreTrainedModel, PreTrainedTokenizerBase


def generate_with_banned_words(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompt: str,
    banned: Sequence[str] = (),
    *,
    boosted: Mapping[str, float] | None = None,
    max_new_tokens: int = 20,
) -> str:
    """Continue ``prompt`` greedily, never generating the ``banned`` words and favouring the ``boosted`` ones.

    Write a ``transformers.LogitsProcessor`` subclass: ``generate`` calls it at each step with the
    token ids so far (prompt included) and the next token's scores, and samples or picks from
    what it returns. Hand it to ``model.generate(..., logits_processor=LogitsProcessorList([...]))``.
    Decoding is greedy otherwise (``do_sample=False``, one beam), whatever the model's
    generation_config says.

    A word stands for two token sequences: the word as written and the word after a space
    (``tokenizer("cat")`` and ``tokenizer(" cat")``, without special tokens). A sequence of one
    token is acted on at every step; a longer one only at the steps where its other tokens are
    the last tokens so far (the prompt's count too), and then on its last token:

    - a banned word's sequences get -inf on that token, so greedy never completes them;
    - a boosted word's sequences get its bias added to that token's score (several matching
      sequences add up); a ban wins over any boost.

    Words are matched as written: banning "The" does not ban "the".

    Args:
        model: a causal language model.
        tokenizer: its tokenizer.
        prompt: the text to continue; not empty.
        banned: the words never to generate (a list or a tuple of strings; may be empty).
        boosted: word -> bias added to its score (negative to make it less likely); None for none.
        max_new_tokens: the most new tokens (the continuation may end sooner).

    Returns:
        The new text only: without the prompt, and without special tokens. With no banned or
        boosted word, it is the plain greedy continuation. The model, its generation_config and
        the arguments are left unchanged; nothing is printed.

    Raises:
        TypeError: if ``banned`` is a single string rather than a sequence of words.
        ValueError: if ``prompt`` is empty, a word is empty or blank, a bias is not finite, or
            ``max_new_tokens`` is less than 1.
    """
    # TODO: turn each word into its token sequences, write the LogitsProcessor, generate greedily.
    raise NotImplementedError
