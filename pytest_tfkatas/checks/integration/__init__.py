"""Hidden checks of the integration topic."""
