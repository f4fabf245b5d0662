"""Alternative: pip-style requirement strings parsed with packaging.requirements.Requirement."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Mapping

from packaging.requirements import Requirement
from packaging.version import Version, parse


def check_version_compatibility(
    requirements: Mapping[str, str],
    installed: Mapping[str, str] | None = None,
) -> dict[str, Version]:
    found: dict[str, Version] = {}
    errors = []
    for requirement in (Requirement(f"{name} {spec}") for name, spec in requirements.items()):
        if installed is not None:
            text = installed.get(requirement.name)
        else:
            try:
                text = importlib.metadata.version(requirement.name)
            except importlib.metadata.PackageNotFoundError:
                text = None
        if text is None:
            errors.append(f"{requirement} needs {requirement.name}, which is missing")
            continue
        found[requirement.name] = parse(text)
        if not all(
            spec.contains(found[requirement.name], prereleases=True) for spec in requirement.specifier
        ):
            errors.append(f"{requirement} is not met by {requirement.name}=={text}")
    if errors:
        raise ImportError("\n".join(errors))
    return found
