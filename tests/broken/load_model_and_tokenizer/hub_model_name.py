"""A learner's load_model_and_tokenizer that loads a hard-coded Hub model instead of the path it is given."""

from transformers import AutoModelForCausalLM, AutoTokenizer


def load_model_and_tokenizer(model_name_or_path, dtype=None):
    tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")  # <- here
    model = AutoModelForCausalLM.from_pretrained("bert-base-uncased", dtype=dtype)
    return model, tokenizer
