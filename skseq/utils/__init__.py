"""Validation helpers and lazy Keras access."""
