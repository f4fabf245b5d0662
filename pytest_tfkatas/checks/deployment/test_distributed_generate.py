"""Hidden checks: distributed_generate.

Two checks start processes: three of them, which share five prompts unevenly (2, 2 and 1), and then
the defaults and the bounds (two processes, then one). Each new process imports torch and
transformers again, which costs seconds, so that one call serves many assertions about a working run.
The others give bad input, which must be refused before any process starts; they fail if one started.

The processes run under ``processes.children_prepared()``: what they import first keeps a correct
solution from failing by chance (see ``pytest_tfkatas/processes.py``).
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

import pytest

from pytest_tfkatas.harness import KataFunction, describe, expect, expect_raises
from pytest_tfkatas.processes import children_prepared, processes_started

PROMPTS = [
    "Once upon a time",
    "The river runs past the mill and the bridge",
    "Rain",
    "Le chat noir dort",
    "A good question",
]
#: Three processes for five prompts: shares of 2, 2 and 1. Two processes would share any number of
#: prompts evenly however the remainder is placed; with three, a last rank that takes the whole
#: remainder (1, 1 and 3) shows.
WORLD_SIZE = 3


def test_three_processes_share_the_prompts_and_match_one_process(kata, tiny_gpt2, greedy):
    variant = tiny_gpt2.variant(87)
    model, tokenizer = variant.load_model(), variant.load_tokenizer()
    expected = [greedy(model, tokenizer, prompt, 6) for prompt in PROMPTS]
    with children_prepared():
        results = kata(variant.path, list(PROMPTS), world_size=WORLD_SIZE, max_new_tokens=6)
    shaped = (
        isinstance(results, list)
        and len(results) == len(PROMPTS)
        and all(isinstance(r, dict) and {"text", "rank", "pid"} <= r.keys() for r in results)
    )
    expect(
        shaped,
        kata,
        got=describe(results),
        expected=f"a list of {len(PROMPTS)} dicts, one per prompt, each with 'text', 'rank' and 'pid'",
    )
    texts = [result["text"] for result in results]
    expect(
        texts == expected,
        kata,
        got=f"texts {texts!r}",
        expected=f"{expected!r}: what one process generates greedily for each prompt, in the prompts' order",
        tip="sort the gathered results back into the prompts' order (keep each prompt's index with its "
        "text); pad on the left when a process generates its shard as a batch."
        if sorted(texts) == sorted(expected)
        else "load the model from model_path in each process and generate greedily (do_sample=False); a "
        "batch must be padded on the left, with the attention mask passed to generate().",
    )
    listed_ranks = [result["rank"] for result in results]
    shares = Counter(listed_ranks)
    counts = [shares[rank] for rank in range(WORLD_SIZE)]
    expect(
        set(shares) == set(range(WORLD_SIZE)) and max(counts) - min(counts) <= 1,
        kata,
        got=f"ranks {listed_ranks}: shares of {', '.join(map(str, counts))} prompts for ranks 0 to "
        f"{WORLD_SIZE - 1}",
        expected=f"ranks 0 to {WORLD_SIZE - 1} sharing the {len(PROMPTS)} prompts evenly (2, 2 and 1 "
        "prompts, in any order: shares differ by one at most)",
        tip="shard by rank: prompts[rank::world_size]; or contiguous slices whose sizes differ by one at "
        "most (the first len(prompts) % world_size ranks take one more), not a last rank that takes "
        "the whole remainder.",
    )
    pids = {result["rank"]: result["pid"] for result in results}
    listed = f"pids {[result['pid'] for result in results]} for ranks {listed_ranks}"
    consistent = all(pids[result["rank"]] == result["pid"] for result in results)
    expect(
        consistent and len(set(pids.values())) == WORLD_SIZE and os.getpid() not in pids.values(),
        kata,
        got=f"{listed} (this process is {os.getpid()})",
        expected=f"{WORLD_SIZE} worker processes, one per rank, other than this one: each result carries "
        "os.getpid() of the process that generated it",
        tip="start the workers with torch.multiprocessing.spawn(worker, args=(...), nprocs=world_size); "
        'each calls dist.init_process_group("gloo", ...), generates its shard, and the shards are '
        "gathered with dist.gather_object or dist.all_gather_object.",
    )


def test_the_defaults_and_the_bounds_on_a_model_that_samples_and_ends_early(kata, tiny_llama_sampling):
    """Two calls that start processes. First the defaults (2 processes, 20 new tokens) with as many
    prompts as processes, on a Llama-style model whose generation_config samples (greedy must be
    asked for) and which ends the first prompt early with </s> (left out of the text) while the
    second runs past 20 tokens. Then one process and one new token."""
    from pytest_tfkatas.checks.helpers import greedy_continuation
    from pytest_tfkatas.zoo import LLAMA_EOS_PROMPTS, LLAMA_LONG_PROMPT

    model, tokenizer = tiny_llama_sampling.load_model(), tiny_llama_sampling.load_tokenizer()
    prompts = [LLAMA_EOS_PROMPTS[0], LLAMA_LONG_PROMPT]
    for settings, length, processes in [({}, 20, 2), ({"world_size": 1, "max_new_tokens": 1}, 1, 1)]:
        expected = [greedy_continuation(model, tokenizer, prompt, length) for prompt in prompts]
        with children_prepared():
            results = kata(tiny_llama_sampling.path, list(prompts), **settings)
        texts = (
            [r.get("text") for r in results]
            if isinstance(results, list) and all(isinstance(r, dict) for r in results)
            else None
        )
        ranks = sorted({r.get("rank") for r in results}) if texts is not None else None
        expect(
            texts == expected and ranks == list(range(processes)),
            kata,
            got=f"texts {texts!r} from ranks {ranks}" if texts is not None else describe(results),
            expected=f"{expected!r} from ranks {list(range(processes))}: "
            + (
                "the defaults, 2 processes and up to 20 greedy tokens"
                if not settings
                else "1 process and 1 new token"
            ),
            tip="keep the signature's defaults (world_size=2, max_new_tokens=20); generate with "
            "do_sample=False (this model's generation_config samples) and decode with "
            "skip_special_tokens=True; as many prompts as processes, or one process, is allowed.",
        )


def _expect_refused_before_starting(
    kata: KataFunction, error_type: type[Exception], *args: Any, because: str, **kwargs: Any
) -> None:
    with processes_started() as started:
        expect_raises(kata, error_type, *args, because=because, **kwargs)
    expect(
        not started,
        kata,
        got=f"{error_type.__name__} after {len(started)} process(es) started",
        expected=f"{error_type.__name__} before any process starts",
        tip="check the arguments (and that model_path is a folder) first: each process takes seconds "
        "to start, and would fail anyway.",
    )


@pytest.mark.parametrize(
    ("prompts", "world_size", "because"),
    [
        (PROMPTS, 0, "world_size must be at least 1"),
        ([], 2, "there are no prompts to share"),
        (PROMPTS[:2], 3, "3 processes cannot share 2 prompts"),
    ],
    ids=["zero processes", "no prompts", "more processes than prompts"],
)
def test_bad_arguments_raise_before_starting_processes(kata, tiny_gpt2, prompts, world_size, because):
    _expect_refused_before_starting(
        kata, ValueError, tiny_gpt2.path, list(prompts), world_size=world_size, because=because
    )


def test_a_missing_model_folder_is_refused_before_starting_processes(kata, tmp_path):
    _expect_refused_before_starting(
        kata,
        FileNotFoundError,
        tmp_path / "no-model-here",
        list(PROMPTS),
        world_size=2,
        because="the worker processes would each fail to load it; check the folder first",
    )
