"""Hidden checks of the generation topic."""
