"""The learner's workspace and the info commands that print or change it without running a test:
``--katas-init`` (create one), ``--katas-list`` (the catalogue and the learner's progress) and
``--katas-reset`` (pristine stubs again, the learner's file kept as a backup).

Light on purpose: nothing here imports torch or transformers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from pytest_tfkatas import catalogue, progress
from pytest_tfkatas.console import console_for, lines_of
from pytest_tfkatas.options import OPTIONS_KEY, Options
from pytest_tfkatas.paths import StubUnavailable, pristine_stub, shown, write_atomically

__all__ = [
    "INIT_HINT",
    "init",
    "katas_dir_of",
    "reset",
    "run_info_command",
    "show_hint",
    "show_list",
    "show_solutions",
    "write_classroom",
]

#: Files whose presence makes a folder pytest's rootdir: --katas-init adds pytest.ini without one.
_CONFIG_FILES = ("pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg")
INIT_HINT = "Create a workspace of kata stubs with:  pytest --katas-init [DIR]"
_PYTEST_INI = """\
# A pytest-tfkatas workspace: your katas are in katas/<topic>/<name>.py.
#   pytest --katas-list               the katas and your progress
#   pytest --katas model_loading      check a topic (or kata names, or all)
[pytest]
"""


def katas_dir_of(options: Options, *, must_exist: bool) -> Path:
    """The folder of the learner's kata files: ``--katas-dir``, or ``katas/`` in the rootdir."""
    option = options.katas_dir
    folder = Path(option) if option else options.rootpath / "katas"
    if not folder.is_absolute():
        folder = options.invocation_dir / folder
    if must_exist and not folder.is_dir():
        if option:
            raise pytest.UsageError(
                f"No katas folder at {folder} (--katas-dir): point --katas-dir at the folder that "
                f"holds your kata files.\n{INIT_HINT}"
            )
        raise pytest.UsageError(
            f"No katas folder at {folder}: this is not a pytest-tfkatas workspace.\n"
            f"{INIT_HINT}\n(or run pytest from your workspace, or point --katas-dir at your kata files)"
        )
    return folder.resolve()


#: An info command: it prints on the console, and may change files.
InfoCommand = Callable[[pytest.Config, Options, Console], None]


def run_info_command(config: pytest.Config, command: InfoCommand) -> int:
    """Run an info command the way pytest runs ``--cache-show``: configured, no tests, exit 0."""
    # _pytest.main.wrap_session is what pytest's own --cache-show and --fixtures run through
    # (configure, session start and finish, unconfigure, and pytest's exit codes for errors); it
    # has no public counterpart. tests/test_private_apis.py fails if it changes.
    from _pytest.main import wrap_session

    def session_main(config: pytest.Config, session: pytest.Session) -> int:
        writer = config.get_terminal_writer()
        console = console_for(config)
        with console.capture() as capture:
            command(config, config.stash[OPTIONS_KEY], console)
        writer.write("".join(line + "\n" for line in lines_of(capture.get())))
        writer.flush()
        return 0

    return wrap_session(config, session_main)


def _selection(options: Options, spec: str, option: str) -> tuple[catalogue.Kata, ...]:
    try:
        return catalogue.load().select(spec, options.level, option=option)
    except catalogue.SelectionError as error:
        raise pytest.UsageError(str(error)) from None


def _load_progress(config: pytest.Config, katas_dir: Path) -> progress.Progress:
    names = {kata.name for kata in catalogue.load().katas}
    record, warnings = progress.load(getattr(config, "cache", None), katas_dir, names, config.rootpath)
    for warning in warnings:
        config.get_terminal_writer().line(warning, yellow=True)
    return record


def _save_progress(config: pytest.Config, record: progress.Progress, console: Console) -> None:
    cache = getattr(config, "cache", None)
    if cache is None:
        console.print(
            Text("tfkatas: pytest's cache is off (-p no:cacheprovider): progress unchanged", "yellow")
        )
        return
    try:
        progress.save(cache, record)
    except OSError as error:
        console.print(Text(f"tfkatas: could not write the progress record: {error}", "yellow"))


# -- --katas-list -------------------------------------------------------------------------------

_REGRESSED = "regressed"
#: Each status of a kata (KataProgress.status), as --katas-list colours it.
_STATUS_STYLES = {"solved": "green", _REGRESSED: "yellow", "attempted": "yellow", "new": "dim"}


def show_list(config: pytest.Config, options: Options, console: Console) -> None:
    assert options.list is not None
    selected = _selection(options, options.list, "--katas-list")
    katas_dir = katas_dir_of(options, must_exist=False)
    record = _load_progress(config, katas_dir) if katas_dir.is_dir() else None
    # One section per topic (a topic column would not fit 80 columns beside the kata names).
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("topic · kata", no_wrap=True)
    table.add_column("level", no_wrap=True)
    table.add_column("question", justify="right")  # its number in the seed question list
    table.add_column("status", no_wrap=True)
    table.add_column("hints", justify="right", no_wrap=True)
    counts = dict.fromkeys(_STATUS_STYLES, 0)
    interview = False
    for index, kata in enumerate(selected):
        if index == 0 or selected[index - 1].topic != kata.topic:
            table.add_row(Text(kata.topic, "bold"))
        entry = record.of(kata.name) if record else progress.KataProgress()
        status = Text(entry.status, _STATUS_STYLES[entry.status])
        if entry.solved and entry.solved_in == "interview":
            status.append("*", "bold")
            interview = True
        counts[entry.status] += 1
        hints = f"{entry.hints_shown}/{len(kata.hints)}" if entry.hints_shown else "-"
        table.add_row(f"  {kata.name}", kata.level, f"#{kata.question_label}", status, hints)
    console.print(table)
    summary = ", ".join(
        f"{count} {status}" for status, count in counts.items() if count or status != _REGRESSED
    )
    console.print(Text.assemble((f"{len(selected)} katas: ", "bold"), summary))
    if counts[_REGRESSED]:
        console.print(Text("regressed: solved before, failing now (its last run failed)", "dim"))
    if interview:
        console.print(Text("* solved in interview mode (--katas-interview)", "dim"))
    if record is None:
        console.print(Text(f"No katas folder at {katas_dir} yet. {INIT_HINT}", "yellow"))
    else:
        files = Text.assemble("Your files: ", (shown(katas_dir), "cyan"))
        console.print(files.append(". Check a kata with: pytest --katas NAME"))


# -- --katas-solutions (alone) --------------------------------------------------------------------


def show_solutions(config: pytest.Config, options: Options, console: Console) -> None:
    """The reference solution of every kata solved in this workspace, each after a diff against the
    learner's file; nothing runs."""
    from pytest_tfkatas import report

    katas_dir = katas_dir_of(options, must_exist=True)
    record = _load_progress(config, katas_dir)
    solved = [kata for kata in catalogue.load().katas if record.of(kata.name).solved]
    if not solved:
        console.print(
            Text("No kata solved yet in this workspace: a reference is shown once its kata passes.", "yellow")
        )
        return
    for kata in solved:
        entry = record.of(kata.name)
        headline = f"{kata.name} ({entry.status})"
        console.print(report.reference(kata, headline, learner_file=katas_dir / kata.relpath))
    console.print(Text(f"{len(solved)} solved katas; their references are shown above.", "bold"))


# -- --katas-hint -------------------------------------------------------------------------------


def show_hint(config: pytest.Config, options: Options, console: Console) -> None:
    """The next rung of a kata's hint ladder, recorded as used (a failing run shows it too)."""
    assert options.hint is not None
    selected = _selection(options, options.hint, "--katas-hint")
    if len(selected) != 1:
        raise pytest.UsageError(f"--katas-hint takes one kata, not {len(selected)}: --katas-hint NAME")
    (kata,) = selected
    katas_dir = katas_dir_of(options, must_exist=True)
    record = _load_progress(config, katas_dir)
    entry = record.of(kata.name)
    if not kata.hints:
        console.print(Text(f"{kata.name} has no hints.", "yellow"))
        return
    last = entry.hints_shown >= len(kata.hints)
    entry.hints_shown = min(entry.hints_shown + 1, len(kata.hints))
    rung = entry.hints_shown
    console.print(
        Text.assemble((f"Hint {rung}/{len(kata.hints)} ", "bold magenta"), (kata.name, "bold"), ": ")
    )
    console.print(Padding(Text(kata.hints[rung - 1]), (0, 0, 0, 2)))
    if last or rung == len(kata.hints):
        console.print(
            Text("That is the last hint; the reference solution is shown once the kata passes.", "dim")
        )
    if not last:
        _save_progress(config, record, console)


# -- --katas-reset ------------------------------------------------------------------------------


def reset(config: pytest.Config, options: Options, console: Console) -> None:
    assert options.reset is not None
    selected = _selection(options, options.reset, "--katas-reset")
    katas_dir = katas_dir_of(options, must_exist=True)
    record = _load_progress(config, katas_dir)
    cleared = False
    for kata in selected:
        target = katas_dir / kata.relpath
        try:
            stub = pristine_stub(kata.relpath)
        except StubUnavailable as error:
            raise pytest.UsageError(f"--katas-reset {kata.name}: {error}") from None
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        had_progress = record.clear(kata.name)
        cleared = cleared or had_progress
        forgot = "; its progress is cleared" if had_progress else ""
        if current == stub:
            console.print(Text.assemble(("↺ ", "cyan"), (kata.name, "bold"), f": already pristine{forgot}"))
            continue
        kept = ""
        if current is not None:
            backup = _free_backup_name(target)
            target.replace(backup)
            kept = f"; your version is kept in {shown(backup)}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(stub, encoding="utf-8")
        again = f": {shown(target)} is the pristine stub again{forgot}{kept}"
        console.print(Text.assemble(("↺ ", "cyan"), (kata.name, "bold"), again))
    if cleared:
        _save_progress(config, record, console)


def _free_backup_name(target: Path) -> Path:
    """``name.py.bak``, or ``name.py.bak2``, ``.bak3``... : an earlier backup is never replaced."""
    candidate = target.with_name(target.name + ".bak")
    number = 1
    while candidate.exists():
        number += 1
        candidate = target.with_name(f"{target.name}.bak{number}")
    return candidate


# -- --katas-init -------------------------------------------------------------------------------


def init(config: pytest.Config, options: Options, console: Console) -> None:
    assert options.init is not None
    folder = Path(options.init)
    if not folder.is_absolute():
        folder = options.invocation_dir / folder
    folder = folder.resolve()
    if folder.exists() and not folder.is_dir():
        raise pytest.UsageError(f"--katas-init {folder}: that is a file, not a folder")
    katas = catalogue.load().katas
    stubs: dict[Path, str] = {}
    for kata in katas:
        try:
            stubs[folder / "katas" / kata.relpath] = pristine_stub(kata.relpath)
        except StubUnavailable as error:
            raise pytest.UsageError(f"--katas-init: {error}") from None
    written, kept = [], []
    for target, text in stubs.items():
        if target.exists():
            kept.append(target)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    made_ini = not any((folder / name).exists() for name in _CONFIG_FILES)
    if made_ini:
        (folder / "pytest.ini").write_text(_PYTEST_INI, encoding="utf-8")
    where = shown(folder)
    parts = [f"{len(written)} kata stubs in katas/"] + (["pytest.ini"] if made_ini else [])
    console.print(Text.assemble(("✓ ", "bold green"), f"Workspace {where}: wrote ", ", ".join(parts)))
    if kept:
        listed = ", ".join(shown(path) for path in kept[:5]) + (" ..." if len(kept) > 5 else "")
        console.print(Text(f"  kept {len(kept)} files that were there already, untouched: {listed}", "dim"))
    go = "" if folder == options.invocation_dir.resolve() else f"cd {where} && "
    console.print(f"Next: {go}pytest --katas-list           the katas and your progress")
    console.print(f"      {go}pytest --katas model_loading  check a topic, once you have edited its stubs")


# -- --katas-classroom ----------------------------------------------------------------------------


def write_classroom(config: pytest.Config, options: Options, console: Console) -> None:
    """Write .github/workflows/classroom.yml into the workspace (the rootdir) for GitHub Classroom."""
    from pytest_tfkatas import classroom, gradebook

    assert options.classroom is not None
    selected = _selection(options, options.classroom, "--katas-classroom")
    points_file = None
    if options.points:
        points_file = Path(options.points)
        if not points_file.is_absolute():
            points_file = options.invocation_dir / points_file
    try:
        points = gradebook.load_points(points_file, (kata.name for kata in catalogue.load().katas))
    except gradebook.PointsError as error:
        raise pytest.UsageError(f"--katas-points: {error}") from None
    workspace = options.rootpath
    target = workspace / classroom.WORKFLOW
    text = classroom.workflow(selected, points, classroom.install_command(workspace))
    existed = target.is_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, text)
    total = sum(points.of(kata.name) for kata in selected)
    console.print(
        Text.assemble(
            ("Wrote ", "green"),
            (shown(target), "bold"),
            f" ({'replaced' if existed else 'new'}): {len(selected)} autograding steps, "
            f"{total:g} points in all.",
        )
    )
    console.print(
        "Commit it to the assignment's template repository: GitHub Classroom runs it on every push "
        "and shows each learner's points."
    )
