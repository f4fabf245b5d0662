"""Hidden checks: stream_generate."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Iterator

import pytest

from pytest_tfkatas.harness import describe, expect, expect_raises, fail

PROMPTS = ["Once upon a time", "Rain fell softly"]


def consume(kata, stream: object, seconds: float = 10.0) -> list[object]:
    """The chunks of ``stream``, read on a thread so that a stream that never ends fails the check."""
    expect(
        isinstance(stream, Iterator),
        kata,
        got=describe(stream),
        expected="an iterator of text chunks (a generator, or the TextIteratorStreamer itself)",
        tip="return the chunks as they come, e.g. from a generator that loops over the TextIteratorStreamer.",
    )
    chunks: list[object] = []
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            chunks.extend(stream)  # type: ignore[arg-type]
        except BaseException as error:
            outcome.append(error)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=seconds)
    if reader.is_alive():
        fail(
            f"Called {kata.last_call}.\n"
            f"The stream gave {len(chunks)} chunks, then nothing more for {seconds:.0f} s.\n"
            "Tip: generate() ends the streamer when it finishes; if generate() failed on its thread, "
            "end the streamer yourself and re-raise the error to the reader."
        )
    if outcome:
        raise outcome[0]
    return chunks


def test_the_chunks_join_into_the_generated_text(kata, tiny_gpt2, greedy):
    base = tiny_gpt2.load_model(), tiny_gpt2.load_tokenizer()
    variant = tiny_gpt2.variant(89)
    # The variant answers differently: the stream must come from the model it is given.
    cases = [
        (base, PROMPTS[0]),
        (base, PROMPTS[1]),
        ((variant.load_model(), variant.load_tokenizer()), PROMPTS[0]),
    ]
    for (model, tokenizer), prompt in cases:
        expected = greedy(model, tokenizer, prompt, 12)
        chunks = consume(kata, kata(model, tokenizer, prompt, max_new_tokens=12))
        text = "".join(map(str, chunks))
        tip = None
        if text.startswith(prompt):
            tip = "TextIteratorStreamer(tokenizer, skip_prompt=True, ...) leaves the prompt out."
        elif "<|endoftext|>" in text:
            tip = "pass skip_special_tokens=True to TextIteratorStreamer: it forwards it to decode()."
        expect(
            text == expected,
            kata,
            got=f"chunks {chunks!r}, joined {text!r}",
            expected=f"chunks that join into {expected!r}, the non-streamed greedy continuation",
            tip=tip,
        )
        # The streamer hands out text at word and line ends: a text of n words comes in n chunks or so.
        several = min(3, len(expected.split()))
        expect(
            len(chunks) >= several and all(isinstance(chunk, str) and chunk for chunk in chunks),
            kata,
            got=f"chunks {chunks!r}",
            expected=f"at least {several} non-empty strings, one per word or line as generation goes",
            tip='TextIteratorStreamer emits "" while a word is incomplete: skip empty chunks.'
            if "" in chunks
            else "stream with TextIteratorStreamer instead of returning the whole text at once.",
        )


def test_defaults_bounds_and_a_model_that_samples_and_ends_early(kata, gpt2, tiny_llama_sampling):
    """20 new tokens by default; one token; and a Llama-style model whose generation_config
    samples (greedy must be asked for) and which ends the prompt early with </s> (left out)."""
    from pytest_tfkatas.checks.helpers import greedy_continuation
    from pytest_tfkatas.zoo import LLAMA_EOS_PROMPTS

    llama = tiny_llama_sampling.load_model(), tiny_llama_sampling.load_tokenizer()
    cases = [(gpt2, PROMPTS[0], None), (gpt2, PROMPTS[1], 1), (llama, LLAMA_EOS_PROMPTS[0], 12)]
    for (model, tokenizer), prompt, length in cases:
        expected = greedy_continuation(model, tokenizer, prompt, length or 20)
        stream = kata(model, tokenizer, prompt, **({} if length is None else {"max_new_tokens": length}))
        text = "".join(map(str, consume(kata, stream)))
        expect(
            text == expected,
            kata,
            got=f"chunks that join into {text!r}",
            expected=f"{expected!r}: the greedy continuation of "
            + ("20 new tokens (the default)" if length is None else f"at most {length} new token(s)"),
            tip="keep the default max_new_tokens=20; generate(do_sample=False) (a generation_config may "
            "sample by default); TextIteratorStreamer(..., skip_special_tokens=True) leaves </s> out.",
        )


def test_the_first_chunk_arrives_before_generation_ends(kata, gpt2):
    model, tokenizer = gpt2
    new_tokens = 12
    first_chunk = threading.Event()
    waited: list[bool] = []
    forward_calls = 0

    def hold_the_last_step(module, args, kwargs):
        # Each forward pass makes one new token: the last one waits until the reader has a chunk.
        nonlocal forward_calls
        forward_calls += 1
        if forward_calls == new_tokens:
            waited.append(not first_chunk.wait(timeout=5))

    handle = model.register_forward_pre_hook(hold_the_last_step, with_kwargs=True)
    try:
        stream = kata(model, tokenizer, "Once upon a time", max_new_tokens=new_tokens)
        expect(
            isinstance(stream, Iterator),
            kata,
            got=describe(stream),
            expected="an iterator of text chunks",
        )
        chunks = []
        for chunk in stream:
            chunks.append(chunk)
            if chunk:
                first_chunk.set()
    finally:
        handle.remove()
    expect(
        waited == [False],
        kata,
        got="no chunk until generate() had made every token" if waited else f"{forward_calls} forward passes",
        expected=f"the first words while generate() still works on the later tokens ({new_tokens} forward "
        "passes in all)",
        tip="run model.generate(..., streamer=streamer) on a threading.Thread and yield from the streamer "
        "meanwhile; generate() called directly returns only when everything is generated.",
    )


@pytest.mark.parametrize("error_type", [RuntimeError, ValueError], ids=["RuntimeError", "ValueError"])
def test_a_failing_generation_raises_in_the_reader(kata, gpt2, error_type):
    """Whatever generate() raises (out of memory is a RuntimeError, a bad input a ValueError...)
    reaches the reader as it was raised."""
    model, tokenizer = gpt2
    calls = 0

    def break_on_the_fourth_step(module, args, kwargs):
        nonlocal calls
        calls += 1
        if calls == 4:
            raise error_type("simulated failure in generate()")

    model.register_forward_pre_hook(break_on_the_fourth_step, with_kwargs=True)
    stream = kata(model, tokenizer, "Once upon a time", max_new_tokens=12)
    try:
        chunks = consume(kata, stream, seconds=10.0)
    except error_type as error:
        if "simulated failure" in str(error):
            return
        raise
    fail(
        f"Called {kata.last_call}.\nGot:      the chunks {chunks!r} and the end of the stream, no error\n"
        f"Expected: the {error_type.__name__} that generate() raised on its thread, raised to the reader\n"
        "Tip: catch the error in the thread's target, end the streamer, and raise it again after the loop."
    )


def test_a_prompt_of_whitespace_is_streamed(kata, gpt2, greedy):
    """ " " and "\n" are prompts of one token each, not empty ones."""
    model, tokenizer = gpt2
    for prompt in (" ", "\n"):
        expected = greedy(model, tokenizer, prompt, 6)
        try:
            stream = kata(model, tokenizer, prompt, max_new_tokens=6)
        except ValueError as error:
            fail(
                f"Called {kata.last_call}.\nGot:      ValueError: {error}\n"
                f"Expected: chunks that join into {expected!r}: a prompt of whitespace is not empty\n"
                "Tip: refuse only the empty string (''), not strings of spaces or newlines."
            )
        text = "".join(map(str, consume(kata, stream)))
        expect(
            text == expected,
            kata,
            got=f"chunks that join into {text!r}",
            expected=f"{expected!r}: the greedy continuation of the prompt {prompt!r}",
        )


@pytest.mark.parametrize(
    ("prompt", "max_new_tokens", "because"),
    [
        ("", 5, "an empty prompt gives the model nothing to continue"),
        ("Once upon a time", 0, "max_new_tokens must be at least 1"),
    ],
    ids=["empty prompt", "zero new tokens"],
)
def test_bad_arguments_raise_before_streaming(kata, gpt2, prompt, max_new_tokens, because):
    model, tokenizer = gpt2
    if not kata.broken and inspect.isgeneratorfunction(kata.function):
        stream = kata.function(model, tokenizer, prompt, max_new_tokens=max_new_tokens)
        stream.close()
        fail(
            f"Called {kata.name}({describe(model)}, {describe(tokenizer)}, {prompt!r}, "
            f"max_new_tokens={max_new_tokens}).\n"
            "Got:      a generator, which runs its checks only at the first next()\n"
            f"Expected: ValueError at once, because {because}\n"
            "Tip: validate in a plain function, then return an inner generator: a server must refuse a bad "
            "request before it starts streaming the response."
        )
    expect_raises(kata, ValueError, model, tokenizer, prompt, max_new_tokens=max_new_tokens, because=because)
