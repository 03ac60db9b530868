"""What the cast of user data to float64 gets wrong without a word, refused.

``np.asarray(values, dtype=np.float64)`` (and so sklearn's ``check_array``)
drops a masked array's mask, keeps only the real part of complex numbers,
reads dates as nanoseconds and rounds integers beyond 2**53 to the nearest
float64, so that distinct ids or counts become equal. Each function here
raises a ``ValueError`` or ``TypeError`` naming the argument instead.
"""

import numbers

import numpy as np

__all__ = [
    "as_real_float64",
    "refuse_dates",
    "refuse_inexact_integers",
    "refuse_masked",
    "refuse_numbers_as_text",
    "refuse_text_array",
]

# Every integer up to 2**53 in magnitude is a float64; beyond, only some are.
_EXACT_LIMIT = 2**53


def refuse_masked(values, input_name):
    """ValueError for a NumPy masked array with masked entries, also inside a
    list, tuple or dict (a panel, the rows of ``X``).

    ``np.asarray`` (and so sklearn's ``check_array``) keeps the values under
    the mask and drops the mask: a reading masked as invalid (a -999 of a
    sensor) would be used as a number, a plausible result without a word.
    """
    if isinstance(values, (list, tuple)):
        for position, item in enumerate(values):
            if isinstance(item, (np.ma.MaskedArray, list, tuple, dict)):
                refuse_masked(item, f"{input_name}[{position}]")
        return
    if isinstance(values, dict):
        for key, item in values.items():
            refuse_masked(item, f"{input_name}[{key!r}]")
        return
    if not isinstance(values, np.ma.MaskedArray):
        return
    masked = np.ma.getmaskarray(values)
    if masked.any():
        raise ValueError(
            f"{input_name} is a masked array with {int(masked.sum())} masked "
            "value(s): skseq does not read masks, so the values under them would "
            f"be used as numbers. Drop them, or fill them: {input_name}.filled("
            "value)."
        )


def refuse_inexact_integers(values, input_name):
    """ValueError for 64-bit integers that float64 cannot hold exactly.

    Beyond 2**53 float64 has gaps between its integers: ids, nanosecond counts
    or large totals cast to it are rounded, and distinct values become equal
    (2**60 + 1 and 2**60 + 2 are both 2**60) without a word. Only int64 and
    uint64 data (NumPy's or pandas' nullable ones, a DataFrame's columns, a
    list of ints) are looked at, by one reduction; smaller integers and floats
    cost nothing.
    """
    for label, column in _integer_columns(values):
        example = _first_inexact(column)
        if example is None:
            continue
        where = input_name if label is None else f"column {label!r} of {input_name}"
        raise ValueError(
            f"{where} holds integers too large for float64 to keep exactly "
            f"(|x| > 2**53, e.g. {example} would become {int(float(example))}): "
            "distinct values would become equal. Subtract an offset first (e.g. "
            "the first or smallest value) or rescale (divide by a constant); "
            "an id or a count of nanoseconds is rarely a number to forecast."
        )


def refuse_numbers_as_text(frame, input_name):
    """TypeError for columns of a DataFrame ``frame`` holding numbers written
    as text (``"1.5"``, as a file read without its dtypes gives).

    The cast to float64 parses them without a word; sklearn refuses strings as
    a regressor's values, and so does skseq, naming the column and
    ``pandas.to_numeric``. Text that is no number is left to the caller
    (categories: encoded, or refused as non-numeric). Only columns of objects,
    of pandas' string dtype, or categorical of text categories are looked at.
    """
    import pandas as pd

    for label, dtype in frame.dtypes.items():
        if not _holds_text(dtype):
            continue
        column = frame[label]
        if isinstance(column, pd.DataFrame):  # a repeated label: its first column
            column = column.iloc[:, 0]
        text = [v for v in column.dropna() if isinstance(v, str)]
        if text and all(_is_number(v) for v in text):
            label_text = repr(label)
            raise TypeError(
                f"{input_name} holds numbers written as text in the column "
                f"{label_text} (e.g. {text[0]!r}, dtype {dtype}): strings are not "
                "read as numbers. Convert them first with pandas.to_numeric: "
                f"{input_name}[{label_text}] = pandas.to_numeric("
                f"{input_name}[{label_text}]) (a Series: pandas.to_numeric("
                f"{input_name}))."
            )


def _holds_text(dtype):
    """Objects, pandas' strings, or categories of text (which the cast to
    float64 parses as well)."""
    import pandas as pd

    if isinstance(dtype, pd.CategoricalDtype):
        dtype = dtype.categories.dtype
    return pd.api.types.is_string_dtype(dtype)


def refuse_text_array(values, input_name, kinds="OUS"):
    """:func:`refuse_numbers_as_text` of an array-like: a DataFrame's
    columns, or a Series, NumPy array or list of strings or of objects holding
    strings, all of them numbers, of the NumPy dtype ``kinds`` (``"O"``:
    objects only, where sklearn refuses arrays of strings itself). Ragged
    lists are left to the caller; masked values refused first."""
    import pandas as pd

    refuse_masked(values, input_name)  # np.asarray would fill them with NaN
    if isinstance(values, pd.DataFrame):
        refuse_numbers_as_text(values, input_name)
        return
    try:
        array = values if isinstance(values, np.ndarray) else np.asarray(values)
    except (TypeError, ValueError):
        return
    if array.dtype.kind not in kinds:
        return
    flat = [v.decode() if isinstance(v, bytes) else v for v in array.ravel()]
    text = [str(v) for v in flat if isinstance(v, str)]
    if text and all(_is_number(v) for v in text):
        raise TypeError(
            f"{input_name} holds numbers written as text (e.g. {text[0]!r}): "
            "strings are not read as numbers. Convert them first, e.g. "
            f"{input_name} = numpy.asarray({input_name}, dtype=float) or "
            "pandas.to_numeric for a column."
        )


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def _integer_columns(values):
    """(label or None, values) of each 64-bit integer column of ``values``."""
    if isinstance(values, (list, tuple)):
        if not _may_hold_wide_integers(values):  # floats: no second conversion
            return []
        try:
            values = np.asarray(values)
        except (TypeError, ValueError):  # ragged: its rows are checked one by one
            return []
    dtypes = getattr(values, "dtypes", None)
    if dtypes is not None and hasattr(dtypes, "items"):  # a DataFrame
        return [
            (label, values.iloc[:, position])
            for position, (label, dtype) in enumerate(dtypes.items())
            if _is_wide_integer(dtype)
        ]
    return [(None, values)] if _is_wide_integer(getattr(values, "dtype", None)) else []


def _may_hold_wide_integers(values):
    """Whether a list's first item (of its first row...) is an int, or an
    array of 64-bit integers: only then is it converted to be checked."""
    while isinstance(values, (list, tuple)) and values:
        values = values[0]
    if isinstance(values, (bool, np.bool_)):
        return False
    return isinstance(values, numbers.Integral) or _is_wide_integer(
        getattr(values, "dtype", None)
    )


def _is_wide_integer(dtype):
    return getattr(dtype, "kind", None) in ("i", "u") and dtype.itemsize >= 8


def _first_inexact(column):
    """The first value of an integer ``column`` float64 rounds, or None."""
    if hasattr(column, "dropna"):  # pandas, perhaps nullable (Int64)
        dtype = getattr(column.dtype, "numpy_dtype", column.dtype)
        column = column.dropna().to_numpy(dtype=dtype)
    column = np.asarray(column).reshape(-1)
    if not column.size:
        return None
    small = column.max() <= _EXACT_LIMIT and (
        column.dtype.kind == "u" or column.min() >= -_EXACT_LIMIT
    )
    if small:
        return None
    with np.errstate(invalid="ignore"):  # 2**63 - 1 rounds to 2**63, beyond
        back = column.astype(np.float64).astype(column.dtype)
    inexact = np.flatnonzero(back != column)
    return int(column[inexact[0]]) if inexact.size else None


def refuse_dates(X, input_name):
    """TypeError for an array, Series or DataFrame of dates or durations."""
    dtypes = getattr(X, "dtypes", None)  # a DataFrame's, one per column
    if dtypes is None or not hasattr(dtypes, "__iter__"):
        dtypes = [getattr(X, "dtype", None)]
    kinds = {getattr(dtype, "kind", None) for dtype in dtypes}
    if kinds & {"M", "m"}:
        what = "dates" if "M" in kinds else "durations"
        raise TypeError(
            f"{input_name} holds {what}, not numbers: as floats they would be "
            "nanoseconds since 1970. Keep dates in a pandas index, or turn them "
            "into features first (e.g. the day of the week)."
        )


def as_real_float64(values, input_name):
    """``values`` as a float64 ndarray, as ``np.asarray(values, float64)`` gives
    it, but refusing what that cast gets silently wrong: complex numbers (it
    keeps the real part, with a mere ``ComplexWarning``), masked values (it
    drops the mask), dates and durations (it reads them as nanoseconds),
    integers beyond 2**53 (it rounds them), numbers written as text (it parses
    them). Values that are not numbers get a ``TypeError``."""
    refuse_dates(values, input_name)
    refuse_masked(values, input_name)
    if np.iscomplexobj(values):
        raise ValueError(
            f"{input_name} holds complex numbers; pass real values, e.g. "
            f"{input_name}.real or abs({input_name})."
        )
    refuse_inexact_integers(values, input_name)
    refuse_text_array(values, input_name)
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{input_name} must hold numbers; got {values!r:.80}."
        ) from None
