"""Former home of :mod:`skseq.estimators._persistence`, kept for old pickles.

Pickles written before the move name ``skseq.utils._persistence.SavedKerasNetwork``
(and ``SavedKerasModel``): unpickling imports them from here. Import from
:mod:`skseq.estimators._persistence` in new code.
"""

from ..estimators._persistence import (  # noqa: F401  (re-exported for pickles)
    PICKLE_FORMAT,
    KerasPicklingMixin,
    SavedKerasModel,
    SavedKerasNetwork,
)

__all__ = [
    "PICKLE_FORMAT",
    "KerasPicklingMixin",
    "SavedKerasModel",
    "SavedKerasNetwork",
]
