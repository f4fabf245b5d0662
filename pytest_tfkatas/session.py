"""The state of one kata run, and the hooks that feed it. Registered only when ``--katas`` is given.

The object owns everything that crosses hooks: the selection, the learner's loaded functions, the
tally of check results, and the progress record. Results are tallied in
``pytest_runtest_logreport``, which runs where pytest-xdist replays reports (the controller); what
a worker knows that the controller must learn travels in ``user_properties``.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib.util
import linecache
import os
import re
import shutil
import sys
import tempfile
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pytest

from pytest_tfkatas import catalogue, progress, report, workspace
from pytest_tfkatas.guard import KataTimeLimit
from pytest_tfkatas.harness import STUB_MARK, KataFunction, pitfall_tip
from pytest_tfkatas.paths import CHECKS_DIR, kata_of_path, shown

if TYPE_CHECKING:
    from collections.abc import Callable, Generator

__all__ = ["SESSION_KEY", "KataSession"]

SESSION_KEY = pytest.StashKey["KataSession"]()
#: user_properties key: how many checks the kata has in all, before any deselection
TOTAL_PROPERTY = "tfkatas_checks_in_kata"

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

#: Names the seed questions use that transformers 5 no longer has, and what to use instead.
REMOVED_NAMES = {
    "ViTFeatureExtractor": "feature extractors are gone from transformers 5: use AutoImageProcessor.",
    "Tokenizer": "transformers has no Tokenizer class: use AutoTokenizer, or tokenizers.Tokenizer "
    "to build a new tokenizer.",
    "TFAutoModel": "TensorFlow models are gone from transformers 5: use the PyTorch AutoModel classes.",
    "load_metric": "datasets.load_metric is gone: compute metrics with a library such as rouge_score, "
    "or by hand.",
    "prune_low_magnitude": "magnitude pruning in PyTorch is torch.nn.utils.prune.",
}

Outcome = Literal["passed", "failed", "skipped"]
Status = Literal["solved", "failing", "not started", "skipped", "incomplete", "not run"]


@dataclass
class CheckResult:
    name: str
    outcome: Outcome
    message: str = ""


@dataclass
class KataRun:
    """What this run saw of one kata's checks."""

    checks: dict[str, CheckResult] = field(default_factory=dict)
    total: int | None = None

    def record(self, name: str, outcome: Outcome, message: str) -> None:
        previous = self.checks.get(name)
        # A check is as bad as its worst phase: a teardown error spoils a passed call.
        if previous is None or _rank(outcome) > _rank(previous.outcome):
            self.checks[name] = CheckResult(name, outcome, message)

    @property
    def status(self) -> Status:
        outcomes = Counter(check.outcome for check in self.checks.values())
        if outcomes["failed"]:
            untouched = all(STUB_MARK in c.message for c in self.checks.values() if c.outcome == "failed")
            return "not started" if untouched and not outcomes["passed"] else "failing"
        if outcomes["skipped"]:
            return "skipped"
        if self.total is not None and outcomes["passed"] == self.total:
            return "solved"
        return "incomplete"

    def sort(self, order: dict[str, int]) -> None:
        """Put the checks in collection order: under pytest-xdist they finish in any order, and
        the first failure shown must not depend on which worker was quicker."""
        ranked = sorted(self.checks.items(), key=lambda item: order.get(item[0], len(order)))
        self.checks = dict(ranked)

    def first_failure(self) -> CheckResult | None:
        return next((c for c in self.checks.values() if c.outcome == "failed"), None)

    def first_skip(self) -> CheckResult | None:
        return next((c for c in self.checks.values() if c.outcome == "skipped"), None)


def _rank(outcome: Outcome) -> int:
    return {"passed": 0, "skipped": 1, "failed": 2}[outcome]


#: The learner's files are imported as ``tfkatas_learner.<topic>.<kata>``.
LEARNER_PACKAGE = "tfkatas_learner"


def _importable_learner_package(katas_dir: Path) -> Path:
    """A folder for sys.path whose ``tfkatas_learner`` package is the katas folder.

    The session imports each learner file from its path, under a module name; a process that
    torch.multiprocessing spawns must import that name again to unpickle the learner's worker
    function. This package makes the name importable anywhere sys.path reaches.
    """
    folder = Path(tempfile.mkdtemp(prefix="tfkatas-import-"))
    package = folder / LEARNER_PACKAGE
    package.mkdir()
    (package / "__init__.py").write_text(
        f'"""The katas folder of a pytest-tfkatas run."""\n\n__path__ = [{str(katas_dir)!r}]\n',
        encoding="utf-8",
    )
    return folder


class KataSession:
    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.catalogue = catalogue.load()
        try:
            self.selected = self.catalogue.select(config.getoption("katas"), config.getoption("katas_level"))
        except catalogue.SelectionError as error:
            raise pytest.UsageError(str(error)) from None
        self.interview: bool = config.getoption("katas_interview")
        if self.interview and config.getoption("katas_solutions"):
            raise pytest.UsageError("--katas-solutions reveals solutions, which interview mode does not")
        self.katas_dir = workspace.katas_dir_of(config, must_exist=True)
        self.is_worker = hasattr(config, "workerinput")
        self.runs: dict[str, KataRun] = {name: KataRun() for name in self.names}
        self.collected: Counter[str] = Counter()
        #: kata -> check name (the node id's last part) -> its place in collection order
        self._order: dict[str, dict[str, int]] = {}
        self._functions: dict[str, KataFunction] = {}
        self._lines: list[str] = []
        #: the latest verdict of each kata decided so far (watch mode decides a kata many times)
        self._verdicts: dict[str, report.Verdict] = {}
        self._concluded = False
        cache = getattr(config, "cache", None)
        self.progress, self.warnings = progress.load(cache, self.katas_dir, set(self.names_all))
        self._saved_progress = self.progress.to_json()
        self._saved_environment = {name: os.environ.get(name) for name in OFFLINE_ENVIRONMENT}
        os.environ.update(OFFLINE_ENVIRONMENT)
        self._saved_hub_offline = _set_hub_offline(True)
        self.watch: bool = config.getoption("katas_watch")
        if self.watch and getattr(config.option, "numprocesses", None):
            raise pytest.UsageError("--katas-watch re-checks katas in this process: leave out -n")
        if config.option.tbstyle == "auto":
            # Interview mode: the kata report names the failing check, pytest's tips stay hidden.
            # Watch mode: pytest's failure section would come only after the watching ends.
            config.option.tbstyle = "no" if self.interview or self.watch else "short"
        if self.interview and config.option.reportchars == "fE":  # pytest's default
            # pytest's short summary repeats each failure's message, tips included ("N": none)
            config.option.reportchars = "N"
        # Collect the checks folder, not single files: node ids then name the topic and the
        # kata ("model_loading/test_generate_text.py::...") wherever the package is installed.
        # pytest_ignore_collect keeps out the checks of katas that were not selected.
        config.args[:] = [str(CHECKS_DIR)]
        self._check_files = {kata.check_path for kata in self.selected}
        # Importing torch and transformers allocates millions of objects, and Python's default
        # collection threshold (700) walks them over and over: about 10% of a topic's run.
        self._gc_threshold = gc.get_threshold()
        gc.set_threshold(GC_THRESHOLD, *self._gc_threshold[1:])
        # Restored last of all (cleanups run in reverse order): pytest's own gc.collect() calls
        # at unconfigure and cleanup then skip the frozen torch/transformers objects (~0.5 s).
        config.add_cleanup(self._restore_gc)
        self._importable = _importable_learner_package(self.katas_dir)
        sys.path.insert(0, str(self._importable))

    # -- selection and files --------------------------------------------------------------

    @property
    def names(self) -> list[str]:
        return [kata.name for kata in self.selected]

    @property
    def names_all(self) -> list[str]:
        return [kata.name for kata in self.catalogue.katas]

    def stub_file(self, kata: catalogue.Kata) -> Path:
        return self.katas_dir / kata.relpath

    def function(self, kata: catalogue.Kata) -> KataFunction:
        """The learner's function for ``kata``, imported once per run.

        A file that cannot give it (missing, unimportable, misnamed) gives a stand-in whose every
        call fails the check with the reason, so each check fails rather than errors.
        """
        if kata.name not in self._functions:
            file = self.stub_file(kata)
            try:
                self._functions[kata.name] = self._import(kata)
            except _Unusable as why:
                self._functions[kata.name] = KataFunction.unusable(kata.name, file, shown(file), str(why))
        return self._functions[kata.name]

    def _import(self, kata: catalogue.Kata) -> KataFunction:
        file = self.stub_file(kata)
        where = shown(file)
        if not file.is_file():
            raise _Unusable(
                f"There is no file {where}: the kata {kata.name} is written there.\n"
                f"Get the stub back with: pytest --katas-reset {kata.name}"
            )
        module_name = f"{LEARNER_PACKAGE}.{kata.topic}.{kata.name}"
        spec = importlib.util.spec_from_file_location(module_name, file)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        try:
            # Compiled from the file as it is now, never from a cached .pyc: two saves within one
            # second (watch mode) must not run the older one, and the learner's folder gets no
            # __pycache__. linecache forgets the old text, so tracebacks quote the new lines.
            linecache.checkcache(str(file))
            code = compile(file.read_bytes(), str(file), "exec", dont_inherit=True)
            exec(code, module.__dict__)
        except (KeyboardInterrupt, pytest.exit.Exception):
            raise
        except BaseException as error:  # SyntaxError, ImportError, NameError, SystemExit ...
            del sys.modules[module_name]
            raise _Unusable(f"Importing {where} failed:\n{_format_import_error(error, file)}") from None
        function: Callable[..., Any] | None = getattr(module, kata.name, None)
        if not callable(function):
            defined = sorted(
                n
                for n, v in vars(module).items()
                if callable(v) and getattr(v, "__module__", None) == module_name
            )
            listed = ", ".join(defined) or "none"
            raise _Unusable(
                f"{where} defines no function {kata.name}() (functions found: {listed}).\n"
                "The checks call the function by that exact name."
            )
        return KataFunction(kata.name, function, file, where)

    def forget(self, kata: catalogue.Kata) -> None:
        """Forget what this run knows of ``kata``, before checking it again (watch mode): its
        module is imported afresh and its checks are tallied anew."""
        self._functions.pop(kata.name, None)
        sys.modules.pop(f"{LEARNER_PACKAGE}.{kata.topic}.{kata.name}", None)
        self.runs[kata.name] = KataRun(total=self.collected[kata.name] or None)

    # -- hooks ----------------------------------------------------------------------------

    def pytest_report_header(self) -> list[str]:
        topics = list(dict.fromkeys(kata.topic for kata in self.selected))  # in catalogue order
        return [
            f"tfkatas: {len(self.selected)} katas ({', '.join(topics)}), "
            f"implementations from {shown(self.katas_dir)}"
        ]

    def pytest_ignore_collect(self, collection_path: Path) -> bool | None:
        if collection_path.suffix == ".py" and kata_of_path(collection_path):
            return collection_path not in self._check_files
        return None

    def pytest_itemcollected(self, item: pytest.Item) -> None:
        found = kata_of_path(item.path)
        if found:
            self.collected[found[1]] += 1

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: object, ids: list[str]) -> None:
        """The controller of a pytest-xdist run learns the collection order from its workers."""
        if not self._order:
            self._remember_order(ids)

    def _remember_order(self, nodeids: list[str]) -> None:
        for index, nodeid in enumerate(nodeids):
            # node ids are relative to the rootdir ("debugging/test_x.py::..." outside a checkout)
            file, _, check = nodeid.partition("::")
            name = Path(file).stem.removeprefix("test_")
            if name in self.runs:
                self._order.setdefault(name, {})[check.split("::")[-1]] = index

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self._remember_order([item.nodeid for item in session.items])
        for item in session.items:
            found = kata_of_path(item.path)
            if found:
                # kata and topic also reach --junitxml as <property> elements, for autograders
                item.user_properties.extend(
                    [("kata", found[1]), ("topic", found[0]), (TOTAL_PROPERTY, self.collected[found[1]])]
                )

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        found = kata_of_path(report.location[0]) or kata_of_path(report.nodeid.split("::")[0])
        if found is None or found[1] not in self.runs:
            return
        run = self.runs[found[1]]
        for key, value in report.user_properties:
            if key == TOTAL_PROPERTY:
                run.total = int(value)  # type: ignore[call-overload]
        check = report.nodeid.split("::")[-1]
        if report.failed:
            run.record(check, "failed", _failure_message(report))
        elif report.skipped:
            run.record(check, "skipped", _skip_message(report))
        elif report.when == "call":
            run.record(check, "passed", "")

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.is_worker or self._concluded:
            return
        self._lines = self.conclude(self.selected)

    def conclude(self, katas: tuple[catalogue.Kata, ...]) -> list[str]:
        """Decide ``katas`` from what this run saw of them: progress updated and saved, the JSON
        report written, and the report's lines returned (empty without a terminal)."""
        verdicts = self._update_progress(katas)
        self._save_progress()
        self._verdicts.update({verdict.kata.name: verdict for verdict in verdicts})
        report_file = self.config.getoption("katas_report")
        if report_file:
            self._write_json_report(Path(report_file), list(self._verdicts.values()))
        lines = (
            report.build(self, verdicts) if self.config.pluginmanager.has_plugin("terminalreporter") else []
        )
        self.warnings.clear()  # said once
        return lines

    @pytest.hookimpl(wrapper=True)
    def pytest_runtestloop(self, session: pytest.Session) -> Generator[None, object, object]:
        result = yield
        if self.watch and not self.is_worker:
            from pytest_tfkatas import watch

            self._concluded = True
            watch.Watcher(self, session).run(self.conclude(self.selected))
        return result

    def _write_json_report(self, file: Path, verdicts: list[report.Verdict]) -> None:
        if not file.is_absolute():
            file = self.config.invocation_params.dir / file
        try:
            report.write_json(self, verdicts, file)
        except OSError as error:
            self.warnings.append(f"tfkatas: could not write the report {file}: {error}")

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self._lines:
            terminalreporter.write("\n".join(self._lines) + "\n")

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self) -> None:
        # Every Trainer.train() starts with a full gc.collect() (accelerate's free_memory), which
        # walks the ~400k objects of torch and transformers: ~0.3 s a run. Freezing what exists
        # before a check moves it out of the collector's sight (a cheap list splice), so a check
        # pays only for the objects it creates. pytest_unconfigure unfreezes them.
        gc.freeze()

    def pytest_unconfigure(self) -> None:
        # Leave the process as it was, for pytest runs made inside a longer-lived process
        # (the garbage collector too, in _restore_gc).
        with contextlib.suppress(ValueError):
            sys.path.remove(str(self._importable))
        shutil.rmtree(self._importable, ignore_errors=True)
        for name in [name for name in sys.modules if name.partition(".")[0] == LEARNER_PACKAGE]:
            del sys.modules[name]
        for name, value in self._saved_environment.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        _set_hub_offline(self._saved_hub_offline)
        # torch and transformers leave millions of objects behind; the garbage collection that
        # Python runs as it shuts down would walk them all (about 0.6 s) just to free memory
        # the exit frees anyway. Freezing them at exit skips that walk. atexit runs only when
        # the interpreter ends, so a pytest run inside a longer-lived process is not affected.
        atexit.unregister(gc.freeze)  # once, however many runs this process makes
        atexit.register(gc.freeze)

    def _restore_gc(self) -> None:
        gc.unfreeze()
        gc.set_threshold(*self._gc_threshold)

    # -- progress -------------------------------------------------------------------------

    def _update_progress(self, katas: tuple[catalogue.Kata, ...]) -> list[report.Verdict]:
        verdicts = []
        stamp = progress.now()
        for kata in katas:
            run = self.runs[kata.name]
            run.sort(self._order.get(kata.name, {}))
            record = self.progress.of(kata.name)
            status = run.status if run.checks else "not run"
            was_solved = record.solved
            hint = None
            decided = status in ("solved", "failing")
            if decided:
                record.attempts += 1
                record.first_attempt = record.first_attempt or stamp
            if self.interview and (decided or status == "not started"):
                # the interview clock starts at the first interview run that meets the kata
                record.interview_started = record.interview_started or stamp
                if decided and record.interview_solved is None:  # runs up to the solve
                    record.interview_attempts += 1
                    if status == "solved":
                        record.interview_solved = stamp
            if status == "failing" and not self.interview:
                record.hints_shown = min(record.hints_shown + 1, len(kata.hints))
                hint = record.hints_shown
            if status == "solved" and not was_solved:
                record.first_solved = stamp
                record.solved_in = "interview" if self.interview else "practice"
            verdicts.append(
                report.Verdict(
                    kata=kata,
                    status=status,
                    run=run,
                    hint=hint,
                    newly_solved=status == "solved" and not was_solved,
                    solved_before=was_solved,
                )
            )
        return verdicts

    def _save_progress(self) -> None:
        cache = getattr(self.config, "cache", None)
        current = self.progress.to_json()
        if cache is None or current == self._saved_progress:
            return
        try:
            progress.save(cache, self.progress)
        except OSError as error:
            self.warnings.append(f"tfkatas: could not save your progress: {error}")
            return
        self._saved_progress = current


class _Unusable(Exception):
    """The learner's file could not give the function: missing, unimportable or misnamed."""


def _format_import_error(error: BaseException, file: Path) -> str:
    if isinstance(error, SyntaxError):
        return "".join(traceback.format_exception_only(error)).rstrip()
    if isinstance(error, KataTimeLimit):  # its message names the line and what to look for
        return str(error)
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if Path(frame.filename) == file]
    where = f"  line {frames[-1].lineno}: {frames[-1].line}\n" if frames else ""
    detail = "".join(traceback.format_exception_only(error)).strip()
    if isinstance(error, SystemExit):
        detail = f"SystemExit({error.code!r}): the file calls sys.exit() or exit() when imported"
    advice = None
    if isinstance(error, ImportError):
        missing = re.search(r"cannot import name '(\w+)'", str(error))
        advice = REMOVED_NAMES.get(missing.group(1) if missing else error.name or "")
    advice = advice or pitfall_tip(error)
    return f"{where}{detail}" + (f"\nTip: {advice}" if advice else "")


def _failure_message(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    crash = getattr(longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(longrepr)
    return text.strip().removeprefix("Failed: ")


def _skip_message(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def _set_hub_offline(offline: bool | None) -> bool | None:
    """huggingface_hub reads HF_HUB_OFFLINE once, at import: if it is loaded already, set its
    constant too. Returns the previous value (None when the hub is not loaded yet)."""
    constants = sys.modules.get("huggingface_hub.constants")
    if constants is None or offline is None:
        return None
    previous: bool = constants.HF_HUB_OFFLINE
    constants.HF_HUB_OFFLINE = offline
    return previous
