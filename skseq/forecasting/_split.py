"""Leak-free cross-validation over the rows of one series."""

import numpy as np
from sklearn.model_selection import BaseCrossValidator

from ..utils._validation import check_int
from ..windowing._order import check_time_order

__all__ = ["SeriesSplit"]


class SeriesSplit(BaseCrossValidator):
    """Split one series (rows = time) into training rows and later test rows.

    Like ``TimeSeriesSplit``, the series ends in ``n_splits`` consecutive blocks
    of ``test_size`` rows to forecast, and each fold trains on the rows before its
    block. Unlike it, each fold's test rows start ``lookback`` rows earlier: they
    hold the history the first forecasts of the block are made from, and those
    rows are taken **out of** the training rows. Training and test rows never
    overlap, so with :class:`WindowedForecaster` -- whose ``fit`` trains on
    targets inside the rows it gets and whose ``score`` forecasts only targets
    after the first ``window`` rows it gets -- no time step a fold scores was a
    training target of that fold, even though windows overlap and ``window``
    varies across a grid search.

    Set ``lookback`` to the largest ``window`` searched plus ``sum(difference)``
    (with the default ``difference="auto"``, which may choose a first and a
    seasonal difference: ``1 + season``): a forecaster with that window scores exactly
    the ``test_size`` block; one with a shorter window also
    scores targets in the lookback rows, which are not training rows either. Set
    ``horizon`` to the largest ``horizon`` searched.

    What ``split`` checks, since it knows only these numbers: every fold must
    train on at least ``lookback + horizon`` rows, the fewest that hold one
    training window of ``lookback`` steps (the largest window, differencing
    included) and its ``horizon`` targets; a shorter first fold is refused with
    a ``ValueError`` naming it, rather than left to fail in every candidate's
    ``fit`` (which ``GridSearchCV`` turns into NaN scores and warnings). How many
    forecasts a test block must hold depends on the metric: sklearn's scorers
    (``scoring="neg_mean_absolute_error"`` and the like, with
    ``search.fit(series, series)``) score each test row, so any ``test_size``
    works; the default ``score`` without ``y`` is R^2 of whole forecasts, which
    needs 2 of them, ``test_size >= horizon + 1`` (its error names the fix).
    A long panel (``X`` with repeated time labels or a ``MultiIndex``) is
    refused: use :class:`PanelSplit`. So is pandas ``X`` indexed by times out
    of order (newest first, say), whose later rows are not later times.

    With sklearn's scoring strings, fit the search with the series as ``y`` too
    (``search.fit(series, series)``): a :class:`WindowedForecaster` fitted with
    ``y`` forecasts every test row from the training rows right before it, so
    ``lookback`` is then optional (its rows are scored too) and ``gap`` must be
    0. See the user guide, "Choosing a model on a series".

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds; 1 gives a single train/test split.
    test_size : int, default=None
        Rows forecast per fold; ``None`` means ``(n_steps - lookback) //
        (n_splits + 1)``.
    lookback : int, default=0
        History rows at the start of each fold's test rows (not trained on).
    horizon : int, default=1
        Steps each forecast covers (the largest searched): with ``lookback``,
        the fewest training rows a fold needs, ``lookback + horizon``.
    gap : int, default=0
        Further rows dropped between the training rows and the test rows.
    max_train_size : int, default=None
        Keep only the latest ``max_train_size`` training rows.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq.forecasting import SeriesSplit
    >>> for train, test in SeriesSplit(2, test_size=3, lookback=2).split(np.arange(12)):
    ...     print(train, test)
    [0 1 2 3] [4 5 6 7 8]
    [0 1 2 3 4 5 6] [ 7  8  9 10 11]
    """

    def __init__(
        self,
        n_splits=5,
        *,
        test_size=None,
        lookback=0,
        horizon=1,
        gap=0,
        max_train_size=None,
    ):
        self.n_splits = n_splits
        self.test_size = test_size
        self.lookback = lookback
        self.horizon = horizon
        self.gap = gap
        self.max_train_size = max_train_size

    def split(self, X, y=None, groups=None):
        """Generate training and test row indices.

        Parameters
        ----------
        X : array-like of shape (n_steps, ...)
            The series; only its length is used.
        y, groups : None
            Ignored.

        Yields
        ------
        train : ndarray of int
            Training rows, all before the test rows.
        test : ndarray of int
            ``lookback`` history rows, then ``test_size`` rows to forecast.
        """
        _refuse_panel(X)
        check_time_order(X, "X")
        n_steps = len(X)
        n_splits = check_int(self.n_splits, "n_splits", min_value=1)
        lookback = check_int(self.lookback, "lookback", min_value=0)
        horizon = check_int(self.horizon, "horizon", min_value=1)
        gap = check_int(self.gap, "gap", min_value=0)
        max_train = check_int(
            self.max_train_size, "max_train_size", min_value=1, allow_none=True
        )
        test_size = check_int(self.test_size, "test_size", min_value=1, allow_none=True)
        if test_size is None:
            test_size = (n_steps - lookback) // (n_splits + 1)
        first = n_steps - n_splits * test_size
        train_end = first - lookback - gap
        if test_size < 1:
            raise ValueError(
                f"Cannot split {n_steps} rows into {n_splits} test blocks and a "
                f"training part after lookback={lookback}: not one row per "
                "block; use fewer n_splits."
            )
        if train_end < 1:
            raise ValueError(
                f"Cannot split {n_steps} rows into {n_splits} test block(s) of "
                f"{test_size} row(s) after lookback={lookback} and gap={gap} with "
                "any training rows left."
            )
        _check_first_fold(train_end, lookback, horizon, max_train)
        for start in range(first, n_steps, test_size):
            stop = start + test_size
            train_stop = start - lookback - gap
            train_start = 0 if max_train is None else max(0, train_stop - max_train)
            yield (
                np.arange(train_start, train_stop),
                np.arange(start - lookback, stop),
            )

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


def _check_first_fold(train_end, lookback, horizon, max_train):
    """Refuse folds too short to hold one training window: ``lookback + horizon``
    rows (the first fold is the shortest, unless ``max_train_size`` cuts all)."""
    needed = lookback + horizon
    length = train_end if max_train is None else min(train_end, max_train)
    if length < needed:
        which = "every fold (max_train_size)" if length < train_end else "fold 1"
        raise ValueError(
            f"The training rows of {which} number {length}, fewer than "
            f"lookback + horizon = {lookback} + {horizon} = {needed}, the fewest "
            "that hold one training window of the largest window (lookback) and "
            "its horizon: every candidate would fail there. Use fewer or smaller "
            "test blocks (n_splits, test_size), a smaller lookback (window), or "
            "a longer series."
        )


def _refuse_panel(X):
    """Refuse a long panel (repeated time labels or a ``MultiIndex``): cut by
    row number, its folds would test only the series at the end of ``X``. And
    a dict of series, whose "rows" would be the series themselves."""
    if isinstance(X, dict):
        raise TypeError(
            f"X is a dict of {len(X)} series: SeriesSplit would cut the series "
            "themselves, as if each were one time step. Split one series (a "
            "Series or DataFrame), or a panel with PanelSplit(series_id) as one "
            "long DataFrame: pd.concat(X, names=[series_id, 'time'])."
        )
    index = getattr(X, "index", None)
    if index is None or not hasattr(index, "is_unique"):
        return
    if index.nlevels > 1 or not index.is_unique:
        what = "a MultiIndex" if index.nlevels > 1 else "repeated index labels"
        raise ValueError(
            f"X has {what}: a panel of several series, which SeriesSplit would "
            "cut by row number (the last folds testing only the series at the "
            "end of X). Split a panel with PanelSplit(series_id), which cuts "
            "every series at its own end."
        )
