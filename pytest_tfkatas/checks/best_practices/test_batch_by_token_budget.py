"""Hidden checks: batch_by_token_budget."""

from __future__ import annotations

import copy
import random
import re
from collections import Counter

import pytest

from pytest_tfkatas import zoo
from pytest_tfkatas.checks.helpers import tokenizer_changes, tokenizer_state
from pytest_tfkatas.harness import describe, expect, expect_raises

#: gpt2 adds no special token, llama adds <s>, bert adds [CLS] and [SEP]
NAMES = ["gpt2", "llama", "bert"]
#: a text of 150 to 250 tokens, longer than the 128 the tiny models take: no model runs here, and
#: truncation would hide its true length
LONG = " ".join(zoo.corpus()[20:26])


def mixed_texts(seed: int) -> list[str]:
    """Fourteen texts from 1 to 16 words in a shuffled order, three of them duplicates of others."""
    words = [sentence.split() for sentence in zoo.corpus()[:11]]
    texts = [" ".join(sentence[: 1 + (7 * k) % 16]) for k, sentence in enumerate(words)]
    texts += [texts[2], texts[5], texts[5]]
    random.Random(seed).shuffle(texts)
    return texts


def length(tokenizer, text: str) -> int:
    """The tokens the model sees for ``text`` alone, special tokens included."""
    return len(tokenizer.encode(text))


def fewest_batches(lengths: list[int], budget: int) -> int:
    """How many batches the greedy longest-first packing needs: each batch takes as many of the
    longest remaining texts as its first (longest) text allows."""
    remaining = sorted(lengths, reverse=True)
    count = 0
    while remaining:
        remaining = remaining[budget // remaining[0] :] if remaining[0] else []  # texts of 0 tokens cost 0
        count += 1
    return count


def expect_a_plan(kata, batches, texts, lengths: list[int], budget: int) -> None:
    """Fail unless ``batches`` is a plan of the contract for these texts and this budget."""
    __tracebackhide__ = True
    expect(
        type(batches) is list
        and all(type(batch) is list and batch for batch in batches)
        and all(type(index) is int for batch in batches for index in batch),
        kata,
        got=describe(batches),
        expected="a list of non-empty lists of Python ints (indices into texts)",
    )
    counts = Counter(index for batch in batches for index in batch)
    strays = sorted(counts.keys() ^ range(len(texts)))
    repeated = sorted(index for index, seen in counts.items() if seen > 1)
    expect(
        counts == Counter(range(len(texts))),
        kata,
        got=f"batches {batches}",
        expected=f"every index from 0 to {len(texts) - 1} exactly once (missing or unknown: {strays}, "
        f"repeated: {repeated})",
        tip="work with indices, not texts: duplicated texts are different items of the list.",
    )
    costs = [len(batch) * max(lengths[i] for i in batch) for batch in batches]
    over = [(batch, cost) for batch, cost in zip(batches, costs, strict=True) if cost > budget]
    expect(
        not over,
        kata,
        got=f"batches over the budget (batch, texts x longest): {over[:3]}",
        expected=f"every batch's len(batch) * longest length <= max_tokens={budget}, with lengths from "
        "tokenizer(text)['input_ids'], special tokens included",
    )
    bound = fewest_batches(lengths, budget)
    expect(
        len(batches) <= bound,
        kata,
        got=f"{len(batches)} batches: {batches}",
        expected=f"at most {bound} batches, as many as the texts sorted longest first, packed greedily, need",
        tip="sort the indices by length, longest first, before filling the batches.",
    )


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("container", [list, tuple])
def test_every_batch_fits_the_budget_and_holds_each_text_once(kata, name, container):
    tokenizer = zoo.get(name).load_tokenizer()
    texts = container(mixed_texts(seed=len(name)))
    before, tokenizer_before = copy.deepcopy(texts), tokenizer_state(tokenizer)
    lengths = [length(tokenizer, text) for text in texts]
    for budget in (max(lengths), 40, 61, 100):
        batches = kata(tokenizer, texts, budget)
        expect_a_plan(kata, batches, texts, lengths, budget)
    expect(texts == before, kata, got=f"texts changed to {texts!r}", expected="the texts left as they were")
    expect(
        tokenizer_state(tokenizer) == tokenizer_before,
        kata,
        got=f"the tokenizer changed: {tokenizer_changes(tokenizer_before, tokenizer_state(tokenizer))}",
        expected="the tokenizer left as it was",
        tip="no padding is needed to measure a text: len(tokenizer(text)['input_ids']) needs no pad token."
        if tokenizer.pad_token is not None and "pad_token" not in tokenizer_before["special tokens"]
        else None,
    )


@pytest.mark.parametrize("name", ["bert", "llama"])
def test_a_batch_exactly_on_the_budget_is_allowed(kata, name):
    tokenizer = zoo.get(name).load_tokenizer()
    text = zoo.corpus()[4]
    texts = [text] * 6
    size = length(tokenizer, text)
    batches = kata(tokenizer, texts, 3 * size)
    expect(
        sorted(len(batch) for batch in batches) == [3, 3],
        kata,
        got=describe(batches),
        expected=f"two batches of three: each costs 3 x {size} tokens = {3 * size}, exactly max_tokens",
        tip="a batch may fill the budget exactly: compare with <=.",
    )
    expect_a_plan(kata, batches, texts, [size] * 6, 3 * size)
    alone = kata(tokenizer, texts[:1], size)
    expect(
        alone == [[0]], kata, got=describe(alone), expected=f"[[0]]: one text of {size} tokens fits {size}"
    )


@pytest.mark.parametrize("name", ["bert", "llama"])
def test_lengths_count_the_special_tokens(kata, name):
    tokenizer = zoo.get(name).load_tokenizer()
    texts = [zoo.corpus()[5]] * 5
    lengths = [length(tokenizer, text) for text in texts]
    budget = 3 * lengths[0] - 1  # room for two texts, but for three if the specials were left out
    batches = kata(tokenizer, texts, budget)
    expect_a_plan(kata, batches, texts, lengths, budget)


@pytest.mark.parametrize(
    ("name", "long"), [("bert-cased", zoo.corpus()[7]), ("gpt2", LONG)], ids=["bert-cased", "gpt2-beyond-128"]
)
def test_a_text_longer_than_the_budget_is_refused(kata, name, long):
    tokenizer = zoo.get(name).load_tokenizer()
    texts = ("Hi.", "A cat.", long)
    limit = length(tokenizer, texts[2]) - 1
    error = expect_raises(
        kata,
        ValueError,
        tokenizer,
        texts,
        limit,
        because=f"text 2 has {limit + 1} tokens, one over the budget",
    )
    expect(
        re.search(r"\b2\b", str(error)),
        kata,
        got=f"ValueError: {error}",
        expected="a message that names the index of the text that does not fit (2)",
    )


def test_a_text_beyond_the_models_maximum_length_is_measured_in_full(kata, tiny_gpt2):
    tokenizer = tiny_gpt2.load_tokenizer()
    texts = ["A cat.", LONG, "Hi.", LONG]
    lengths = [length(tokenizer, text) for text in texts]
    for budget in (lengths[1], 2 * tokenizer.model_max_length):
        batches = kata(tokenizer, texts, budget)
        expect_a_plan(kata, batches, texts, lengths, budget)
    expect(
        lengths[1] > tokenizer.model_max_length,  # the check's own premise
        kata,
        got=f"a long text of {lengths[1]} tokens",
        expected=f"more than {tokenizer.model_max_length}",
    )


@pytest.mark.parametrize("name", ["gpt2", "bert"])
def test_empty_strings_are_texts_too(kata, name):
    tokenizer = zoo.get(name).load_tokenizer()
    texts = ["", "A cat.", "", ""]
    lengths = [length(tokenizer, text) for text in texts]  # gpt2: 0 tokens; bert: [CLS] [SEP]
    for budget in (max(lengths), 3 * max(lengths)):
        batches = kata(tokenizer, texts, budget)
        expect_a_plan(kata, batches, texts, lengths, budget)


def test_no_texts_give_no_batches_for_any_budget_of_at_least_one(kata, tiny_gpt2):
    tokenizer = tiny_gpt2.load_tokenizer()
    for empty, budget in (([], 8), ((), 1)):
        batches = kata(tokenizer, empty, budget)
        expect(batches == [] and type(batches) is list, kata, got=describe(batches), expected="[]")


@pytest.mark.parametrize("budget", [0, -4])
def test_a_budget_below_one_is_refused_even_without_texts(kata, tiny_gpt2, budget):
    tokenizer = tiny_gpt2.load_tokenizer()
    expect_raises(kata, ValueError, tokenizer, [], budget, because="a batch must hold at least one token")
