"""Hidden checks of the ethics topic."""
