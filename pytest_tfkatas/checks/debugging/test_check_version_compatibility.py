"""Hidden checks: check_version_compatibility."""

from __future__ import annotations

import importlib.metadata

import pytest
from packaging.version import Version

from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call

STRING_TIP = (
    "versions are not strings ('10.0' < '4.0' as text): parse them with packaging.version.Version "
    "and check them with packaging.specifiers.SpecifierSet."
)


def accepted(kata, requirements: dict[str, str], installed: dict[str, str] | None, tip: str) -> object:
    """Call the kata where every requirement is met; an ImportError becomes a learner-worded failure."""
    try:
        return kata(requirements, installed)
    except ImportError as error:
        refused = error
    fail_call(
        kata,
        got=f"ImportError: {refused}",
        expected="no error: every installed version satisfies its requirement",
        tip=tip,
    )


def test_satisfied_requirements_return_the_parsed_versions(kata):
    installed = {
        "transformers": "10.0.1",
        "torch": "2.13.0+cpu",
        "tokenizers": "0.23.3",
        "accelerate": "1.15.0",
    }
    requirements = {"transformers": ">=4.0", "torch": ">=2.4", "tokenizers": ">=0.22,<0.24", "accelerate": ""}
    result = accepted(kata, requirements, installed, STRING_TIP)
    expected = {name: Version(text) for name, text in installed.items()}
    expect(
        isinstance(result, dict) and all(isinstance(v, Version) for v in result.values()),
        kata,
        got=describe(result),
        expected=f"a dict of packaging.version.Version objects: {expected}",
        tip="return Version(text) for each package, not the version string.",
    )
    expect(
        result == expected,
        kata,
        got=repr(result),
        expected=repr(expected),
    )


@pytest.mark.parametrize(
    ("name", "version", "spec"),
    [
        ("transformers", "10.0", ">=4.0"),
        ("torch", "2.10.0", ">=2.9"),
        ("tokenizers", "0.100.1", "<0.200,>0.99"),
    ],
)
def test_versions_compare_as_numbers_not_strings(kata, name, version, spec):
    result = accepted(kata, {name: spec}, {name: version}, STRING_TIP)
    expect(
        result == {name: Version(version)},
        kata,
        got=repr(result),
        expected=repr({name: Version(version)}),
    )


@pytest.mark.parametrize(
    ("version", "spec"),
    [("9.1", ">=10.0"), ("4.57.1", ">=5.0,<6"), ("2.9.0", ">=2.10")],
)
def test_an_older_version_is_refused_with_an_import_error(kata, version, spec):
    error = expect_raises(
        kata,
        ImportError,
        {"transformers": spec},
        {"transformers": version},
        match="transformers",
        because=f"transformers {version} does not satisfy {spec!r} (compare versions as numbers, not text)",
    )
    expect(
        version in str(error) and spec.split(",")[0] in str(error),
        kata,
        got=f"ImportError: {error}",
        expected=f"a message that names the installed version {version} and the requirement {spec}",
    )


@pytest.mark.parametrize(
    ("version", "spec"),
    [
        ("5.0.0rc1", ">=4.40"),
        ("5.1.0.dev0", ">=5.0"),
        ("5.0.0rc2", ">=5.0.0rc1,<6"),
        ("5.0.0b1", ">=4.40,<6"),
    ],
)
def test_pre_releases_are_accepted_by_their_place_in_the_order(kata, version, spec):
    result = accepted(
        kata,
        {"transformers": spec},
        {"transformers": version},
        f"{version} comes after the lower bound of {spec!r}: check with "
        "SpecifierSet(spec).contains(Version(version), prereleases=True).",
    )
    expect(
        result == {"transformers": Version(version)},
        kata,
        got=repr(result),
        expected=repr({"transformers": Version(version)}),
    )


@pytest.mark.parametrize(
    ("version", "spec", "because"),
    [
        ("5.0.0rc1", ">=5.0", "a release candidate comes before its release: 5.0.0rc1 < 5.0"),
        ("6.0.0rc1", ">=5.0,<6", "PEP 440: <6 excludes the pre-releases of 6 (they bring 6's changes)"),
        ("5.0.0.dev3", ">=5.0.0a1", "a dev build comes before the alphas of its release"),
    ],
)
def test_pre_releases_outside_the_range_are_refused(kata, version, spec, because):
    expect_raises(
        kata,
        ImportError,
        {"transformers": spec},
        {"transformers": version},
        match="transformers",
        because=f"{because}; use SpecifierSet(spec).contains(version, prereleases=True), not < or >=",
    )


def test_every_problem_is_named_in_one_error(kata):
    installed = {"transformers": "4.57.1", "torch": "2.13.0", "tokenizers": "0.19.0"}
    # The package that is not installed comes first: the packages after it must still be checked.
    requirements = {"peft": ">=0.10", "transformers": ">=5.0", "torch": ">=2.4", "tokenizers": ">=0.22"}
    error = expect_raises(
        kata,
        ImportError,
        requirements,
        installed,
        match="transformers",
        because="transformers and tokenizers are too old and peft is not installed",
    )
    missing = [
        word for word in ("transformers", "4.57.1", "tokenizers", "0.19.0", "peft") if word not in str(error)
    ]
    expect(
        not missing,
        kata,
        got=f"ImportError: {error}",
        expected=f"one error that names every problem; it lacks {missing}",
        tip="check every package first and collect the problems, then raise once.",
    )


def test_without_installed_it_reads_the_installed_packages(kata):
    requirements = {"torch": ">=2.0", "transformers": ">=5.0,<6", "packaging": ""}
    result = accepted(kata, requirements, None, "read the versions with importlib.metadata.version(name).")
    expected = {name: Version(importlib.metadata.version(name)) for name in requirements}
    expect(
        result == expected,
        kata,
        got=repr(result),
        expected=f"{expected}, the versions installed here",
        tip="when installed is None, read each version with importlib.metadata.version(name).",
    )
    expect_raises(
        kata,
        ImportError,
        {"torch": ">=2.0", "tfkatas-no-such-package": ">=1.0"},
        None,
        match="tfkatas-no-such-package",
        because="tfkatas-no-such-package is not installed (importlib.metadata raises PackageNotFoundError)",
    )
    expect_raises(
        kata,
        ImportError,
        {"peft": ">=0.10"},
        {"transformers": "5.23.0"},
        match="peft",
        because="peft is not in the installed mapping, so it counts as not installed",
    )


@pytest.mark.parametrize(
    ("spec", "version", "because"),
    [
        ("=>5.0", "5.23.0", "'=>5.0' is not a valid specifier (it is '>=5.0')"),
        ("5.0", "5.23.0", "a specifier needs an operator, e.g. '==5.0' or '>=5.0'"),
        (">=5.0", "latest", "'latest' is not a version: packaging.version.Version raises InvalidVersion"),
    ],
    ids=["swapped operator", "no operator", "not a version"],
)
def test_what_cannot_be_parsed_raises_value_error(kata, spec, version, because):
    expect_raises(kata, ValueError, {"transformers": spec}, {"transformers": version}, because=because)
