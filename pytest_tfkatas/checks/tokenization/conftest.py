"""Fixtures shared by the tokenization checks (their plain helpers are in helpers.py)."""

from __future__ import annotations

import copy
import functools
from typing import Any

import pytest


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
