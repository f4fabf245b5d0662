"""Hidden checks of the deployment topic."""
