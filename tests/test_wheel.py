"""A pip user's first steps: the wheel installed into a fresh virtual environment, run from an empty
folder. The stubs and the reference solutions must come from the wheel itself, not the checkout.

torch, transformers and the rest are lent to the new environment from ours through a .pth file
(installing them again would take minutes); pytest-tfkatas itself is only the wheel.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from pytest_tfkatas import catalogue

REPO = Path(__file__).resolve().parent.parent
CATALOGUE = catalogue.load()
FAST = CATALOGUE.kata("stable_log_softmax")


def _run(*command: str | Path, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "COLUMNS": "120"}
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
