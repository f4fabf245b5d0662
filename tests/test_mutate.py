"""The mutation-testing script benchmarks/mutate.py: its equivalents files, how an entry matches a
mutant, and which code it mutates; no kata is run."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

from pytest_tfkatas import catalogue
from pytest_tfkatas.paths import CHECKS_DIR

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "mutate.py"
CATALOGUE = catalogue.load()


@pytest.fixture(scope="module")
def mutate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tfkatas_benchmarks_mutate", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


REFERENCE = '''\
import torch


def scale(x, factor=2):
    """Scaled."""
    return torch.mul(x, factor)


def shift(x):
    return x + 1
'''

EQUIVALENTS = '''\
[[scale]]
function = "scale"
original = "return torch.mul(x, factor)"
mutant = "return torch.mul(x, None)"
reason = "never called with a factor"

[[scale]]
function = "scale"
original = """
    x = x
"""
mutant = ""
reason = "a line that was never there"
'''


def mutant(
    mutate: ModuleType, before: str, after: str, *, kata: str = "scale", function: str = "scale"
) -> object:
    source = REFERENCE.replace(before, after)
    line, original, mutated = mutate.changed_lines(REFERENCE, source)
    return mutate.Mutant(kata, 1, function, line, original, mutated, source)


def test_an_equivalents_file_gives_each_kata_its_entries_with_the_lines_stripped(mutate: ModuleType) -> None:
    found = mutate.parse_equivalents(EQUIVALENTS, "scale.toml", ["scale", "shift"])
    assert list(found) == ["scale"]
    first, second = found["scale"]
    assert (first.function, first.original, first.mutated) == (
        "scale",
        "return torch.mul(x, factor)",
        "return torch.mul(x, None)",
    )
    assert first.reason == "never called with a factor"
    assert (second.original, second.mutated) == ("x = x", "")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("[[scale]]", "[[scales]]"), r"\[\[scales\]\] is not a kata of this topic"),
        (('reason = "never called with a factor"', ""), "exactly the keys"),
        (('reason = "never called with a factor"', 'reason = "  "'), "the reason is one line"),
        (('reason = "never called with a factor"', 'reason = """two\nlines"""'), "the reason is one line"),
        (('mutant = ""', 'mutant = ""\nline = 12'), "exactly the keys"),
        (('function = "scale"', "function = 3"), "every value is a string"),
        (("[[scale]]", "[[scale"), "not valid TOML"),
    ],
)
def test_a_malformed_equivalents_file_is_refused_with_the_reason(
    mutate: ModuleType, change: tuple[str, str], problem: str
) -> None:
    with pytest.raises(mutate.EquivalentsError, match=problem):
        mutate.parse_equivalents(EQUIVALENTS.replace(*change, 1), "scale.toml", ["scale", "shift"])


def test_a_kata_written_as_a_single_table_is_refused(mutate: ModuleType) -> None:
    single = EQUIVALENTS.split("\n\n")[0].replace("[[scale]]", "[scale]")
    with pytest.raises(mutate.EquivalentsError, match=r"write each .* as a \[\[scale\]\] table"):
        mutate.parse_equivalents(single, "scale.toml", ["scale"])


def test_an_entry_matches_its_mutant_by_function_and_lines_wherever_the_lines_moved(
    mutate: ModuleType,
) -> None:
    (entry, _) = mutate.parse_equivalents(EQUIVALENTS, "scale.toml", ["scale"])["scale"]
    same = mutant(mutate, "return torch.mul(x, factor)", "return torch.mul(x, None)")
    assert entry.matches(same)
    assert same.line == 6
    moved_source = "# a comment\n\n" + same.source
    _, original, mutated = mutate.changed_lines("# a comment\n\n" + REFERENCE, moved_source)
    assert entry.matches(mutate.Mutant("scale", 9, "scale", 8, original, mutated, moved_source))
    assert not entry.matches(mutant(mutate, "return torch.mul(x, factor)", "return torch.mul(None, factor)"))
    assert not entry.matches(
        mutant(mutate, "return torch.mul(x, factor)", "return torch.mul(x, None)", function="f")
    )
    assert not entry.matches(
        mutant(mutate, "return torch.mul(x, factor)", "return torch.mul(x, None)", kata="shift")
    )


def test_an_entry_that_matches_no_mutant_is_stale(mutate: ModuleType) -> None:
    first, second = mutate.parse_equivalents(EQUIVALENTS, "scale.toml", ["scale"])["scale"]
    mutants = [
        mutant(mutate, "return torch.mul(x, factor)", "return torch.mul(x, None)"),
        mutant(mutate, "return x + 1", "return x - 1", function="shift"),
    ]
    assert mutate.stale([first, second], mutants) == [second]
    assert mutate.stale([first], mutants[1:]) == [first]


def test_a_listed_survivor_is_equivalent_and_a_listed_mutant_that_is_killed_is_flagged(
    mutate: ModuleType,
) -> None:
    entries = mutate.parse_equivalents(EQUIVALENTS, "scale.toml", ["scale"])["scale"]
    listed = mutant(mutate, "return torch.mul(x, factor)", "return torch.mul(x, None)")
    other = mutant(mutate, "return x + 1", "return x - 1", function="shift")
    kata = CATALOGUE.katas[0]
    outcomes = [
        mutate.Outcome(listed, mutate.SURVIVED, "", 0.5),
        mutate.Outcome(other, mutate.SURVIVED, "", 0.5),
    ]
    result = mutate.tally(kata, outcomes, entries, 1.0)
    assert [o.mutant for o in result.equivalent] == [listed]
    assert [o.mutant for o in result.survived] == [other]
    assert result.stale == [entries[1]]
    assert "killed 0  survived 1  equivalent 1  (1.0 s)" in result.line(10)

    killed = mutate.Outcome(listed, mutate.KILLED, "test_scale", 0.2)
    crashed = mutate.Outcome(other, mutate.CRASHED, "crashed (the worker died)", 0.1)
    result = mutate.tally(kata, [killed, crashed], entries, 0.3)
    assert result.wrongly_listed == [(entries[0], killed)]
    assert "killed 2 (1 crashed)  survived 0  equivalent 0" in result.line(10)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("return torch.mul(x, factor)", 'return torch.mul(x, "a \\"quoted\\" \\\\ text")'),
        ("    return x + 1\n", "    y = (x +\n         1)\n    return y\n"),
    ],
    ids=["quotes and backslashes", "several lines"],
)
def test_the_entry_printed_for_a_survivor_reads_back_as_one_that_matches_it(
    mutate: ModuleType, before: str, after: str
) -> None:
    survivor = mutant(mutate, before, after)
    text = mutate.entry_for(survivor).replace('reason = "..."', 'reason = "because"')
    (entry,) = mutate.parse_equivalents(text, "scale.toml", ["scale"])["scale"]
    assert entry.matches(survivor)


def test_mutants_are_made_inside_functions_only_and_not_in_docstrings_or_pragma_lines(
    mutate: ModuleType,
) -> None:
    pytest.importorskip("mutmut")
    source = textwrap.dedent(
        '''\
        import functools

        LIMIT = 3


        def outer(function):
            """Not mutated."""

            @functools.wraps(function)
            def wrapper(x):
                return function(x) + 1

            return wrapper


        def kept(x):
            return x * 2  # pragma: no mutate
        '''
    )
    mutants = mutate.mutants_of("outer", source)
    assert {m.function for m in mutants} == {"outer"}
    changed = {m.original for m in mutants}
    assert changed == {"return function(x) + 1"}, "the nested wrapper's body, not its decorator"
    assert {m.mutated for m in mutants} >= {"return function(x) - 1", "return function(x) + 2"}
    assert len({m.source for m in mutants}) == len(mutants)
    assert [m.number for m in mutants] == list(range(1, len(mutants) + 1))


@pytest.mark.parametrize("topic", [topic.slug for topic in CATALOGUE.topics])
def test_every_equivalents_file_of_the_checks_is_well_formed(mutate: ModuleType, topic: str) -> None:
    if not (CHECKS_DIR / topic / mutate.EQUIVALENTS_FILE).is_file():
        pytest.skip(f"the {topic} topic lists no equivalent mutants")
    mutate.load_equivalents(topic, [kata.name for kata in CATALOGUE.in_topic(topic)])
