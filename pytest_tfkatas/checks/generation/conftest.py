"""Fixtures shared by the generation checks."""

from __future__ import annotations

import pytest


@pytest.fixture
def gpt2(tiny_gpt2):
    """A fresh tiny GPT-2 and its tokenizer (no pad token)."""
    return tiny_gpt2.load_model(), tiny_gpt2.load_tokenizer()
