"""The process a kata run needs, and how it is left afterwards: the Hub's offline switches and quiet
libraries set before transformers is imported, and the garbage collector tuned for the millions of
objects torch and transformers allocate. A plugin object of its own."""

from __future__ import annotations

import atexit
import gc
import os
import sys

import pytest

__all__ = ["OFFLINE_ENVIRONMENT", "ProcessEnvironment", "set_hub_offline"]

# Set before transformers is imported, so that nothing reaches the Hugging Face Hub.
OFFLINE_ENVIRONMENT = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_NO_ADVISORY_WARNINGS": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "MPLBACKEND": "Agg",
}

GC_THRESHOLD = 50_000


class ProcessEnvironment:
    """Sets the environment up at construction; ``pytest_unconfigure`` (and a config cleanup, for
    the garbage collector) leave the process as it was, for pytest runs made inside a longer-lived
    process."""

    def __init__(self, config: pytest.Config) -> None:
        self._saved_environment = {name: os.environ.get(name) for name in OFFLINE_ENVIRONMENT}
        os.environ.update(OFFLINE_ENVIRONMENT)
        self._saved_hub_offline = set_hub_offline(True)
        # Importing torch and transformers allocates millions of objects, and Python's default
        # collection threshold (700) walks them over and over: about 10% of a topic's run.
        self._gc_threshold = gc.get_threshold()
        gc.set_threshold(GC_THRESHOLD, *self._gc_threshold[1:])
        # Restored last of all (cleanups run in reverse order): pytest's own gc.collect() calls
        # at unconfigure and cleanup then skip the frozen torch/transformers objects (~0.5 s).
        config.add_cleanup(self._restore_gc)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self) -> None:
        # Every Trainer.train() starts with a full gc.collect() (accelerate's free_memory), which
        # walks the ~400k objects of torch and transformers: ~0.3 s a run. Freezing what exists
        # before a check moves it out of the collector's sight (a cheap list splice), so a check
        # pays only for the objects it creates. The config cleanup unfreezes them.
        gc.freeze()

    def pytest_unconfigure(self) -> None:
        for name, value in self._saved_environment.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        set_hub_offline(self._saved_hub_offline)
        # torch and transformers leave millions of objects behind; the garbage collection that
        # Python runs as it shuts down would walk them all (about 0.6 s) just to free memory
        # the exit frees anyway. Freezing them at exit skips that walk. atexit runs only when
        # the interpreter ends, so a pytest run inside a longer-lived process is not affected.
        atexit.unregister(gc.freeze)  # once, however many runs this process makes
        atexit.register(gc.freeze)

    def _restore_gc(self) -> None:
        gc.unfreeze()
        gc.set_threshold(*self._gc_threshold)


def set_hub_offline(offline: bool | None) -> bool | None:
    """huggingface_hub reads HF_HUB_OFFLINE once, at import: if it is loaded already, set its
    constant too. Returns the previous value (None when the hub is not loaded yet)."""
    constants = sys.modules.get("huggingface_hub.constants")
    if constants is None or offline is None:
        return None
    previous: bool = constants.HF_HUB_OFFLINE
    constants.HF_HUB_OFFLINE = offline
    return previous
