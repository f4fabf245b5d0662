"""Hidden checks: add_domain_tokens."""

from __future__ import annotations

import copy

import pytest
import torch

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises

#: Words the zoo's tokenizers cut into many pieces (lower case: BERT's uncased tokenizer lowers text).
DOMAIN = ["angiotensin", "nephrectomy", "angiotensin", "covid19"]


def known_token(tokenizer) -> str:
    """A token the vocabulary already has: the first piece of "gardener"."""
    token = tokenizer.tokenize("gardener")[0]
    assert token in tokenizer.get_vocab()
    return token


def matrices(model) -> dict[str, torch.Tensor]:
    """Copies of the input embeddings and, if the model has its own, the output embeddings."""
    found = {"input embeddings": model.get_input_embeddings().weight.detach().clone()}
    output = model.get_output_embeddings()
    if output is not None and output.weight is not model.get_input_embeddings().weight:
        found["output embeddings (LM head)"] = output.weight.detach().clone()
    return found


def _rounded(values: torch.Tensor) -> list:
    """The values to 4 decimals, for a message."""
    return [_rounded(row) if row.dim() else round(float(row), 4) for row in values.detach()]


def _config(model) -> dict:
    return {k: v for k, v in model.config.to_dict().items() if k != "vocab_size"}


def pad_matrix(model, rows: int) -> None:
    """Give the model `rows` spare rows (a matrix padded to a round size), filled with 3.0."""
    size = model.get_input_embeddings().num_embeddings
    model.resize_token_embeddings(size + rows, mean_resizing=False)
    with torch.no_grad():
        for weight in {
            id(w): w
            for w in (
                m.weight
                for m in (model.get_input_embeddings(), model.get_output_embeddings())
                if m is not None
            )
        }.values():
            weight[size:] = 3.0


def check(kata, model, tokenizer, tokens, what: str) -> None:
    """Call the kata and check every promise against values worked out before the call."""
    __tracebackhide__ = True
    old = len(tokenizer)
    vocabulary = tokenizer.get_vocab()
    new = [token for token in dict.fromkeys(tokens) if token not in vocabulary]
    before = matrices(model)
    rows = before["input embeddings"].shape[0]
    tied = "output embeddings (LM head)" not in before and model.get_output_embeddings() is not None
    mode, dtype, config = model.training, model.dtype, _config(model)
    given = copy.deepcopy(tokens)

    result = kata(model, tokenizer, tokens)

    expect(
        type(result) is int and result == len(new),
        kata,
        got=describe(result),
        expected=f"{len(new)}: the new tokens {new} ({what})",
        tip="add_tokens can count a token the vocabulary already had: count what len(tokenizer) grew by."
        if isinstance(result, int) and result > len(new)
        else None,
    )
    expect(
        len(tokenizer) == old + len(new),
        kata,
        got=f"len(tokenizer) {len(tokenizer)}",
        expected=f"{old + len(new)}: {old} tokens, and {len(new)} new",
    )
    for offset, token in enumerate(new):
        ids = tokenizer(f"the {token} level", add_special_tokens=False)["input_ids"]
        expect(
            tokenizer.convert_tokens_to_ids(token) == old + offset and old + offset in ids,
            kata,
            got=f"{token!r} has id {tokenizer.convert_tokens_to_ids(token)}; 'the {token} level' "
            f"tokenizes as {tokenizer.convert_ids_to_tokens(ids)}",
            expected=f"{token!r} one token, id {old + offset} (new tokens in the order given, once each)",
        )
        decoded = tokenizer.decode(ids, skip_special_tokens=True)
        expect(
            token in decoded and token not in tokenizer.all_special_tokens,
            kata,
            got=f"{token!r} among the special tokens; decode(..., skip_special_tokens=True) "
            f"gives {decoded!r}",
            expected=f"{token!r} an ordinary token, which decoding keeps",
            tip="add_tokens(tokens) adds ordinary tokens; special_tokens=True would make them special.",
        )
    after = matrices(model)
    size = max(rows, len(tokenizer))
    for name, old_weight in before.items():
        weight = after.get(name)
        expect(
            weight is not None and weight.shape == (size, old_weight.shape[1]) and weight.dtype == dtype,
            kata,
            got=f"{name} {describe(weight)}",
            expected=f"{name} of shape ({size}, {old_weight.shape[1]}), {dtype}: one row per id"
            + (f", the matrix's {rows} rows kept (it never shrinks)" if rows > len(tokenizer) else ""),
            tip="grow the matrix only when it has fewer rows than len(tokenizer)."
            if weight is not None and weight.shape[0] < rows
            else None,
        )
        if not new:
            expect(
                torch.equal(weight, old_weight),
                kata,
                got=f"{name} changed",
                expected=f"{name} as it was: nothing was added",
            )
            continue
        mean = old_weight[:old].float().mean(dim=0).to(dtype)
        rows_new = weight[old : old + len(new)]
        # resize_token_embeddings' default init is the mean give or take ~1e-6: close enough.
        tolerance = 1e-4 if dtype == torch.float32 else 1e-2
        expect(
            torch.allclose(rows_new.float(), mean.float().expand_as(rows_new), atol=tolerance, rtol=0),
            kata,
            got=f"rows {old}..{old + len(new) - 1} of the {name}: {_rounded(rows_new[:, :4])} "
            "(first 4 columns)",
            expected=f"each the mean of rows 0..{old - 1} (the old ids'): {_rounded(mean[:4])} ...",
            tip="set the new rows yourself, under torch.no_grad(), from the old ids' rows only."
            if rows <= len(tokenizer)
            else "a padded matrix has rows for the new ids already: set them to the mean of the old "
            "ids' rows.",
        )
        others = torch.cat([weight[:old], weight[old + len(new) :]])
        expect(
            torch.equal(others, torch.cat([old_weight[:old], old_weight[old + len(new) :]])),
            kata,
            got=f"other rows of the {name} changed",
            expected="the rows of the old ids, and any spare rows, as they were",
        )
    output = model.get_output_embeddings()
    expect(
        not tied or output.weight is model.get_input_embeddings().weight,
        kata,
        got="the LM head's weight is no longer the input embeddings' matrix",
        expected="input and output embeddings still tied (one matrix), as GPT-2's were",
    )
    expect(
        model.training == mode and model.config.vocab_size == size and _config(model) == config,
        kata,
        got=f"model.training {model.training}, config.vocab_size {model.config.vocab_size}"
        + ("" if _config(model) == config else ", other config values changed"),
        expected=f"model.training {mode}, vocab_size {size}, the rest of the config as it was",
    )
    expect(tokens == given, kata, got=f"tokens now {tokens!r}", expected=f"{given!r}, as passed in")
    text = " ".join(["the", *new, "gardener"])
    with torch.no_grad():
        logits = model(**tokenizer(text, return_tensors="pt")).logits
    expect(
        bool(torch.isfinite(logits).all()),
        kata,
        got="non-finite outputs on a text with the new tokens",
        expected="the model runs on text with the new tokens",
    )


@pytest.mark.parametrize("name", ["gpt2", "llama", "bert", "bert-cased"])
def test_new_tokens_get_the_next_ids_once_each_and_are_counted(kata, name):
    tiny = zoo.get(name)
    tokenizer = tiny.load_tokenizer()
    tokens = [*DOMAIN, known_token(tokenizer), "nephrectomy", "stenosis", "hepatitis", "lumbago"]
    if name != "bert":  # a cased tokenizer: "Nephrectomy" is another token than "nephrectomy"
        tokens += ["Nephrectomy", "ACE2"]
    model = tiny.load_model()
    check(kata, model, tokenizer, tokens, "duplicates once, a known token not at all, in the order given")
    check(
        kata,
        model,
        tokenizer,
        ("angiotensin", "biopsy", "stenosis"),
        "a second call: only 'biopsy' is new, the others were added by the first call",
    )


@pytest.mark.parametrize("name", ["gpt2", "llama", "bert", "gpt2-bf16"])
def test_each_new_row_is_the_mean_of_the_old_rows(kata, name):
    tiny = zoo.get(name)
    model = tiny.load_model()
    if name == "llama":
        model.train()
    check(kata, model, tiny.load_tokenizer(), tuple(DOMAIN[:2]), "two new tokens")
    tokenizer = tiny.load_tokenizer()
    check(
        kata, tiny.load_model(), tokenizer, [known_token(tokenizer), "nephrectomy"], "exactly one new token"
    )


@pytest.mark.parametrize("name", ["gpt2", "llama", "bert"])
def test_a_matrix_with_spare_rows_keeps_its_size(kata, name):
    tiny = zoo.get(name)
    model = tiny.load_model()
    pad_matrix(model, 20)
    check(kata, model, tiny.load_tokenizer(), DOMAIN, "the matrix already has 20 spare rows")


@pytest.mark.parametrize("name", ["gpt2", "llama", "bert"])
def test_nothing_to_add_changes_nothing(kata, name):
    tiny = zoo.get(name)
    tokenizer = tiny.load_tokenizer()
    check(kata, tiny.load_model(), tokenizer, [], "an empty list")
    check(kata, tiny.load_model(), tokenizer, (known_token(tokenizer),) * 2, "known tokens only")
    model = tiny.load_model()
    pad_matrix(model, 5)
    check(kata, model, tokenizer, [], "an empty list, a matrix with spare rows")


@pytest.mark.parametrize(
    ("tokens", "error", "because"),
    [
        ("angiotensin", TypeError, "one string is a sequence of characters, not of tokens"),
        ("", TypeError, "an empty string is still one string, not a sequence of tokens"),
        (["angiotensin", ""], ValueError, "the empty string is no token"),
    ],
    ids=["a string", "an empty string", "an empty token"],
)
def test_bad_tokens_raise_before_anything_changes(kata, tiny_gpt2, tokens, error, because):
    model, tokenizer = tiny_gpt2.load_model(), tiny_gpt2.load_tokenizer()
    before = matrices(model)
    expect_raises(kata, error, model, tokenizer, tokens, because=because)
    expect(
        len(tokenizer) == 512
        and torch.equal(model.get_input_embeddings().weight, before["input embeddings"]),
        kata,
        got=f"len(tokenizer) {len(tokenizer)} after the error",
        expected="512 and the model as it was: check the tokens before changing anything",
    )
