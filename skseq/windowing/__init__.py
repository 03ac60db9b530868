"""Windowing of series into the 3D layout (NumPy and pandas only)."""

from ._scaling import SequenceNormalizer, SequenceScaler
from ._transformers import FlattenSequence, SlidingWindowTransformer
from ._windows import count_windows, make_windows, window_view

__all__ = [
    "FlattenSequence",
    "SequenceNormalizer",
    "SequenceScaler",
    "SlidingWindowTransformer",
    "count_windows",
    "make_windows",
    "window_view",
]
