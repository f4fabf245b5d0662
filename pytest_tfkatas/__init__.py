"""pytest-tfkatas: coding katas for the Hugging Face Transformers API, run as a pytest plugin."""

__version__ = "0.1.0"
