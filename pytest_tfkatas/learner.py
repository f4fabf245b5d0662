"""The learner's kata files, imported as modules: each kata's function once per run (afresh after a
save in watch mode), or a stand-in that fails every check with why the file gave no function.

The files are compiled from their text as it is now, never from a cached ``.pyc``, and imported as
``tfkatas_learner.<topic>.<kata>``: a temporary package of that name on ``sys.path`` points at the
katas folder, so a process that torch.multiprocessing spawns can import the same module again to
unpickle a learner's worker function.
"""

from __future__ import annotations

import contextlib
import importlib.util
import linecache
import re
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pytest_tfkatas.catalogue import Kata
from pytest_tfkatas.harness import KataFunction, KataTimeLimit, pitfall_tip
from pytest_tfkatas.paths import shown

__all__ = ["LEARNER_PACKAGE", "LearnerModules"]

#: The learner's files are imported as ``tfkatas_learner.<topic>.<kata>``.
LEARNER_PACKAGE = "tfkatas_learner"

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


class LearnerModules:
    """The learner's functions of one run, from the files in ``katas_dir``."""

    def __init__(self, katas_dir: Path, package: str = LEARNER_PACKAGE) -> None:
        """``package`` names the modules: grading gives each learner a package of their own, so
        that no learner's module stands in for another's."""
        self.katas_dir = katas_dir
        self.package = package
        self._functions: dict[str, KataFunction] = {}
        self._importable = _importable_learner_package(katas_dir, package)
        sys.path.insert(0, str(self._importable))

    def file(self, kata: Kata) -> Path:
        return self.katas_dir / kata.relpath

    def function(self, kata: Kata) -> KataFunction:
        """The learner's function for ``kata``, imported once per run.

        A file that cannot give it (missing, unimportable, misnamed) gives a stand-in whose every
        call fails the check with the reason, so each check fails rather than errors.
        """
        if kata.name not in self._functions:
            file = self.file(kata)
            try:
                self._functions[kata.name] = self._import(kata)
            except _Unusable as why:
                self._functions[kata.name] = KataFunction.unusable(kata.name, file, shown(file), str(why))
        return self._functions[kata.name]

    def forget(self, kata: Kata) -> None:
        """Import ``kata``'s file afresh at its next use (watch mode, after a save)."""
        self._functions.pop(kata.name, None)
        sys.modules.pop(self.module_name(kata), None)

    def close(self) -> None:
        """Leave sys.path and sys.modules as they were before the run."""
        with contextlib.suppress(ValueError):
            sys.path.remove(str(self._importable))
        shutil.rmtree(self._importable, ignore_errors=True)
        for name in [name for name in sys.modules if name.partition(".")[0] == self.package]:
            del sys.modules[name]

    def module_name(self, kata: Kata) -> str:
        """The name ``kata``'s file is imported as: ``<package>.<topic>.<kata>``."""
        return f"{self.package}.{kata.topic}.{kata.name}"

    def _import(self, kata: Kata) -> KataFunction:
        file = self.file(kata)
        where = shown(file)
        if not file.is_file():
            raise _Unusable(
                f"There is no file {where}: the kata {kata.name} is written there.\n"
                f"Get the stub back with: pytest --katas-reset {kata.name}"
            )
        module_name = self.module_name(kata)
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


def _importable_learner_package(katas_dir: Path, name: str) -> Path:
    """A folder for sys.path whose package ``name`` is the katas folder."""
    folder = Path(tempfile.mkdtemp(prefix="tfkatas-import-"))
    package = folder / name
    package.mkdir()
    (package / "__init__.py").write_text(
        f'"""The katas folder of a pytest-tfkatas run."""\n\n__path__ = [{str(katas_dir)!r}]\n',
        encoding="utf-8",
    )
    return folder


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
