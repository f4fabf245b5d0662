"""Hidden checks: save_fine_tuned."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoModelForSequenceClassification, AutoTokenizer

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call

AUTO = {
    "gpt2": AutoModelForCausalLM,
    "bert": AutoModelForSequenceClassification,
    "gpt2-bf16": AutoModelForCausalLM,
}
TEXTS = ["Once upon a time", "The robot read a book about the sea."]
#: The max_new_tokens that fine_tuned() writes into a causal model's generation config.
GENERATION_LIMIT = 17


def fine_tuned(name: str):
    """A model whose weights moved away from its checkpoint, and a tokenizer given a pad token and a
    new token (the embeddings resized to match), as fine-tuning leaves them."""
    tiny = zoo.get(name)
    model, tokenizer = tiny.load_model(), tiny.load_tokenizer()
    generator = torch.Generator().manual_seed(7)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.add_(torch.randn(parameter.shape, generator=generator).to(parameter.dtype) * 0.01)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    tokenizer.add_tokens(["<robot>"])
    model.resize_token_embeddings(len(tokenizer))
    if model.can_generate():  # generation settings chosen for the fine-tuned model
        model.generation_config.max_new_tokens = GENERATION_LIMIT
    model.train()
    return model, tokenizer


def outputs_of(model, tokenizer) -> torch.Tensor:
    batch = tokenizer([*TEXTS, "a <robot> came"], padding=True, return_tensors="pt")
    was = model.training
    model.eval()
    with torch.no_grad():
        logits = model(**batch).logits
    model.train(was)
    return logits


def saved(kata, name: str, folder: Path):
    __tracebackhide__ = True
    model, tokenizer = fine_tuned(name)
    expected = outputs_of(model, tokenizer)
    dtype = model.dtype
    result = kata(model, tokenizer, folder)
    expect(
        isinstance(result, Path) and result == folder,
        kata,
        got=describe(result),
        expected=f"Path({str(folder)!r}): output_dir as a pathlib.Path",
        tip="return Path(output_dir).",
    )
    expect(
        model.training and model.dtype == dtype,
        kata,
        got=f"the model now training={model.training}, dtype {model.dtype}",
        expected=f"the model as it was: in training mode, {dtype}",
    )
    return model, tokenizer, expected


@pytest.mark.parametrize("name", ["gpt2", "bert", "gpt2-bf16"])
def test_the_folder_loads_back_into_the_same_model_and_tokenizer(kata, name, tmp_path):
    folder = tmp_path / "runs" / "final"  # its parent does not exist yet
    model, tokenizer, expected = saved(kata, name, folder)
    files = sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []
    expect(
        "model.safetensors" in files and "pytorch_model.bin" not in files and "config.json" in files,
        kata,
        got=f"files {files}",
        expected="config.json and model.safetensors (safetensors, not a pickled pytorch_model.bin)",
        tip="model.save_pretrained(output_dir) writes both; torch.save(state_dict) is not loadable by "
        "from_pretrained.",
    )
    try:
        reloaded = AUTO[name].from_pretrained(folder)
        again = AutoTokenizer.from_pretrained(folder)
    except (OSError, ValueError) as error:
        fail_call(
            kata,
            got=f"from_pretrained({str(folder)!r}) failed: {error}",
            expected="a folder that from_pretrained loads, model and tokenizer",
            tip="save both with save_pretrained, into the same folder.",
        )
    expect(
        [again(text)["input_ids"] for text in [*TEXTS, "a <robot> came"]]
        == [tokenizer(text)["input_ids"] for text in [*TEXTS, "a <robot> came"]]
        and again.pad_token == tokenizer.pad_token,
        kata,
        got=f"a reloaded tokenizer with {len(again)} tokens, pad token {again.pad_token!r}",
        expected=f"the fine-tuned tokenizer: {len(tokenizer)} tokens (<robot> added), "
        f"pad token {tokenizer.pad_token!r}",
        tip="tokenizer.save_pretrained(output_dir): the added tokens and the pad token are saved with it.",
    )
    vocabulary = reloaded.get_input_embeddings().num_embeddings
    expect(
        vocabulary == model.get_input_embeddings().num_embeddings,
        kata,
        got=f"a reloaded model with {vocabulary} token embeddings",
        expected=f"{model.get_input_embeddings().num_embeddings}: the fine-tuned model's, <robot> included",
        tip="save the model you were given, as it is now: not the checkpoint it was loaded from.",
    )
    if model.can_generate():
        limit = reloaded.generation_config.max_new_tokens
        expect(
            "generation_config.json" in files and limit == GENERATION_LIMIT,
            kata,
            got=f"files {files}, a reloaded generation config with max_new_tokens={limit}",
            expected=f"generation_config.json too, with the model's max_new_tokens={GENERATION_LIMIT}",
            tip="model.save_pretrained(output_dir) writes the config, the generation config and the weights.",
        )
    got = outputs_of(reloaded, again)
    expect(
        reloaded.dtype == model.dtype and torch.equal(got, expected),
        kata,
        got=f"a reloaded {reloaded.dtype} model whose logits differ by up to "
        f"{float((got.float() - expected.float()).abs().max()):.3g}"
        if got.shape == expected.shape
        else f"logits of shape {tuple(got.shape)}",
        expected=f"the fine-tuned model itself ({model.dtype}): the same logits",
        tip="save the model you were given, as it is now: not the checkpoint it was loaded from.",
    )


def test_a_second_save_replaces_the_first(kata, tmp_path):
    folder = tmp_path / "model"
    saved(kata, "gpt2", folder)
    model, tokenizer, expected = saved(kata, "gpt2", folder)
    with torch.no_grad():
        next(model.parameters()).add_(1.0)
    expected = outputs_of(model, tokenizer)
    result = kata(model, tokenizer, str(folder))  # a str is a path too
    expect(
        isinstance(result, Path) and result == folder,
        kata,
        got=describe(result),
        expected=f"Path({str(folder)!r}): output_dir as a pathlib.Path, even when it was given as a str",
        tip="return Path(output_dir).",
    )
    got = outputs_of(AutoModelForCausalLM.from_pretrained(folder), AutoTokenizer.from_pretrained(folder))
    expect(
        torch.equal(got, expected),
        kata,
        got="a folder that still holds the earlier weights",
        expected="the weights of the latest save",
    )


def test_a_file_in_the_way_raises_value_error_and_is_left_alone(kata, tmp_path):
    model, tokenizer = fine_tuned("gpt2")
    file = tmp_path / "model"
    file.write_text("not a folder\n", encoding="utf-8")
    expect_raises(kata, ValueError, model, tokenizer, file, because="output_dir is a file, not a folder")
    expect(
        file.read_text(encoding="utf-8") == "not a folder\n"
        and sorted(p.name for p in tmp_path.iterdir()) == ["model"],
        kata,
        got=f"files now {sorted(p.name for p in tmp_path.iterdir())}",
        expected="the file as it was, and nothing written",
    )
