"""Hidden checks: build_classifier."""

from __future__ import annotations

import pytest
import torch
from safetensors.torch import load_file
from torch import nn

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call

TEXTS = ["What a lovely quiet morning.", "No.", "The robot broke the old lamp and then fixed it again."]


def parts(kata, module):
    __tracebackhide__ = True
    expect(isinstance(module, nn.Module), kata, got=describe(module), expected="a torch.nn.Module")
    encoder, head = getattr(module, "encoder", None), getattr(module, "head", None)
    expect(
        isinstance(encoder, nn.Module) and isinstance(head, nn.Linear),
        kata,
        got=f"encoder={describe(encoder)}, head={describe(head)}",
        expected="module.encoder (the AutoModel) and module.head (an nn.Linear)",
    )
    return encoder, head


def logits_of(module, batch) -> torch.Tensor:
    return module(input_ids=batch["input_ids"], attention_mask=batch.get("attention_mask"))


@pytest.mark.parametrize(("name", "labels"), [("bert", 3), ("bert-cased", 1)])
def test_the_head_reads_the_first_tokens_state_of_the_pretrained_encoder(kata, name, labels):
    tiny = zoo.get(name)
    tokenizer = tiny.load_tokenizer()
    module = kata(tiny.path, labels)
    encoder, head = parts(kata, module)
    expect(
        module.training and encoder.training,
        kata,
        got=f"module.training={module.training}, encoder.training={encoder.training}",
        expected="the module and its encoder in training mode, as a new module is",
        tip="from_pretrained leaves the encoder in eval mode: call train() on your module.",
    )
    saved = load_file(tiny.path / "model.safetensors")
    state = encoder.state_dict()
    prefix = "bert."
    missing = [k for k in saved if k.startswith(prefix) and k[len(prefix) :] not in state]
    different = [
        k
        for k in saved
        if k.startswith(prefix)
        and k[len(prefix) :] in state
        and not torch.equal(state[k[len(prefix) :]], saved[k])
    ]
    expect(
        not missing and not different,
        kata,
        got=f"an encoder whose weights differ from the checkpoint's in {len(different)} tensors, "
        f"lacks {len(missing)}",
        expected="the pretrained encoder: AutoModel.from_pretrained(model_name_or_path)",
        tip="AutoModel (not AutoModelForSequenceClassification) gives the bare encoder, pretrained.",
    )
    expect(
        head.in_features == encoder.config.hidden_size and head.out_features == labels,
        kata,
        got=f"a head from {head.in_features} to {head.out_features}",
        expected=f"nn.Linear({encoder.config.hidden_size}, {labels})",
    )
    module.eval()
    batch = dict(tokenizer(TEXTS, padding=True, return_tensors="pt"))
    with torch.no_grad():
        try:
            got = logits_of(module, batch)
        except Exception as error:
            fail_call(
                kata,
                got=f"module(input_ids, attention_mask) raised {type(error).__name__}: {error}",
                expected="the logits",
            )
        hidden = encoder(**batch).last_hidden_state
        expected = head(hidden[:, 0])
        alone = torch.cat([logits_of(module, dict(tokenizer(text, return_tensors="pt"))) for text in TEXTS])
    expect(
        isinstance(got, torch.Tensor)
        and got.shape == expected.shape
        and torch.allclose(got, expected, atol=1e-5),
        kata,
        got=describe(got),
        expected=f"logits of shape {tuple(expected.shape)}: head(last_hidden_state[:, 0]), in eval mode",
        tip="the first token's state: outputs.last_hidden_state[:, 0], through the dropout and the head.",
    )
    expect(
        torch.allclose(got, alone, atol=1e-5),
        kata,
        got="logits that change when a text is padded in a batch",
        expected="the same logits for a text alone or padded in a batch",
        tip="pass attention_mask on to the encoder.",
    )


def test_one_optimizer_trains_encoder_and_head_end_to_end(kata, tiny_bert):
    module = kata(tiny_bert.path, 2, dropout=0.0)
    encoder, _ = parts(kata, module)
    frozen = [name for name, p in module.named_parameters() if not p.requires_grad]
    names = {name for name, _ in module.named_parameters()}
    expect(
        not frozen
        and any(name.startswith("encoder.") for name in names)
        and any(name.startswith("head.") for name in names),
        kata,
        got=f"parameters {sorted(names)[:3]}..., frozen: {frozen[:3]}",
        expected="the encoder's and the head's parameters, all trainable, registered on the module",
        tip="assign both in __init__, after super().__init__(): self.encoder = ..., self.head = ...",
    )
    tokenizer = tiny_bert.load_tokenizer()
    batch = dict(tokenizer(TEXTS, padding=True, return_tensors="pt"))
    loss = nn.functional.cross_entropy(logits_of(module, batch), torch.tensor([0, 1, 1]))
    loss.backward()
    reached = encoder.embeddings.word_embeddings.weight.grad
    expect(
        reached is not None and bool(reached.abs().sum() > 0),
        kata,
        got="no gradient reached the encoder's embeddings",
        expected="gradients in the encoder too: the loss backpropagates end to end",
        tip="do not detach the hidden state or run the encoder under torch.no_grad().",
    )


def test_forward_takes_input_ids_alone_and_drops_out_before_the_head(kata, tiny_bert):
    """dropout=1.0, the top of its range: in training mode the dropout zeroes the whole first
    token's state, so the head gives its bias alone (a dropout after the head would give 0)."""
    module = kata(tiny_bert.path, 3, dropout=1.0)
    _, head = parts(kata, module)
    ids = tiny_bert.load_tokenizer()(TEXTS[0], return_tensors="pt")["input_ids"]
    calls = {}
    with torch.no_grad():
        for what, call in (
            ("module(input_ids), in training mode", lambda: module(ids)),
            ("module(input_ids), in eval mode", lambda: module.eval()(ids)),
            ("module(input_ids, attention_mask), in eval mode", lambda: module(ids, torch.ones_like(ids))),
        ):
            try:
                calls[what] = call()
            except Exception as error:
                fail_call(
                    kata,
                    got=f"{what} raised {type(error).__name__}: {error}",
                    expected="the logits: forward(input_ids, attention_mask=None), the mask optional",
                )
    trained, plain, masked = calls.values()
    bias = head.bias.detach().expand(1, 3)
    expect(
        isinstance(trained, torch.Tensor) and trained.shape == (1, 3) and torch.allclose(trained, bias),
        kata,
        got=f"in training mode with dropout=1.0, logits {describe(trained)}: {trained}",
        expected=f"the head's bias {bias.tolist()}: the dropout zeroes the first token's state before "
        "the head",
        tip="self.head(self.dropout(hidden[:, 0])): the dropout comes before the head.",
    )
    expect(
        torch.allclose(plain, masked, atol=1e-5),
        kata,
        got="logits without an attention_mask that differ from those with a mask of ones",
        expected="the same logits: without a mask, the encoder attends to every token",
    )


def test_the_dropout_rate_is_the_one_given(kata, tiny_bert):
    module = kata(tiny_bert.path, 2, dropout=0.35)
    parts(kata, module)
    rates = [
        m.p
        for name, m in module.named_modules()
        if isinstance(m, nn.Dropout) and not name.startswith("encoder.")
    ]
    expect(
        rates == [0.35],
        kata,
        got=f"dropout layers outside the encoder with p={rates}",
        expected="one nn.Dropout(0.35) before the head",
    )
    default = kata(tiny_bert.path, 2)
    rates = [
        m.p
        for name, m in default.named_modules()
        if isinstance(m, nn.Dropout) and not name.startswith("encoder.")
    ]
    expect(rates == [0.1], kata, got=f"by default, p={rates}", expected="nn.Dropout(0.1) by default")


@pytest.mark.parametrize(
    ("labels", "dropout", "because"),
    [
        (0, 0.1, "a classifier needs at least 1 label"),
        (2, 1.5, "a dropout rate is within [0, 1]"),
        (2, -0.1, "a dropout rate is within [0, 1]"),
    ],
    ids=["no labels", "dropout above 1", "negative dropout"],
)
def test_bad_arguments_raise_value_error(kata, tiny_bert, labels, dropout, because):
    expect_raises(kata, ValueError, tiny_bert.path, labels, dropout=dropout, because=because)
