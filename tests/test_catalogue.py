"""The catalogue and the files it implies agree, and malformed catalogues are refused clearly."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

from pytest_tfkatas import catalogue
from pytest_tfkatas.catalogue import CatalogueError, SelectionError
from pytest_tfkatas.paths import CHECKS_DIR, REFERENCE_DIR, kata_of_path

REPO = Path(__file__).resolve().parent.parent
CATALOGUE = catalogue.load()
KATAS = CATALOGUE.katas
TOPICS = [
    "model_loading",
    "tokenization",
    "fine_tuning",
    "generation",
    "deployment",
    "debugging",
    "visualization",
    "best_practices",
    "ethics",
    "integration",
]


def _ids(kata: catalogue.Kata) -> str:
    return kata.name


def _functions(path: Path) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def _signature(function: ast.FunctionDef) -> str:
    """The parameters, their annotations and defaults, and the return annotation, as text."""
    return ast.unparse(function.args) + " -> " + ast.unparse(function.returns or ast.Constant(None))


def test_the_topics_are_the_ten_slugs_in_order() -> None:
    assert [topic.slug for topic in CATALOGUE.topics] == TOPICS


def test_the_model_loading_topic_has_its_six_write_a_function_questions_after_its_basics() -> None:
    katas = CATALOGUE.in_topic("model_loading")
    assert [kata.question for kata in katas if kata.level != "basic"] == [7, 9, 11, 13, 15, 17]
    levels = [kata.level for kata in katas]
    assert levels == sorted(levels, key=lambda level: level != "basic"), "the basic katas come first"


@pytest.mark.parametrize("kata", KATAS, ids=_ids)
def test_every_kata_has_a_stub_a_reference_and_checks(kata: catalogue.Kata) -> None:
    assert (REPO / "katas" / kata.relpath).is_file()
    assert kata.reference_path.is_file()
    assert kata.check_path.is_file()


@pytest.mark.parametrize("kata", KATAS, ids=_ids)
def test_every_stub_has_its_todo_and_raises_not_implemented(kata: catalogue.Kata) -> None:
    stub = REPO / "katas" / kata.relpath
    text = stub.read_text(encoding="utf-8")
    assert "# TODO" in text
    function = _functions(stub)[kata.name]
    assert ast.get_docstring(function), "the docstring states the contract"
    assert "Raises:" in ast.get_docstring(function)
    body = [node for node in function.body if not isinstance(node, ast.Expr)]
    assert len(body) == 1 and isinstance(body[0], ast.Raise)
    assert ast.unparse(body[0]) == "raise NotImplementedError"


@pytest.mark.parametrize("kata", KATAS, ids=_ids)
def test_stub_and_reference_have_the_same_typed_signature(kata: catalogue.Kata) -> None:
    stub = _functions(REPO / "katas" / kata.relpath)[kata.name]
    reference = _functions(kata.reference_path)[kata.name]
    assert _signature(stub) == _signature(reference)
    assert stub.returns is not None
    assert all(arg.annotation is not None for arg in [*stub.args.args, *stub.args.kwonlyargs])


@pytest.mark.parametrize("kata", KATAS, ids=_ids)
def test_every_kata_has_three_checks_and_one_on_bad_input(kata: catalogue.Kata) -> None:
    functions = _functions(kata.check_path)
    checks = {name: node for name, node in functions.items() if name.startswith("test_")}
    assert len(checks) >= 3
    # expect_raises, called in the check or in a helper of the check file that the check calls
    helpers = {name: node for name, node in functions.items() if name not in checks}
    raisers = {"expect_raises"} | {n for n, node in helpers.items() if "expect_raises" in ast.unparse(node)}
    bad_input = [
        name
        for name, node in checks.items()
        if any(isinstance(n, ast.Name) and n.id in raisers for n in ast.walk(node))
    ]
    assert bad_input, "at least one check gives bad input and expects a clear error"
    assert all("kata" in [arg.arg for arg in node.args.args] for node in checks.values())


@pytest.mark.parametrize("kata", KATAS, ids=_ids)
def test_every_kata_has_at_least_two_hints_and_two_decoys(kata: catalogue.Kata) -> None:
    assert len(kata.hints) >= 2
    assert len(list((REPO / "tests" / "decoys" / kata.topic / kata.name).glob("*.py"))) >= 2


@pytest.mark.parametrize(
    ("folder", "pattern"),
    [
        (REPO / "katas", "{topic}/{name}.py"),
        (REFERENCE_DIR, "{topic}/{name}.py"),
        (CHECKS_DIR, "{topic}/test_{name}.py"),
        (REPO / "tests" / "alternatives", "{topic}/{name}.py"),
    ],
    ids=["katas", "solutions", "checks", "alternatives"],
)
def test_no_stray_files(folder: Path, pattern: str) -> None:
    expected = {pattern.format(topic=kata.topic, name=kata.name) for kata in KATAS}
    if folder == CHECKS_DIR:
        expected |= CHECK_HELPERS
    found = {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*.py")
        if path.name not in ("__init__.py", "conftest.py") and "__pycache__" not in path.parts
    }
    assert found <= expected, f"files that belong to no kata: {sorted(found - expected)}"


#: Where the checks may keep plain functions they share: one module for all topics, one per topic.
CHECK_HELPERS = {"helpers.py"} | {f"{topic}/helpers.py" for topic in TOPICS}


def _support_files() -> list[Path]:
    """The checks folder's conftest.py and helpers.py files: they belong to no kata."""
    return sorted(
        path
        for path in CHECKS_DIR.rglob("*.py")
        if path.name in ("conftest.py", "helpers.py") and "__pycache__" not in path.parts
    )


def _is_fixture(function: ast.FunctionDef) -> bool:
    return any("fixture" in ast.unparse(decorator) for decorator in function.decorator_list)


@pytest.mark.parametrize("path", _support_files(), ids=lambda path: path.relative_to(CHECKS_DIR).as_posix())
def test_the_checks_support_files_hold_no_checks(path: Path) -> None:
    assert kata_of_path(path) is None, "taken for a kata's check file"
    functions = _functions(path)
    assert not [name for name in functions if name.startswith("test")], "pytest would not run these"
    if path.name == "conftest.py":  # fixtures only: plain functions the checks import go in helpers.py
        plain = [name for name, node in functions.items() if not (name.startswith("_") or _is_fixture(node))]
        assert not plain, f"plain functions in a conftest.py, move them to helpers.py: {plain}"


def test_no_check_imports_a_conftest_module() -> None:
    importers = [
        path.relative_to(CHECKS_DIR).as_posix()
        for path in CHECKS_DIR.rglob("*.py")
        if "__pycache__" not in path.parts
        and any(
            isinstance(node, ast.ImportFrom) and (node.module or "").endswith("conftest")
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        )
    ]
    assert not importers, f"import shared functions from a helpers.py, not from a conftest.py: {importers}"


#: The one file in the checks folder that is not Python: a topic's list of the mutants of its
#: references that no check can kill, read by benchmarks/mutate.py.
EQUIVALENT_MUTANTS = "equivalent_mutants.toml"


def test_besides_python_the_checks_folder_holds_only_each_topics_equivalent_mutants() -> None:
    others = {
        path.relative_to(CHECKS_DIR).as_posix()
        for path in CHECKS_DIR.rglob("*")
        if path.is_file() and path.suffix != ".py" and "__pycache__" not in path.parts
    }
    allowed = {f"{topic}/{EQUIVALENT_MUTANTS}" for topic in TOPICS}
    assert others <= allowed, f"files that belong to no kata: {sorted(others - allowed)}"
    assert all(kata_of_path(CHECKS_DIR / name) is None for name in allowed), "taken for a check file"


def test_no_stray_decoy_folders() -> None:
    folders = {
        p.relative_to(REPO / "tests" / "decoys").as_posix() for p in (REPO / "tests" / "decoys").glob("*/*")
    }
    assert folders <= {f"{kata.topic}/{kata.name}" for kata in KATAS}


def test_every_extra_of_the_catalogue_is_an_optional_dependency_in_all() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    for name in CATALOGUE.extras:
        assert name in extras
        assert name in extras["all"][0], "the all extra includes it"


def test_selection_takes_topics_katas_and_all_in_catalogue_order() -> None:
    chosen = CATALOGUE.select("zero_shot_classify, model_loading ,generate_text")
    assert [kata.name for kata in chosen] == [kata.name for kata in CATALOGUE.in_topic("model_loading")]
    assert [kata.name for kata in CATALOGUE.select("zero_shot_classify,generate_text")] == [
        "generate_text",
        "zero_shot_classify",
    ]
    assert CATALOGUE.select("all") == KATAS


def test_an_unknown_name_lists_the_valid_ones() -> None:
    with pytest.raises(SelectionError) as caught:
        CATALOGUE.select("model_loading,genrate_text")
    message = str(caught.value)
    assert "'genrate_text'" in message
    assert "model_loading: generate_with_pipeline, classify_texts, load_model_and_tokenizer" in message
    assert "tokenization" in message


VALID = """
[topics]
model_loading = { title = "Model loading" }

[extras]
viz = { modules = ["matplotlib"] }

[[kata]]
name = "load_it"
topic = "model_loading"
level = "basic"
question = 1
title = "Load it."
hints = ["nudge", "pointer"]
"""


def test_a_valid_catalogue_parses_into_frozen_dataclasses() -> None:
    parsed = catalogue.parse(VALID)
    kata = parsed.kata("load_it")
    assert kata.hints == ("nudge", "pointer")
    assert kata.relpath.as_posix() == "model_loading/load_it.py"
    with pytest.raises(AttributeError):
        kata.name = "other"  # type: ignore[misc]


def test_a_question_of_the_miscellaneous_list_is_labelled_as_such() -> None:
    kata = catalogue.parse(VALID.replace('title = "Load it."', 'title = "Load it."\nseed = "misc"')).katas[0]
    assert (kata.seed, kata.question, kata.question_label) == ("misc", 1, "misc. 1")
    assert catalogue.parse(VALID).katas[0].question_label == "1"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (('hints = ["nudge", "pointer"]', 'hints = ["only one"]'), "at least two"),
        (('level = "basic"', 'level = "expert"'), "level must be one of"),
        (('topic = "model_loading"\nlevel', 'topic = "cooking"\nlevel'), "topic 'cooking'"),
        (("question = 1", 'question = "one"'), "'question' must be a int"),
        (('name = "load_it"', 'name = "load it"'), "Python function name"),
        (('title = "Load it."', 'title = "Load it."\npath = "x.py"'), "unknown keys"),
        (('title = "Load it."', 'title = "Load it."\nextra = "gpu"'), "not declared"),
        (('title = "Load it."', 'title = "Load it."\nseed = "blog"'), "'seed' must be one of"),
    ],
)
def test_a_malformed_catalogue_is_refused_with_the_reason(change: tuple[str, str], problem: str) -> None:
    with pytest.raises(CatalogueError, match=problem):
        catalogue.parse(VALID.replace(*change))


TOPIC_FILE = """
[[kata]]
name = "load_more"
level = "basic"
question = 3
title = "Load more."
hints = ["nudge", "pointer"]
"""


def test_a_topic_file_gives_its_katas_the_topic_and_they_follow_topic_order() -> None:
    text = VALID.replace(
        'model_loading = { title = "Model loading" }', 'a = { title = "A" }\nmodel_loading = { title = "M" }'
    )
    parsed = catalogue.parse(text, {"a": TOPIC_FILE})
    assert [(kata.name, kata.topic) for kata in parsed.katas] == [
        ("load_more", "a"),
        ("load_it", "model_loading"),
    ]


@pytest.mark.parametrize(
    ("topic_files", "problem"),
    [
        ({"cooking": TOPIC_FILE}, r"topics/cooking.toml: 'cooking' is not one of the topics"),
        ({"model_loading": TOPIC_FILE + 'topic = "other"\n'}, "says topic 'other'"),
        (
            {"model_loading": TOPIC_FILE.replace("question = 3", "")},
            r"topics/model_loading.toml, kata #1 \(load_more\)",
        ),
    ],
)
def test_a_malformed_topic_file_is_refused_naming_the_file(topic_files: dict[str, str], problem: str) -> None:
    with pytest.raises(CatalogueError, match=problem):
        catalogue.parse(VALID, topic_files)


def test_two_katas_with_one_name_are_refused() -> None:
    twice = VALID + VALID[VALID.index("[[kata]]") :]
    with pytest.raises(CatalogueError, match="two katas share"):
        catalogue.parse(twice)


def test_the_last_hint_points_at_the_idea_and_quotes_no_code() -> None:
    """The last rung of the ladder is the idea, not the answer: the reference solution, revealed
    once the kata passes, is where the code is. A name in backticks is fine; a statement is not."""
    import re

    for kata in catalogue.load().katas:
        last = kata.hints[-1]
        spans = re.findall(r"`([^`]*)`", last)
        code = [span for span in spans if not re.fullmatch(r"[\w.]+(\(\))?", span)]
        assert not code, f"{kata.name}: the last hint quotes code {code}"
        assert " = " not in last, f"{kata.name}: the last hint spells out an assignment"
