"""Decoy for stream_generate: the generation thread catches only RuntimeError, so another error (a ValueError) never ends the streamer and the reader waits forever.

caught_by: test_a_failing_generation_raises_in_the_reader
"""

from __future__ import annotations

from collections.abc import Iterator
from threading import Thread

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase, TextIteratorStreamer


def stream_generate(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompt: str,
    *,
    max_new_tokens: int = 20,
) -> Iterator[str]:
    # Validate here, not inside the generator below: a generator's body only runs at the first
    # next(), and a server wants to refuse a bad request before it starts streaming a response.
    if not prompt:
        raise ValueError("prompt must not be empty: a causal LM needs at least one token to continue")
    if max_new_tokens < 1:
        raise ValueError(f"max_new_tokens must be at least 1, got {max_new_tokens}")
    inputs = tokenizer(prompt, return_tensors="pt")
    # The streamer receives the tokens from generate() and hands out decoded text through a queue:
    # skip_prompt leaves the prompt out, the decode kwargs drop special tokens such as eos.
    streamer = TextIteratorStreamer(tokenizer, skip_prompt=True, skip_special_tokens=True)
    failure: list[BaseException] = []

    def run() -> None:
        try:
            with torch.no_grad():
                model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False, streamer=streamer)
        except RuntimeError as error:  # MISTAKE: any error of generate() must reach the reader
            failure.append(error)
            streamer.end()  # wake the consumer, or it would wait on the queue forever

    # generate() blocks until it is done: run it on a thread and read the streamer meanwhile.
    thread = Thread(target=run, daemon=True)
    thread.start()
    return _chunks(streamer, thread, failure)


def _chunks(streamer: TextIteratorStreamer, thread: Thread, failure: list[BaseException]) -> Iterator[str]:
    for text in streamer:
        if text:  # the streamer emits "" while a word is still incomplete
            yield text
    thread.join()
    if failure:
        raise failure[0]
