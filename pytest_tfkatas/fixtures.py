"""Fixtures for the hidden checks, registered as a plugin only during a kata run.

``kata`` is the learner's function for the check's own kata; the ``tiny_*`` fixtures are zoo
models (see ``pytest_tfkatas.zoo``): call ``.load_model()`` for a fresh copy that a check may
change freely. ``gpt2`` is such a copy of the tiny GPT-2 with its tokenizer, the pair most checks
of causal LMs start from. Plain helpers the checks share are in ``pytest_tfkatas/checks/helpers.py``.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pytest_tfkatas.paths import kata_of_path
from pytest_tfkatas.session import SESSION_KEY

if TYPE_CHECKING:
    from pytest_tfkatas.harness import KataFunction
    from pytest_tfkatas.zoo import TinyModel

#: Every check starts from this seed, so a run gives the same verdicts every time.
CHECK_SEED = 0


@pytest.fixture(scope="session")
def tfkatas_learner() -> str | None:
    """The learner whose files a check meets: grading (``--katas-grade``) parametrizes every check
    with each learner's name; a kata run has one learner, None."""
    return None


@pytest.fixture
def kata(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tfkatas_learner: str | None,
) -> KataFunction:
    """The learner's implementation of the kata these checks belong to.

    The check then runs in its own empty folder (its ``tmp_path``): code that writes files, such
    as a plot saved "just in case", leaves nothing behind in the learner's project.
    """
    session = request.config.stash[SESSION_KEY]
    found = kata_of_path(request.path)
    assert found is not None, f"{request.path} is not a hidden check file"
    entry = session.catalogue.kata(found[1])
    if entry.extra is not None:
        missing = [m for m in session.catalogue.extras[entry.extra] if importlib.util.find_spec(m) is None]
        if missing:
            pytest.skip(f'needs {", ".join(missing)}: pip install "pytest-tfkatas[{entry.extra}]"')
    function = session.function(entry, request.node)  # imported from the learner's folder before the move
    monkeypatch.chdir(tmp_path)
    function.figure_calls.clear()  # the function is shared by the kata's checks
    if entry.extra is not None and "matplotlib" in session.catalogue.extras[entry.extra]:
        _record_figure_output(function, monkeypatch)
    return function


def _record_figure_output(function: KataFunction, monkeypatch: pytest.MonkeyPatch) -> None:
    """Note every call that shows or saves a figure, wherever it writes (plt.show is a no-op under
    the Agg backend, and a file saved outside the check's folder would go unseen): a plotting kata
    returns its figure and leaves showing and saving to the caller. The calls go through."""
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    def noting(owner: object, name: str, label: str) -> None:
        real = getattr(owner, name)

        def recorded(*args: Any, **kwargs: Any) -> Any:
            function.figure_calls.append(label)
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, recorded)

    noting(plt, "show", "plt.show()")
    noting(plt, "savefig", "plt.savefig()")
    noting(Figure, "show", "figure.show()")
    noting(Figure, "savefig", "figure.savefig()")


@pytest.fixture(autouse=True)
def _seeded_and_tidy() -> Iterator[None]:
    """Seed every random generator a check may touch, run torch on one thread, and close the
    figures a check leaves open.

    For models this small, handing work between threads costs more than the arithmetic, and far
    more when other processes share the cores: a backward pass of the tiny GPT-2 takes ~20 ms on
    one thread and up to ~1 s on two threads of a busy machine.
    """
    import numpy as np
    import torch

    random.seed(CHECK_SEED)
    np.random.seed(CHECK_SEED)
    # torch.manual_seed also queues CUDA seeding with a formatted stack (~1 ms a check)
    torch.default_generator.manual_seed(CHECK_SEED)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(CHECK_SEED)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


@pytest.fixture(autouse=True, scope="session")
def _one_torch_thread() -> Iterator[None]:
    """torch on one thread for module- and session-scoped fixtures too, which set up before the
    per-check fixture above (see its docstring for why one thread)."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _zoo_fixture(name: str, doc: str) -> object:
    def fixture() -> TinyModel:
        from pytest_tfkatas import zoo

        return zoo.get(name)

    fixture.__doc__ = doc
    fixture.__name__ = f"tiny_{name.replace('-', '_')}"
    return pytest.fixture(scope="session", name=fixture.__name__)(fixture)


tiny_gpt2 = _zoo_fixture("gpt2", "GPT-2-style causal LM with a byte-level BPE tokenizer (no pad token).")
tiny_gpt2_eager = _zoo_fixture("gpt2-eager", "tiny_gpt2 with eager attention.")
tiny_bert = _zoo_fixture("bert", "BERT-style 2-label sentiment classifier with a WordPiece tokenizer.")
tiny_bert_eager = _zoo_fixture("bert-eager", "tiny_bert with eager attention.")
tiny_bert_nli = _zoo_fixture("bert-nli", "BERT-style NLI classifier for zero-shot classification.")
tiny_vit_gpt2 = _zoo_fixture("vit-gpt2", "ViT + GPT-2 image captioner with its image processor.")
# Variants that differ where contracts care (see zoo.py for what each is for).
tiny_bert_cased = _zoo_fixture(
    "bert-cased", "Cased BERT classifier: [PAD] not id 0, one attention head, eager attention."
)
tiny_bert_nli_shuffled = _zoo_fixture("bert-nli-shuffled", "NLI classifier with entailment as label 0.")
tiny_gpt2_bf16 = _zoo_fixture("gpt2-bf16", "tiny_gpt2 saved in bfloat16.")
tiny_llama = _zoo_fixture(
    "llama", "Llama-style causal LM: distinct non-zero <unk> <pad> <s> </s>; ends early with </s>."
)
tiny_llama_sampling = _zoo_fixture("llama-sampling", "tiny_llama whose generation_config samples by default.")


@pytest.fixture
def gpt2(tiny_gpt2: TinyModel) -> tuple[Any, Any]:
    """A fresh tiny GPT-2 and its tokenizer (no pad token), for a check to use and change."""
    return tiny_gpt2.load_model(), tiny_gpt2.load_tokenizer()
