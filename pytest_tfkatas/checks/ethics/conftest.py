"""Fixtures shared by the ethics checks: a logger whose records the checks read, and a sentiment
classifier whose decisions are split between its two labels."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import torch

from pytest_tfkatas import zoo


class RecordList(logging.Handler):
    """Keeps every record it is handed, as the LogRecord objects themselves."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class CapturedLogger:
    logger: logging.Logger
    handler: RecordList

    @property
    def records(self) -> list[logging.LogRecord]:
        return self.handler.records

    def at(self, level: int) -> list[logging.LogRecord]:
        return [record for record in self.records if record.levelno == level]


@pytest.fixture
def captured(request: pytest.FixtureRequest) -> Iterator[CapturedLogger]:
    """A fresh logger, named after the check, that keeps its records and passes none to the root.

    Whatever the learner's code does to the root logger (logging.basicConfig, say) is undone
    afterwards; a log file written by mistake lands in the check's own folder (see ``kata``).
    """
    root = logging.getLogger()
    root_level, root_handlers = root.level, list(root.handlers)
    logger = logging.getLogger(f"tfkatas.checks.{request.node.name}")
    handler = RecordList()
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield CapturedLogger(logger, handler)
    logger.removeHandler(handler)
    root.setLevel(root_level)
    for added in [h for h in root.handlers if h not in root_handlers]:
        if not type(added).__module__.startswith("_pytest"):  # pytest's own capture comes and goes
            root.removeHandler(added)
            added.close()


@dataclass
class Sentiment:
    """A tiny BERT sentiment classifier whose head is shifted so that it says POSITIVE for about
    half of the corpus, with texts it clearly calls POSITIVE and texts it clearly calls NEGATIVE."""

    model: Any
    tokenizer: Any
    positive: list[str]
    negative: list[str]

    def decide(self, text: str) -> tuple[int, float]:
        """The model's label id and its probability, for one text on its own (no padding; a text
        longer than the model's positions cut to fit)."""
        self.model.eval()
        with torch.no_grad():
            inputs = self.tokenizer(text, truncation=True, return_tensors="pt")
            probabilities = self.model(**inputs).logits[0].softmax(-1)
        return int(probabilities.argmax()), float(probabilities.max())


#: Texts whose two logits are this close are left out: padding may flip them.
_MARGIN = 0.05


def _balance(model: Any, tokenizer: Any, texts: list[str]) -> tuple[float, list[str], list[str]]:
    """The shift of the POSITIVE bias that splits ``texts`` in half, and the texts on each side."""
    with torch.no_grad():
        logits = model(**tokenizer(texts, padding=True, return_tensors="pt")).logits
    margins = logits[:, 1] - logits[:, 0]
    shift = -float(margins.median())
    shifted = (margins + shift).tolist()
    positive = [text for text, m in zip(texts, shifted, strict=True) if m > _MARGIN]
    negative = [text for text, m in zip(texts, shifted, strict=True) if m < -_MARGIN]
    return shift, positive, negative


@pytest.fixture(scope="session")
def _balanced_bert(tiny_bert) -> tuple[float, list[str], list[str]]:
    return _balance(tiny_bert.load_model(), tiny_bert.load_tokenizer(), zoo.corpus()[:40])


@pytest.fixture
def sentiment(tiny_bert, _balanced_bert) -> Sentiment:
    """A fresh copy of the shifted classifier: a check may change it freely."""
    shift, positive, negative = _balanced_bert
    model = tiny_bert.load_model()
    with torch.no_grad():
        model.classifier.bias[1] += shift
    return Sentiment(model, tiny_bert.load_tokenizer(), positive, negative)
