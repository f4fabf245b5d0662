"""pytest_tfkatas/processes.py: what the processes that a check lets the learner's code start run
before the learner's code, and why (each child here imports torch only: a second or two)."""

from __future__ import annotations

import gc
import json
import multiprocessing
import multiprocessing.spawn
import os
import sys
import weakref
from pathlib import Path

import pytest

from pytest_tfkatas import processes


def _report_on_the_group(report: str, rendezvous: str) -> None:
    """In a child: join a one-process gloo group, import torch.distributed.nn (as transformers' model
    code does on the first from_pretrained), leave the group, and write what is left of it."""
    import torch.distributed as dist

    main = sys.modules["__main__"]
    facts: dict[str, object] = {
        "main": getattr(main.__spec__, "name", None),
        "nn imported first": "torch.distributed.nn" in sys.modules,
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS"),
    }
    dist.init_process_group("gloo", init_method=rendezvous, rank=0, world_size=1)
    group = weakref.ref(dist.group.WORLD)
    import torch.distributed.nn  # noqa: F401

    dist.destroy_process_group()
    gc.collect()
    facts["group alive after destroy"] = group() is not None
    Path(report).write_text(json.dumps(facts), encoding="utf-8")


def _run_child(tmp_path: Path) -> dict[str, object]:
    report = tmp_path / "report.json"
    child = multiprocessing.get_context("spawn").Process(
        target=_report_on_the_group, args=(str(report), (tmp_path / "rendezvous").as_uri())
    )
    child.start()
    child.join(120)
    assert child.exitcode == 0
    return json.loads(report.read_text(encoding="utf-8"))


def test_a_prepared_child_frees_its_group_when_it_leaves_it(tmp_path: Path) -> None:
    pytest.importorskip("torch.distributed")
    real = multiprocessing.spawn.get_preparation_data
    omp = os.environ.get("OMP_NUM_THREADS")
    with processes.children_prepared():
        facts = _run_child(tmp_path)
    assert facts == {
        "main": processes.CHILD_MAIN,
        "nn imported first": True,
        "OMP_NUM_THREADS": "1",
        "group alive after destroy": False,
    }
    assert multiprocessing.spawn.get_preparation_data is real
    assert os.environ.get("OMP_NUM_THREADS") == omp


def test_without_it_torch_distributed_nn_keeps_a_group_that_existed_when_it_was_imported(
    tmp_path: Path,
) -> None:
    """Why prepare_child imports torch.distributed.nn: its functions take ``group=group.WORLD`` as a
    default argument. If this fails, torch no longer keeps the group, and the import can go."""
    pytest.importorskip("torch.distributed")
    facts = _run_child(tmp_path)
    assert facts["nn imported first"] is False
    assert facts["group alive after destroy"] is True


def _nothing() -> None:
    pass


def test_processes_started_lists_the_processes_started_while_it_lasts() -> None:
    context = multiprocessing.get_context("spawn")
    before = context.Process(target=_nothing)
    before.start()
    with processes.processes_started() as started:
        child = context.Process(target=_nothing)
        child.start()
    after = context.Process(target=_nothing)
    after.start()
    for process in (before, child, after):
        process.join(60)
    assert started == [child.pid]


def test_spawn_and_forkserver_still_ask_multiprocessing_spawn_for_the_preparation_data() -> None:
    """A private API: children_prepared replaces multiprocessing.spawn.get_preparation_data for the
    length of a check. The launchers of spawn and forkserver look it up on the module at each start,
    and the child runs the module named by init_main_from_name as its main module."""
    import inspect
    import multiprocessing.popen_forkserver
    import multiprocessing.popen_spawn_posix

    for launcher in (multiprocessing.popen_spawn_posix.Popen, multiprocessing.popen_forkserver.Popen):
        assert "spawn.get_preparation_data(" in inspect.getsource(launcher._launch)
    assert "init_main_from_name" in inspect.getsource(multiprocessing.spawn.prepare)
