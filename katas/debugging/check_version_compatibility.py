"""Kata: check library versions against requirements the way pip does (seed question 107).

Run the checks with:  pytest --katas check_version_compatibility
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
    """Check that every required package is installed in a version its requirement accepts.

    Code that relies on transformers 5 (``dtype=`` rather than ``torch_dtype=``, ``eval_strategy``
    ...) can refuse to run on an older install with a clear message::

        check_version_compatibility({"transformers": ">=5.0,<6", "torch": ">=2.4"})

    Versions follow PEP 440, not string order: "10.0" is newer than "4.0". Pre-releases and
    development builds (a transformers installed from source is e.g. "5.1.0.dev0") are checked
    by their place in that order: "5.0.0rc1" satisfies ">=4.40" but not ">=5.0" (a release
    candidate comes before its release), and "6.0.0rc1" does not satisfy "<6" (PEP 440 excludes
    the pre-releases of an excluded upper bound).

    Args:
        requirements: package name -> version specifier, e.g. ``{"transformers": ">=5.0,<6"}``;
            an empty specifier accepts any version.
        installed: package name -> installed version, to check instead of the packages that
            are installed (a package missing from it counts as not installed); None reads the
            installed versions with ``importlib.metadata``.

    Returns:
        Package name -> its installed version as a ``packaging.version.Version``, for every
        required package.

    Raises:
        ImportError: when a required package is not installed or its version does not satisfy
            its specifier. One error for all the problems: its message names every such package
            with its version and requirement.
        ValueError: when a specifier or a version cannot be parsed (e.g. "=>5.0" or "latest").
    """
    # TODO: parse each version and specifier with packaging, collect the failures, raise ImportError.
    raise NotImplementedError
