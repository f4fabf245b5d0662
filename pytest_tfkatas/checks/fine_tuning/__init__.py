"""Hidden checks of the fine_tuning topic."""
