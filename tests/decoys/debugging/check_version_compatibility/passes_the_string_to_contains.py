"""Decoy for check_version_compatibility: the version string goes straight to contains(), which (packaging 26) answers False for "latest" instead of raising.

caught_by: test_what_cannot_be_parsed_raises_value_error
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
        if not specifier.contains(text, prereleases=True):  # MISTAKE: an unparsable version is just "no"
            problems.append(f"{name} {text} is installed, but {name}{spec} is required")
            continue
        versions[name] = Version(text)
    if problems:
        # ImportError, like transformers' own require_version(): the environment is the problem.
        raise ImportError("incompatible versions: " + "; ".join(problems))
    return versions
