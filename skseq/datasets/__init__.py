"""Data sets of the chapter: synthetic series, and real series shipped with skseq."""

from ._synthetic import make_sine_series

__all__ = ["make_sine_series"]
