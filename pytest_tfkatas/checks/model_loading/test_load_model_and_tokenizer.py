"""Hidden checks: load_model_and_tokenizer."""

from __future__ import annotations

import torch
from safetensors.torch import load_file
from transformers import PreTrainedModel, PreTrainedTokenizerBase

from pytest_tfkatas.harness import describe, expect, expect_raises


def test_it_returns_a_causal_lm_with_logits_and_a_tokenizer(kata, tiny_gpt2):
    result = kata(tiny_gpt2.path)
    expect(
        isinstance(result, tuple) and len(result) == 2,
        kata,
        got=describe(result),
        expected="a (model, tokenizer) tuple",
    )
    model, tokenizer = result
    expect(
        isinstance(model, PreTrainedModel) and isinstance(tokenizer, PreTrainedTokenizerBase),
        kata,
        got=f"({describe(model)}, {describe(tokenizer)})",
        expected="the model first, then the tokenizer",
    )
    inputs = tiny_gpt2.load_tokenizer()("Once upon a time", return_tensors="pt")
    with torch.no_grad():
        outputs = model(**inputs)
    logits = getattr(outputs, "logits", None)
    expect(
        logits is not None and logits.shape[-1] == model.config.vocab_size,
        kata,
        got=f"a {type(model).__name__} whose output has no logits",
        expected="a model with a language-modelling head: outputs.logits of shape (1, sequence, vocabulary)",
        tip="AutoModel loads only the bare backbone; use AutoModelForCausalLM.",
    )


def _expect_the_checkpoints_weights(kata, model, folder) -> None:
    saved = load_file(folder / "model.safetensors")
    state = model.state_dict() if isinstance(model, PreTrainedModel) else {}
    missing = sorted(name for name in saved if name not in state)
    different = sorted(
        name
        for name, tensor in saved.items()
        if name in state and not torch.equal(state[name].float(), tensor.float())
    )
    expect(
        not missing and not different,
        kata,
        got=f"a {type(model).__name__} whose weights differ from the checkpoint's in {len(different)} "
        f"tensors and lack {len(missing)}, e.g. {(different + missing)[:2]}",
        expected=f"the weights saved in the checkpoint folder ({folder.name})",
        tip="from_config() builds a new, randomly initialised model, and a hard-coded model class that does "
        "not match the checkpoint starts fresh: AutoModelForCausalLM.from_pretrained() reads the "
        "architecture from the checkpoint and loads its weights.",
    )


def test_the_model_has_the_pretrained_weights(kata, tiny_gpt2):
    model, _ = kata(tiny_gpt2.path)
    _expect_the_checkpoints_weights(kata, model, tiny_gpt2.path)


def test_the_tokenizer_is_the_checkpoints_own(kata, tiny_gpt2):
    _, tokenizer = kata(tiny_gpt2.path)
    text = "The robot read a wonderful book about the sea."
    got = tokenizer(text)["input_ids"]
    wanted = tiny_gpt2.load_tokenizer()(text)["input_ids"]
    expect(
        list(got) == list(wanted),
        kata,
        got=f"a tokenizer that encodes {text!r} as {list(got)}",
        expected=f"the checkpoint's tokenizer, which gives {wanted}",
    )


def test_the_tokenizer_pads_with_its_eos_token(kata, tiny_gpt2):
    _, tokenizer = kata(tiny_gpt2.path)
    expect(
        tokenizer.pad_token is not None and tokenizer.pad_token == tokenizer.eos_token,
        kata,
        got=f"pad_token={tokenizer.pad_token!r}",
        expected=f"pad_token={tokenizer.eos_token!r}, the end-of-sequence token, as the tokenizer had none",
        tip="GPT-2's tokenizer has no pad token: set tokenizer.pad_token = tokenizer.eos_token.",
    )
    batch = tokenizer(["Hello", "A much longer prompt than the first"], padding=True, return_tensors="pt")
    expect(
        batch["attention_mask"][0].sum() < batch["attention_mask"][1].sum(),
        kata,
        got=f"attention masks {batch['attention_mask'].tolist()}",
        expected="a padded batch whose mask hides the padding of the shorter prompt",
    )


def test_dtype_sets_the_parameter_type(kata, tiny_gpt2):
    model, _ = kata(tiny_gpt2.path, dtype=torch.bfloat16)
    dtypes = sorted({str(p.dtype) for p in model.parameters()})
    expect(
        dtypes == ["torch.bfloat16"],
        kata,
        got=f"parameters of type {', '.join(dtypes)}",
        expected="every parameter in torch.bfloat16",
        tip="pass dtype=dtype to from_pretrained (the transformers 5 name of torch_dtype).",
    )
    model, _ = kata(tiny_gpt2.path)
    dtypes = sorted({str(p.dtype) for p in model.parameters()})
    expect(
        dtypes == ["torch.float32"],
        kata,
        got=f"parameters of type {', '.join(dtypes)}",
        expected="the checkpoint's own torch.float32 when dtype is None",
    )


def test_none_keeps_the_checkpoints_own_type_and_a_dtype_still_wins(kata, tiny_gpt2_bf16):
    """A checkpoint saved in bfloat16: dtype=None must keep bfloat16 (not force float32)."""
    for dtype, want in ((None, "torch.bfloat16"), (torch.float32, "torch.float32")):
        model, _ = kata(tiny_gpt2_bf16.path, dtype=dtype)
        dtypes = sorted({str(p.dtype) for p in model.parameters()})
        expect(
            dtypes == [want],
            kata,
            got=f"parameters of type {', '.join(dtypes)}",
            expected=f"every parameter in {want}"
            + (": the checkpoint was saved in bfloat16, and None keeps its type" if dtype is None else ""),
            tip="pass dtype=dtype as it is (None included): transformers 5 then keeps the checkpoint's type."
            if dtype is None
            else None,
        )


def test_a_llama_checkpoint_loads_as_a_llama_with_its_weights_and_keeps_its_pad_token(kata, tiny_llama):
    """Any causal LM, not only GPT-2: a Llama-style checkpoint, whose tokenizer has its own <pad>
    apart from its </s> (it must not be replaced)."""
    model, tokenizer = kata(tiny_llama.path)
    expect(
        type(model).__name__ == "LlamaForCausalLM",
        kata,
        got=f"a {type(model).__name__}",
        expected="a LlamaForCausalLM: the architecture the checkpoint's config names",
        tip="AutoModelForCausalLM picks the class from the checkpoint's config; a hard-coded GPT-2 class "
        "only fits GPT-2 checkpoints.",
    )
    _expect_the_checkpoints_weights(kata, model, tiny_llama.path)
    expect(
        tokenizer.pad_token == "<pad>" and tokenizer.pad_token_id != tokenizer.eos_token_id,
        kata,
        got=f"pad_token={tokenizer.pad_token!r} (id {tokenizer.pad_token_id})",
        expected="pad_token='<pad>', the tokenizer's own, kept as it was",
        tip="set the pad token only when there is none: if tokenizer.pad_token is None: ...",
    )


def test_a_missing_model_raises_oserror(kata, tmp_path):
    expect_raises(
        kata,
        OSError,
        tmp_path / "no-such-model",
        because="there is no model in that folder (let from_pretrained's error propagate)",
    )
