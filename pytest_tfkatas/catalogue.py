"""The kata catalogue: ``catalogue.toml`` and ``topics/<topic>.toml`` read into frozen dataclasses.

A kata's files are derived from its topic and name, never stored:

- the stub the learner edits:   ``<katas dir>/<topic>/<name>.py``
- the reference solution:       ``solutions/<topic>/<name>.py``
- the hidden checks:            ``pytest_tfkatas/checks/<topic>/test_<name>.py``
"""

from __future__ import annotations

import difflib
import functools
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path, PurePosixPath
from typing import Literal, cast

from pytest_tfkatas.paths import CHECKS_DIR, REFERENCE_DIR

__all__ = ["LEVELS", "Catalogue", "CatalogueError", "Kata", "SelectionError", "Topic", "load"]

Level = Literal["basic", "intermediate", "advanced"]
LEVELS: tuple[Level, ...] = ("basic", "intermediate", "advanced")
#: The seed lists a question can come from: the interview questions, or the miscellaneous ones.
SEEDS: tuple[str, ...] = ("interview", "misc")


class CatalogueError(ValueError):
    """The catalogue file itself is malformed: a bug in pytest-tfkatas, not in the learner's code."""


class SelectionError(ValueError):
    """A ``--katas`` value names no topic or kata."""


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str


@dataclass(frozen=True)
class Kata:
    name: str
    topic: str
    level: Level
    #: the question's number in its seed list: the interview questions
    #: (shared/seeds/transformers-interview-questions.md) unless ``seed`` says "misc"
    question: int
    title: str
    hints: tuple[str, ...]
    #: The optional extra of pytest-tfkatas that this kata needs, if any.
    extra: str | None = None
    #: Which seed list ``question`` counts in: "interview", or "misc" for
    #: shared/seeds/miscellaneous-questions.md.
    seed: str = "interview"

    @property
    def question_label(self) -> str:
        """The question as a reader finds it: "125", or "misc. 8" for the miscellaneous list."""
        return str(self.question) if self.seed == "interview" else f"{self.seed}. {self.question}"

    @property
    def relpath(self) -> PurePosixPath:
        """Where the stub and the reference live, below the katas and solutions folders."""
        return PurePosixPath(self.topic, f"{self.name}.py")

    @property
    def check_path(self) -> Path:
        return CHECKS_DIR / self.topic / f"test_{self.name}.py"

    @property
    def reference_path(self) -> Path:
        return REFERENCE_DIR / self.relpath


@dataclass(frozen=True)
class Catalogue:
    topics: tuple[Topic, ...]
    katas: tuple[Kata, ...]
    #: extra name -> the modules it installs, e.g. {"viz": ("matplotlib",)}
    extras: dict[str, tuple[str, ...]]

    def kata(self, name: str) -> Kata:
        for kata in self.katas:
            if kata.name == name:
                return kata
        raise KeyError(name)

    def in_topic(self, slug: str) -> tuple[Kata, ...]:
        return tuple(kata for kata in self.katas if kata.topic == slug)

    def select(self, spec: str, level: str | None = None, option: str = "--katas") -> tuple[Kata, ...]:
        """The katas named by a comma-separated list of topic slugs, kata names, or ``all``, and
        of ``level`` when one is given. ``option`` names the flag in error messages.

        The result follows catalogue order and holds each kata once.
        """
        words = [word.strip() for word in spec.split(",") if word.strip()]
        if not words:
            raise SelectionError(f"{option} was given no names. {self._valid_names()}")
        topic_slugs = {topic.slug for topic in self.topics}
        kata_names = {kata.name for kata in self.katas}
        unknown = [w for w in words if w != "all" and w not in topic_slugs and w not in kata_names]
        if unknown:
            listed = ", ".join(repr(word) for word in unknown)
            known = ["all", *sorted(topic_slugs), *sorted(kata_names)]
            guesses = [
                f"{word!r} -> {close[0]!r}"
                for word in unknown
                if (close := difflib.get_close_matches(word, known, n=1, cutoff=0.75))
            ]
            mean = f" Did you mean: {', '.join(guesses)}?" if guesses else ""
            raise SelectionError(f"{option}: no topic or kata called {listed}.{mean} {self._valid_names()}")
        chosen = [kata for kata in self.katas if "all" in words or kata.topic in words or kata.name in words]
        if level is None:
            return tuple(chosen)
        if level not in LEVELS:
            raise SelectionError(f"--katas-level must be one of {', '.join(LEVELS)}, not {level!r}")
        of_level = tuple(kata for kata in chosen if kata.level == level)
        if not of_level:
            counts = Counter(kata.level for kata in chosen)
            there = ", ".join(f"{counts[name]} {name}" for name in LEVELS if counts[name])
            raise SelectionError(
                f"--katas-level {level}: none of the {len(chosen)} katas selected by {spec!r} is "
                f"{level} (they are: {there})."
            )
        return of_level

    def _valid_names(self) -> str:
        lines = ["Valid names: all, a topic, or a kata:"]
        for topic in self.topics:
            names = ", ".join(kata.name for kata in self.in_topic(topic.slug)) or "(no katas yet)"
            lines.append(f"  {topic.slug}: {names}")
        return "\n".join(lines)


def _fail(where: str, problem: str) -> CatalogueError:
    return CatalogueError(f"{where}: {problem}")


def _parse_kata(raw: dict[str, object], topic_slugs: set[str], source: str) -> Kata:
    where = f"{source} ({raw.get('name', '?')})"
    required = {"name": str, "topic": str, "level": str, "question": int, "title": str, "hints": list}
    for key, kind in required.items():
        if not isinstance(raw.get(key), kind):
            raise _fail(where, f"{key!r} must be a {kind.__name__}")
    unknown = set(raw) - set(required) - {"extra", "seed"}
    if unknown:
        raise _fail(where, f"unknown keys {sorted(unknown)}")
    name = cast(str, raw["name"])
    if not name.isidentifier():
        raise _fail(where, "the name must be a Python function name")
    if raw["topic"] not in topic_slugs:
        raise _fail(where, f"topic {raw['topic']!r} is not one of {sorted(topic_slugs)}")
    if raw["level"] not in LEVELS:
        raise _fail(where, f"level must be one of {LEVELS}")
    hints = cast(list[object], raw["hints"])
    if len(hints) < 2 or not all(isinstance(hint, str) and hint.strip() for hint in hints):
        raise _fail(where, "a kata needs at least two non-empty hints, from nudge to pointer")
    extra = raw.get("extra")
    if extra is not None and not isinstance(extra, str):
        raise _fail(where, "'extra' must be the name of an optional extra")
    seed = raw.get("seed", "interview")
    if seed not in SEEDS:
        raise _fail(where, f"'seed' must be one of {SEEDS}")
    return Kata(
        name=name,
        topic=cast(str, raw["topic"]),
        level=cast(Level, raw["level"]),
        question=cast(int, raw["question"]),
        title=cast(str, raw["title"]),
        hints=tuple(cast(list[str], hints)),
        extra=extra,
        seed=cast(str, seed),
    )


def parse(text: str, topic_texts: Mapping[str, str] | None = None) -> Catalogue:
    """Read and validate the catalogue: its main TOML text and, per topic slug, the text of
    ``topics/<slug>.toml``, whose katas take the topic from the file (a ``topic`` key, if given,
    must agree). Katas follow topic order, then file order."""
    data = tomllib.loads(text)
    topics = tuple(Topic(slug, str(table["title"])) for slug, table in data["topics"].items())
    slugs = {topic.slug for topic in topics}
    raws = [(raw, f"catalogue.toml, kata #{i + 1}") for i, raw in enumerate(data.get("kata", []))]
    for slug, topic_text in (topic_texts or {}).items():
        source = f"topics/{slug}.toml"
        if slug not in slugs:
            raise _fail(source, f"{slug!r} is not one of the topics {sorted(slugs)}")
        for i, raw in enumerate(tomllib.loads(topic_text).get("kata", [])):
            if raw.setdefault("topic", slug) != slug:
                raise _fail(source, f"kata {raw.get('name', '?')!r} says topic {raw['topic']!r}")
            raws.append((raw, f"{source}, kata #{i + 1}"))
    katas = [_parse_kata(raw, slugs, where) for raw, where in raws]
    order = {topic.slug: position for position, topic in enumerate(topics)}
    katas.sort(key=lambda kata: order[kata.topic])  # stable: file order within a topic
    extras = {name: tuple(table["modules"]) for name, table in data.get("extras", {}).items()}
    _check_unique(kata.name for kata in katas)
    for kata in katas:
        if kata.extra is not None and kata.extra not in extras:
            raise _fail(kata.name, f"extra {kata.extra!r} is not declared under [extras]")
    return Catalogue(topics=topics, katas=tuple(katas), extras=extras)


def _check_unique(names: Iterable[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise _fail(name, "two katas share this name")
        seen.add(name)


@functools.cache
def load() -> Catalogue:
    """The catalogue shipped with the package."""
    package = files("pytest_tfkatas")
    topic_files = package.joinpath("topics")
    topic_texts = {
        entry.name.removesuffix(".toml"): entry.read_text(encoding="utf-8")
        for entry in sorted(topic_files.iterdir(), key=lambda entry: entry.name)
        if entry.name.endswith(".toml")
    }
    return parse(package.joinpath("catalogue.toml").read_text(encoding="utf-8"), topic_texts)
