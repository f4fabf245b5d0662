"""Hidden checks of the best_practices katas."""
