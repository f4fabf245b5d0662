"""Helpers shared by the tokenization checks."""

from __future__ import annotations

import copy
import functools
from typing import Any

import pytest


def counting_calls(tokenizer: Any) -> list[Any]:
    """Make ``tokenizer`` record the text argument of every call it gets; return the record."""
    calls: list[Any] = []
    base = type(tokenizer)

    def __call__(self: Any, text: Any = None, *args: Any, **kwargs: Any) -> Any:
        calls.append(text)
        return base.__call__(self, text, *args, **kwargs)

    tokenizer.__class__ = type(f"Counting{base.__name__}", (base,), {"__call__": __call__})
    return calls


@functools.cache
def _trained_unigram() -> Any:
    from transformers import XLMRobertaTokenizer

    from pytest_tfkatas import zoo

    # XLM-R's pipeline (SentencePiece-style Unigram, <s>=0, <pad>=1, </s>=2, <unk>=3), trained
    # here on the zoo's corpus of Latin, Cyrillic, Greek, Chinese and Japanese lines.
    return XLMRobertaTokenizer().train_new_from_iterator(zoo.corpus(), vocab_size=600, show_progress=False)


@pytest.fixture
def unigram_tokenizer() -> Any:
    """A multilingual Unigram tokenizer trained locally (pad id 1, unk id 3); a fresh copy."""
    return copy.deepcopy(_trained_unigram())
