"""Hidden checks: sentence_embeddings."""

from __future__ import annotations

import pytest
import torch

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises

TEXTS = ("The cat sat on the mat.", "A dog barked at the old man in the long quiet street.", "Rain.")


def encoder(name: str, side: str = "right"):
    """The zoo classifier's encoder (a BertModel), in training mode with its dropout on, and its
    tokenizer padding on ``side``."""
    tiny = zoo.get(name)
    model = tiny.load_model().base_model.train()
    tokenizer = tiny.load_tokenizer()
    tokenizer.padding_side = side
    return model, tokenizer


def alone(model, tokenizer, text: str) -> torch.Tensor:
    """The mean of the last hidden states of ``text`` encoded by itself (no padding at all)."""
    copy = type(model)(model.config).eval()
    copy.load_state_dict(model.state_dict())
    with torch.no_grad():
        return copy(**tokenizer(text, return_tensors="pt")).last_hidden_state[0].mean(dim=0)


def run(kata, model, tokenizer, texts, steps=5):
    result = kata(model, tokenizer, texts, steps)
    expect(
        isinstance(result, tuple)
        and len(result) == 3
        and all(isinstance(part, torch.Tensor) for part in result),
        kata,
        got=describe(result),
        expected="a tuple of three tensors: (embeddings, similarities, path)",
    )
    for what, part in zip(("embeddings", "similarities", "path"), result, strict=True):
        expect(
            part.dtype == torch.float32 and not part.requires_grad,
            kata,
            got=f"{what}: {describe(part)}, requires_grad={part.requires_grad}",
            expected=f"{what} as float32 tensors that do not require grad",
            tip="run the model under torch.no_grad()." if part.requires_grad else None,
        )
    return result


@pytest.mark.parametrize(
    ("name", "side"),
    [("bert", "right"), ("bert-cased", "right"), ("bert-cased", "left")],
    ids=["bert right padding", "bert-cased right padding", "bert-cased left padding"],
)
def test_each_embedding_is_the_mean_of_its_own_tokens_whatever_the_padding(kata, name, side):
    model, tokenizer = encoder(name, side)
    texts = [TEXTS[0], TEXTS[1], TEXTS[2], TEXTS[0]]  # a duplicate, and texts shorter than the longest
    expected = torch.stack([alone(model, tokenizer, text) for text in texts])
    before = model.state_dict()
    given = list(texts)
    embeddings, _, _ = run(kata, model, tokenizer, given)
    expect(
        embeddings.shape == expected.shape,
        kata,
        got=f"embeddings of shape {list(embeddings.shape)}",
        expected=f"shape {list(expected.shape)}: one row of hidden_size per text",
    )
    off = (embeddings - expected).abs().max(dim=1).values
    if not bool(off[1] < 1e-5):  # the longest text, never padded
        tip = "call model.eval() before the forward pass (dropout changes every run)."
    elif side == "left":
        tip = "pad on the right (tokenizer(..., padding_side='right')): BERT counts positions from the "
        tip += "first token, so left padding shifts every position of a shorter text."
    else:
        tip = "multiply the hidden states by the attention mask and divide by its sum: a plain mean "
        tip += "counts the padding tokens."
    expect(
        bool((off < 1e-5).all()),
        kata,
        got=f"rows {off.tolist()} away from each text embedded alone",
        expected="each row the mean of last_hidden_state over that text's own tokens, padding left out, "
        "in evaluation mode",
        tip=tip,
    )
    expect(
        model.training
        and all(module.training for module in model.modules())
        and tokenizer.padding_side == side
        and given == texts
        and all(torch.equal(before[key], value) for key, value in model.state_dict().items()),
        kata,
        got=f"model.training={model.training}, tokenizer.padding_side={tokenizer.padding_side!r}, "
        f"texts {given}",
        expected=f"the model left in training mode, as it was given, its weights unchanged, the "
        f"tokenizer still padding on the {side}, and the list of texts as it was",
        tip="remember model.training before model.eval() and put it back with model.train(mode) afterwards.",
    )


@pytest.mark.parametrize("texts", [TEXTS, (TEXTS[2], TEXTS[1], TEXTS[2])], ids=["three texts", "a duplicate"])
def test_similarities_are_the_symmetric_cosines_of_the_embeddings(kata, texts):
    model, tokenizer = encoder("bert-cased")
    model.eval()  # given in evaluation mode this time: it must stay so
    expected_embeddings = torch.stack([alone(model, tokenizer, text) for text in texts])
    expected = torch.nn.functional.cosine_similarity(
        expected_embeddings[:, None, :], expected_embeddings[None, :, :], dim=-1
    )
    _, similarities, _ = run(kata, model, tokenizer, texts)  # a tuple
    expect(
        similarities.shape == expected.shape and torch.allclose(similarities, expected, atol=1e-5),
        kata,
        got=f"similarities {similarities.tolist()}",
        expected=f"{expected.tolist()}: [i, j] the cosine of embeddings i and j",
        tip="normalise each embedding to length 1 (F.normalize) before the matrix product: a plain "
        "dot product grows with the vectors' lengths."
        if similarities.shape == expected.shape
        else None,
    )
    expect(
        torch.allclose(similarities, similarities.T, atol=1e-6)
        and torch.allclose(similarities.diagonal(), torch.ones(len(texts)), atol=1e-5),
        kata,
        got=f"similarities {similarities.tolist()}",
        expected="a symmetric matrix with ones on its diagonal (each text is its own nearest neighbour)",
    )
    expect(
        not any(module.training for module in model.modules()),
        kata,
        got="the model switched to training mode",
        expected="the model left in evaluation mode, as it was given",
        tip="put back the mode the model had (model.train(was_training)), not always training mode.",
    )


@pytest.mark.parametrize("steps", [2, 7])
def test_the_path_is_a_straight_line_from_the_first_embedding_to_the_last(kata, steps):
    model, tokenizer = encoder("bert")
    texts = [TEXTS[1], TEXTS[0], TEXTS[2]]
    embeddings, _, path = run(kata, model, tokenizer, texts, steps)
    start, end = embeddings[0], embeddings[-1]
    expect(
        path.shape == (steps, embeddings.shape[1]),
        kata,
        got=f"a path of shape {list(path.shape)}",
        expected=f"shape {[steps, embeddings.shape[1]]}: steps points, both ends included",
    )
    expect(
        torch.equal(path[0], start) and torch.equal(path[-1], end),
        kata,
        got=f"ends {(path[0] - start).abs().max().item():.2e} and {(path[-1] - end).abs().max().item():.2e} "
        "away from the first and the last embedding",
        expected="path[0] exactly the first text's embedding and path[-1] exactly the last's",
        tip="a + t * (b - a) is not exactly b at t = 1 in floating point: use (1 - t) * a + t * b, or "
        "torch.lerp, which is exact at both ends.",
    )
    weights = [i / (steps - 1) for i in range(steps)]
    expected = torch.stack([(1 - w) * start + w * end for w in weights])
    expect(
        torch.allclose(path, expected, atol=1e-5),
        kata,
        got=f"points {(path - expected).abs().max(dim=1).values.tolist()} away from the line",
        expected=f"(1 - t) * first + t * last at evenly spaced t = {[round(w, 3) for w in weights]}",
    )


def test_a_single_text_is_its_own_path_of_five_points_by_default(kata):
    model, tokenizer = encoder("bert")
    expected = alone(model, tokenizer, TEXTS[1])
    result = kata(model, tokenizer, [TEXTS[1]])  # steps left at its default, 5
    embeddings, similarities, path = result
    expect(
        embeddings.shape == (1, expected.shape[0])
        and torch.allclose(embeddings[0], expected, atol=1e-5)
        and similarities.shape == (1, 1)
        and abs(similarities.item() - 1) < 1e-5
        and path.shape == (5, expected.shape[0])
        and all(torch.equal(point, embeddings[0]) for point in path),
        kata,
        got=f"embeddings {describe(embeddings)}, similarities {similarities.tolist()}, path {describe(path)}",
        expected="one embedding, similarities [[1.0]], and a path of five (the default steps) copies of "
        "that embedding",
    )


@pytest.mark.parametrize(
    ("texts", "steps", "why"),
    [
        ([], 5, "there is no text to embed"),
        ((), 5, "there is no text to embed"),
        (list(TEXTS), 1, "a path needs at least its two ends"),
        (list(TEXTS), 0, "a path needs at least its two ends"),
    ],
    ids=["empty list", "empty tuple", "one step", "no steps"],
)
def test_no_texts_or_fewer_than_two_steps_are_refused(kata, texts, steps, why):
    model, tokenizer = encoder("bert")
    expect_raises(kata, ValueError, model, tokenizer, texts, steps, because=why)
    expect(
        model.training,
        kata,
        got="the model left in evaluation mode",
        expected="a refused call changes nothing: the model still in training mode",
    )
