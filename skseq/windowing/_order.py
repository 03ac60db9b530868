"""Rows in time order: a check of the time labels of pandas input.

:func:`make_windows`, :class:`SlidingWindowTransformer` and
:class:`~skseq.forecasting.SeriesSplit` read rows by position, as time steps in
order. A series whose index holds times (dates, periods, durations) can say
otherwise: newest first (a common CSV export), shuffled, with a time twice or
a missing one (``NaT``). Cut by position, such a series gives windows that run
backwards or mix days, and splits that train on the future, all without an
error; these are refused here. So is a ``MultiIndex`` of rows, as a
``(series, time)`` panel has: cut by position, its series would be read back to
back, windows running from one series into the next. And a wide table, times
on its columns and not on its rows (one series per row): its rows would be read
as time steps. Gaps are not refused (an
uneven series may be windowed on purpose): :func:`~skseq.forecasting.regularize`
fills them.
"""

import numpy as np

__all__ = ["check_time_order"]


def _time_index(data):
    """The index of pandas ``data`` when it holds times, else None."""
    index = getattr(data, "index", None)
    if index is None or not hasattr(data, "iloc"):
        return None
    import pandas as pd

    if isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex, pd.TimedeltaIndex)):
        return index
    return None


def _times_as_labels(index):
    """The labels of ``index`` as UTC times when they are times kept as text
    (ISO 8601, as a CSV file read without ``parse_dates`` gives, or one with
    several UTC offsets, which pandas leaves as text) or as date objects; else
    None. Other text (``"t1"``, ``"01/02/2020"``) is not read as times."""
    import warnings

    import pandas as pd

    kind = getattr(index, "inferred_type", None)
    if kind not in ("string", "datetime", "date") or not len(index):
        return None
    iso = {"format": "ISO8601"} if kind == "string" else {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pandas' advice on formats
            return pd.DatetimeIndex(pd.to_datetime(index, utc=True, **iso))
    except (ValueError, TypeError, OverflowError):
        return None


def check_time_order(data, name):
    """Refuse pandas ``data`` whose time labels are not in increasing order.

    Parameters
    ----------
    data : object
        The input; only a pandas Series or DataFrame indexed by a
        ``DatetimeIndex``, ``PeriodIndex`` or ``TimedeltaIndex``, or by
        times kept as ISO 8601 text or date objects, is checked;
        one indexed by a ``MultiIndex``, and a DataFrame with times as columns
        labels but not as its index, are refused.
    name : str
        Name of the input in error messages.

    Raises
    ------
    ValueError
        If the index holds a missing time (``NaT``), a time twice, or a time
        before the one of the previous row, or is a ``MultiIndex``, or if the
        columns of a DataFrame are times and its rows not.
    """
    _refuse_stacked_rows(data, name)
    index = _time_index(data)
    if index is not None:
        check_index_order(index, name)
        return
    _refuse_times_as_columns(data, name)
    labels = getattr(data, "index", None) if hasattr(data, "iloc") else None
    times = _times_as_labels(labels) if labels is not None else None
    if times is None:
        return
    try:
        check_index_order(times, name)
    except ValueError as exc:
        raise ValueError(
            f"{exc} (Its labels are times kept as text or objects, e.g. "
            f"{labels[0]!r}, compared here in UTC: convert them before sorting, "
            f"{name}.index = pd.to_datetime({name}.index, utc=True).)"
        ) from None


def _refuse_times_as_columns(data, name):
    """Refuse a wide table, one series per row and one time per column (as M4
    and many spreadsheets lay them out): its rows would be read as time steps."""
    import pandas as pd

    columns = getattr(data, "columns", None)
    timed = (pd.DatetimeIndex, pd.PeriodIndex, pd.TimedeltaIndex)
    if not hasattr(data, "iloc") or not isinstance(columns, timed):
        return
    raise ValueError(
        f"{name}'s columns are times ({columns[0]} to {columns[-1]}) and its "
        f"rows are not: a wide table, one series per row. Rows are read as "
        f"time steps, so pass it with one series per column: {name}.T."
    )


def _refuse_stacked_rows(data, name):
    """Refuse rows indexed by a ``MultiIndex``: a ``(series, time)`` panel, whose
    series, read by position as one series, would share windows."""
    index = getattr(data, "index", None)
    if not hasattr(data, "iloc") or getattr(index, "nlevels", 1) == 1:
        return
    levels = list(index.names)
    raise ValueError(
        f"{name}'s index is a MultiIndex (levels {levels}), not one time step "
        "per row: a table indexed by (series, time) holds several series, and "
        "read by position they would run back to back, windows crossing from "
        "one series into the next. Window each series on its own, e.g. "
        f"{name}.xs(key, level=0) for one of them (a global model of them "
        "all: WindowedForecaster(series_id=...)); if the levels are the parts "
        f"of one series' times, drop them: {name}.reset_index(drop=True)."
    )


def check_index_order(index, name):
    """Refuse missing (``NaT``), duplicate and decreasing labels of ``index``.

    Parameters
    ----------
    index : pandas.Index
        Labels of the rows, read as consecutive time steps.
    name : str
        Name of the input in error messages.
    """
    if index.hasnans:
        raise ValueError(
            f"{name}'s index has missing times (NaT) at {int(index.isna().sum())} "
            "row(s): drop those rows or give them their times."
        )
    if not index.is_unique:
        duplicated = index[index.duplicated()]
        raise ValueError(
            f"{name}'s index has {len(duplicated)} duplicate label(s), e.g. "
            f"{duplicated[0]}: rows are read as consecutive time steps, so keep "
            f"one row per time step, e.g. {name}.groupby(level=0).mean() or "
            f"{name}[~{name}.index.duplicated()]."
        )
    if not index.is_monotonic_increasing:
        row = int(np.flatnonzero(index[1:] < index[:-1])[0])
        newest_first = " (newest first)" if index.is_monotonic_decreasing else ""
        raise ValueError(
            f"{name}'s index is not in increasing order{newest_first}: "
            f"{index[row]} comes before {index[row + 1]}, and rows are read as "
            f"time steps in increasing time order. Sort it first: "
            f"{name}.sort_index()."
        )
