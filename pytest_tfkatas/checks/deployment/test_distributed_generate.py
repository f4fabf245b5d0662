"""Hidden checks: distributed_generate.

Only one check starts processes: each new process imports torch and transformers again, which
costs seconds. The others give bad input, which must be refused before any process starts.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest

from pytest_tfkatas.harness import describe, expect, expect_raises

PROMPTS = [
    "Once upon a time",
    "The river runs past the mill and the bridge",
    "Rain",
    "Le chat noir dort",
    "A good question",
]


def test_two_processes_share_the_prompts_and_match_one_process(kata, tiny_gpt2, greedy):
    variant = tiny_gpt2.variant(87)
    model, tokenizer = variant.load_model(), variant.load_tokenizer()
    expected = [greedy(model, tokenizer, prompt, 6) for prompt in PROMPTS]
    results = kata(variant.path, list(PROMPTS), world_size=2, max_new_tokens=6)
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
    ranks = Counter(result["rank"] for result in results)
    expect(
        set(ranks) == {0, 1} and abs(ranks[0] - ranks[1]) <= 1,
        kata,
        got=f"ranks {[result['rank'] for result in results]}",
        expected="ranks 0 and 1 sharing the 5 prompts evenly (3 and 2)",
        tip="shard by rank: prompts[rank::world_size] (or contiguous slices of equal size).",
    )
    pids = {result["rank"]: result["pid"] for result in results}
    listed = (
        f"pids {[result['pid'] for result in results]} for ranks {[result['rank'] for result in results]}"
    )
    consistent = all(pids[result["rank"]] == result["pid"] for result in results)
    expect(
        consistent and len(set(pids.values())) == 2 and os.getpid() not in pids.values(),
        kata,
        got=f"{listed} (this process is {os.getpid()})",
        expected="two worker processes, one per rank, other than this one: each result carries os.getpid() "
        "of the process that generated it",
        tip="start the workers with torch.multiprocessing.spawn(worker, args=(...), nprocs=world_size); "
        'each calls dist.init_process_group("gloo", ...), generates its shard, and the shards are '
        "gathered with dist.gather_object or dist.all_gather_object.",
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
    expect_raises(kata, ValueError, tiny_gpt2.path, list(prompts), world_size=world_size, because=because)


def test_a_missing_model_folder_is_refused_before_starting_processes(kata, tmp_path):
    expect_raises(
        kata,
        FileNotFoundError,
        tmp_path / "no-model-here",
        list(PROMPTS),
        world_size=2,
        because="the worker processes would each fail to load it; check the folder first",
    )
