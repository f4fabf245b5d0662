"""What the hidden checks use: the learner's function as a ``KataFunction``, and learner-worded
assertions.

A failing check reads like Exercism's messages: what was called, what came back, what was
expected, and where useful a tip::

    Called generate_text(<GPT2LMHeadModel>, <GPT2Tokenizer>, 'The robot read', max_new_tokens=6).
    Got:      'The robot read.\nThess the'
    Expected: '.\nThess the' (the model's greedy continuation, without the prompt)
    Tip: generate() returns the prompt's tokens too: decode only outputs[0, prompt_length:].
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, NoReturn, TypeVar

import pytest

from pytest_tfkatas.results import STUB_MARK

__all__ = [
    "OFFLINE_MARK",
    "ExitCalled",
    "KataFunction",
    "KataTimeLimit",
    "calls_of",
    "describe",
    "expect",
    "expect_no_files_written",
    "expect_raises",
    "fail",
    "fail_call",
    "last_call_since",
    "pitfall_tip",
]

E = TypeVar("E", bound=BaseException)

_MAX_REPR = 90
#: The words that open the error of a network connection refused during a kata run (see offline.py).
OFFLINE_MARK = "pytest-tfkatas runs offline"
#: What to use instead of a Hub model name, in the tips of offline errors.
OFFLINE_TIP = (
    "katas run offline, on tiny local models: use the model and tokenizer (or load from the folder) "
    "the check passes in, never a Hub model name such as 'bert-base-uncased'."
)


class ExitCalled(SystemExit):
    """os._exit() called by the learner's code during a check (the offline switch turns it into this)."""


class KataTimeLimit(BaseException):
    """Raised in a check that runs past the time limit (see timelimit.py).

    A BaseException, not an Exception: a learner's ``except Exception:`` retry loop cannot
    swallow it.
    """


#: Library errors that come from a known transformers 5 (or datasets 5) mistake, and what to do
#: instead: (words of the error message, tip). A check that meets one fails with the tip.
PITFALLS: tuple[tuple[str, str], ...] = (
    (
        "Trainer.__init__() got an unexpected keyword argument 'tokenizer'",
        "Trainer(tokenizer=...) was removed in transformers 5: pass processing_class=tokenizer.",
    ),
    (
        "TrainingArguments.__init__() got an unexpected keyword argument 'evaluation_strategy'",
        "TrainingArguments(evaluation_strategy=...) was renamed eval_strategy in transformers 5.",
    ),
    (
        "TrainingArguments.__init__() got an unexpected keyword argument 'no_cuda'",
        "TrainingArguments(no_cuda=True) was replaced by use_cpu=True in transformers 5.",
    ),
    (
        "unexpected keyword argument 'num_items_in_batch'",
        "the Trainer calls compute_loss(model, inputs, return_outputs=False, "
        "num_items_in_batch=None): an override must accept num_items_in_batch, and a "
        "compute_loss_func is called as compute_loss_func(outputs, labels, "
        "num_items_in_batch=...).",
    ),
    (
        "You should supply an encoding or a list of encodings",
        "the Trainer drops the columns the model does not take (such as 'text'): tokenize the "
        "texts first, e.g. dataset.map(lambda batch: tokenizer(batch['text'], truncation=True), "
        "batched=True).",
    ),
    (
        "No columns in the dataset match the model's forward method signature",
        "tokenize the 'text' column first: the model takes input_ids and attention_mask, not strings.",
    ),
    (
        "text input must be of type",
        "in datasets 5, dataset[column] is a Column object, which a tokenizer does not accept: "
        "pass list(dataset[column]), or tokenize inside dataset.map(..., batched=True).",
    ),
    (
        "'Dataset' object has no attribute",
        "DataCollatorWithPadding takes a list of feature dicts, one per row, not a Dataset: give "
        "it batches of rows, e.g. through DataLoader(dataset, batch_size=..., "
        "collate_fn=collator).",
    ),
    (
        "Unable to create tensor",
        "only numeric columns can become tensors: keep the model's inputs "
        "(tokenizer.model_input_names) and the label, and leave out columns of strings such as "
        "the text.",
    ),
    (
        # from_pretrained("bert-base-uncased") and the like, while the Hub's offline switches are on
        "We couldn't connect to 'https://huggingface.co'",
        OFFLINE_TIP,
    ),
    (
        "Constrained Beam Search requires trust_remote_code",
        "force_words_ids and constraints moved to a Hub-hosted custom generate in transformers 5 "
        "and fail offline: pass prefix_allowed_tokens_fn=lambda batch_id, input_ids: allowed_ids.",
    ),
)


def fail(message: str) -> NoReturn:
    """Fail the current check with a message for the learner and no traceback of ours."""
    __tracebackhide__ = True
    pytest.fail(message, pytrace=False)


def describe(value: object) -> str:
    """A short, readable description of a value for a message: models and tokenizers by class."""
    module = type(value).__module__
    if module.startswith("transformers.") or module.startswith("tokenizers"):
        return f"<{type(value).__name__}>"
    if module.startswith("torch") and hasattr(value, "shape") and hasattr(value, "dtype"):
        shape = list(value.shape)  # type: ignore[attr-defined]
        return f"tensor(shape={shape}, dtype={str(value.dtype).removeprefix('torch.')})"  # type: ignore[attr-defined]
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(value, torch.nn.Module):
        return f"<{type(value).__name__}>"
    if torch is not None and isinstance(value, torch.optim.Optimizer):
        rate = value.param_groups[0].get("lr") if value.param_groups else None
        return f"<{type(value).__name__} lr={rate}>"
    if module.partition(".")[0] == "pandas" and hasattr(value, "columns"):
        return f"<DataFrame {len(value)} rows: {', '.join(map(str, value.columns))}>"  # type: ignore[arg-type]
    if module.partition(".")[0] == "pandas" and hasattr(value, "dtype") and hasattr(value, "index"):
        return f"<Series {getattr(value, 'name', None)!r} of {len(value)} rows>"  # type: ignore[arg-type]
    if module.startswith("datasets.") and hasattr(value, "column_names"):
        columns = value.column_names  # type: ignore[attr-defined]
        if isinstance(columns, dict):  # a DatasetDict: split -> columns
            sizes = ", ".join(f"{split}: {len(value[split])} rows" for split in columns)  # type: ignore[index]
            return f"<DatasetDict {sizes}>"
        return f"<Dataset {len(value)} rows: {', '.join(columns)}>"  # type: ignore[arg-type]
    if module.startswith("PIL."):
        return f"<PIL image {value.mode} {value.width}x{value.height}>"  # type: ignore[attr-defined]
    if module.startswith("matplotlib."):
        return f"<matplotlib {type(value).__name__}>"
    if isinstance(value, (str, Path)) and (expression := _zoo_expression(value)):
        return expression
    if isinstance(value, Path):
        return repr(str(value))
    if isinstance(value, (list, tuple)) and len(value) > 0 and not isinstance(value[0], (str, int, float)):
        inner = ", ".join(describe(item) for item in value[:4])
        more = ", ..." if len(value) > 4 else ""
        return f"[{inner}{more}]" if isinstance(value, list) else f"({inner}{more})"
    if isinstance(value, dict) and any(not isinstance(v, (str, int, float)) for v in value.values()):
        return "{" + ", ".join(f"{k!r}: {describe(v)}" for k, v in list(value.items())[:6]) + "}"
    text = repr(value)
    return text if len(text) <= _MAX_REPR else text[: _MAX_REPR - 5] + " ..." + text[-1]


def _zoo_expression(value: str | Path) -> str | None:
    """How to get a zoo folder, if the path is one: messages then say zoo.path('gpt2')."""
    from pytest_tfkatas import zoo

    return zoo.expression_for(value) if Path(value).is_absolute() else None


def describe_call(name: str, args: Sequence[object], kwargs: Mapping[str, object]) -> str:
    parts = [describe(arg) for arg in args]
    parts += [f"{key}={describe(value)}" for key, value in kwargs.items()]
    return f"{name}({', '.join(parts)})"


def _message(call: str, got: str, expected: str, tip: str | None) -> str:
    lines = [f"Called {call}.", f"Got:      {got}", f"Expected: {expected}"]
    if tip:
        lines.append(f"Tip: {tip}")
    return "\n".join(lines)


def _is_offline_error(error: BaseException) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        text = str(seen).lower()
        if (
            "huggingface.co" in text
            or "offline mode" in text
            or OFFLINE_MARK in text
            or type(seen).__name__ == "OfflineModeIsEnabled"
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _blocked_connection(error: BaseException) -> BaseException | None:
    """The error of a connection that the kata run refused, if ``error`` comes from one."""
    seen: BaseException | None = error
    while seen is not None:
        if OFFLINE_MARK in str(seen):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def is_panic(error: BaseException) -> bool:
    """Whether ``error`` is a panic of a Rust library (pyo3's PanicException, e.g. the tokenizers'
    on a stride too large for its window): a BaseException, yet an ordinary failure of the call."""
    return type(error).__name__ == "PanicException" and type(error).__module__ == "pyo3_runtime"


def pitfall_tip(error: BaseException) -> str | None:
    """The tip for a known transformers 5 (or offline) mistake that ``error`` comes from, if any."""
    text = str(error)
    return next((tip for words, tip in PITFALLS if words in text), None)


def _learner_line(tb: TracebackType | None, file: Path) -> int | None:
    """The deepest line of the learner's file in a traceback."""
    line = None
    for frame in traceback.extract_tb(tb):
        if Path(frame.filename) == file:
            line = frame.lineno
    return line


class KataFunction:
    """The learner's function as the checks call it.

    Each call is remembered for messages (``last_call``). A stub that still raises
    NotImplementedError, and code that tries to reach the Hugging Face Hub, fail the check with a
    message that says what to do; any other exception propagates, noted with the learner's line.
    """

    def __init__(
        self,
        name: str,
        function: Callable[..., Any],
        file: Path,
        shown_path: str,
        broken: str | None = None,
    ) -> None:
        self.name = name
        self.function = function
        self.file = file
        self.shown_path = shown_path
        #: Why the learner's file gave no usable function, if it did not.
        self.broken = broken
        self.last_call = f"{name}()"
        #: how many times the checks called it (so far, in this check or an earlier one)
        self.calls = 0
        #: calls that showed or saved a figure during the check (plotting katas; see fixtures.py)
        self.figure_calls: list[str] = []

    @classmethod
    def unusable(cls, name: str, file: Path, shown_path: str, why: str) -> KataFunction:
        """Stands in for a function the learner's file could not give: every call fails with why."""

        def missing(*args: object, **kwargs: object) -> NoReturn:
            raise AssertionError(why)

        return cls(name, missing, file, shown_path, broken=why)

    def __repr__(self) -> str:
        return f"<kata {self.name} from {self.shown_path}>"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        __tracebackhide__ = True
        self.last_call = describe_call(self.name, args, kwargs)
        self.calls += 1
        if self.broken:
            fail(self.broken)
        try:
            return self.function(*args, **kwargs)
        except NotImplementedError:
            problem = self._stub_message()
        except SystemExit as error:
            problem = self._exit_message(error)
        except Exception as error:
            if _is_offline_error(error):
                problem = self._offline_message(error)
            elif tip := pitfall_tip(error):
                problem = self._pitfall_message(error, tip)
            else:
                self._note(error)
                raise
        except BaseException as error:
            if is_panic(error):
                self._note(error)
            raise
        fail(problem)  # outside the except block: no "during handling" chain in the report

    def _stub_message(self) -> str:
        return (
            f"Called {self.last_call}.\n"
            f"It raised NotImplementedError: {self.name} {STUB_MARK}.\n"
            f"Write it in {self.shown_path}, replacing the `raise NotImplementedError`."
        )

    def _where(self, error: BaseException) -> str:
        line = _learner_line(error.__traceback__, self.file)
        return f" ({self.shown_path}, line {line})" if line else ""

    def _offline_message(self, error: BaseException) -> str:
        blocked = _blocked_connection(error)
        shown = blocked or error
        first_line = str(shown).strip().splitlines()[0] if str(shown).strip() else type(shown).__name__
        what = "the network" if blocked is not None else "the Hugging Face Hub"
        return (
            f"Called {self.last_call}.\n"
            f"It tried to reach {what}{self._where(error)}: {type(shown).__name__}: {first_line}\n"
            "Katas run offline, on tiny local models: load from the path (or use the objects) "
            "the check passes in, never a hard-coded Hub model name such as 'bert-base-uncased'."
        )

    def _exit_message(self, error: SystemExit) -> str:
        if isinstance(error, ExitCalled):
            what = f"It called os._exit({error.code!r}){self._where(error)}"
        else:
            what = f"It raised SystemExit({error.code!r}){self._where(error)}, from sys.exit() or exit()"
        return (
            f"Called {self.last_call}.\n"
            f"{what}: that ends the whole program, pytest included.\n"
            "A function returns its result, and reports a problem by raising an exception such as "
            "ValueError."
        )

    def _pitfall_message(self, error: BaseException, tip: str) -> str:
        first_line = str(error).strip().splitlines()[0]
        where = self._where(error)
        return f"Called {self.last_call}.\nIt raised {type(error).__name__}{where}: {first_line}\nTip: {tip}"

    def _note(self, error: BaseException) -> None:
        error.add_note(f"raised while calling {self.last_call}{self._where(error)}")


def calls_of(item: pytest.Item) -> int:
    """How many times the check ``item`` has called its kata's function so far (0 before its call)."""
    kata = getattr(item, "funcargs", {}).get("kata")
    return getattr(kata, "calls", 0)


def last_call_since(item: pytest.Item, calls_before: int) -> str | None:
    """The learner's function as the check last called it, if it called it after ``calls_before``
    calls (the guards' messages then open with "Called ...")."""
    kata = getattr(item, "funcargs", {}).get("kata")
    if kata is None or getattr(kata, "calls", 0) <= calls_before:
        return None
    return str(kata.last_call)


def expect(ok: object, kata: KataFunction, *, got: str, expected: str, tip: str | None = None) -> None:
    """Fail with a learner-worded message about ``kata``'s last call unless ``ok`` holds."""
    __tracebackhide__ = True
    if not ok:
        fail(_message(kata.last_call, got, expected, tip))


def fail_call(kata: KataFunction, *, got: str, expected: str, tip: str | None = None) -> NoReturn:
    """Fail with a learner-worded message about ``kata``'s last call: what ``expect`` says when
    its condition does not hold, for a check that already knows the call went wrong."""
    __tracebackhide__ = True
    fail(_message(kata.last_call, got, expected, tip))


def expect_no_files_written(kata: KataFunction) -> None:
    """Fail unless ``kata``'s calls left the check's working folder empty (each check runs in an
    empty folder of its own) and showed or saved no figure anywhere (plotting katas record those
    calls): a plotting kata returns its Figure and lets the caller show or save it."""
    __tracebackhide__ = True
    written = sorted(path.name for path in Path.cwd().iterdir())
    expect(
        not written,
        kata,
        got=f"files written to the working folder: {written}",
        expected="no files: return the Figure and let the caller decide whether to save it",
    )
    shown = sorted(set(kata.figure_calls))
    expect(
        not shown,
        kata,
        got=f"calls of {', '.join(shown)}",
        expected="the Figure returned, neither shown nor saved (anywhere): the caller decides",
        tip="remove the show() and savefig() calls; a notebook shows a returned figure by itself.",
    )


def expect_raises(
    kata: KataFunction,
    error_type: type[E],
    *args: Any,
    because: str,
    match: str | None = None,
    **kwargs: Any,
) -> E:
    """Call ``kata`` and expect ``error_type``, ``because`` says why; return the error.

    ``match`` is a substring (case-insensitive) the error's message must contain.
    """
    __tracebackhide__ = True
    kata.last_call = describe_call(kata.name, args, kwargs)
    kata.calls += 1
    if kata.broken:
        fail(kata.broken)
    expected = f"{error_type.__name__}, because {because}"
    try:
        result = kata.function(*args, **kwargs)
    except NotImplementedError:
        problem = kata._stub_message()
    except SystemExit as error:
        problem = kata._exit_message(error)
    except error_type as error:
        if match is None or match.lower() in str(error).lower():
            return error
        got = f"{type(error).__name__}: {error}"
        problem = _message(kata.last_call, got, f"{expected}, with a message that mentions {match!r}", None)
    except Exception as error:
        if _is_offline_error(error):
            problem = kata._offline_message(error)
        else:
            problem = _message(kata.last_call, f"it raised {type(error).__name__}: {error}", expected, None)
    except BaseException as error:
        if not is_panic(error):
            raise
        first = str(error).strip().splitlines()[0] if str(error).strip() else "no message"
        problem = _message(
            kata.last_call, f"a Rust library panicked (PanicException): {first}", expected, None
        )
    else:
        problem = _message(kata.last_call, f"it returned {describe(result)}", expected, None)
    fail(problem)
