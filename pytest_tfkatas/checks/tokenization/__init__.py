"""Hidden checks of the tokenization katas."""
