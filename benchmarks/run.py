"""Measure pytest-tfkatas on this machine, each figure beside its goal.

    python benchmarks/run.py               # every figure, medians of 3 runs
    python benchmarks/run.py --runs 5 --only import,topic --quiet 20

Each run is a fresh subprocess, as a learner's ``pytest`` is. The figures:

- ``import``: ``python -c "import torch, transformers; from transformers import Trainer, pipeline"``,
  the floor that any kata run pays.
- ``topic``: ``pytest --katas <topic> --katas-dir=solutions -p no:cacheprovider -q``, and its ratio
  to the bare import (goal <= 1.3). Its runs alternate with the bare import's, so that a change in
  the machine's load touches both alike.
- ``all``: every kata on the references (goal <= 30 s on 2 cores for 55 katas, in proportion to
  their number: 30 s x katas / 55), and its peak resident memory: that of the largest process, the
  run or one of its children (``wait4``'s ``ru_maxrss``; goal <= 1 GiB), and, for information, the
  most memory the run and its children held at once (their PSS, sampled from ``/proc`` every 0.2
  s: ``distributed_generate`` starts two more interpreters).
- ``zoo``: a cold build of every zoo model into an empty ``TFKATAS_ZOO_DIR``, timed inside the
  process after the modules it needs are imported (goal <= 3 s); the wall time of the whole
  ``python -c "from pytest_tfkatas import zoo; zoo.build_all()"`` is shown beside it.
- ``watch``: ``--katas-watch`` on a workspace holding one fast kata; the time from saving the file
  to the next ``tfkatas: watching`` line, median of ``--saves`` saves (goal <= 0.5 s).

Beside each wall time: ``cpu``, the CPU seconds the run used (its children included), and
``others``, the share of the machine's CPU that other processes used meanwhile (Linux only). On a
shared machine a figure is only as quiet as its ``others`` column; ``--quiet PCT`` waits before
each run until the machine is less busy than that.

The kata runs use the zoo cache the environment points at (``TFKATAS_ZOO_DIR`` or the default),
built before the timings start. The script measures and exits 0 whatever the figures are;
``--strict`` makes a missed goal or a failed run exit 1.
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
FIGURES = ("import", "topic", "all", "zoo", "watch")
BARE_IMPORT = "import torch, transformers; from transformers import Trainer, pipeline"
WATCH_KATA = ("debugging", "stable_log_softmax")
WATCH_LINE = "tfkatas: watching"
GIB = 1024**3

# Imports the zoo's builds need, so that the timed part of a cold build is the build alone.
ZOO_BUILD = textwrap.dedent(
    """
    import time
    import torch, transformers
    from transformers import (
        BertConfig, BertForSequenceClassification, BertTokenizer, GPT2Config, GPT2LMHeadModel,
        GPT2Tokenizer, VisionEncoderDecoderConfig, VisionEncoderDecoderModel, ViTConfig,
        ViTImageProcessorPil,
    )
    from pytest_tfkatas import zoo
    start = time.perf_counter()
    built = zoo.build_all()
    print("build seconds", time.perf_counter() - start, len(built))
    """
)


@dataclass
class Figure:
    name: str
    unit: str  # "s", "x" or "GiB"
    goal: float | None  # the most allowed; None: shown for information
    values: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # CPU seconds of each run
    others: list[float] = field(default_factory=list)  # others' share of the machine in each run
    error: str | None = None  # why the figure could not be measured, or a run failed

    @property
    def median(self) -> float | None:
        return statistics.median(self.values) if self.values else None

    @property
    def verdict(self) -> str:
        if self.error is not None:
            return "ERROR" if self.values else "n/a"
        if self.goal is None or self.median is None:
            return ""
        return "ok" if self.median <= self.goal else "MISSED"

    def add(self, value: float, cpu: float | None = None, others: float | None = None) -> None:
        self.values.append(value)
        if cpu is not None:
            self.cpu.append(cpu)
        if others is not None:
            self.others.append(others)


@dataclass
class Run:
    seconds: float
    cpu: float  # user + system seconds of the process and the children it waited for
    others: float | None  # share of the machine's CPU used by other processes meanwhile
    returncode: int
    max_rss: int  # bytes: the largest peak of the process and each child it waited for
    output: str
    tree_memory: int | None = None  # bytes (PSS): the most the process and its children held at once


# -- the machine's load ----------------------------------------------------------------------


def _machine_cpu() -> tuple[float, float] | None:
    """(busy, total) CPU seconds of the whole machine since boot, all cores; None off Linux."""
    try:
        fields = Path("/proc/stat").read_text(encoding="ascii").split("\n", 1)[0].split()[1:9]
    except OSError:
        return None
    ticks = [int(value) for value in fields]
    hertz = os.sysconf("SC_CLK_TCK")
    idle = ticks[3] + ticks[4]  # idle, iowait
    return (sum(ticks) - idle) / hertz, sum(ticks) / hertz


def _others_share(before: tuple[float, float] | None, own_cpu: float) -> float | None:
    after = _machine_cpu()
    if before is None or after is None or after[1] <= before[1]:
        return None
    busy, total = after[0] - before[0], after[1] - before[1]
    return min(1.0, max(0.0, (busy - own_cpu) / total))


def wait_until_quiet(share: float | None, longest: float) -> None:
    """Wait (at most ``longest`` seconds) until the machine is less busy than ``share``."""
    if share is None:
        return
    start = time.perf_counter()
    while time.perf_counter() - start < longest:
        before = _machine_cpu()
        time.sleep(2)
        busy = _others_share(before, 0.0)
        if busy is None or busy <= share:
            return
    print(f" (still busier than {share:.0%} after {longest:.0f} s: measuring anyway)", end="", flush=True)


# -- runs ------------------------------------------------------------------------------------


def _memory(pid: int) -> int:
    """Bytes of memory process ``pid`` holds: its PSS (shared pages split among the processes that
    share them, so that torch's libraries loaded by three processes count once), else its RSS."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text(encoding="ascii").splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    try:
        return int(Path(f"/proc/{pid}/statm").read_text(encoding="ascii").split()[1]) * os.sysconf(
            "SC_PAGE_SIZE"
        )
    except (OSError, IndexError, ValueError):
        return 0


def _tree_memory(root: int) -> int | None:
    """Bytes held by process ``root`` and all its descendants now (Linux), or None."""
    children: dict[int, list[int]] = {}
    try:
        names = [name for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return None
    for name in names:
        try:
            stat = Path(f"/proc/{name}/stat").read_bytes()
        except OSError:
            continue
        children.setdefault(int(stat.rsplit(b")", 1)[1].split()[1]), []).append(int(name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        total += _memory(pid)
    return total


class _TreeSampler(threading.Thread):
    """Samples the memory of a process tree every ``interval`` seconds; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak: int | None = None
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.interval):
            now = _tree_memory(self.pid)
            if now is not None and (self.peak is None or now > self.peak):
                self.peak = now


def run_timed(
    command: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path = REPO,
    sample_memory: bool = False,
) -> Run:
    """Run ``command`` to its end: wall and CPU time, the machine's other load, exit code, peak
    RSS (from wait4; with ``sample_memory``, also the process tree's sampled total) and output."""
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as out:
        machine, mine = _machine_cpu(), time.process_time()  # mine: this script's sampling
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        sampler = _TreeSampler(process.pid) if sample_memory and Path("/proc").is_dir() else None
        if sampler is not None:
            sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        if sampler is not None:
            sampler.done.set()
            sampler.join()
        cpu = usage.ru_utime + usage.ru_stime
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        # ru_maxrss is in KiB on Linux, in bytes on macOS.
        scale = 1 if sys.platform == "darwin" else 1024
        others = _others_share(machine, cpu + time.process_time() - mine)
        tree = sampler.peak if sampler is not None else None
        return Run(seconds, cpu, others, process.returncode, usage.ru_maxrss * scale, out.read(), tree)


def pytest_command(katas: str, katas_dir: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pytest",
        "--katas",
        katas,
        f"--katas-dir={katas_dir}",
        "-p",
        "no:cacheprovider",
        "-q",
        *extra,
    ]


def _failed(run: Run, what: str) -> str:
    tail = "\n".join(run.output.rstrip().splitlines()[-15:])
    return f"{what} exited with {run.returncode}:\n{textwrap.indent(tail, '    ')}"


def _record(figure: Figure, run: Run, what: str) -> None:
    if run.returncode != 0:
        figure.error = _failed(run, what)
    figure.add(run.seconds, run.cpu, run.others)


@dataclass
class Options:
    runs: int
    katas_dir: Path
    quiet: float | None
    longest_wait: float

    def run(self, command: Sequence[str], **kwargs: Any) -> Run:
        wait_until_quiet(self.quiet, self.longest_wait)
        return run_timed(command, **kwargs)


def measure_import_and_topic(options: Options, topic: str | None) -> list[Figure]:
    """The bare import, and a topic's run if ``topic`` is given, their runs alternating."""
    bare = Figure("bare import (torch, transformers, Trainer, pipeline)", "s", None)
    alone = Figure(f"one topic ({topic})", "s", None)
    for _ in range(options.runs):
        _record(bare, options.run([sys.executable, "-c", BARE_IMPORT]), "the bare import")
        if topic is not None:
            _record(alone, options.run(pytest_command(topic, options.katas_dir)), f"pytest --katas {topic}")
    if topic is None:
        return [bare]
    wall = Figure("  ratio to the bare import", "x", 1.3)
    cpu = Figure("  ratio to the bare import, CPU time", "x", None)
    if alone.median is None or bare.median is None or alone.error or bare.error:
        wall.error = cpu.error = "needs both the topic run and the bare import"
    else:
        wall.add(alone.median / bare.median)
        cpu.add(statistics.median(alone.cpu) / statistics.median(bare.cpu))
    return [bare, alone, wall, cpu]


#: The goal for every kata on the references was 30 s when there were 55 katas; it grows in
#: proportion to their number (the checks, not the imports, dominate that run).
SECONDS_PER_55_KATAS = 30.0


def measure_all(options: Options) -> list[Figure]:
    from pytest_tfkatas import catalogue

    count = len(catalogue.load().katas)
    seconds = Figure(f"all {count} katas", "s", round(SECONDS_PER_55_KATAS * count / 55, 1))
    memory = Figure("peak RSS of all katas (largest process)", "GiB", 1.0)
    tree = Figure("  peak memory of the run and its children at once (PSS)", "GiB", None)
    for _ in range(options.runs):
        run = options.run(pytest_command("all", options.katas_dir), sample_memory=True)
        _record(seconds, run, "pytest --katas all")
        memory.add(run.max_rss / GIB)
        if run.tree_memory is not None:
            tree.add(run.tree_memory / GIB)
        memory.error = tree.error = seconds.error
    return [seconds, memory, tree] if tree.values else [seconds, memory]


def measure_zoo(options: Options) -> list[Figure]:
    build = Figure("zoo cold build, every model (after its imports)", "s", 3.0)
    whole = Figure("  whole `zoo.build_all()` process, imports included", "s", None)
    for _ in range(options.runs):
        with tempfile.TemporaryDirectory(prefix="tfkatas-zoo-bench-") as folder:
            run = options.run(
                [sys.executable, "-c", ZOO_BUILD], env={**os.environ, "TFKATAS_ZOO_DIR": f"{folder}/a"}
            )
            whole_run = options.run(
                [sys.executable, "-c", "from pytest_tfkatas import zoo; zoo.build_all()"],
                env={**os.environ, "TFKATAS_ZOO_DIR": f"{folder}/b"},
            )
        line = next((ln for ln in run.output.splitlines() if ln.startswith("build seconds")), None)
        if run.returncode != 0 or line is None:
            build.error = _failed(run, "the zoo build")
            break
        build.add(float(line.split()[2]), others=run.others)
        _record(whole, whole_run, "the zoo build")
    return [build, whole]


def _process_cpu(pid: int) -> float | None:
    """User + system CPU seconds of a running process (Linux), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_watch(
    options: Options, saves: int, startup: float = 120.0, per_save: float = 30.0
) -> list[Figure]:
    """Save a kata file ``saves`` times under ``--katas-watch``; time each save to the next
    ``tfkatas: watching`` line."""
    figure = Figure(f"watch: save to verdict ({saves} saves)", "s", 0.5)
    topic, name = WATCH_KATA
    with tempfile.TemporaryDirectory(prefix="tfkatas-watch-bench-") as folder:
        workspace = Path(folder) / "katas"
        (workspace / topic).mkdir(parents=True)
        kata_file = workspace / topic / f"{name}.py"
        shutil.copyfile(REPO / "solutions" / topic / f"{name}.py", kata_file)
        wait_until_quiet(options.quiet, options.longest_wait)
        process = subprocess.Popen(
            [sys.executable, "-u", *pytest_command(name, workspace, "--katas-watch")[1:]],
            cwd=folder,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        lines: queue.Queue[tuple[float, str | None]] = queue.Queue()

        def read() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                lines.put((time.perf_counter(), line))
            lines.put((time.perf_counter(), None))

        threading.Thread(target=read, daemon=True).start()
        seen: list[str] = []

        def next_watching_line(deadline: float) -> float | str:
            """The arrival time of the next watching line, or why none came."""
            while True:
                try:
                    stamp, line = lines.get(timeout=max(0.0, deadline - time.perf_counter()))
                except queue.Empty:
                    return "no 'tfkatas: watching' line in time"
                if line is None:
                    return f"pytest exited (code {process.wait()}) without a 'tfkatas: watching' line"
                seen.append(line)
                if line.startswith(WATCH_LINE):
                    return stamp

        try:
            first = next_watching_line(time.perf_counter() + startup)
            if isinstance(first, str):
                tail = textwrap.indent("".join(seen[-8:]).rstrip(), "    ")
                figure.error = f"not available: {first}\n{tail}"
                return [figure]
            for save in range(saves):
                time.sleep(0.3)  # a pause between saves, as between a person's saves
                while not lines.empty():  # nothing printed before the save counts
                    seen.append(str(lines.get_nowait()[1]))
                before = len(seen)
                machine, own = _machine_cpu(), _process_cpu(process.pid)
                with kata_file.open("a", encoding="utf-8") as handle:
                    handle.write(f"# save {save}\n")
                saved = time.perf_counter()
                arrived = next_watching_line(saved + per_save)
                if isinstance(arrived, str):
                    figure.error = f"save {save}: {arrived}"
                    break
                block = "".join(seen[before:])
                if name not in block:
                    figure.error = f"save {save}: the output after the save does not name {name}:\n{block}"
                    break
                now = _process_cpu(process.pid)
                cpu = now - own if now is not None and own is not None else None
                figure.add(arrived - saved, cpu, _others_share(machine, cpu or 0.0))
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    return [figure]


# -- the table -------------------------------------------------------------------------------


def _shown(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "GiB":
        return f"{value * 1024:.0f} MiB"
    if unit == "x":
        return f"{value:.2f}x"
    return f"{value:.2f} s"


def _goal(figure: Figure) -> str:
    if figure.goal is None:
        return ""
    if figure.unit == "GiB":
        return f"<= {figure.goal:g} GiB"
    return f"<= {figure.goal:g}{' s' if figure.unit == 's' else 'x'}"


def table(figures: list[Figure]) -> str:
    """figure, median, runs (and each run's value), cpu, others, goal, verdict."""
    rows = [("figure", "median", "runs", "cpu", "others", "goal", "")]
    for figure in figures:
        each = " ".join(_shown(v, figure.unit).removesuffix(" s").removesuffix(" MiB") for v in figure.values)
        runs = f"{len(figure.values)}" + (f" ({each})" if len(figure.values) > 1 else "")
        cpu = f"{statistics.median(figure.cpu):.2f} s" if figure.cpu else ""
        others = f"{statistics.median(figure.others):.0%}" if figure.others else ""
        median = _shown(figure.median, figure.unit)
        rows.append((figure.name, median, runs, cpu, others, _goal(figure), figure.verdict))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def machine() -> str:
    one, five, _ = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {one:.2f} (1 min) {five:.2f} (5 min)"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Measure pytest-tfkatas on this machine: each figure is the median of fresh "
        "subprocess runs, printed beside its goal. Exits 0 unless --strict.",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (default 3)")
    parser.add_argument(
        "--topic", default="model_loading", help="the topic timed alone (default model_loading)"
    )
    parser.add_argument("--saves", type=int, default=10, help="saves timed in watch mode (default 10)")
    parser.add_argument(
        "--katas-dir",
        type=Path,
        default=REPO / "solutions",
        help="implementations to run (default solutions/)",
    )
    parser.add_argument(
        "--only",
        default=",".join(FIGURES),
        help=f"comma-separated figures to measure, of: {', '.join(FIGURES)} (default all)",
    )
    parser.add_argument(
        "--quiet",
        type=float,
        metavar="PCT",
        default=None,
        help="before each run, wait until other processes use less than PCT%% of the machine's CPU",
    )
    parser.add_argument(
        "--longest-wait", type=float, default=120.0, help="the longest --quiet wait, in seconds (default 120)"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 if a goal is missed or a run fails")
    args = parser.parse_args(argv)
    args.only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(args.only) - set(FIGURES))
    if unknown:
        parser.error(f"unknown figure(s) {', '.join(unknown)}; choose from {', '.join(FIGURES)}")
    if args.runs < 1 or args.saves < 1:
        parser.error("--runs and --saves must be at least 1")
    args.katas_dir = args.katas_dir.resolve()
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    options = Options(
        args.runs, args.katas_dir, None if args.quiet is None else args.quiet / 100, args.longest_wait
    )
    print(f"pytest-tfkatas benchmarks: {args.runs} fresh runs per figure; {machine()}", flush=True)
    prepare = run_timed([sys.executable, "-m", "pytest_tfkatas.zoo"])  # the kata runs' zoo, untimed
    if prepare.returncode != 0:
        print(_failed(prepare, "building the zoo"), file=sys.stderr)
        return 1
    steps: list[tuple[str, Callable[[], list[Figure]]]] = []
    if "import" in args.only or "topic" in args.only:
        topic = args.topic if "topic" in args.only else None
        label = "import and topic" if topic else "import"
        steps.append((label, lambda: measure_import_and_topic(options, topic)))
    if "all" in args.only:
        steps.append(("all", lambda: measure_all(options)))
    if "zoo" in args.only:
        steps.append(("zoo", lambda: measure_zoo(options)))
    if "watch" in args.only:
        steps.append(("watch", lambda: measure_watch(options, args.saves)))
    figures: list[Figure] = []
    for name, step in steps:
        start = time.perf_counter()
        print(f"  measuring {name} ...", end="", flush=True)
        figures += step()
        print(f" {time.perf_counter() - start:.0f} s", flush=True)
    print()
    print(table(figures))
    print(
        "\ncpu: CPU seconds of the run and its children; others: share of the machine's CPU that "
        "other processes used during the run."
    )
    for figure in figures:
        if figure.error:
            print(f"\n{figure.name.strip()}: {figure.error}")
    print(f"\nafter: {machine()}")
    if args.strict and any(f.verdict in ("MISSED", "ERROR") for f in figures):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
