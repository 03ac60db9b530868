"""Cross-validation over a panel: every series up to a cutoff, then its next steps."""

import warnings

import numpy as np
from sklearn.model_selection import BaseCrossValidator

from ..utils._validation import check_int
from ..windowing._panel import panel_rows
from ._index import _SPLIT_HINT, check_time_index

__all__ = ["PanelSplit"]


class PanelSplit(BaseCrossValidator):
    """Split a long panel into each series' past (train) and next steps (test).

    A panel holds many series in one long ``DataFrame`` (see the user guide): a
    column ``series_id`` names the series and the index is the time, or a
    ``(series, time)`` ``MultiIndex`` does both. Rows of different series may
    interleave, and the series may differ in length, start and end. As in the
    M competitions, each fold cuts **every series at its own point, counted from
    its own end**: fold ``k`` (``k = 0, ..., n_splits - 1``) tests, in every
    series, the ``test_size`` rows that end ``(n_splits - 1 - k) * test_size``
    rows before the series' end (the last fold tests each series' last rows),
    and trains on that series' rows before them, less ``gap`` rows, keeping the
    latest ``max_train_size`` of them. ``split`` yields **row positions** of
    ``X`` (sorted, so that ``X.iloc[train]`` keeps the rows in their order), as
    sklearn's ``GridSearchCV`` and ``cross_validate`` index ``X`` and ``y``.

    Unlike :class:`SeriesSplit`, the test rows hold no history rows: every test
    row is a row to forecast, and each series' history is its training rows (a
    forecaster fitted with ``y``, in row mode, forecasts a test row from the
    rows of its series before it). ``lookback`` only sets how many training
    rows a series needs to take part in a fold.

    A series whose training rows in a fold are too few -- fewer than ``lookback
    + horizon`` (the rows of one training window of the largest ``window``
    searched and its ``horizon`` targets) when ``lookback`` is given, else none
    at all -- is left out of that fold, from its training **and** test rows,
    with one warning per ``split`` call naming how many series were left out of
    which folds. A fold left with no series is refused with a ``ValueError``.

    Within a series, rows must be in time order: each series' time labels are
    checked as those of one series are (increasing, evenly spaced; dates,
    periods, timedeltas and integers), and an error names the series. A long
    frame on a default ``RangeIndex`` (row numbers, no time) is refused.

    To measure accuracy on series **never seen** in training instead, hold out
    whole series with sklearn's group splitters on the ids, passing *no* ``y``
    (the held-out series are then scored on the forecasts of their own
    windows, each from its own history; with ``y``, scorers compare it with
    ``predict``, which would need their history from ``fit``)::

        from sklearn.model_selection import GroupKFold, cross_val_score
        from skseq.metrics import get_scorer

        cross_val_score(
            model, X, groups=X["series"], cv=GroupKFold(5),
            scoring=get_scorer("neg_mase_12"),
        )

    (for a ``MultiIndex`` panel, ``groups=X.index.get_level_values("series")``).

    Scoring: skseq's scorers (:func:`skseq.metrics.get_scorer`) and the model's
    ``score`` average each series' score; sklearn's scoring strings
    (``"neg_mean_absolute_error"``) pool the rows of all series, so the largest
    series dominate. ``gap > 0`` leaves rows between training and test, which
    row mode (``fit(X, y)``) cannot forecast across: use it with models fitted
    without ``y``, which score the windows that lie within each test block
    (their history included), so ``test_size`` must be at least ``window +
    horizon``.

    Parameters
    ----------
    series_id : label
        The column of ``X`` that names the series, or the level of its
        ``(series, time)`` ``MultiIndex``.
    n_splits : int, default=3
        Number of folds; 1 gives a single train/test split.
    horizon : int, default=1
        Steps each forecast covers (the largest searched): the default
        ``test_size``, and with ``lookback`` part of the fewest training rows a
        series needs in a fold.
    test_size : int, default=None
        Rows of each series tested per fold; ``None`` means ``horizon``. The
        model's default ``score`` (R^2 of each series) needs 2 rows per series:
        with ``horizon=1`` pass ``test_size >= 2`` or a scorer of single rows
        (``get_scorer("neg_mase_12")``); its error says so.
    gap : int, default=0
        Rows of each series dropped between its training and test rows.
    lookback : int, default=None
        The largest ``window`` searched (plus ``sum(difference)`` for a
        differencing forecaster): a series needs ``lookback + horizon``
        training rows in a fold to take part in it. ``None`` asks for 1 row.
    max_train_size : int, default=None
        Keep only the latest ``max_train_size`` training rows of each series.

    See Also
    --------
    SeriesSplit : The same for one series.
    sklearn.model_selection.GroupKFold : Hold out whole series.

    Examples
    --------
    >>> import pandas as pd
    >>> from skseq.forecasting import PanelSplit
    >>> X = pd.DataFrame(
    ...     {"series": ["a"] * 5 + ["b"] * 4, "y": range(9)},
    ...     index=[0, 1, 2, 3, 4, 10, 11, 12, 13],
    ... )
    >>> for train, test in PanelSplit("series", n_splits=2).split(X):
    ...     print(train, test)
    [0 1 2 5 6] [3 7]
    [0 1 2 3 5 6 7] [4 8]
    """

    def __init__(
        self,
        series_id,
        n_splits=3,
        *,
        horizon=1,
        test_size=None,
        gap=0,
        lookback=None,
        max_train_size=None,
    ):
        self.series_id = series_id
        self.n_splits = n_splits
        self.horizon = horizon
        self.test_size = test_size
        self.gap = gap
        self.lookback = lookback
        self.max_train_size = max_train_size

    def split(self, X, y=None, groups=None):
        """Generate training and test row positions.

        Parameters
        ----------
        X : pandas.DataFrame
            The long panel: a column ``series_id`` and a time index, or a
            ``(series, time)`` ``MultiIndex``. A ``dict`` of series is refused
            (sklearn cannot index it): ``pandas.concat`` it first.
        y, groups : None
            Ignored.

        Yields
        ------
        train : ndarray of int
            Row positions of the training rows of every series in the fold.
        test : ndarray of int
            Row positions of the ``test_size`` rows of each of those series.
        """
        folds = self._folds(X)
        yield from folds

    def get_n_splits(self, X=None, y=None, groups=None):
        """Number of folds, ``n_splits``.

        Parameters
        ----------
        X, y, groups : None
            Ignored.

        Returns
        -------
        n_splits : int
        """
        return self.n_splits

    def _folds(self, X):
        """Every fold's (train, test), computed before the first is yielded, so
        that a fold without series fails before any model is fitted."""
        params = self._checked_params()
        rows = _read_panel(X, self.series_id)
        positions = rows.positions()
        _check_time_order(rows, positions)
        folds, left_out = [], []
        for k in range(params["n_splits"]):
            train, test, out = _fold(positions, k, **params)
            if not test:
                raise ValueError(_empty_fold_message(k, rows.n_series, params))
            train, test = np.concatenate(train), np.concatenate(test)
            folds.append((np.sort(train), np.sort(test)))
            left_out.append(out)
        if any(left_out):
            _warn_left_out(rows.ids, left_out, params)
        return folds

    def _checked_params(self):
        n_splits = check_int(self.n_splits, "n_splits", min_value=1)
        horizon = check_int(self.horizon, "horizon", min_value=1)
        test_size = check_int(self.test_size, "test_size", min_value=1, allow_none=True)
        gap = check_int(self.gap, "gap", min_value=0)
        lookback = check_int(self.lookback, "lookback", min_value=0, allow_none=True)
        max_train = check_int(
            self.max_train_size, "max_train_size", min_value=1, allow_none=True
        )
        needed = 1 if lookback is None else lookback + horizon
        if max_train is not None and max_train < needed:
            raise ValueError(
                f"max_train_size={max_train} is fewer than lookback + horizon = "
                f"{lookback} + {horizon} = {needed}, the fewest training rows a "
                "series needs in a fold: every series would be left out of every "
                "fold. Raise max_train_size or lower lookback."
            )
        return {
            "n_splits": n_splits,
            "test_size": horizon if test_size is None else test_size,
            "gap": gap,
            "max_train": max_train,
            "needed": needed,
        }


def _read_panel(X, series_id):
    if isinstance(X, dict):
        raise TypeError(
            "PanelSplit needs the panel as one long DataFrame, whose rows "
            "GridSearchCV and cross_validate can index; got a dict of series. "
            f"Concatenate it first, e.g. pd.concat(X, names=[{series_id!r}, "
            "'time']) for a (series, time) MultiIndex."
        )
    return panel_rows(X, series_id)


def _check_time_order(rows, positions):
    """Refuse a series whose rows are not in time order, naming the series."""
    for sid, where in zip(rows.ids, positions, strict=True):
        try:
            check_time_index(rows.time[where], "X")
        except ValueError as error:
            message = str(error).replace(_SPLIT_HINT, "")
            raise ValueError(f"Series {sid!r} of the panel: {message}") from None


def _fold(positions, k, *, n_splits, test_size, gap, max_train, needed):
    """Row positions of fold ``k`` per series, and the series left out of it."""
    train, test, left_out = [], [], []
    for number, where in enumerate(positions):
        stop = len(where) - (n_splits - 1 - k) * test_size
        train_stop = stop - test_size - gap
        train_start = 0 if max_train is None else max(0, train_stop - max_train)
        if train_stop - train_start < needed:
            left_out.append(number)
            continue
        train.append(where[train_start:train_stop])
        test.append(where[stop - test_size : stop])
    return train, test, left_out


def _needed_text(params):
    if params["needed"] == 1:
        return "a training row"
    return f"lookback + horizon = {params['needed']} training rows"


def _empty_fold_message(k, n_series, params):
    return (
        f"Fold {k} of PanelSplit has no series with {_needed_text(params)}: all "
        f"{n_series} series are too short for n_splits={params['n_splits']} test "
        f"blocks of test_size={params['test_size']} row(s) after gap="
        f"{params['gap']}. Use fewer or smaller test blocks (n_splits, test_size, "
        "horizon), a smaller gap or lookback (window), or longer series."
    )


def _warn_left_out(ids, left_out, params):
    series = sorted(set().union(*left_out))
    names = ", ".join(repr(ids[i]) for i in series[:5])
    more = ", ..." if len(series) > 5 else ""
    folds = ", ".join(f"fold {k}: {len(out)}" for k, out in enumerate(left_out) if out)
    warnings.warn(
        f"{len(series)} of {len(ids)} series ({names}{more}) lack "
        f"{_needed_text(params)} in some folds and are left out of those folds "
        f"(training and test rows); series left out per fold: {folds}.",
        UserWarning,
        stacklevel=4,
    )
