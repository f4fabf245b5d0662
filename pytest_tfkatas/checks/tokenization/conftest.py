"""Helpers shared by the tokenization checks."""

from __future__ import annotations

import copy
import functools
from typing import Any

import pytest

from pytest_tfkatas.harness import KataFunction, fail

#: Library errors that come from a known mistake, and what to do instead.
PITFALLS = (
    (
        "text input must be of type",
        "in datasets 5, dataset[column] is a Column object, which a tokenizer does not accept: "
        "pass list(dataset[column]), or tokenize inside dataset.map(..., batched=True).",
    ),
    (
        "'Dataset' object has no attribute",
        "DataCollatorWithPadding takes a list of feature dicts, one per row, not a Dataset: "
        "give it batches of rows, e.g. through DataLoader(dataset, batch_size=..., collate_fn=collator).",
    ),
    (
        "Unable to create tensor",
        "only numeric columns can become tensors: keep the model's inputs "
        "(tokenizer.model_input_names) and the label, and leave out columns of strings such as the text.",
    ),
)


def call(kata: KataFunction, *args: Any, **kwargs: Any) -> Any:
    """``kata(*args, **kwargs)``, where a library error from a known pitfall fails with a tip."""
    __tracebackhide__ = True
    try:
        return kata(*args, **kwargs)
    except Exception as error:
        text = str(error)
        tip = next((tip for pattern, tip in PITFALLS if pattern in text), None)
        if tip is None:
            raise
        first_line = text.strip().splitlines()[0]
        problem = f"Called {kata.last_call}.\nIt raised {type(error).__name__}: {first_line}\nTip: {tip}"
    fail(problem)


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
