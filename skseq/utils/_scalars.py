"""NumPy scalars handed to Keras as Python numbers (NumPy only, no sklearn)."""

import functools

import numpy as np

__all__ = ["python_scalars", "with_python_scalars"]


def python_scalars(value):
    """``value`` with NumPy scalars turned into Python ones, inside tuples, lists
    and dicts too (Keras refuses e.g. ``kernel_size=np.int64(2)``)."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (tuple, list)):
        return type(value)(python_scalars(item) for item in value)
    if isinstance(value, dict):
        return {key: python_scalars(item) for key, item in value.items()}
    return value


def with_python_scalars(builder):
    """Decorate a network builder so that NumPy scalars (from a ``np.arange`` or
    ``np.logspace`` grid) reach Keras as Python numbers."""

    @functools.wraps(builder)
    def build(*args, **kwargs):
        return builder(*python_scalars(args), **python_scalars(kwargs))

    return build
