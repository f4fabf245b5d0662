"""Child processes that a learner's code starts during a check: what they run before the learner's
code, so that a correct solution never fails by chance.

A check that lets the learner's code start processes (``distributed_generate``) calls it inside
``with children_prepared():``. While that lasts:

- Every process started with the ``spawn`` or ``forkserver`` method (``torch.multiprocessing.spawn``,
  ``multiprocessing.get_context("spawn")``, ...) runs this module as its main module, instead of
  running pytest's console script again: ``prepare_child`` then runs before the learner's function
  is unpickled, and the child no longer imports pytest for nothing.
- torch in those processes uses one thread (``OMP_NUM_THREADS=1``), as it does in the check itself
  (``_seeded_and_tidy`` in ``fixtures.py``): two or three processes that each start a thread per
  core would fight over the cores, and one thread computes what the check computes.

Why ``prepare_child`` imports ``torch.distributed.nn`` at once: the functions of
``torch.distributed.nn.functional`` take ``group=group.WORLD`` as a default argument, which Python
evaluates when the module is first imported. transformers imports it with its model code (through
its FSDP integration), so a worker that calls ``init_process_group`` first and loads the model
afterwards (the natural order) binds its default process group into those defaults for the rest of
the process's life. ``destroy_process_group`` can then not free the group: gloo's threads keep
running into Python's shutdown, where one of them may drop the last reference to a finished
collective (``gather_object``'s tensors), needs the GIL to free them, is ended by Python with
``pthread_exit``, and the unwinding through a ``noexcept`` C++ destructor calls ``std::terminate``:
the worker dies with SIGABRT ("terminate called without an active exception"), now and then, more
often on a busy machine. Imported before any group exists, those defaults hold ``None``.

``prepare_child`` also makes a process that ends with its default group still initialized destroy
it at exit, while Python is still whole, for the same reason.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import multiprocessing.process
import multiprocessing.spawn
import os
import sys
from collections.abc import Iterator
from typing import Any

__all__ = ["CHILD_MAIN", "THREAD_LIMITS", "children_prepared", "prepare_child", "processes_started"]

#: The main module of the processes started while ``children_prepared`` lasts (this module).
CHILD_MAIN = "pytest_tfkatas.processes"

#: Environment variables that torch (and the BLAS libraries under it) read for their thread counts.
THREAD_LIMITS = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def prepare_child() -> None:
    """Runs first in a child process started during a check, before the learner's code."""
    if importlib.util.find_spec("torch") is None:
        return
    import torch.distributed

    if not torch.distributed.is_available():
        return
    # Before any process group exists: see the module's docstring.
    import torch.distributed.nn

    atexit.register(_destroy_leftover_process_group)


def _destroy_leftover_process_group() -> None:
    """At exit, a default process group the learner's code left initialized is destroyed, so that
    gloo's threads end while Python is still whole."""
    dist = sys.modules.get("torch.distributed")
    if dist is None or not dist.is_available() or not dist.is_initialized():
        return
    with contextlib.suppress(Exception):
        dist.destroy_process_group()


@contextlib.contextmanager
def children_prepared() -> Iterator[None]:
    """While it lasts, processes started with ``spawn`` or ``forkserver`` run ``prepare_child`` before
    anything else, and torch runs on one thread in every child process (see the module's docstring).

    Processes started with ``fork`` copy this process, which imported ``torch.distributed.nn``
    (with the zoo's models) before any group existed, and they end with ``os._exit``, without
    Python's shutdown: they need nothing.
    """
    # Private to multiprocessing, and stable since Python 3.4: the launchers of spawn and forkserver
    # look it up on the module at each start (tests/test_private_apis.py checks that they still do).
    real_preparation_data = multiprocessing.spawn.get_preparation_data

    def preparation_data(name: str) -> dict[str, Any]:
        data: dict[str, Any] = real_preparation_data(name)
        # The learner's worker lives in tfkatas_learner.*, never in __main__ (pytest's script).
        data.pop("init_main_from_path", None)
        data["init_main_from_name"] = CHILD_MAIN
        return data

    saved = {name: os.environ.get(name) for name in THREAD_LIMITS}
    multiprocessing.spawn.get_preparation_data = preparation_data
    os.environ.update(THREAD_LIMITS)
    try:
        yield
    finally:
        multiprocessing.spawn.get_preparation_data = real_preparation_data
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def processes_started() -> Iterator[list[int]]:
    """A list that, while this lasts, receives the pid of every ``multiprocessing`` process started
    in this process (any start method, torch.multiprocessing included): a check that the learner's
    code refuses bad input "before starting any process" looks at it afterwards."""
    started: list[int] = []
    base = multiprocessing.process.BaseProcess
    real_start = base.start

    def start(process: multiprocessing.process.BaseProcess) -> None:
        real_start(process)
        if process.pid is not None:
            started.append(process.pid)

    base.start = start  # type: ignore[method-assign]
    try:
        yield started
    finally:
        base.start = real_start  # type: ignore[method-assign]


if __name__ == "__mp_main__":  # the main module of a child process (see children_prepared)
    prepare_child()
