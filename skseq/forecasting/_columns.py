"""Column roles of a series: targets, past and future covariates.

:class:`WindowedForecaster` takes a whole series -- a ``pandas.Series``, a
``DataFrame`` or an array whose rows are time steps -- and reads three groups of
columns from it, named by label (pandas data with column labels) or by position
(arrays): the targets, the past covariates and the future covariates. These
functions find those columns (:func:`resolve_columns` in ``fit``,
:func:`fitted_columns` afterwards), check the known future passed to
``forecast`` (:func:`check_future`) and return the values as float64 arrays
(:func:`column_values`), refusing non-numeric and missing values.
"""

import warnings

import numpy as np

from ..utils._casts import refuse_numbers_as_text
from ..utils._validation import refuse_inexact_integers, refuse_masked
from ..windowing._columns import (
    column_positions,
    is_label,
    label_position,
    non_numeric,
    plain_label,
)
from . import _rows as row_mode
from ._index import check_time_index

__all__ = [
    "FILL_HINT",
    "PANEL_FILL_HINT",
    "CallError",
    "as_frame",
    "check_future",
    "check_labels",
    "column_values",
    "date_columns",
    "refuse_column_kinds",
    "fitted_columns",
    "labels",
    "resolve_columns",
    "time_in_a_column_message",
    "training_columns",
]


class CallError(ValueError):
    """A ``ValueError`` about the call or the fitted model as a whole -- a
    column ``X`` lacks, a ``future`` not given, a method the estimator does not
    have -- not about one series' values: a panel model raises it as it is,
    without the name of the series it was forecasting (every series would fail
    alike)."""


def resolve_columns(frame, labeled, target, past_covariates, future_covariates):
    """Positions of the target, past and future covariate columns."""
    past = column_positions(frame.columns, past_covariates, "past_covariates", labeled)
    future = column_positions(
        frame.columns, future_covariates, "future_covariates", labeled
    )
    covariates = past + future
    if len(set(covariates)) < len(covariates):
        raise ValueError(
            "past_covariates and future_covariates name the same column "
            f"twice: {labels(frame, covariates)}."
        )
    if target is None:
        targets = [j for j in range(frame.shape[1]) if j not in covariates]
        if not targets:
            raise ValueError(
                "Every column is a covariate, so nothing is left to forecast: "
                "set target=..."
            )
        if labeled:  # refuse duplicate labels among them
            for j in targets:
                label_position(frame.columns, frame.columns[j], "target")
    else:
        targets = column_positions(frame.columns, target, "target", labeled)
        if not targets:
            raise ValueError(
                f"target={target!r} names no column: name at least one, or "
                "use target=None for every column that is not a covariate."
            )
        shared = [j for j in targets if j in covariates]
        if shared or len(set(targets)) < len(targets):
            raise ValueError(
                "A column cannot be both a target and a covariate, nor a target "
                f"twice: {labels(frame, shared or targets)}."
            )
    return targets, past, future


def fitted_columns(frame, index, labeled, roles, by_label, n_features_in):
    """Values of the target, past and future covariate columns of ``frame``.

    ``roles`` are the fitted names of the three groups of columns, found by
    label if ``by_label`` (the series seen in ``fit`` had labels), else by
    position among ``n_features_in`` columns.
    """
    if not by_label:
        if frame.shape[1] != n_features_in:
            raise CallError(
                f"X has {frame.shape[1]} columns, but WindowedForecaster was "
                f"fitted on {n_features_in}."
            )
        if labeled:
            warn_positional(frame, "X")
        return tuple(column_values(frame, cols, index) for cols in roles)
    used = [name for names in roles for name in names]
    if not labeled:
        raise CallError(
            "X has no column labels (an array or an unnamed Series), but this "
            "WindowedForecaster was fitted on pandas data and finds its columns "
            f"{used} by label: pass a pandas DataFrame (or a named Series) with "
            "those columns."
        )
    check_labels(frame.columns, used)
    return tuple(
        column_values(
            frame, [label_position(frame.columns, n, "X") for n in names], index
        )
        for names in roles
    )


def check_labels(columns, used):
    """Refuse ``X``'s ``columns`` when they lack any of the labels ``used`` in
    fit."""
    missing = [name for name in used if not is_label(columns, name)]
    if missing:
        raise CallError(
            f"X lacks the column(s) {missing} seen in fit; it has {list(columns)}."
        )


def check_future(future, future_index, names, horizon, by_label, x_labeled=True):
    """Validate ``forecast``'s known-future covariates: (horizon, n_future).

    ``names`` are the fitted future covariates, found by label if ``by_label``;
    ``x_labeled``: whether ``X`` had an index (see :func:`_check_future_index`).
    """
    if future is None:
        raise CallError(
            f"future_covariates={names} are known in advance: pass their values "
            f"for the {horizon} step(s) after X as forecast(X, future=...)."
        )
    frame, index, labeled = as_frame(future, "future")
    if len(frame) != horizon:
        raise ValueError(
            f"future has {len(frame)} row(s), but the forecast covers "
            f"horizon={horizon} step(s): pass the future covariates for "
            "exactly those steps."
        )
    _check_future_index(index, future_index, x_labeled)
    if by_label and labeled:
        missing = [name for name in names if not is_label(frame.columns, name)]
        if missing:
            raise CallError(f"future lacks the future covariate column(s) {missing}.")
        positions = [label_position(frame.columns, n, "future") for n in names]
    elif frame.shape[1] != len(names):
        raise CallError(
            f"future has {frame.shape[1]} column(s), but there are {len(names)} "
            f"future covariates: {names}."
        )
    else:
        if labeled and not by_label:
            warn_positional(frame, "future")
        positions = range(frame.shape[1])
    return column_values(frame, positions, index, name="future")


def _check_future_index(index, future_index, x_labeled):
    """Refuse a ``future`` whose rows could be other steps than the forecast's.

    ``future`` is read by position when it has no index (an array) or pandas'
    default ``0 .. horizon - 1`` (a frame built without one), or when ``X`` had
    none either (an array: nothing to match). Any other index (dates, integers,
    text, floats) must be the forecast's ``future_index``: a label that is not
    a step after ``X`` (text has no next label) could pair the wrong rows.
    """
    import pandas as pd

    if index is None or index.equals(pd.RangeIndex(len(index))) or not x_labeled:
        return
    if future_index is not None and _same_steps(index, future_index):
        return
    first, last = (repr(v) if isinstance(v, str) else str(v) for v in index[[0, -1]])
    fix = (
        "pass future as an array, or as a DataFrame with the default index 0 .. "
        "horizon - 1 (future.reset_index(drop=True)), to have it read by position"
    )
    if future_index is None:
        raise ValueError(
            f"future is indexed {first} .. {last} ({type(index).__name__}), but "
            "X's index is not time (dates, periods, timedeltas or integers), so "
            f"the forecast's steps have no labels to match them with: {fix}."
        )
    raise ValueError(
        f"future is indexed {first} .. {last} ({_kind(index)}), "
        f"but the forecast covers {future_index[0]} .. {future_index[-1]} "
        f"({_kind(future_index)}): index future by those steps"
        f"{_zone_hint(index, future_index)}, or {fix}."
    )


def _kind(index):
    """An index's type, and a period's frequency ("2025Q1" is a quarter of
    fiscal years ending in March or in December)."""
    freq = getattr(index, "freqstr", None) if hasattr(index, "to_timestamp") else None
    name = type(index).__name__
    return name if freq is None else f"{name} at {freq!r}"


def _same_steps(index, future_index):
    """Whether ``future``'s labels are the forecast's steps: equal, or the same
    instants in another time zone (``future`` in UTC for a series in local
    time)."""
    import pandas as pd

    if index.equals(future_index):
        return True
    dates = isinstance(index, pd.DatetimeIndex) and isinstance(
        future_index, pd.DatetimeIndex
    )
    if not dates or index.tz is None or future_index.tz is None:
        return False
    return index.tz_convert(future_index.tz).equals(future_index)


def _zone_hint(index, future_index):
    """How to give ``future`` the forecast's time zone, when one has none."""
    import pandas as pd

    if not isinstance(index, pd.DatetimeIndex) or not isinstance(
        future_index, pd.DatetimeIndex
    ):
        return ""
    own, wanted = index.tz, future_index.tz
    if own is None and wanted is not None:
        return (
            f" (future's dates have no time zone, the forecast's are in {wanted}: "
            f"future.tz_localize({str(wanted)!r}) if they are its local times)"
        )
    if own is not None and wanted is None:
        return (
            f" (future's dates are in {own}, the forecast's have no time zone: "
            "future.tz_localize(None))"
        )
    return ""


def as_frame(series, name):
    """A ``DataFrame`` view of a series (rows = time), its index, and whether its
    columns have labels (a DataFrame or a named Series; not an array)."""
    import pandas as pd

    if isinstance(series, pd.DataFrame):
        return series, series.index, True
    if isinstance(series, pd.Series):
        labeled = series.name is not None
        return (
            series.to_frame(name=series.name if labeled else 0),
            series.index,
            (labeled),
        )
    refuse_masked(series, name)
    values = np.asarray(series)
    if values.ndim not in (1, 2):
        raise ValueError(
            f"{name} must be a series: 1D (n_steps,) or 2D (n_steps, n_columns); "
            f"got shape {values.shape}."
        )
    return pd.DataFrame(values.reshape(len(values), -1)), None, False


def warn_positional(frame, name):
    """Warn, as sklearn does, that labels after a fit without them are ignored."""
    if frame.shape[1] > 1:  # one column cannot be mixed up
        warnings.warn(
            f"{name} has column labels {list(frame.columns)}, but this "
            "WindowedForecaster was fitted on an array (or an unnamed Series), so "
            "its columns are taken by position, in the order seen in fit, not by "
            "label. Fit on the DataFrame to have them matched by label.",
            UserWarning,
            stacklevel=4,
        )


def labels(frame, positions):
    return [frame.columns[j] for j in positions]


FILL_HINT = (
    "Fill them first, e.g. skseq.forecasting.regularize(X) (interpolates) or "
    "X.interpolate(), or keep the rows after them."
)
# the rows of a long panel run from one series into the next: filling the
# whole frame would interpolate across series (or average them by date)
PANEL_FILL_HINT = (
    "Fill them within each series, never across series, e.g. "
    "X.groupby(series_id).apply(skseq.forecasting.regularize, freq=...) "
    "(interpolates each series; a (series, time) panel), or keep the rows "
    "after them."
)


def column_values(frame, positions, index, name="X", fill_hint=FILL_HINT):
    """Float64 values of some columns, refusing non-numeric and missing values
    (``fill_hint``: how to fill those).

    A copy: pandas hands out views of its data, and fit keeps the last rows, so
    a view would follow the user's later edits of ``frame``.
    """
    positions = list(positions)
    if not positions:
        return np.empty((len(frame), 0))
    columns = frame.iloc[:, positions]
    refuse_column_kinds(columns, name)
    refuse_inexact_integers(columns, name)
    try:
        values = columns.to_numpy(dtype=np.float64, copy=True)
    except (TypeError, ValueError) as exc:
        bad, example = non_numeric(columns)
        example = "" if example is None else f" (e.g. {example!r})"
        raise ValueError(
            f"{name} has non-numeric values in the column(s) {bad}{example}; "
            "encode categories as numbers first, e.g. "
            "pandas.get_dummies(frame, columns=[...], dtype=float)."
        ) from exc
    bad = ~np.isfinite(values)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        where = index[row] if index is not None else f"row {row}"
        fix = "Known values are needed there." if name == "future" else fill_hint
        raise ValueError(
            f"{name} has missing or infinite values: column "
            f"{plain_label(columns.columns[col])} "
            f"at {where} ({int(bad.sum())} in all). {fix}"
        )
    return values


def date_columns(frame):
    """The labels of ``frame``'s columns of dates or periods."""
    import pandas as pd

    return [
        label
        for label, dtype in frame.dtypes.items()
        if dtype.kind == "M" or isinstance(dtype, pd.PeriodDtype)
    ]


def time_in_a_column_message(what, date_column):
    """Why integer labels beside the column of dates ``date_column`` are
    refused, and the fix (``what``: "The panel", "X")."""
    note = " (the series id stays a column)" if what == "The panel" else ""
    return (
        f"{what}'s index holds integers (row numbers, as a table read from a "
        f"file and filtered has?) while its column {date_column!r} holds dates: "
        "the time belongs in the index, else the forecasts are labelled by row "
        "number and gaps go unseen. Use X.set_index("
        f"{date_column!r}){note}."
    )


def _check_time_not_in_a_column(frame, index, used):
    """Refuse one series on row numbers beside its time in a column of dates
    not among the columns ``used`` (positions; a used one is refused as dates
    read as numbers), as a panel is refused (see ``_panel_read``).

    A series' integer labels are unique, years as row numbers; what tells
    them apart is the column: one that reads as a time axis (one increasing
    date per row), not a date the model does not use (a launch date, the same
    in every row), nor the dates of the index's years (a yearly series beside
    each year's publication date). pandas' default ``0 .. n - 1`` is no
    labels at all (an array's), and left as it is.
    """
    import pandas as pd

    if index is None or not pd.api.types.is_integer_dtype(index.dtype):
        return
    if index.equals(pd.RangeIndex(len(index))):
        return
    used = set(frame.columns[used])
    for label in date_columns(frame):
        if label in used:
            continue
        column = frame[label]
        if _same_years(index, column):  # years beside each year's date: time
            continue
        if column.is_unique and column.is_monotonic_increasing and column.notna().all():
            raise ValueError(time_in_a_column_message("X", label))


def _same_years(index, column):
    """Whether the integer ``index`` holds the year of each date of ``column``
    (a yearly series on years, beside e.g. each year's publication date)."""
    years = column.dt.year
    return bool(years.notna().all() and np.array_equal(index, years.to_numpy()))


def refuse_column_kinds(columns, name):
    """Refuse complex, date and duration ``columns`` (a :class:`CallError`:
    a column's type is the whole input's, every series of a panel alike), and
    numbers written as text (a ``TypeError``, as sklearn's)."""
    _refuse_complex(columns, name)
    _refuse_dates(columns, name)
    refuse_numbers_as_text(columns, name)


def _refuse_dates(columns, name):
    """CallError for columns of dates or durations: the cast to float reads
    them as nanoseconds, values a model would forecast as numbers. A column's
    type is the whole input's (every series of a panel), hence a CallError."""
    import pandas as pd

    dates = [
        label
        for label, dtype in columns.dtypes.items()
        if dtype.kind == "M" or isinstance(dtype, pd.PeriodDtype)
    ]
    frame = "future" if name == "future" else "X"
    if dates:
        raise CallError(
            f"{name} has dates or times in the column(s) {dates}, which would be "
            "read as numbers (nanoseconds): the time belongs in the index, e.g. "
            f"{frame}.set_index({plain_label(dates[0])}) (a long panel: the series "
            "id stays a column); else leave the column(s) out."
        )
    durations = [label for label, dtype in columns.dtypes.items() if dtype.kind == "m"]
    if durations:
        label = plain_label(durations[0])
        raise CallError(
            f"{name} has durations in the column(s) {durations}, which would be "
            "read as numbers of nanoseconds: give them in a unit of your choice, "
            f"e.g. {frame}[{label}] = {frame}[{label}].dt.total_seconds()."
        )


def _refuse_complex(columns, name):
    """CallError for complex columns: the cast to float keeps their real part,
    with a mere ``ComplexWarning`` (a column's type: the whole input's)."""
    bad = [label for label, dtype in columns.dtypes.items() if dtype.kind == "c"]
    if bad:
        raise CallError(
            f"{name} has complex numbers in the column(s) {bad}; pass real "
            "values, e.g. the column's .real or abs()."
        )


def training_columns(X, y, target, past_covariates, future_covariates):
    """The columns of the series ``fit`` trains on, by role.

    Reads ``X`` (and, in row mode, checks ``y`` against its target columns),
    resolves the target, past and future covariate columns and returns their
    values.

    Returns
    -------
    frame : pandas.DataFrame
        ``X`` as a frame.
    index : pandas.Index or None
        Its index (None for arrays).
    labeled : bool
        Whether ``X`` had column labels.
    freq : pandas.DateOffset or None
        What :func:`~skseq.forecasting._index.check_time_index` returned.
    roles : tuple of list of int
        Positions of the target, past and future covariate columns.
    columns : tuple of ndarray
        Their values, float64, ``(n_steps, n_columns_of_the_role)`` each.
    """
    frame, index, labeled = as_frame(X, "X")
    y_frame, y_index, y_labeled = (None,) * 3 if y is None else as_frame(y, "y")
    target = row_mode.target_spec(target, y_frame, y_labeled, labeled)
    roles = resolve_columns(frame, labeled, target, past_covariates, future_covariates)
    _check_time_not_in_a_column(frame, index, [j for cols in roles for j in cols])
    freq = check_time_index(index, "X")
    columns = tuple(column_values(frame, cols, index) for cols in roles)
    if y is not None:
        names = labels(frame, roles[0]) if labeled else roles[0]
        row_mode.check_y(y_frame, y_index, y_labeled, columns[0], names, index, labeled)
    return frame, index, labeled, freq, roles, columns
