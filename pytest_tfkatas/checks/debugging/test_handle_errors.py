"""Hidden checks: handle_errors."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator

import pytest
from transformers import AutoModelForCausalLM

from pytest_tfkatas.harness import describe, expect, expect_raises, fail, fail_call


class Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def logger(request: pytest.FixtureRequest) -> Iterator[logging.Logger]:
    """A logger of the check's own, whose records are kept in ``logger.recorder.records``."""
    log = logging.getLogger(f"tfkatas.checks.handle_errors.{request.node.name}")
    log.setLevel(logging.DEBUG)
    log.propagate = False
    recorder = Recorder()
    log.addHandler(recorder)
    log.recorder = recorder  # type: ignore[attr-defined]
    yield log
    log.removeHandler(recorder)


def decorate(kata, logger: logging.Logger, function):
    decorator = kata(logger)
    expect(
        callable(decorator),
        kata,
        got=f"it returned {describe(decorator)}",
        expected="a decorator: a function that takes the function to wrap and returns its wrapper",
    )
    wrapper = decorator(function)
    if not callable(wrapper):
        fail(
            f"Called {kata.last_call}, then the decorator it returned on {function.__name__}.\n"
            f"Got:      {describe(wrapper)}\n"
            "Expected: the wrapper function, which calls the original and logs its failures"
        )
    return wrapper


def call_and_catch(wrapper, *args, **kwargs) -> tuple[object, BaseException | None]:
    try:
        return wrapper(*args, **kwargs), None
    except Exception as error:
        return None, error


def test_a_successful_call_passes_through_untouched(kata, logger, tiny_gpt2):
    tokenizer = tiny_gpt2.load_tokenizer()

    def encode(text: str, *, max_length: int) -> list[int]:
        """The token ids of text, truncated to max_length."""
        return tokenizer(text, truncation=True, max_length=max_length)["input_ids"]

    wrapper = decorate(kata, logger, encode)
    for text, max_length in [("The robot read a wonderful book about the sea.", 5), ("Rain fell softly", 50)]:
        got = wrapper(text, max_length=max_length)
        expected = encode(text, max_length=max_length)
        expect(
            got == expected,
            kata,
            got=f"the decorated encode({text!r}, max_length={max_length}) returned {describe(got)}",
            expected=f"{expected}, what encode itself returns",
            tip="call function(*args, **kwargs) and return its result.",
        )
    expect(
        not logger.recorder.records,
        kata,
        got=f"{len(logger.recorder.records)} record(s) logged for calls that succeeded",
        expected="nothing logged when nothing fails",
    )
    expect(
        wrapper.__name__ == "encode" and wrapper.__doc__ == encode.__doc__,
        kata,
        got=f"a wrapper called {wrapper.__name__!r} with docstring {wrapper.__doc__!r}",
        expected=f"'encode' with docstring {encode.__doc__!r}, like the decorated function",
        tip="decorate the wrapper with @functools.wraps(function).",
    )


def logging_state(logger: logging.Logger) -> tuple:
    root = logging.getLogger()
    return (
        logger.level,
        tuple(logger.handlers),
        logger.propagate,
        logger.disabled,
        root.level,
        tuple(root.handlers),
        logging.root.manager.disable,
    )


def test_logging_is_left_as_it_was(kata, logger):
    """The decorator logs through the logger it is given and configures nothing: not that logger's
    level, handlers or propagation, not the root logger (no basicConfig), not logging.disable."""
    before = logging_state(logger)

    def divide(a, b):
        return a / b

    wrapper = decorate(kata, logger, divide)
    call_and_catch(wrapper, 1, 0)
    call_and_catch(wrapper, 4, 2)
    after = logging_state(logger)
    names = [
        "its level",
        "its handlers",
        "its propagate",
        "its disabled",
        "the root level",
        "the root handlers",
        "logging.disable",
    ]
    changed = [name for name, a, b in zip(names, before, after, strict=True) if a != b]
    expect(
        not changed,
        kata,
        got=f"logging changed: {', '.join(changed)}",
        expected="logging left as it was: the caller configures logging, the decorator only logs",
        tip="no logging.basicConfig, setLevel or addHandler in the decorator: use the logger as given.",
    )


def test_a_failure_is_logged_with_its_traceback(kata, logger, tmp_path):
    def load_checkpoint(path):
        return AutoModelForCausalLM.from_pretrained(path)

    wrapper = decorate(kata, logger, load_checkpoint)
    _, error = call_and_catch(wrapper, tmp_path / "no-such-model")
    expect(
        isinstance(error, OSError),
        kata,
        got=f"the decorated load_checkpoint raised {type(error).__name__}"
        if error
        else "no error was raised",
        expected="the OSError that from_pretrained raises for a missing model, re-raised",
    )
    records = logger.recorder.records
    expect(
        len(records) == 1,
        kata,
        got=f"{len(records)} record(s) in the logger that was passed in",
        expected="one record for the failed call, logged through the logger that was passed in",
        tip="log through the logger you are given (logger.exception(...)), not logging.error(), which "
        "writes to the root logger.",
    )
    record = records[0]
    expect(
        record.levelno == logging.ERROR,
        kata,
        got=f"a record at level {record.levelname}",
        expected="a record at level ERROR",
    )
    expect(
        record.exc_info is not None and record.exc_info[1] is error,
        kata,
        got=f"a record {record.getMessage()!r} without the exception (exc_info={record.exc_info})",
        expected="a record that carries the exception and its traceback",
        tip="logger.exception(...) inside the except block (or logger.error(..., exc_info=True)) attaches "
        "the traceback; an f-string with the error's message loses it.",
    )
    text = logging.Formatter().format(record)
    expect(
        "Traceback (most recent call last)" in text and "load_checkpoint" in record.getMessage(),
        kata,
        got=f"a record whose message is {record.getMessage()!r}",
        expected="a message that names the failed function, load_checkpoint, and a traceback under it",
        tip="name it with function.__qualname__.",
    )
    call_and_catch(wrapper, tmp_path / "another-missing-model")
    expect(
        len(records) == 2,
        kata,
        got=f"{len(records)} record(s) after two failed calls",
        expected="one record per failed call: 2",
    )


class CheckpointLoader:
    def load(self, path):
        raise FileNotFoundError(f"no checkpoint in {path}")


def test_the_record_names_the_function_by_its_qualified_name(kata, logger):
    wrapper = decorate(kata, logger, CheckpointLoader.load)
    _, error = call_and_catch(wrapper, CheckpointLoader(), "./checkpoint-500")
    expect(
        isinstance(error, FileNotFoundError),
        kata,
        got=f"the decorated CheckpointLoader.load raised {describe(error)}",
        expected="the FileNotFoundError that CheckpointLoader.load raised, re-raised",
    )
    messages = [record.getMessage() for record in logger.recorder.records]
    expect(
        len(messages) == 1 and "CheckpointLoader.load" in messages[0],
        kata,
        got=f"records {messages}",
        expected="one record whose message names the method as CheckpointLoader.load, its __qualname__",
        tip="name the function with function.__qualname__: __name__ is only 'load', for every class's load.",
    )


class AppLogger(logging.Logger):
    """An application's own Logger subclass."""


@pytest.fixture(params=["a Logger subclass", "the root logger"])
def other_logger(request: pytest.FixtureRequest) -> Iterator[logging.Logger]:
    """A logger that is a logging.Logger without being of that exact class."""
    log = (
        AppLogger("tfkatas.checks.handle_errors.app")
        if request.param == "a Logger subclass"
        else logging.getLogger()
    )
    recorder = Recorder()
    log.addHandler(recorder)
    log.recorder = recorder  # type: ignore[attr-defined]
    yield log
    log.removeHandler(recorder)
    del log.recorder  # type: ignore[attr-defined]


def test_every_kind_of_logger_is_accepted(kata, other_logger):
    def tokenize(texts):
        raise TypeError("text input must be of type str")

    kind = type(other_logger).__name__
    try:
        kata(other_logger)
    except TypeError as error:
        fail_call(
            kata,
            got=f"it raised TypeError: {error}",
            expected=f"a decorator: a {kind} is a logging.Logger",
            tip="test with isinstance(logger, logging.Logger), which subclasses pass, not type(logger) is.",
        )
    wrapper = decorate(kata, other_logger, tokenize)
    _, error = call_and_catch(wrapper, [1, 2])
    records = [record for record in other_logger.recorder.records if record.levelno == logging.ERROR]
    expect(
        isinstance(error, TypeError) and len(records) == 1,
        kata,
        got=f"{describe(error)} raised, {len(records)} ERROR record(s) in the {kind}",
        expected=f"the TypeError re-raised after one ERROR record in the {kind} that was passed in",
    )


@pytest.mark.parametrize(
    "interrupt", [KeyboardInterrupt, SystemExit], ids=["KeyboardInterrupt", "SystemExit"]
)
def test_an_interrupt_passes_through_unlogged(kata, logger, interrupt):
    stop = interrupt()

    def train_forever():
        raise stop

    wrapper = decorate(kata, logger, train_forever)
    try:
        result = wrapper()
    except BaseException as caught:
        got = f"{type(caught).__name__} raised" + ("" if caught is stop else ", a new one")
        passed = caught is stop
    else:
        got, passed = f"it returned {describe(result)}", False
    expect(
        passed,
        kata,
        got=f"the decorated train_forever: {got}",
        expected=f"the very same {interrupt.__name__}, passed through",
    )
    records = logger.recorder.records
    expect(
        not records,
        kata,
        got=f"{len(records)} record(s) logged: {[record.getMessage() for record in records]}",
        expected=f"no record: a {interrupt.__name__} is not an Exception, not a failure of the function",
        tip="catch `Exception`, not `BaseException` or a bare `except:`.",
    )


@pytest.mark.parametrize(
    ("error_type", "message"),
    [(RuntimeError, "CUDA out of memory"), (KeyError, "input_ids"), (ValueError, "Unrecognized model")],
    ids=["RuntimeError", "KeyError", "ValueError"],
)
def test_the_error_is_reraised_unchanged(kata, logger, error_type, message):
    error = error_type(message)

    def run_model(batch):
        raise error

    wrapper = decorate(kata, logger, run_model)
    result, caught = call_and_catch(wrapper, {"input_ids": [[1, 2, 3]]})
    expect(
        caught is not None,
        kata,
        got=f"the decorated run_model returned {describe(result)}",
        expected=f"the {type(error).__name__} that run_model raised, re-raised after logging",
        tip="an error handler that logs must still raise: end the except block with a bare `raise`.",
    )
    frames = [frame.name for frame in traceback.extract_tb(caught.__traceback__)]
    expect(
        caught is error and frames[-1] == "run_model",
        kata,
        got=f"{type(caught).__name__}({caught}) raised in {frames[-1]}",
        expected=f"the very same {type(error).__name__}({error}) object, with its traceback to run_model",
        tip="re-raise with a bare `raise`, not a new exception.",
    )
    expect(
        len(logger.recorder.records) == 1,
        kata,
        got=f"{len(logger.recorder.records)} record(s) in the logger that was passed in",
        expected="one record for the failed call",
        tip="log through the logger you are given, not the root logger.",
    )


@pytest.mark.parametrize(
    ("bad_logger", "because"),
    [
        (lambda: None, "@handle_errors without (logger) passes the function itself as the logger"),
        ("transformers", "a logger's name is not a logger: pass logging.getLogger(name)"),
    ],
    ids=["function", "name"],
)
def test_what_is_not_a_logger_raises_type_error(kata, bad_logger, because):
    expect_raises(kata, TypeError, bad_logger, because=because)
