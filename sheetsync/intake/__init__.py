"""Contributions arriving by form: the form to create, and the example responses."""
