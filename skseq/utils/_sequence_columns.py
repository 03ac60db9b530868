"""Feature columns of sequences given as a list of DataFrames (one per sequence).

Their values are read by position, as the features of each time step: the same
columns in another order, between the sequences of one ``X`` or between ``fit``
and ``predict``, would feed the network the features swapped, without a word.
"""

import numpy as np

from ._label_order import check_label_order

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
            check_label_order(
                labels,
                reference,
                reordered=(
                    f"{input_name}[{index}] has the columns of {input_name}[{first}] "
                    "in another order: the columns of each sequence are read by "
                    "position, as its features, so they would be swapped. Put "
                    f"them in one order, e.g. [seq[{{fitted}}] for seq in "
                    f"{input_name}]."
                ),
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
    if columns is None or fitted is None:
        return
    name = type(estimator).__name__
    check_label_order(
        columns,
        fitted,
        reordered=(
            f"The sequences of X have the columns {name} was fitted on, in "
            "another order: the columns of each sequence are read by position, "
            "as its features, so they would be swapped. Put them in the order "
            "of fit: [seq[{fitted}] for seq in X]."
        ),
        renamed=(
            f"The sequences of X have other columns than those {name} was fitted "
            "on ({seen} instead of {fitted}): they are read by position, as the "
            "features of each time step."
        ),
        stacklevel=stacklevel,
    )


def _column_labels(item):
    columns = getattr(item, "columns", None)
    if columns is None or getattr(item, "ndim", None) != 2:
        return None
    return [str(label) for label in columns]
