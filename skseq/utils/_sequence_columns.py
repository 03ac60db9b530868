"""Feature columns of sequences given as a list of DataFrames (one per sequence).

Their values are read by position, as the features of each time step: the same
columns in another order, between the sequences of one ``X`` or between ``fit``
and ``predict``, would feed the network the features swapped, without a word.
"""

import warnings

import numpy as np

__all__ = ["check_sequence_columns", "sequence_columns"]


def sequence_columns(X, input_name="X"):
    """The column labels (as str) shared by the DataFrames of a list ``X``.

    None unless every sequence is a 2D DataFrame with the same columns in the
    same order. Sequences whose columns are those of an earlier one in another
    order are refused with a ValueError.
    """
    if getattr(X, "ndim", None) == 1 and getattr(X, "dtype", None) == np.dtype("O"):
        X = list(X)  # a pandas Series or object array of sequences
    if not isinstance(X, (list, tuple)):
        return None
    columns = [_column_labels(item) for item in X]
    named = [(i, labels) for i, labels in enumerate(columns) if labels is not None]
    if not named:
        return None
    first, reference = named[0]
    for index, labels in named[1:]:
        if labels != reference and sorted(labels) == sorted(reference):
            raise ValueError(
                f"{input_name}[{index}] has the columns of {input_name}[{first}] "
                "in another order: the columns of each sequence are read by "
                "position, as its features, so they would be swapped. Put them "
                f"in one order, e.g. [seq[{_shown(reference)}] for seq in "
                f"{input_name}]."
            )
    if len(named) < len(columns) or any(labels != reference for _, labels in named):
        return None
    return reference


def check_sequence_columns(estimator, X, stacklevel=4):
    """Compare the columns of the DataFrames of a list ``X`` with those seen in
    ``fit`` (``_sequence_columns_in``): the same in another order is refused
    with a ValueError, other names get a warning (they may be meant)."""
    columns = sequence_columns(X)
    fitted = getattr(estimator, "_sequence_columns_in", None)
    if columns is None or fitted is None or columns == fitted:
        return
    name = type(estimator).__name__
    if sorted(columns) == sorted(fitted):
        raise ValueError(
            f"The sequences of X have the columns {name} was fitted on, in "
            "another order: the columns of each sequence are read by position, "
            "as its features, so they would be swapped. Put them in the order "
            f"of fit: [seq[{_shown(fitted)}] for seq in X]."
        )
    warnings.warn(
        f"The sequences of X have other columns than those {name} was fitted on "
        f"({_shown(columns)} instead of {_shown(fitted)}): they are read by "
        "position, as the features of each time step.",
        UserWarning,
        stacklevel=stacklevel,
    )


def _column_labels(item):
    columns = getattr(item, "columns", None)
    if columns is None or getattr(item, "ndim", None) != 2:
        return None
    return [str(label) for label in columns]


def _shown(labels, count=5):
    shown = ", ".join(repr(label) for label in labels[:count])
    return f"[{shown}{', ...' if len(labels) > count else ''}]"
