"""Decoy for check_version_compatibility: it raises at the first problem, so the error names only one of several.

caught_by: test_every_problem_is_named_in_one_error
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Mapping

from packaging.specifiers import SpecifierSet
from packaging.version import Version


def check_version_compatibility(
    requirements: Mapping[str, str],
    installed: Mapping[str, str] | None = None,
) -> dict[str, Version]:
    versions: dict[str, Version] = {}
    problems: list[str] = []
    for name, spec in requirements.items():
        specifier = SpecifierSet(spec)  # InvalidSpecifier (a ValueError) for "=>5.0"
        try:
            text = importlib.metadata.version(name) if installed is None else installed[name]
        except (importlib.metadata.PackageNotFoundError, KeyError):
            problems.append(f"{name} is not installed (required: {spec or 'any version'})")
            continue
        # Parse explicitly: InvalidVersion (a ValueError) for "latest". Since packaging 26,
        # specifier.contains() returns False for an unparsable string instead of raising.
        version = Version(text)
        versions[name] = version
        # prereleases=True: an installed pre-release or dev build is judged by its place in PEP 440's
        # order. (packaging < 26 left pre-releases out by default; 26 lets them in: say it.)
        if not specifier.contains(version, prereleases=True):
            raise ImportError(f"{name} {version} is installed, but {name}{spec} is required")  # MISTAKE
    if problems:
        # ImportError, like transformers' own require_version(): the environment is the problem.
        raise ImportError("incompatible versions: " + "; ".join(problems))
    return versions
