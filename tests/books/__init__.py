"""Tests of the rules, policies, figures, checks, scenarios and surplus."""
