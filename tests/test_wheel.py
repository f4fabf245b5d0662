"""A pip user's first steps: the wheel installed into a fresh virtual environment, run from an empty
folder. The stubs and the reference solutions must come from the wheel itself, not the checkout.

torch, transformers and the rest are lent to the new environment from ours through a .pth file
(installing them again would take minutes); pytest-tfkatas itself is only the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from pytest_tfkatas import catalogue

REPO = Path(__file__).resolve().parent.parent
CATALOGUE = catalogue.load()
FAST = CATALOGUE.kata("stable_log_softmax")


def _run(
    *command: str | Path, cwd: Path, check: bool = True, environment: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "COLUMNS": "120", **(environment or {})}
    environment.pop("PYTHONPATH", None)
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=environment, capture_output=True, text=True, timeout=300
    )
    if check and result.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, command))} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a fresh virtual environment with the wheel of this checkout installed."""
    root = tmp_path_factory.mktemp("wheel")
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        root,
        REPO,
        cwd=root,
    )
    (wheel,) = root.glob("pytest_tfkatas-*.whl")
    return _installed(wheel, root)


def _installed(wheel: Path, root: Path) -> Path:
    """The python of a new virtual environment in ``root`` with ``wheel`` installed."""
    environment = root / "venv"
    venv.create(environment, with_pip=False)
    python = environment / "bin" / "python"
    site = Path(
        _run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=root).stdout.strip()
    )
    (site / "lend_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-deps",
        "--no-index",
        "-q",
        wheel,
        cwd=root,
    )
    return python


def test_the_wheel_bundles_the_stubs_and_the_reference_solutions(installed: Path, tmp_path: Path) -> None:
    found = _run(
        installed,
        "-c",
        "import pytest_tfkatas, pathlib; print(pathlib.Path(pytest_tfkatas.__file__).parent)",
        cwd=tmp_path,
    )
    package = Path(found.stdout.strip())
    assert package.parent.name == "site-packages" and REPO not in package.parents, (
        "the wheel, not the checkout"
    )
    for kata in CATALOGUE.katas:
        assert (package / "bundled" / "katas" / kata.relpath).is_file(), kata.name
        assert (package / "bundled" / "solutions" / kata.relpath).is_file(), kata.name


def test_a_pip_user_creates_a_workspace_and_solves_a_kata_from_an_empty_folder(
    installed: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "learning"
    empty.mkdir()
    pytest_command = (installed, "-m", "pytest", "-p", "no:randomly")
    no_workspace = _run(*pytest_command, "--katas", FAST.name, cwd=empty, check=False)
    assert no_workspace.returncode == pytest.ExitCode.USAGE_ERROR
    assert "pytest --katas-init" in no_workspace.stderr

    init = _run(*pytest_command, "--katas-init", cwd=empty)
    assert f"wrote {len(CATALOGUE.katas)} kata stubs in katas/, pytest.ini" in init.stdout
    stub = empty / "katas" / FAST.relpath
    assert stub.read_text(encoding="utf-8") == (REPO / "katas" / FAST.relpath).read_text(encoding="utf-8")

    untouched = _run(*pytest_command, "--katas", FAST.name, cwd=empty, check=False)
    assert f"○ {FAST.name}  not started  katas/{FAST.relpath}" in untouched.stdout

    stub.write_text(
        (REPO / "tests" / "alternatives" / FAST.topic / f"{FAST.name}.py").read_text(encoding="utf-8")
    )
    solved = _run(*pytest_command, "--katas", FAST.name, cwd=empty)
    assert f"✓ {FAST.name} solved!" in solved.stdout
    assert "What the reference does differently" in solved.stdout
    unwrapped = "".join(solved.stdout.split())  # a long path may be wrapped anywhere
    assert f"bundled/solutions/{FAST.relpath}" in unwrapped, "the reference comes from the wheel"

    listed = _run(*pytest_command, "--katas-list", FAST.topic, cwd=empty)
    assert any(line.split()[:1] == [FAST.name] and "solved" in line for line in listed.stdout.splitlines())

    (empty / "katas" / FAST.relpath).write_text("# oops\n", encoding="utf-8")
    _run(*pytest_command, "--katas-reset", FAST.name, cwd=empty)
    assert stub.read_text(encoding="utf-8") == (REPO / "katas" / FAST.relpath).read_text(encoding="utf-8")
    assert (stub.parent / f"{FAST.name}.py.bak").read_text(encoding="utf-8") == "# oops\n"


def _checkout(tmp_path: Path) -> Path:
    """A git checkout of this project's buildable files as they are now, committed."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for name in ("pyproject.toml", "README.md"):
        (checkout / name).write_bytes((REPO / name).read_bytes())
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.bak")
    for folder in ("pytest_tfkatas", "katas", "solutions"):
        shutil.copytree(REPO / folder, checkout / folder, ignore=ignore)
    for command in (
        ("git", "init", "-q"),
        ("git", "add", "."),
        ("git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "pristine"),
    ):
        _run(*command, cwd=checkout)
    return checkout


def _build_wheel(checkout: Path, into: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    return _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        into,
        checkout,
        cwd=into,
        check=False,
        environment=environment,
    )


def test_a_wheel_built_from_a_used_checkout_carries_the_pristine_stubs_and_no_backup(tmp_path: Path) -> None:
    checkout = _checkout(tmp_path)
    stub = checkout / "katas" / FAST.relpath
    pristine = stub.read_text(encoding="utf-8")
    backup = stub.with_name(f"{FAST.name}.py.bak")
    backup.write_text("# the learner's answer, kept by --katas-reset\n", encoding="utf-8")
    (stub.parent / "__pycache__").mkdir()
    (stub.parent / "__pycache__" / f"{FAST.name}.cpython-311.pyc").write_bytes(b"\0")

    built = _build_wheel(checkout, tmp_path)
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("pytest_tfkatas-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert archive.read(f"pytest_tfkatas/bundled/katas/{FAST.relpath}").decode() == pristine
    assert not [name for name in names if name.endswith((".bak", ".pyc")) or "__pycache__" in name]
    assert "pytest_tfkatas/build_hook.py" not in names


def test_a_wheel_is_not_built_from_a_checkout_whose_stubs_were_edited(tmp_path: Path) -> None:
    checkout = _checkout(tmp_path)
    stub = checkout / "katas" / FAST.relpath
    stub.write_text(stub.read_text(encoding="utf-8").replace("raise NotImplementedError", "return logits"))
    stray = checkout / "katas" / FAST.topic / "my_notes.py"
    stray.write_text("# scratch\n", encoding="utf-8")
    stub.with_name(f"{FAST.name}.py.bak").write_text("# old\n", encoding="utf-8")

    built = _build_wheel(checkout, tmp_path)
    assert built.returncode != 0
    assert "edited stubs" in built.stderr
    assert f"katas/{FAST.relpath}" in built.stderr and f"katas/{FAST.topic}/my_notes.py" in built.stderr
    assert not list(tmp_path.glob("*.whl"))


def test_an_instructor_builds_a_wheel_without_the_solutions_and_the_reveal_says_so(tmp_path: Path) -> None:
    checkout = _checkout(tmp_path)
    built = _build_wheel(checkout, tmp_path, TFKATAS_WITHOUT_SOLUTIONS="1")
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("pytest_tfkatas-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert f"pytest_tfkatas/bundled/katas/{FAST.relpath}" in names
    assert not [name for name in names if "/solutions/" in name or name.startswith("solutions/")]

    python = _installed(wheel, tmp_path)
    learner = tmp_path / "learner"
    learner.mkdir()
    _run(python, "-m", "pytest", "--katas-init", cwd=learner)
    (learner / "katas" / FAST.relpath).write_text(
        (REPO / "tests" / "alternatives" / FAST.topic / f"{FAST.name}.py").read_text(encoding="utf-8")
    )
    solved = _run(python, "-m", "pytest", "--katas", FAST.name, cwd=learner)
    assert f"✓ {FAST.name} solved!" in solved.stdout
    assert "your instructor has them" in " ".join(solved.stdout.split())
