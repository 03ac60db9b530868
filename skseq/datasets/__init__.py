"""Data sets of the chapter: synthetic series, and real series shipped with skseq."""

from ._chorales import load_chorales
from ._ridership import load_ridership
from ._synthetic import make_sine_series

__all__ = ["load_chorales", "load_ridership", "make_sine_series"]
