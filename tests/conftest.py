"""Shared set-up for our own tests.

Kata runs happen in this process (``pytest.main`` or pytester's in-process runs), so torch and
transformers are imported once. pytester removes the modules an inner run imported when it
ends; importing every library module the katas touch up front keeps those (a second import of
torch's or transformers' modules is not safe), and building the zoo here keeps its builds out
of the timings of single tests.

pytest loads this file for any run started in the repository, ``pytest --katas ...`` included,
so the heavy set-up waits in a session fixture that only our own tests use.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

# pytester points HOME at a temporary folder: pin the zoo cache first so it is built only once.
os.environ.setdefault(
    "TFKATAS_ZOO_DIR",
    str(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pytest-tfkatas" / "zoo"),
)

REPO = Path(__file__).resolve().parent.parent


def _prewarm() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import datasets  # noqa: F401
    import matplotlib.figure
    import matplotlib.pyplot
    import tokenizers.trainers  # noqa: F401
    from transformers import Trainer, pipeline  # noqa: F401
    from transformers.utils import logging as hf_logging

    # The plugin's own modules too: a module that pytester drops and imports again would hold
    # a second copy of the stash key that links the fixtures to the kata session.
    from pytest_tfkatas import fixtures, session, zoo  # noqa: F401

    hf_logging.disable_progress_bar()
    for model in zoo.build_all():
        model.load_model()
        model.load_tokenizer()
    zoo.get("vit-gpt2").load_image_processor()
    pipeline("zero-shot-classification", model=str(zoo.path("bert-nli")))


@pytest.fixture(scope="session", autouse=True)
def _prewarmed() -> None:
    _prewarm()


@pytest.fixture
def repo() -> Path:
    return REPO
