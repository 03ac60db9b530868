"""Columns of a series named by label or by position: one rule for every
``target=`` (and covariate) argument of skseq.

pandas data with column labels (a ``DataFrame``, a named ``Series``) names its
columns by label, even integer labels; arrays and unnamed Series name them by
position. :func:`make_windows` and :class:`~skseq.forecasting.WindowedForecaster`
both resolve their column arguments here.
"""

import numbers

import numpy as np

from ..utils._scalars import python_scalars

__all__ = [
    "column_labels",
    "column_positions",
    "int_position",
    "is_label",
    "label_position",
    "non_numeric",
    "plain_label",
    "refuse_unordered",
    "spec_items",
]


def plain_label(label):
    """``repr`` of a column label as the user wrote it: ``0`` and ``'rail'``, not
    the ``np.int64(0)`` NumPy 2 prints for the labels pandas hands out."""
    return repr(python_scalars(label))


def column_labels(series):
    """The column labels of a series, or None for an array or an unnamed Series."""
    if hasattr(series, "columns"):
        return series.columns
    name = getattr(series, "name", None)
    if hasattr(series, "iloc") and name is not None:
        import pandas as pd

        return pd.Index([name])
    return None


def column_positions(columns, spec, name, labeled):
    """Column positions named by ``spec``: labels if ``labeled``, else positions.

    ``columns`` are the labels (a pandas Index) when ``labeled``, else any
    sequence as long as the number of columns.
    """
    refuse_unordered(columns, spec, name, labeled)
    positions = []
    for item in spec_items(columns, spec, labeled):
        if isinstance(item, (bool, np.bool_)):
            raise TypeError(
                f"{name}: {plain_label(item)} is neither a column label nor a position."
            )
        if labeled:
            positions.append(label_position(columns, item, name))
        else:
            positions.append(int_position(len(columns), item, name))
    return positions


def refuse_unordered(columns, spec, name, labeled):
    """Refuse a set: its order, which orders the columns of ``X`` and ``y``,
    changes from one Python session to the next for strings (hash seeds)."""
    if not isinstance(spec, (set, frozenset)) or (labeled and is_label(columns, spec)):
        return
    listed = sorted((python_scalars(item) for item in spec), key=str)
    raise TypeError(
        f"{name} is a set ({listed}), whose order can change from one Python "
        "session to the next, and with it the order of the columns of X and "
        f"y: list the columns in the order you want, e.g. {name}={listed}."
    )


def spec_items(columns, spec, labeled):
    """The column labels or positions that a target or covariate spec lists."""
    if spec is None:
        return []
    if labeled and is_label(columns, spec):
        return [spec]
    if isinstance(spec, (str, bytes)) or not np.iterable(spec):
        return [spec]
    return list(spec)


def is_label(columns, item):
    try:
        return item in columns
    except TypeError:  # unhashable
        return False


def label_position(columns, label, name):
    """Position of a column label, refusing absent and duplicated labels."""
    if not is_label(columns, label):
        hint = (
            " (the columns of pandas data are named by label, not position)"
            if isinstance(label, numbers.Integral)
            else ""
        )
        raise ValueError(
            f"{name}: {plain_label(label)} is not a column label of the series "
            f"(columns: {list(columns)}){hint}."
        )
    position = columns.get_loc(label)
    if not isinstance(position, numbers.Integral):
        count = len(np.arange(len(columns))[position])
        raise ValueError(
            f"{name}: column {plain_label(label)} appears {count} times in the "
            "series; give its columns unique labels."
        )
    return int(position)


def int_position(n_columns, item, name):
    if not isinstance(item, numbers.Integral):
        raise ValueError(
            f"{name}: {plain_label(item)} names a column, but the series has no "
            "column labels (an array or an unnamed Series): give column positions "
            "(ints), or pass a pandas DataFrame."
        )
    if not -n_columns <= item < n_columns:
        raise ValueError(
            f"{name}: column {item} is out of range for a series with "
            f"{n_columns} column(s)."
        )
    return int(item) % n_columns


def non_numeric(columns):
    """The labels of the columns that do not convert to float, and the first
    value that does not (the whole frame's labels when no single one fails)."""
    bad, example = [], None
    for label, column in columns.items():
        try:
            column.to_numpy(dtype=np.float64)
        except (TypeError, ValueError):
            bad.append(label)
            for value in column:
                try:
                    float(value)
                except (TypeError, ValueError):
                    example = value
                    break
    return (bad or list(columns.columns)), example
