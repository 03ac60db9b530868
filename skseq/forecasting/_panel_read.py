"""Reading a panel for a global model: its series, columns and frequency.

:func:`read_panel` finds each series' rows (:mod:`skseq.windowing._panel`),
the column roles and the panel's frequency, checking each series' index as one
series' is checked (errors name the series); the values of the whole panel are
read at once when they are clean (:func:`panel_columns`).
"""

import re
from contextlib import contextmanager

import numpy as np

from ..utils._casts import refuse_numbers_as_text
from ..windowing._columns import refuse_unordered
from ..windowing._panel import SeriesFrames, SeriesPositions, panel_rows
from ._calendar import shifted
from ._columns import (
    FILL_HINT,
    PANEL_FILL_HINT,
    CallError,
    column_values,
    date_columns,
    refuse_column_kinds,
    resolve_columns,
    time_in_a_column_message,
)
from ._index import _SPLIT_HINT, check_time_index

__all__ = [
    "as_list",
    "panel_freq",
    "check_series_index",
    "naming",
    "on_grid",
    "panel_columns",
    "read_panel",
    "series_name",
]


def read_panel(model, X, y):
    """The series of a panel, their column roles and the panel's frequency.

    Returns a dict: ``rows`` (:class:`PanelRows`), ``ids``, ``frames`` (a
    :class:`SeriesFrames`: each series' frame, cut when accessed),
    ``positions`` (a :class:`SeriesPositions`), ``static`` (the static
    covariates' names), ``columns`` (``roles, names, data_columns``: positions
    and names of the target, past and future covariate columns among the data
    columns, the panel's columns without the id and the static covariates)
    and ``freq``.
    """
    rows = panel_rows(X, model.series_id)
    refuse_unordered(
        rows.frame.columns, model.static_covariates, "static_covariates", True
    )
    static = as_list(model.static_covariates)
    _check_id_not_an_input(model, rows.frame)
    _check_time_not_in_a_column(rows)
    _check_static_names(rows.frame, static)
    _check_roles_apart(model, static)
    data = rows.frame.drop(columns=static) if static else rows.frame
    target = _y_targets(model, y)
    covariates = model.past_covariates, model.future_covariates
    roles = resolve_columns(data, True, target, *covariates)
    # about the panel's columns, not its first series: checked on the whole
    refuse_column_kinds(data.iloc[:, [j for cols in roles for j in cols]], "X")
    if y is not None:
        _check_y_panel(y, roles[0], data)
    frames = SeriesFrames(rows)
    positions = frames.positions
    names = [list(data.columns[c]) for c in roles]
    return {
        "rows": rows,
        "ids": rows.ids,
        "frames": frames,
        "positions": positions,
        "static": static,
        "columns": (roles, names, data.columns),
        **panel_freq(frames, rows.ids, rows, positions),
    }


def as_list(names):
    """The column names listed by ``names``: None, one name, or any iterable
    of them (a list, tuple, pandas Index, array, ``dict.keys()``)."""
    if names is None:
        return []
    if isinstance(names, str | bytes) or not np.iterable(names):
        return [names]
    return list(names)


def _check_static_names(frame, static_names):
    missing = [name for name in static_names if name not in frame.columns]
    if missing:
        raise ValueError(
            f"static_covariates {missing} are not columns of the panel (columns: "
            f"{list(frame.columns)})."
        )


def _check_id_not_an_input(model, frame):
    """Refuse the ``series_id`` column named as a target or covariate: it tells
    the series apart and is dropped from their columns."""
    roles = {
        "static_covariates": model.static_covariates,
        "target": model.target,
        "past_covariates": model.past_covariates,
        "future_covariates": model.future_covariates,
    }
    for role, names in roles.items():
        try:
            named = any(
                name == model.series_id and name not in frame.columns
                for name in as_list(names)
            )
        except (TypeError, ValueError):  # names that do not compare as one bool
            continue
        if named:
            raise ValueError(
                f"{role} names {model.series_id!r}, the series_id column: it "
                "tells the series apart and is not one of their columns. To give "
                "the network each series' identity, use series_encoding='onehot' "
                "(or a static covariate of your own, e.g. a copy of the column)."
            )


def _check_time_not_in_a_column(rows):
    """Refuse integer time labels beside a column of dates: row numbers (a
    panel read from a file, then filtered), the time left in a column."""
    import pandas as pd

    if not pd.api.types.is_integer_dtype(rows.time.dtype):
        return
    if not pd.Index(rows.time).is_unique:  # repeats across series: time labels
        return
    dates = date_columns(rows.frame)
    if dates:
        raise ValueError(time_in_a_column_message("The panel", dates[0]))


def _check_roles_apart(model, static_names):
    """Refuse a static covariate also named as the target or a covariate in
    time (it is dropped from the series' columns before those are read)."""
    roles = {
        "target": model.target,
        "past_covariates": model.past_covariates,
        "future_covariates": model.future_covariates,
    }
    for role, names in roles.items():
        both = [name for name in as_list(names) if name in static_names]
        if both:
            raise ValueError(
                f"{both} are given both in static_covariates and in {role}: a "
                "static covariate is one value per series; a target or covariate "
                "varies in time. Name each column in one role only."
            )


def _y_targets(model, y):
    """The target spec: ``target``, else y's columns in row mode."""
    import pandas as pd

    if y is None or model.target is not None:
        return model.target
    if isinstance(y, pd.Series) and y.name is not None:
        return [y.name]
    if isinstance(y, pd.DataFrame):
        return list(y.columns)
    return model.target


def check_panel_truth(model, X, y):
    """Refuse a ``y`` scored against ``predict(X)`` on a panel that is not the
    fitted target columns of ``X``, row for row."""
    data = panel_rows(X, model.series_id_).frame
    names = list(model.target_names_)
    missing = [name for name in names if name not in data.columns]
    if missing:
        raise ValueError(f"X has no target column {missing[0]!r} to score y against.")
    _check_y_panel(y, [data.columns.get_loc(name) for name in names], data)


def _check_y_panel(y, target_positions, data):
    """Refuse a row-mode ``y`` that is not the panel's target columns, row by row."""
    import pandas as pd

    message = (
        "y must equal the target column(s) of the panel X, row for row "
        "(e.g. search.fit(panel, panel['sales'])): predict(X) forecasts each "
        "row of X and scorers compare its forecasts with y."
    )
    if isinstance(y, pd.Series | pd.DataFrame):
        refuse_numbers_as_text(y.to_frame() if isinstance(y, pd.Series) else y, "y")
    try:
        values = (
            y.to_numpy(dtype=np.float64)
            if isinstance(y, pd.Series | pd.DataFrame)
            else np.asarray(y, dtype=np.float64)
        )
    except (TypeError, ValueError):
        # e.g. the whole panel passed as y, its series id column included
        raise ValueError(f"{message} y holds values that are not numbers.") from None
    expected = data.iloc[:, target_positions].to_numpy(dtype=np.float64)
    if values.reshape(len(values), -1).shape != expected.shape or not np.array_equal(
        values.reshape(len(values), -1), expected
    ):
        raise ValueError(message)


def series_name(series_id):
    """``series 'north'``; a NumPy scalar id as its Python value (``series 1``,
    not ``series np.int64(1)``)."""
    if isinstance(series_id, np.generic):
        series_id = series_id.item()
    return f"series {series_id!r}"


# The hint of one series' too-short error, "use SeriesSplit ...", is wrong for
# a panel, which PanelSplit splits: its test rows hold no history.
_SERIES_SPLIT_HINT = re.compile(
    r"= (\d+) (\(the first \d+ are the history of the first forecast\)\.) In "
    r"cross-validation, use SeriesSplit with lookback >= \d+ and test_size >= \d+\."
)


def _panel_split_hint(match):
    needed = match.group(1)
    return (
        f"= {needed} {match.group(2)} In cross-validation on a panel, fit with y "
        "(search.fit(panel, panel[target])): PanelSplit's test rows are then "
        "forecast from each series' training rows. Without y, each series' test "
        f"rows are scored on their own windows: PanelSplit(test_size >= {needed}), "
        "or hold out whole series (GroupKFold)."
    )


@contextmanager
def naming(series_id):
    """Prefix a ``ValueError`` raised inside with the name of the series being
    forecast (a hint to fill missing values says: within each series); a
    :class:`CallError`, about the whole model or call, as it is."""
    try:
        yield
    except CallError:
        raise
    except ValueError as error:
        message = str(error).replace(FILL_HINT, PANEL_FILL_HINT)
        message = _SERIES_SPLIT_HINT.sub(_panel_split_hint, message)
        raise ValueError(f"{series_name(series_id)}: {message}") from None


def panel_freq(frames, ids, rows=None, positions=None):
    """The panel's frequency and integer step (``{"freq": ..., "step": ...}``):
    every series' index checked, one frequency (one step, for integer
    indexes) for all, read from the longest series (a short one with missing
    steps can look regular at another frequency)."""
    given = None if rows is None else rows.freq  # a dict's series' own freq
    longest = _longest(frames, positions)
    freq = check_series_index(frames[longest].index, ids[longest], given)
    if rows is not None and freq is not None and on_grid(rows.time, positions, freq):
        return {"freq": freq, "step": None}
    # a series off the grid (or an index other than dates): the series' own
    # checks at the longest one's frequency, in order, name the first that fails
    step = None
    for frame, series_id in zip(frames, ids, strict=True):
        own = check_series_index(frame.index, series_id, freq)
        freq = freq if freq is not None else own
        step = _same_integer_step(frame.index, series_id, step)
    return {"freq": freq, "step": step}


# the fixes a single series' error shows (X.groupby(level=0).mean(),
# X[~X.index.duplicated()], regularize(X)) would mix a long panel's series
_PANEL_INDEX_NOTE = (
    " Here X is that series' rows: fix each series on its own rows (e.g. "
    "X.groupby(series_id).apply(...)), never the whole panel, whose dates "
    "repeat across series. In cross-validation, split with "
    "skseq.forecasting.PanelSplit."
)


def _longest(frames, positions=None):
    """The position of the series with the most rows (the first of them)."""
    if isinstance(positions, SeriesPositions):
        lengths = positions.lengths
    else:
        lengths = [len(frame) for frame in frames]
    return int(np.argmax(lengths))


def check_series_index(index, series_id, freq=None):
    """``check_time_index`` of one series of a panel, its errors naming the
    series and saying that their fixes apply to that series' rows."""
    try:
        return check_time_index(index, "X", freq)
    except ValueError as error:
        message = str(error).replace(_SPLIT_HINT, "") + _PANEL_INDEX_NOTE
        raise ValueError(f"{series_name(series_id)} of the panel: {message}") from None


def _same_integer_step(index, series_id, step):
    """The step of integer time labels, the same for every series."""
    import pandas as pd

    if not (pd.api.types.is_integer_dtype(index.dtype) and len(index) > 1):
        return step
    own = int(index[1] - index[0])
    if step is not None and own != step:
        raise ValueError(
            f"{series_name(series_id)} of the panel steps by {own}, an earlier "
            f"series by {step}: one panel has one time step."
        )
    return own


GRID_BLOCK = 1 << 18  # dates checked at a time


def on_grid(time, positions, freq):
    """Whether the dates of every series are ``first, first + freq, ...`` (as
    :func:`check_time_index` at ``freq`` accepts them), checked for the whole
    panel at once; False for an index other than dates."""
    import pandas as pd

    if not isinstance(time, pd.DatetimeIndex) or not len(positions):
        return False
    if isinstance(positions, SeriesPositions):
        lengths = positions.lengths
        dates = time if positions.order is None else time.take(positions.order)
    else:
        lengths = np.array([len(p) for p in positions])
        dates = time.take(np.concatenate(positions)) if lengths.all() else None
    if not lengths.all():
        return False
    if dates.hasnans:
        return False
    firsts = np.cumsum(lengths) - lengths
    if not all(freq.is_on_offset(d) for d in dates.take(firsts).unique()):
        return False
    # from one series to the next, any step
    boundaries = firsts[1:] - 1
    for start in range(0, len(dates) - 1, GRID_BLOCK):  # memory of a block
        stop = min(start + GRID_BLOCK, len(dates) - 1)
        steps = shifted(dates[start:stop], freq) == dates[start + 1 : stop + 1]
        inside = boundaries[(boundaries >= start) & (boundaries < stop)]
        steps[inside - start] = True
        if not steps.all():
            return False
    return True


def panel_columns(panel):
    """The target, past and future values of the whole panel, read at once and
    laid out series after series (series ``k``: rows ``positions.offsets[k]``
    to ``offsets[k + 1]``); None when the panel has a bad value, so that each
    series' own reading names the series and the date."""
    roles, _, columns = panel["columns"]
    data = panel["rows"].frame[columns]
    try:
        values = tuple(column_values(data, cols, None) for cols in roles)
    except ValueError:
        return None
    return tuple(panel["positions"].take(v) for v in values)
