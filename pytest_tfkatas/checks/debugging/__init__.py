"""Hidden checks of the debugging topic."""
