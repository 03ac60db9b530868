"""A meta-estimator that owns the windowing of a whole series."""

import numbers

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.metrics import r2_score
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from ..estimators._base import BaseKerasForecaster, BaseSequenceForecaster
from ..utils._doc_link import DocLinkMixin
from ..utils._summary import summary_method
from ..utils._validation import check_choice, check_int
from ._index import check_time_index

__all__ = ["WindowedForecaster"]

# Above this many input values (n_windows * window * n_features), feed="auto" cuts
# the windows batch by batch instead of handing Keras every window at once.
FEED_THRESHOLD = 2**24
# Windows per call of the wrapped estimator's predict in score and backtest.
_PREDICT_CHUNK = 4096


class WindowedForecaster(DocLinkMixin, RegressorMixin, BaseEstimator):
    """Forecast a series with any sequence estimator, windowing included.

    The series itself -- a ``pandas.Series``, a ``DataFrame`` or an array whose
    rows are time steps -- is what ``fit``, ``predict`` and ``score`` take: this
    meta-estimator cuts it into windows of ``window`` steps followed by
    ``horizon`` target steps, scales them, trains ``estimator`` on them and maps
    its forecasts back. ``window`` and ``horizon`` are thus ordinary
    hyperparameters, searchable with ``GridSearchCV`` (cross-validate with
    :class:`SeriesSplit`), next to the wrapped estimator's (``estimator__units``).

    Columns play three roles, chosen by label (pandas input: a ``DataFrame`` or a
    named ``Series``; integer labels included) or by position (arrays):

    - **targets**: the series to forecast, also inputs;
    - **past covariates**: inputs known only up to the present (``bus`` when
      forecasting ``rail``);
    - **future covariates**: inputs known in advance (calendar, day type). At
      every time step ``s`` of a window the network sees the future covariates
      of steps ``s + 1, ..., s + horizon`` -- for ``horizon=1`` this is the
      chapter's "next day's type" -- so a forecast made after the last row needs
      their values for the ``horizon`` steps ahead: ``predict(X, future=...)``.

    The inputs of each time step are laid out as ``[targets, past covariates,
    future covariates of the next horizon steps]``, so the targets are the first
    features, as skseq's ``"seq2seq"`` and ``"recursive"`` strategies expect.

    Parameters
    ----------
    estimator : estimator
        Cloned in ``fit``. Either a skseq forecaster (any
        :class:`~skseq.estimators.BaseSequenceForecaster`), trained on ``X`` of
        shape ``(n_windows, window, n_features)`` and ``y`` of shape
        ``(n_windows, horizon, n_targets)``; or any sklearn regressor that
        accepts those 3D ``X``, e.g. ``make_pipeline(FlattenSequence(),
        Ridge())``, trained on ``y`` flattened to ``(n_windows, horizon *
        n_targets)`` (1D when that is one column).
    window : int, default=56
        Time steps of history each forecast is made from.
    horizon : int, default=1
        Time steps forecast after each window.
    target : label, int, list of them, or None, default=None
        Column(s) to forecast: labels of a pandas series' columns, positions of an
        array's. ``None`` means every column that is not a covariate. Other
        columns are ignored (a DataFrame may hold more, even non-numeric ones).
    past_covariates : label, int, list of them, or None, default=None
        Input-only columns known up to the present.
    future_covariates : label, int, list of them, or None, default=None
        Input-only columns known ``horizon`` steps in advance; they must be
        numeric (one-hot encode categories, e.g. with ``pandas.get_dummies``).
    scale : bool or transformer, default=True
        ``True`` standardizes targets and covariates with a ``StandardScaler``
        fitted on the training series; a transformer (with
        ``inverse_transform``) is cloned and used instead, one fitted clone each
        for the targets, the past and the future covariates; ``False`` feeds raw
        values.
        Forecasts are always returned in the units of the series.
    feed : {"auto", "arrays", "batches"}, default="auto"
        How a Keras-backed ``estimator`` receives the training windows:
        ``"arrays"`` hands over all windows at once (fastest on small data);
        ``"batches"`` cuts them batch by batch from the series
        (a ``keras.utils.PyDataset`` over the series), so memory does not grow with
        ``window x n_windows``; ``"auto"`` switches to batches above
        ``FEED_THRESHOLD`` (2**24) input values. Other estimators always get
        arrays.

    Attributes
    ----------
    estimator_ : estimator
        The fitted clone of ``estimator``.
    window_, horizon_ : int
        ``window`` and ``horizon`` as fitted: ``predict``, ``score`` and
        :func:`backtest` of the fitted model use these, not the parameters, so a
        ``set_params`` takes effect at the next ``fit``.
    target_scaler_, past_scaler_, future_scaler_ : transformer or None
        Fitted scalers of the targets and of the past and future covariates (None
        when not scaling, or without such columns).
    target_names_ : list
        Target columns: labels if the series had them, else positions.
    past_covariate_names_, future_covariate_names_ : list
        Covariate columns, likewise.
    by_label_ : bool
        Whether the series seen in ``fit`` had column labels (a ``DataFrame`` or
        a named ``Series``); then ``predict`` and ``score`` find the columns by
        label, in any order, and refuse data without labels.
    n_features_in_ : int
        Number of columns of the series seen in ``fit``.
    n_windows_ : int
        Number of training windows.
    freq_ : pandas.DateOffset or None
        Frequency of the training series' ``DatetimeIndex``, if any.

    See Also
    --------
    backtest : Replays a period and measures the error per step ahead.
    SeriesSplit : Cross-validation on one series without leakage.
    regularize : Fills gaps and missing values before ``fit``.
    skseq.plotting.ForecastDisplay : Plots a forecast with its history and truth.

    Notes
    -----
    Rows must be time steps in order, evenly spaced: a ``DatetimeIndex`` that is
    unsorted, has duplicate dates, or has gaps (no inferable frequency) is
    refused, and so are missing values in the columns used; fill gaps and
    missing values explicitly with :func:`regularize`. A NumPy array carries no
    time, so none of this can be checked: pass pandas data when you can.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.pipeline import make_pipeline
    >>> from skseq import FlattenSequence
    >>> from skseq.forecasting import WindowedForecaster
    >>> days = pd.date_range("2024-01-01", periods=200, freq="D")
    >>> series = pd.Series(np.sin(np.arange(200) / 3), index=days, name="y")
    >>> model = WindowedForecaster(
    ...     make_pipeline(FlattenSequence(), Ridge()), window=14, horizon=3
    ... ).fit(series)
    >>> forecast = model.predict(series)
    >>> forecast.index.strftime("%Y-%m-%d").tolist(), forecast.name
    (['2024-07-19', '2024-07-20', '2024-07-21'], 'y')
    """

    def __init__(
        self,
        estimator,
        *,
        window=56,
        horizon=1,
        target=None,
        past_covariates=None,
        future_covariates=None,
        scale=True,
        feed="auto",
    ):
        self.estimator = estimator
        self.window = window
        self.horizon = horizon
        self.target = target
        self.past_covariates = past_covariates
        self.future_covariates = future_covariates
        self.scale = scale
        self.feed = feed

    # -- public API ---------------------------------------------------------------
    summary = summary_method

    def fit(self, X, y=None):
        """Train the wrapped estimator on every window of a series.

        Parameters
        ----------
        X : pandas.Series, pandas.DataFrame or array-like of shape (n_steps,) or \
                (n_steps, n_columns)
            The series; rows are time steps, in order and evenly spaced, without
            missing values in the columns used (see :func:`regularize`).
        y : None
            Unused: the targets are columns of ``X`` (see ``target``). Present for
            sklearn's API, so that ``cross_val_score(model, series,
            cv=SeriesSplit(...))`` works. Always pass a time-ordered splitter
            such as :class:`SeriesSplit`: the default ``KFold`` trains on the
            future, and its training rows skip the test fold, so windows would
            join rows that are not consecutive (refused for a pandas index, which
            then has a gap; undetectable for arrays).

        Returns
        -------
        self : WindowedForecaster
            The fitted forecaster.
        """
        if y is not None:
            raise ValueError(
                "WindowedForecaster reads its targets from the columns of X (see "
                "target=...); y must be None."
            )
        window, horizon = self._check_params()
        frame, index, labeled = _as_frame(X, "X")
        freq = check_time_index(index, "X")
        roles = self._resolve_columns(frame, labeled)
        targets, past, future = (_column_values(frame, cols, index) for cols in roles)
        n_windows = len(frame) - window - horizon + 1
        if n_windows < 1:
            raise ValueError(
                f"X has {len(frame)} time steps, too short for window={window} plus "
                f"horizon={horizon} (needs at least {window + horizon})."
            )
        scalers = self._fit_scalers(targets, past, future)
        inputs, outputs = _design(targets, past, future, scalers, horizon)
        estimator = self._fit_estimator(inputs, outputs, window, horizon)

        names = [list(frame.columns[c]) for c in roles]
        self.target_names_, self.past_covariate_names_ = names[0], names[1]
        self.future_covariate_names_ = names[2]
        self.by_label_ = labeled
        self.window_, self.horizon_ = window, horizon
        self.target_scaler_, self.past_scaler_, self.future_scaler_ = scalers
        self.estimator_ = estimator
        self.n_features_in_ = frame.shape[1]
        self.n_windows_ = n_windows
        self.freq_ = freq
        return self

    def predict(self, X, future=None):
        """Forecast the ``horizon`` steps after the end of a series.

        Parameters
        ----------
        X : pandas.Series, pandas.DataFrame or array-like of shape (n_steps,) or \
                (n_steps, n_columns)
            The series up to the present, with the columns seen in ``fit`` (found
            by label when ``fit`` saw labels: then ``X`` must have them too), in
            order and evenly spaced at the frequency seen in ``fit``; only its
            last ``window_`` rows are forecast from.
        future : pandas.DataFrame, pandas.Series or array-like of shape \
                (horizon,) or (horizon, n_future_covariates), default=None
            Values of the future covariates for the ``horizon_`` steps after the
            last row of ``X``, required when ``future_covariates`` is set (columns
            by label for pandas data with labels, else in the order of
            ``future_covariates``). If it has a ``DatetimeIndex``, that must be
            the forecast's index.

        Returns
        -------
        y_pred : pandas.Series, pandas.DataFrame or ndarray
            The forecast, of shape ``(horizon,)`` for one target or ``(horizon,
            n_targets)``. When ``X`` has a ``DatetimeIndex``, a ``Series`` (named
            after the target) or a ``DataFrame`` (columns = targets) indexed by the
            ``horizon_`` dates after ``X``'s last one, at the frequency seen in
            ``fit`` (for a model fitted on arrays: ``index.freq``, else
            inferred).
        """
        check_is_fitted(self)
        frame, index, labeled = _as_frame(X, "X")
        window = self.window_
        if len(frame) < window:
            raise ValueError(
                f"X has {len(frame)} time steps, fewer than window={window}: "
                "a forecast needs that much history."
            )
        future_index = self._future_index(index)
        frame = frame.iloc[-window:]
        index = None if index is None else index[-window:]
        targets, past, fut = self._columns(frame, index, labeled)
        if self.future_covariate_names_:
            fut = np.concatenate([fut, self._check_future(future, future_index)])
        elif future is not None:
            raise ValueError(
                "future holds values of known-future covariates, but this "
                "WindowedForecaster has none (future_covariates=None)."
            )
        inputs, _ = _design(targets, past, fut, self._scalers(), self.horizon_)
        y_pred = self._predict_windows(inputs, 1)[0]
        return self._format_forecast(y_pred, future_index)

    def score(self, X, y=None):
        """R^2 of the forecasts of every window of a series.

        The first ``window`` rows of ``X`` are history only; every forecast whose
        ``horizon`` targets all lie in ``X`` is scored (R^2 needs at least 2).
        With :class:`SeriesSplit` the scored targets are therefore never training
        targets.

        Parameters
        ----------
        X : pandas.Series, pandas.DataFrame or array-like of shape (n_steps,) or \
                (n_steps, n_columns)
            The series to evaluate on, with the columns seen in ``fit`` (future
            covariates included: they are read from ``X``).
        y : None
            Unused, present for sklearn's API.

        Returns
        -------
        score : float
            R^2 averaged uniformly over the ``horizon * n_targets`` outputs, in
            the units of the series.
        """
        y_true, y_pred = self._window_forecasts(X, 2, "R^2 of 2 forecasts")
        return float(
            r2_score(y_true.reshape(len(y_true), -1), y_pred.reshape(len(y_pred), -1))
        )

    # -- steps of fit -------------------------------------------------------------
    def _check_params(self):
        window = check_int(self.window, "window", min_value=1)
        horizon = check_int(self.horizon, "horizon", min_value=1)
        check_choice(self.feed, "feed", ("auto", "arrays", "batches"))
        if not (hasattr(self.estimator, "fit") and hasattr(self.estimator, "predict")):
            raise TypeError(
                "estimator must be a regressor with fit and predict; "
                f"got {self.estimator!r}."
            )
        if not isinstance(self.scale, bool) and not hasattr(
            self.scale, "inverse_transform"
        ):
            raise TypeError(
                "scale must be True, False or a transformer with inverse_transform; "
                f"got {self.scale!r}."
            )
        return window, horizon

    def _resolve_columns(self, frame, labeled):
        """Positions of the target, past and future covariate columns."""
        past = _positions(frame, self.past_covariates, "past_covariates", labeled)
        future = _positions(frame, self.future_covariates, "future_covariates", labeled)
        covariates = past + future
        if len(set(covariates)) < len(covariates):
            raise ValueError(
                "past_covariates and future_covariates name the same column "
                f"twice: {_labels(frame, covariates)}."
            )
        if self.target is None:
            targets = [j for j in range(frame.shape[1]) if j not in covariates]
            if not targets:
                raise ValueError(
                    "Every column is a covariate, so nothing is left to forecast: "
                    "set target=..."
                )
            if labeled:  # refuse duplicate labels among them
                for j in targets:
                    _label_position(frame.columns, frame.columns[j], "target")
        else:
            targets = _positions(frame, self.target, "target", labeled)
            if not targets:
                raise ValueError(
                    f"target={self.target!r} names no column: name at least one, or "
                    "use target=None for every column that is not a covariate."
                )
            shared = [j for j in targets if j in covariates]
            if shared or len(set(targets)) < len(targets):
                raise ValueError(
                    "A column cannot be both a target and a covariate, nor a target "
                    f"twice: {_labels(frame, shared or targets)}."
                )
        return targets, past, future

    def _fit_scalers(self, *columns):
        """One fitted scaler per group of columns (targets, past, future)."""
        if self.scale is False:
            return (None,) * len(columns)
        scaler = StandardScaler() if self.scale is True else self.scale
        return tuple(
            clone(scaler).fit(values) if values.shape[1] else None for values in columns
        )

    def _scalers(self):
        return self.target_scaler_, self.past_scaler_, self.future_scaler_

    def _fit_estimator(self, inputs, outputs, window, horizon):
        estimator = clone(self.estimator)
        n_windows = len(outputs) - window - horizon + 1
        n_values = n_windows * window * inputs.shape[1]
        batches = isinstance(estimator, BaseKerasForecaster) and (
            self.feed == "batches"
            or (self.feed == "auto" and n_values > FEED_THRESHOLD)
        )
        if self.feed == "batches" and not batches:
            raise ValueError(
                "feed='batches' needs a Keras-backed skseq forecaster; "
                f"{type(estimator).__name__} takes arrays."
            )
        if batches:
            from ..windowing._feeder import WindowBatches

            source = WindowBatches(
                inputs, outputs, window, horizon, batch_size=estimator.batch_size
            )
            return estimator._fit_batches(source)
        X = sliding_window_view(inputs, window, axis=0)[:n_windows]
        y = sliding_window_view(outputs[window:], horizon, axis=0)
        X, y = X.transpose(0, 2, 1), y[:n_windows].transpose(0, 2, 1)
        return estimator.fit(X, self._estimator_targets(estimator, y))

    def _estimator_targets(self, estimator, y):
        if isinstance(estimator, BaseSequenceForecaster):
            return y
        y = y.reshape(len(y), -1)
        return y[:, 0] if y.shape[1] == 1 else y

    # -- steps of predict and score ----------------------------------------------
    def _columns(self, frame, index, labeled):
        """Values of the target, past and future covariate columns of ``frame``."""
        roles = self._fitted_names()
        if not self.by_label_:
            if frame.shape[1] != self.n_features_in_:
                raise ValueError(
                    f"X has {frame.shape[1]} columns, but WindowedForecaster was "
                    f"fitted on {self.n_features_in_}."
                )
            return tuple(_column_values(frame, cols, index) for cols in roles)
        used = [name for names in roles for name in names]
        if not labeled:
            raise ValueError(
                "X has no column labels (an array or an unnamed Series), but this "
                "WindowedForecaster was fitted on pandas data and finds its columns "
                f"{used} by label: pass a pandas DataFrame (or a named Series) with "
                "those columns."
            )
        missing = [name for name in used if not _is_label(frame.columns, name)]
        if missing:
            raise ValueError(
                f"X lacks the column(s) {missing} seen in fit; it has "
                f"{list(frame.columns)}."
            )
        return tuple(
            _column_values(
                frame, [_label_position(frame.columns, n, "X") for n in names], index
            )
            for names in roles
        )

    def _fitted_names(self):
        return (
            self.target_names_,
            self.past_covariate_names_,
            self.future_covariate_names_,
        )

    def _window_forecasts(self, X, min_windows=1, purpose="forecasting"):
        """Truths and forecasts of every window of ``X``: (n_windows, horizon, n_t)."""
        check_is_fitted(self)
        frame, index, labeled = _as_frame(X, "X")
        check_time_index(index, "X", self.freq_)
        window, horizon = self.window_, self.horizon_
        n_windows = len(frame) - window - horizon + 1
        if n_windows < min_windows:
            raise ValueError(
                f"X has {len(frame)} time steps; {purpose} needs at least window + "
                f"horizon{' + 1' if min_windows > 1 else ''} = "
                f"{window + horizon + min_windows - 1} (the first {window} are the "
                "history of the first forecast). In cross-validation, use "
                f"SeriesSplit with lookback >= {window} and test_size >= "
                f"{horizon + min_windows - 1}."
            )
        targets, past, future = self._columns(frame, index, labeled)
        inputs, _ = _design(targets, past, future, self._scalers(), horizon)
        y_true = sliding_window_view(targets[window:], horizon, axis=0)
        y_pred = self._predict_windows(inputs, n_windows)
        return y_true[:n_windows].transpose(0, 2, 1), y_pred

    def _predict_windows(self, inputs, n_windows):
        """Forecasts in the series' units of the first ``n_windows`` windows."""
        windows = sliding_window_view(inputs, self.window_, axis=0)
        chunks = []
        for start in range(0, n_windows, _PREDICT_CHUNK):
            stop = min(start + _PREDICT_CHUNK, n_windows)
            X = windows[start:stop].transpose(0, 2, 1)
            chunks.append(np.asarray(self.estimator_.predict(X), dtype=np.float64))
        n_targets = len(self.target_names_)
        y_pred = np.concatenate(chunks).reshape(n_windows * self.horizon_, n_targets)
        if self.target_scaler_ is not None:
            y_pred = self.target_scaler_.inverse_transform(y_pred)
        return y_pred.reshape(n_windows, self.horizon_, n_targets)

    def _future_index(self, index):
        """The ``horizon`` dates after a ``DatetimeIndex``, or None."""
        import pandas as pd

        freq = check_time_index(index, "X", self.freq_)
        if not isinstance(index, pd.DatetimeIndex):
            return None
        if freq is None:
            raise ValueError(
                "Cannot tell the dates of the forecast: X's DatetimeIndex has no "
                "frequency and none can be inferred; set one, e.g. X.asfreq('D')."
            )
        start = index[-1] + freq
        return pd.date_range(start, periods=self.horizon_, freq=freq, name=index.name)

    def _check_future(self, future, future_index):
        """Validate ``predict``'s known-future covariates: (horizon, n_future)."""
        names, horizon = self.future_covariate_names_, self.horizon_
        if future is None:
            raise ValueError(
                f"future_covariates={names} are known in advance: pass their values "
                f"for the {horizon} step(s) after X as predict(X, future=...)."
            )
        import pandas as pd

        frame, index, labeled = _as_frame(future, "future")
        if len(frame) != horizon:
            raise ValueError(
                f"future has {len(frame)} row(s), but the forecast covers "
                f"horizon={horizon} step(s): pass the future covariates for "
                "exactly those steps."
            )
        if (
            future_index is not None
            and isinstance(index, pd.DatetimeIndex)
            and not index.equals(future_index)
        ):
            raise ValueError(
                f"future is indexed {index[0]} .. {index[-1]}, but the forecast "
                f"covers {future_index[0]} .. {future_index[-1]}."
            )
        if self.by_label_ and labeled:
            missing = [name for name in names if not _is_label(frame.columns, name)]
            if missing:
                raise ValueError(
                    f"future lacks the future covariate column(s) {missing}."
                )
            positions = [_label_position(frame.columns, n, "future") for n in names]
        elif frame.shape[1] != len(names):
            raise ValueError(
                f"future has {frame.shape[1]} column(s), but there are {len(names)} "
                f"future covariates: {names}."
            )
        else:
            positions = range(frame.shape[1])
        return _column_values(frame, positions, index, name="future")

    def _format_forecast(self, y_pred, future_index):
        """(horizon, n_targets) -> Series/DataFrame on the future dates, or ndarray."""
        if future_index is None:
            return y_pred[:, 0] if y_pred.shape[1] == 1 else y_pred
        import pandas as pd

        if y_pred.shape[1] == 1:
            return pd.Series(
                y_pred[:, 0], index=future_index, name=self.target_names_[0]
            )
        return pd.DataFrame(y_pred, index=future_index, columns=self.target_names_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False
        return tags


# -- helpers ------------------------------------------------------------------------
def _design(targets, past, future, scalers, horizon):
    """Per-step network inputs and (scaled) targets of a series, in float64.

    Row ``s`` of the inputs is ``[targets[s], past[s], future[s + 1], ...,
    future[s + horizon]]``; with future covariates there are ``horizon`` fewer
    input rows than ``future`` has. Values stay float64 (a wrapped Keras model
    casts them itself), so an exact estimator returns exact values.
    """
    targets, past, future = (
        values if scaler is None else scaler.transform(values)
        for values, scaler in zip((targets, past, future), scalers, strict=True)
    )
    parts = [targets, past]
    if future.shape[1]:
        n_rows = len(future) - horizon
        ahead = sliding_window_view(future[1:], horizon, axis=0)[:n_rows]
        parts = [part[:n_rows] for part in parts]
        parts.append(ahead.transpose(0, 2, 1).reshape(n_rows, -1))
    inputs = np.concatenate(parts, axis=1).astype(np.float64, copy=False)
    return inputs, np.asarray(targets, dtype=np.float64)


def _as_frame(series, name):
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
    values = np.asarray(series)
    if values.ndim not in (1, 2):
        raise ValueError(
            f"{name} must be a series: 1D (n_steps,) or 2D (n_steps, n_columns); "
            f"got shape {values.shape}."
        )
    return pd.DataFrame(values.reshape(len(values), -1)), None, False


def _rows(series, rows):
    """Some rows of a series, of the type it came in (pandas or array)."""
    import pandas as pd

    if isinstance(series, (pd.DataFrame, pd.Series)):
        return series.iloc[rows]
    return np.asarray(series)[rows]


def _spec_items(columns, spec, labeled):
    """The column labels or positions that a target or covariate spec lists."""
    if spec is None:
        return []
    if labeled and _is_label(columns, spec):
        return [spec]
    if isinstance(spec, (str, bytes)) or not np.iterable(spec):
        return [spec]
    return list(spec)


def _positions(frame, spec, name, labeled):
    """Column positions named by ``spec``: labels if ``labeled``, else positions."""
    positions = []
    for item in _spec_items(frame.columns, spec, labeled):
        if isinstance(item, (bool, np.bool_)):
            raise TypeError(
                f"{name}: {item!r} is neither a column label nor a position."
            )
        if labeled:
            positions.append(_label_position(frame.columns, item, name))
        else:
            positions.append(_int_position(frame.shape[1], item, name))
    return positions


def _is_label(columns, item):
    try:
        return item in columns
    except TypeError:  # unhashable
        return False


def _label_position(columns, label, name):
    """Position of a column label, refusing absent and duplicated labels."""
    if not _is_label(columns, label):
        hint = (
            " (the columns of pandas data are named by label, not position)"
            if isinstance(label, numbers.Integral)
            else ""
        )
        raise ValueError(
            f"{name}: {label!r} is not a column label of the series "
            f"(columns: {list(columns)}){hint}."
        )
    position = columns.get_loc(label)
    if not isinstance(position, numbers.Integral):
        count = len(np.arange(len(columns))[position])
        raise ValueError(
            f"{name}: column {label!r} appears {count} times in the series; give "
            "its columns unique labels."
        )
    return int(position)


def _int_position(n_columns, item, name):
    if not isinstance(item, numbers.Integral):
        raise ValueError(
            f"{name}: {item!r} names a column, but the series has no column labels "
            "(an array or an unnamed Series): give column positions (ints), or pass "
            "a pandas DataFrame."
        )
    if not -n_columns <= item < n_columns:
        raise ValueError(
            f"{name}: column {item} is out of range for a series with "
            f"{n_columns} column(s)."
        )
    return int(item) % n_columns


def _labels(frame, positions):
    return [frame.columns[j] for j in positions]


def _column_values(frame, positions, index, name="X"):
    """Float64 values of some columns, refusing non-numeric and missing values."""
    positions = list(positions)
    if not positions:
        return np.empty((len(frame), 0))
    columns = frame.iloc[:, positions]
    try:
        values = columns.to_numpy(dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name} has non-numeric values in the column(s) "
            f"{list(columns.columns)}; encode categories as numbers first, e.g. "
            "pandas.get_dummies(frame, columns=[...], dtype=float)."
        ) from exc
    bad = ~np.isfinite(values)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        where = index[row] if index is not None else f"row {row}"
        fix = (
            "Known values are needed there."
            if name == "future"
            else "Fill them first, e.g. skseq.forecasting.regularize(X) (interpolates"
            ") or X.interpolate(), or keep the rows after them."
        )
        raise ValueError(
            f"{name} has missing or infinite values: column {columns.columns[col]!r} "
            f"at {where} ({int(bad.sum())} in all). {fix}"
        )
    return values
