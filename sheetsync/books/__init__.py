"""The books: per-row rules, overrun policies, figures, checks, scenarios, surplus."""
