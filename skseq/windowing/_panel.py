"""Panels: many series in one long table, read into one frame per series.

A *panel* is a set of related series (products, stores, sensors) that one global
model learns from. :class:`WindowedForecaster` (``series_id=...``),
:class:`PanelSplit` and the panel metrics read it in one of three layouts:

- a long ``DataFrame`` whose index is the time and whose column ``series_id``
  names the series (rows of different series may interleave, e.g. sorted by
  date, then by series);
- a ``DataFrame`` with a ``(series, time)`` ``MultiIndex`` (``series_id`` names
  the level);
- a ``dict`` mapping each series id to its own ``Series`` or ``DataFrame``.

Within a series, rows must be in time order (as for one series); rows of
different series are told apart by their id, never by their position. The
series are numbered in the order of their sorted ids (:func:`sorted_ids`), not
in the order they first appear, so that a model fitted on a panel, and its
outputs, do not depend on how the panel's rows are ordered.
"""

from dataclasses import dataclass

import numpy as np

__all__ = [
    "PanelRows",
    "SeriesFrames",
    "SeriesPositions",
    "WindowNorm",
    "panel_rows",
    "scale_windows",
    "series_frames",
    "sorted_ids",
    "window_scales",
]


@dataclass(frozen=True)
class PanelRows:
    """Where each series of a panel lies in a long table.

    Attributes
    ----------
    ids : pandas.Index
        The series ids, sorted (:func:`sorted_ids`), whatever the rows' order.
    codes : ndarray of int of shape (n_rows,)
        The series of each row: a position in ``ids``.
    time : pandas.Index
        The time label of each row (the index without the series level).
    frame : pandas.DataFrame
        The table's data columns, indexed by ``time`` (the id column dropped).
    layout : {"column", "level", "dict"}
        How the series were named, so that outputs come back the same way.
    id_name : label
        The id column's or level's name (``"series"`` for a dict without one).
    freq : pandas.DateOffset or None
        The one frequency the series of a dict carry on their own indexes (a
        calendar of holidays, which dates alone cannot tell), else None.
    """

    ids: object
    codes: np.ndarray
    time: object
    frame: object
    layout: str
    id_name: object
    freq: object = None

    @property
    def n_series(self):
        """Number of series."""
        return len(self.ids)

    def positions(self):
        """Row positions of each series, in row order: a list of int arrays."""
        return list(self.series_positions())

    def series_positions(self):
        """Row positions of each series, in row order, as one
        :class:`SeriesPositions` (two arrays, not one array per series; one
        when the rows already come series after series)."""
        codes = self.codes
        if len(codes) < 2 or bool((codes[1:] >= codes[:-1]).all()):
            # keys of the codes' own dtype: no cast of the codes of every row
            keys = np.arange(self.n_series + 1, dtype=codes.dtype)
            offsets = np.searchsorted(codes, keys).astype(np.int64)
            return SeriesPositions(None, offsets)
        counts = np.bincount(codes, minlength=self.n_series)
        offsets = np.zeros(self.n_series + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        return SeriesPositions(np.argsort(codes, kind="stable"), offsets)


class SeriesPositions:
    """Row positions of each series of a panel: ``order[offsets[k]:offsets[k +
    1]]`` are series ``k``'s, in row order. A sequence of int arrays (views)
    that costs two arrays, however many series there are.

    Parameters
    ----------
    order : ndarray of int of shape (n_rows,) or None
        Row positions, series after series; None when the rows already come
        so (series ``k`` is rows ``offsets[k]`` to ``offsets[k + 1]``).
    offsets : ndarray of int of shape (n_series + 1,)
        Where each series starts in ``order``.
    """

    def __init__(self, order, offsets):
        self.order = order
        self.offsets = offsets

    @property
    def lengths(self):
        """Rows of each series: ndarray of shape (n_series,)."""
        return np.diff(self.offsets)

    def __len__(self):
        return len(self.offsets) - 1

    def __getitem__(self, k):
        if not -len(self) <= k < len(self):
            raise IndexError(f"series {k} out of range [0, {len(self)}).")
        k %= len(self)
        start, stop = self.offsets[k], self.offsets[k + 1]
        if self.order is None:
            return np.arange(start, stop)
        return self.order[start:stop]

    def __iter__(self):
        return (self[k] for k in range(len(self)))

    def take(self, values):
        """``values`` (one per row of the panel) series after series: a view
        when the rows already come so."""
        return values if self.order is None else values[self.order]


class SeriesFrames:
    """One ``DataFrame`` per series of a panel (as :func:`series_frames`), each
    cut from the panel when accessed, so that a panel of many series is never
    held twice."""

    def __init__(self, rows, positions=None):
        self.rows = rows
        self.positions = rows.series_positions() if positions is None else positions

    def __len__(self):
        return len(self.positions)

    def __getitem__(self, k):
        return self.rows.frame.iloc[self.positions[k]]

    def __iter__(self):
        return (self[k] for k in range(len(self)))

    def tail(self, k, n_rows):
        """The last ``n_rows`` rows of series ``k``."""
        return self.rows.frame.iloc[self.positions[k][-n_rows:]]


def panel_rows(X, series_id, name="X"):
    """Read a panel: which rows belong to which series, and their time labels.

    Parameters
    ----------
    X : pandas.DataFrame or dict
        The panel, in one of the layouts of this module's docstring.
    series_id : label
        A column of ``X`` (long layout) or a level of its ``MultiIndex``; for a
        ``dict``, the name the ids get in outputs.
    name : str, default="X"
        What errors call the panel (``"future"`` for a panel of known futures).

    Returns
    -------
    PanelRows
    """
    import pandas as pd

    if isinstance(X, dict):
        return _from_dict(X, series_id)
    if not isinstance(X, pd.DataFrame):
        raise TypeError(
            f"With series_id={series_id!r}, {name} must be a panel: a long DataFrame "
            "(one column names the series, the index is the time), a DataFrame "
            "with a (series, time) MultiIndex, or a dict of Series/DataFrames; "
            f"got {type(X).__name__}."
        )
    if isinstance(X.index, pd.MultiIndex):
        return _from_levels(X, series_id, name)
    if not _is_column(X, series_id):
        _refuse_several_names(series_id, X.columns, "columns", name)
        _refuse_ids_as_index(X.index, series_id, name)
        raise ValueError(
            f"series_id={series_id!r} is not a column of {name} (columns: "
            f"{list(X.columns)[:10]}{' ...' if X.shape[1] > 10 else ''}); name "
            "the column (or the index level) that tells the series apart."
        )
    if X.empty:
        raise ValueError(f"The panel {name} has no rows.")
    if isinstance(X.index, pd.RangeIndex) and X.index.start == 0 and X.index.step == 1:
        raise ValueError(
            f"The long panel {name}'s index is the row number (a default "
            "RangeIndex), not the time, so the rows of each series cannot be "
            "dated or checked: make the time column the index, e.g. "
            f"{name}.set_index('date')."
        )
    ids_per_row = X[series_id]
    _check_ids(ids_per_row.isna().to_numpy(), series_id)
    codes, ids = _factorize(ids_per_row)
    frame = X.drop(columns=series_id)
    return PanelRows(ids, codes, X.index, frame, "column", series_id)


def series_frames(rows):
    """One ``DataFrame`` per series, indexed by its time labels.

    Parameters
    ----------
    rows : PanelRows

    Returns
    -------
    frames : list of pandas.DataFrame
        In the order of ``rows.ids``; each keeps the rows of its series in the
        order they came.
    positions : list of ndarray
        Each series' row positions in the table.
    """
    positions = rows.positions()
    frames = [rows.frame.iloc[p] for p in positions]
    return frames, positions


def _factorize(ids_per_row):
    """:func:`sorted_ids` of the ids of every row, its codes as int32 (half the
    memory of a row's code). When each series' rows come together, as in most
    long tables, the codes are made from the runs of equal ids, without
    factorize's int64 codes of every row."""
    import pandas as pd

    values = ids_per_row.to_numpy()
    # categorical ids (integer categories too) sort by their categories' order
    categorical = isinstance(ids_per_row.dtype, pd.CategoricalDtype)
    if len(values) > 1 and values.dtype.kind in "iub" and not categorical:
        firsts = np.flatnonzero(values[1:] != values[:-1]) + 1
        firsts = np.concatenate([[0], firsts])
        runs = values[firsts]
        if pd.Index(runs).is_unique and len(runs) < 2**31:
            order = np.argsort(runs, kind="stable")
            ranks = np.empty(len(runs), dtype=np.int32)
            ranks[order] = np.arange(len(runs), dtype=np.int32)
            lengths = np.diff(np.append(firsts, len(values)))
            return np.repeat(ranks, lengths), pd.Index(runs[order])
    codes, ids = sorted_ids(ids_per_row)
    return (codes.astype(np.int32) if len(ids) < 2**31 else codes), ids


def sorted_ids(values):
    """The distinct ids of ``values`` sorted, and the code of each value (its
    id's position): ``pandas.factorize(values, sort=True)``.

    Sorting, rather than numbering ids as they first appear, makes whatever is
    laid out by series -- a panel model's per-series arrays, its one-hot ids,
    its outputs -- independent of the order of the rows. Ids that cannot be
    compared with one another (numbers and tuples) are ordered by their type's
    name, then their ``repr``; categorical ids by their categories' order.

    Parameters
    ----------
    values : array-like of shape (n_values,)
        Ids, none missing.

    Returns
    -------
    codes : ndarray of int of shape (n_values,)
    ids : pandas.Index

    Examples
    --------
    >>> codes, ids = sorted_ids(["b", "a", "b", "c"])
    >>> codes.tolist(), ids.tolist()
    ([1, 0, 1, 2], ['a', 'b', 'c'])
    """
    import pandas as pd

    if not isinstance(values, pd.Series | pd.Index | np.ndarray):
        values = pd.Index(values, tupleize_cols=False)
    try:
        codes, ids = pd.factorize(values, sort=True, use_na_sentinel=False)
    except TypeError:  # ids of types that do not compare
        codes, ids = pd.factorize(values, use_na_sentinel=False)
        keys = [(type(i).__qualname__, repr(i)) for i in ids]
        order = np.array(sorted(range(len(ids)), key=keys.__getitem__), dtype=int)
        ranks = np.empty(len(ids), dtype=codes.dtype)
        ranks[order] = np.arange(len(ids))
        codes, ids = ranks[codes], ids.take(order)
    if not isinstance(ids, pd.Index):
        ids = pd.Index(ids, tupleize_cols=False)
    return codes, ids


def _is_column(X, label):
    try:
        return label in X.columns
    except TypeError:  # an unhashable label
        return False


def _refuse_several_names(series_id, labels, kind, name):
    """Refuse a list or tuple of ``labels`` (columns or index levels) given as
    ``series_id``: one of them names the series."""
    if not isinstance(series_id, list | tuple) or not series_id:
        return
    try:
        several = all(part in labels for part in series_id)
    except TypeError:  # an unhashable part
        return
    if not several:
        return
    if len(series_id) == 1:
        raise ValueError(
            f"series_id={series_id!r} is a {type(series_id).__name__}; one column "
            f"(or index level) names the series: pass series_id={series_id[0]!r}."
        )
    first, second = series_id[:2]
    raise ValueError(
        f"series_id={series_id!r} names several {kind} of {name}; one column "
        "(or index level) names the series: combine them into one id first, "
        f"e.g. X['series'] = X[{first!r}].astype(str) + '/' + "
        f"X[{second!r}].astype(str), and pass series_id='series'."
    )


def _refuse_ids_as_index(index, series_id, name):
    """Refuse a one-level index named ``series_id``: the ids as the index, the
    time (if any) in a column."""
    try:
        named = index.name is not None and index.name == series_id
    except (TypeError, ValueError):  # labels that do not compare as one bool
        return
    if named:
        raise ValueError(
            f"{name}'s index is the series id {series_id!r}: a long panel's index "
            "is the time, its series id a column. Move them, e.g. "
            f"{name} = {name}.reset_index().set_index('date') (your time column), "
            f"or index by both: {name}.set_index('date', append=True)."
        )


def _check_ids(missing, series_id):
    if missing.any():
        row = int(np.flatnonzero(missing)[0])
        raise ValueError(
            f"The series id {series_id!r} is missing in {int(missing.sum())} "
            f"row(s), the first at row {row}: every row must name its series."
        )


def _from_levels(X, series_id, name="X"):
    import pandas as pd

    names = list(X.index.names)
    if X.index.nlevels != 2:
        raise ValueError(
            f"A panel's MultiIndex must have 2 levels, (series, time); {name}'s has "
            f"{X.index.nlevels}: {names}."
        )
    if series_id in names:
        level = names.index(series_id)
    elif isinstance(series_id, int) and not isinstance(series_id, bool):
        if series_id not in (0, 1, -1, -2):
            raise ValueError(
                f"series_id={series_id} is not a level of a 2-level index."
            )
        level = series_id % 2
    else:
        _refuse_several_names(series_id, names, "index levels", name)
        raise ValueError(
            f"series_id={series_id!r} is not a level of {name}'s MultiIndex "
            f"(levels: {names}); name the level that tells the series apart."
        )
    ids_per_row = X.index.get_level_values(level)
    _check_ids(np.asarray(pd.isna(ids_per_row)), series_id)
    codes, ids = _factorize(ids_per_row)
    time = X.index.get_level_values(1 - level)
    frame = X.set_axis(time, axis=0)
    return PanelRows(ids, codes, time, frame, "level", names[level])


def _from_dict(X, series_id):
    import pandas as pd

    if not X:
        raise ValueError("The panel is an empty dict: it holds no series.")
    frames = []
    named = [(key, s.name) for key, s in X.items() if isinstance(s, pd.Series)]
    names = {name for _, name in named}
    # Series named by their id ({"a": s.rename("a"), ...}, the columns of a
    # wide frame) hold one column alike: unnamed (0), as one unnamed Series
    # is, also when the dict holds one of them
    by_id = all(_is_key(name, key) for key, name in named)
    shared = next(iter(names)) if len(names) == 1 and not by_id else None
    for key, series in X.items():
        if isinstance(series, pd.Series):
            series = series.to_frame(0 if shared is None else shared)
        if not isinstance(series, pd.DataFrame):
            raise TypeError(
                f"Series {key!r} of the panel is a {type(series).__name__}; a "
                "dict panel maps each id to a pandas Series or DataFrame."
            )
        frames.append(series)
    columns = [list(f.columns) for f in frames]
    for key, cols in zip(X, columns, strict=True):
        if cols != columns[0]:
            raise ValueError(
                f"Series {key!r} has columns {cols}, series "
                f"{next(iter(X))!r} has {columns[0]}: every series of a panel "
                "needs the same columns."
            )
    _check_one_zone(X, frames)
    ranks, ids = sorted_ids(pd.Index(list(X), tupleize_cols=False))
    frames = [frames[k] for k in np.argsort(ranks)]  # series by sorted id
    codes = np.repeat(np.arange(len(frames)), [len(f) for f in frames])
    frame = pd.concat(frames, axis=0)
    name = "series" if series_id is None else series_id
    freq = _shared_freq(frames)
    return PanelRows(ids, codes, frame.index, frame, "dict", name, freq)


def _check_one_zone(X, frames):
    """Refuse dates of several time zones: their rows would stack as objects."""
    import pandas as pd

    zones = {}
    for key, frame in zip(X, frames, strict=True):
        if isinstance(frame.index, pd.DatetimeIndex):
            zones.setdefault(str(frame.index.tz), key)
    if len(zones) > 1:
        (zone, key), (other, other_key) = list(zones.items())[:2]
        raise ValueError(
            f"Series {key!r} of the panel has dates in {zone}, series "
            f"{other_key!r} in {other}: one panel has one time zone (its "
            "forecasts are one column of dates). Convert them, e.g. "
            "{k: s.tz_convert('UTC') for k, s in panel.items()} (dates without "
            "one: s.tz_localize(zone) first)."
        )


def _shared_freq(frames):
    """The one ``freq`` the series' indexes have (those without one, as a
    slice, are checked on its grid later), else None."""
    freqs = [getattr(frame.index, "freq", None) for frame in frames]
    freqs = [freq for freq in freqs if freq is not None]
    if not freqs or any(freq != freqs[0] for freq in freqs[1:]):
        return None
    return freqs[0]


def _is_key(name, key):
    """Whether a Series' name is its key in a dict panel."""
    try:
        return bool(name == key)
    except (TypeError, ValueError):  # names that do not compare as one bool
        return False


def window_scales(X, n_targets, fallback=None):
    """The scale of each window: the mean absolute value of its first
    ``n_targets`` features (the targets) over its time steps, as gluonts'
    ``MeanScaler``; where that is 0 (a window of zeros, as an intermittent
    series has), ``fallback``.

    Parameters
    ----------
    X : ndarray of shape (n_windows, window, n_features)
    n_targets : int
    fallback : ndarray of shape (n_windows, n_targets) or None, default=None
        The scale of a window of zeros: its series' own scale (a panel model
        gives the series' mean absolute training target), so that a series
        in other units (times 1000) gets forecasts in those units; 0 for a
        series of zeros. None: 1.

    Returns
    -------
    scales : ndarray of shape (n_windows, n_targets)
    """
    scales = np.abs(np.asarray(X[:, :, :n_targets], dtype=np.float64)).mean(axis=1)
    zero = ~(scales > 0)
    if fallback is None:
        scales[zero] = 1.0
    else:
        scales[zero] = np.broadcast_to(fallback, scales.shape)[zero]
    return scales


def scale_windows(X, y, n_targets, fallback=None):
    """Divide each window's targets, and the values it forecasts, by the
    window's scale (:func:`window_scales`).

    Parameters
    ----------
    X : ndarray of shape (n_windows, window, n_features)
        Windows whose first ``n_targets`` features are the targets.
    y : ndarray of shape (n_windows, horizon, n_targets) or None
    n_targets : int
    fallback : ndarray of shape (n_windows, n_targets) or None, default=None
        The scale of a window of zeros (:func:`window_scales`).

    Returns
    -------
    X, y : ndarray
        New arrays (``y`` None if it was).
    scales : ndarray of shape (n_windows, n_targets)
        What the forecasts are multiplied by; 0 for a window of zeros of a
        series of zeros, which is not divided (its values are 0).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[[2.0], [4.0]]])
    >>> X_scaled, y_scaled, scales = scale_windows(X, np.array([[[6.0]]]), 1)
    >>> X_scaled.ravel().tolist(), y_scaled.ravel().tolist(), scales.tolist()
    ([0.6666666666666666, 1.3333333333333333], [2.0], [[3.0]])
    """
    scales = window_scales(X, n_targets, fallback)
    divisors = np.where(scales > 0, scales, 1.0)[:, None, :]
    X = np.array(X, dtype=np.result_type(X, np.float32))
    X[:, :, :n_targets] /= divisors.astype(X.dtype)
    if y is not None:
        y = np.asarray(y) / divisors.astype(np.result_type(y, np.float32))
    return X, y, scales


class WindowNorm:
    """How each window is normalized, and its forecasts mapped back.

    Parameters
    ----------
    kind : {"mean", "level"}
        ``"mean"``: divide the window's targets, and what it forecasts, by the
        window's mean absolute target (:func:`scale_windows`, gluonts' mean
        scaler; a window of zeros by its series' scale, ``fallback``).
        ``"level"``: subtract the window's level, the mean of its last
        ``last`` target values, from its targets and what it forecasts (for a
        log-transformed series, a division by the last season's geometric mean;
        the local level of N-BEATS-style models).
    n_targets : int
        The targets: the first features of a window.
    last : int, default=1
        With ``"level"``: the steps the level is the mean of (a season).
    """

    def __init__(self, kind, n_targets, last=1):
        self.kind = kind
        self.n_targets = n_targets
        self.last = last

    def apply(self, X, y=None, fallback=None):
        """Normalized windows (new arrays), targets and the per-window statistics
        ``(n_windows, n_targets)`` that :meth:`invert` needs; ``fallback``
        ``(n_windows, n_targets)``: with ``"mean"``, the scale of a window of
        zeros (:func:`window_scales`; None: 1)."""
        if self.kind == "mean":
            return scale_windows(X, y, self.n_targets, fallback)
        n = self.n_targets
        X = np.array(X, dtype=np.result_type(X, np.float32))
        last = min(self.last, X.shape[1])
        levels = X[:, -last:, :n].astype(np.float64).mean(axis=1)
        X[:, :, :n] -= levels[:, None, :].astype(X.dtype)
        if y is not None:
            y = np.asarray(y) - levels[:, None, :].astype(np.result_type(y, np.float32))
        return X, y, levels

    def invert(self, y_pred, stats):
        """Forecasts of normalized windows, of any shape ``(n_windows, ...)``
        ending in the targets, mapped back to the windows' units."""
        y_pred = np.asarray(y_pred, dtype=np.float64)
        shaped = y_pred.reshape(len(y_pred), -1, self.n_targets)
        if self.kind == "mean":
            shaped = shaped * stats[:, None, :]
        else:
            shaped = shaped + stats[:, None, :]
        return shaped.reshape(y_pred.shape)
