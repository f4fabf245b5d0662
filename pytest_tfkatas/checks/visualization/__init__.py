"""Hidden checks of the visualization topic."""
