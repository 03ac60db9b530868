"""A meta-estimator that owns the windowing of a whole series."""

import numbers
import warnings

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.metrics import r2_score
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted, has_fit_parameter

from ..estimators._forecaster_base import (
    BaseKerasForecaster,
    BaseSequenceForecaster,
    flat_targets,
)
from ..utils._doc_link import DocLinkMixin
from ..utils._summary import summary_method
from ..utils._validation import check_choice, check_int
from ..utils._weights import check_sample_weight, window_weights
from . import _rows as row_mode
from ._index import auto_window, check_time_index, future_index
from ._transforms import (
    check_difference,
    check_target_transform,
    to_model_units,
    to_series_units,
)

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
    Pass the target column(s) as ``y`` too (``search.fit(series, series)``) to
    score with sklearn's scoring strings (``"neg_mean_absolute_error"``): see
    ``fit`` and ``predict``.

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
    window : int or "auto", default="auto"
        Time steps of history each forecast is made from. ``"auto"`` (fitted
        as ``window_``): twice the season the index tells -- 24 for monthly,
        8 for quarterly data -- else 56 (the chapter's 8 weeks of days; also
        for arrays and integer indexes), capped so that at least as many
        training windows as steps per window remain: ``window_ <= (n_steps -
        sum(difference) - horizon + 1) // 2``. A short series thus gets a
        shorter window instead of an error; pass an int to fix it. In
        cross-validation each fold decides on its own training rows.
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
    target_transform : {"log", "box-cox"}, transformer or None, default=None
        Applied to the targets before differencing and scaling, and inverted on
        the forecasts (as ``TransformedTargetRegressor`` does for tabular data):
        ``"log"`` (values must be > 0; turns a multiplicative season additive),
        ``"box-cox"`` (``PowerTransformer(method="box-cox",
        standardize=False)``, fitted on the training series; values > 0), or
        any transformer with ``inverse_transform``, cloned and fitted on the
        target columns (e.g. ``FunctionTransformer(np.log1p,
        inverse_func=np.expm1)`` for counts with zeros). Values it cannot take
        are refused with a ``ValueError``.
    difference : int, sequence of int or None, default=None
        Lags of the differences taken of the (transformed) targets, so that the
        network learns changes instead of levels -- a network trained on
        scaled windows cannot forecast outside the range it saw, so a trend
        must be differenced away. ``1``: ``y[t] - y[t - 1]``; ``12``: a yearly
        difference of monthly data; ``(1, 12)``: both; ``(1, 1)``: second
        order (``2`` is one difference at lag 2). Forecasts are integrated back
        from the series before them; every forecast then needs ``window +
        sum(difference)`` rows of history. Covariates are not differenced.
        A hyperparameter like any other (``GridSearchCV`` with
        :class:`SeriesSplit`: each fold differences only its own rows).
    scale : bool or transformer, default=True
        ``True`` standardizes targets (after ``target_transform`` and
        ``difference``) and covariates with a ``StandardScaler`` fitted on the
        training series; a transformer (with
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
        ``window`` (resolved when ``"auto"``) and ``horizon`` as fitted:
        ``predict``, ``score`` and :func:`backtest` of the fitted model use
        these, not the parameters, so a ``set_params`` takes effect at the next
        ``fit``.
    target_transform_ : transformer or None
        The fitted target transform.
    difference_ : tuple of int
        Lags of the differences, as validated in ``fit`` (empty: none).
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
        Frequency of the training series' ``DatetimeIndex`` or ``PeriodIndex``,
        or the step of its ``TimedeltaIndex``, if any.
    predicts_rows_ : bool
        Whether ``fit`` got ``y``: then ``predict(X)`` forecasts every row of
        ``X`` (for sklearn's scorers) and :meth:`forecast` the future.
    last_rows_ : tuple of ndarray
        The last ``window + sum(difference)`` rows of the training targets, past
        and future covariates (as in the series: not transformed, differenced or
        scaled): the history of the first rows ``predict`` forecasts when fitted
        with ``y``.
    next_label_ : label or None
        Index label of the row after the training series (None without a time
        index), which ``X`` must start at when fitted with ``y``.

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

    @classmethod
    def _get_test_params(cls):
        """Parameters of small instances for the tests; the first is the fast one."""
        from ..estimators import GRUForecaster, NaiveForecaster

        gru = GRUForecaster(2, **GRUForecaster._fast_test_params())
        return [
            {"estimator": NaiveForecaster(), "window": 4},
            {"estimator": gru, "window": 8, "horizon": 2},
        ]

    def __init__(
        self,
        estimator,
        *,
        window="auto",
        horizon=1,
        target=None,
        past_covariates=None,
        future_covariates=None,
        target_transform=None,
        difference=None,
        scale=True,
        feed="auto",
    ):
        self.estimator = estimator
        self.window = window
        self.horizon = horizon
        self.target = target
        self.past_covariates = past_covariates
        self.future_covariates = future_covariates
        self.target_transform = target_transform
        self.difference = difference
        self.scale = scale
        self.feed = feed

    # -- public API ---------------------------------------------------------------
    summary = summary_method

    def fit(self, X, y=None, sample_weight=None):
        """Train the wrapped estimator on every window of a series.

        Parameters
        ----------
        X : pandas.Series, pandas.DataFrame or array-like of shape (n_steps,) or \
                (n_steps, n_columns)
            The series; rows are time steps, in order and evenly spaced, without
            missing values in the columns used (see :func:`regularize`).
        y : pandas.Series, pandas.DataFrame, array-like or None, default=None
            ``None``: the targets are columns of ``X`` (see ``target``), and
            ``predict`` forecasts the ``horizon`` steps after ``X``. Given, ``y``
            must be those target columns again, row for row (e.g.
            ``fit(series, series)``, ``fit(frame, frame["rail"])``; with
            ``target=None`` the targets are then ``y``'s columns): the model is
            trained the same way, but ``predict(X)`` then forecasts every row of
            ``X`` (see ``predict``), so that sklearn's scorers
            (``GridSearchCV(scoring="neg_mean_absolute_error")``) can compare
            its forecasts with ``y``. Always cross-validate with a time-ordered
            splitter such as :class:`SeriesSplit`: the default ``KFold`` trains
            on the future, and its training rows skip the test fold, so windows
            would join rows that are not consecutive (refused for a pandas
            index, which then has a gap; undetectable for arrays).
        sample_weight : array-like of shape (n_steps,), default=None
            Weight of each time step (row of ``X``), e.g. higher for recent
            steps, 0 for holidays. A window is weighted by the mean weight of
            the ``horizon`` steps it forecasts, and the wrapped estimator's
            ``fit`` (or the batch feeder) gets those window weights.

        Returns
        -------
        self : WindowedForecaster
            The fitted forecaster.
        """
        window, horizon = self._check_params()
        lags = check_difference(self.difference)
        transform = check_target_transform(self.target_transform)
        frame, index, labeled = _as_frame(X, "X")
        freq = check_time_index(index, "X")
        if window == "auto":
            window = auto_window(freq, len(frame), horizon, sum(lags))
        y_frame, y_index, y_labeled = (None,) * 3 if y is None else _as_frame(y, "y")
        target = row_mode.target_spec(self.target, y_frame, y_labeled, labeled)
        roles = self._resolve_columns(frame, labeled, target)
        targets, past, future = (_column_values(frame, cols, index) for cols in roles)
        if y is not None:
            names = _labels(frame, roles[0]) if labeled else roles[0]
            y_parts = (y_frame, y_index, y_labeled)
            row_mode.check_y(*y_parts, targets, names, index, labeled)
        n_windows = len(frame) - sum(lags) - window - horizon + 1
        if n_windows < 1:
            raise ValueError(
                f"X has {len(frame)} time steps, too short for window={window} plus "
                f"horizon={horizon}{_lags_text(lags)} (needs at least "
                f"{window + horizon + sum(lags)})."
            )
        step_weight = check_sample_weight(
            sample_weight, len(frame), unit="time step (row) of X"
        )
        # row mode forecasts from the fitted tail: kept raw, as X's rows come
        tail = tuple(v[-(window + sum(lags)) :] for v in (targets, past, future))
        model_targets = to_model_units(
            transform, lags, targets, index, _labels(frame, roles[0]), fit=True
        )
        past, future = past[sum(lags) :], future[sum(lags) :]
        if step_weight is not None:  # rows of the differenced series
            step_weight = step_weight[sum(lags) :]
        scalers = self._fit_scalers(model_targets, past, future)
        inputs, outputs = _design(model_targets, past, future, scalers, horizon)
        estimator = self._fit_estimator(inputs, outputs, window, horizon, step_weight)

        names = [list(frame.columns[c]) for c in roles]
        self.target_names_, self.past_covariate_names_ = names[0], names[1]
        self.future_covariate_names_ = names[2]
        self.by_label_ = labeled
        self.window_, self.horizon_ = window, horizon
        self.target_transform_, self.difference_ = transform, lags
        self.target_scaler_, self.past_scaler_, self.future_scaler_ = scalers
        self.estimator_ = estimator
        self.n_features_in_ = frame.shape[1]
        self.n_windows_ = n_windows
        self.freq_ = freq
        self.predicts_rows_ = y is not None
        self.last_rows_ = tail
        self.next_label_ = row_mode.next_label(index, freq)
        return self

    def predict(self, X, future=None):
        """Forecast the ``horizon`` steps after a series; fitted with ``y``, every
        row of ``X``.

        Fitted without ``y``, this is :meth:`forecast`. Fitted with ``y``, it
        returns one forecast per row of ``X`` -- what sklearn's scorers compare
        with ``y`` -- each made from actual data before it: blocks of
        ``horizon`` rows ending at ``X``'s last row (the first block may be
        shorter), each forecast from the ``window`` rows before it, those before
        ``X`` being the last rows of the series seen in ``fit``. ``X`` must
        therefore directly follow that series, as the test rows of a
        :class:`SeriesSplit` fold (``gap=0``) follow its training rows; pandas
        data is required (an index that tells), and the future after a series
        is then :meth:`forecast`'s.

        Parameters
        ----------
        X : pandas.Series, pandas.DataFrame or array-like of shape (n_steps,) or \
                (n_steps, n_columns)
            The series (see :meth:`forecast`); fitted with ``y``, the rows to
            forecast, right after the series seen in ``fit`` (future covariates
            included: they are read from ``X``, which then needs at least
            ``horizon`` rows).
        future : pandas.DataFrame, pandas.Series, array-like or None, default=None
            See :meth:`forecast`; must be None when fitted with ``y``.

        Returns
        -------
        y_pred : pandas.Series, pandas.DataFrame or ndarray
            Fitted without ``y``: :meth:`forecast`'s. Fitted with ``y``: shape
            ``(n_steps,)`` for one target or ``(n_steps, n_targets)``, indexed
            like ``X``.
        """
        check_is_fitted(self)
        if not self.predicts_rows_:
            return self.forecast(X, future)
        if future is not None:
            raise ValueError(
                "This WindowedForecaster was fitted with y, so predict(X) reads the "
                "future covariates from X; future=... is for forecast(X, future)."
            )
        return self._predict_rows(X)

    def forecast(self, X, future=None):
        """Forecast the ``horizon`` steps after the end of a series.

        Parameters
        ----------
        X : pandas.Series, pandas.DataFrame or array-like of shape (n_steps,) or \
                (n_steps, n_columns)
            The series up to the present, with the columns seen in ``fit`` (found
            by label when ``fit`` saw labels: then ``X`` must have them too), in
            order and evenly spaced at the frequency seen in ``fit``; only its
            last ``window_`` rows (``window_ + sum(difference_)`` when
            differencing) are forecast from.
        future : pandas.DataFrame, pandas.Series or array-like of shape \
                (horizon,) or (horizon, n_future_covariates), default=None
            Values of the future covariates for the ``horizon_`` steps after the
            last row of ``X``, required when ``future_covariates`` is set (columns
            by label for pandas data with labels, else in the order of
            ``future_covariates``). If it has a ``DatetimeIndex`` or a
            ``PeriodIndex``, that must be the forecast's index.

        Returns
        -------
        y_pred : pandas.Series, pandas.DataFrame or ndarray
            The forecast, of shape ``(horizon,)`` for one target or ``(horizon,
            n_targets)``. When ``X`` has a time index, a ``Series`` (named
            after the target) or a ``DataFrame`` (columns = targets) indexed by the
            ``horizon_`` steps after ``X``'s last one, of the index's type: dates
            of a ``DatetimeIndex`` at the frequency seen in ``fit`` (for a model
            fitted on arrays: ``index.freq``, else inferred), periods of a
            ``PeriodIndex``, timedeltas, or integers continuing an integer index
            (years, a ``RangeIndex``) by its step. An array gives an ndarray.
        """
        check_is_fitted(self)
        inputs, targets, future_index = self._forecast_inputs(X, future)
        y_pred = self._predict_windows(inputs, 1)
        y_pred = self._to_series_units(y_pred, targets[None])[0]
        return self._format_forecast(y_pred, future_index)

    def predict_interval(self, X, coverage=0.9, future=None):
        """Interval around :meth:`forecast`, from the wrapped estimator's own.

        The wrapped estimator's ``predict_interval`` (e.g. a
        :class:`ConformalForecaster`, calibrated; or a Keras forecaster's MC
        dropout, which is not) is called on the last window, and its bounds are
        mapped back to the units of the series like the forecast (scaling and
        ``target_transform`` undone; both are monotone, so the bounds stay
        bounds). Not available with ``difference``: bounds on differences do not
        add up to bounds on levels.

        Parameters
        ----------
        X : pandas.Series, pandas.DataFrame or array-like
            The series up to the present, as for :meth:`forecast`.
        coverage : float, default=0.9
            Nominal share of true values inside the interval, in (0, 1).
        future : pandas.DataFrame, pandas.Series, array-like or None, default=None
            Future covariates, as for :meth:`forecast`.

        Returns
        -------
        lower, upper : pandas.Series, pandas.DataFrame or ndarray
            Bounds shaped and dated like :meth:`forecast`'s output.
        """
        check_is_fitted(self)
        if not hasattr(self.estimator_, "predict_interval"):
            raise ValueError(
                f"{type(self.estimator_).__name__} has no predict_interval: wrap "
                "it, e.g. WindowedForecaster(ConformalForecaster(estimator), ...), "
                "for calibrated intervals."
            )
        if self.difference_:
            raise ValueError(
                "predict_interval is not available with difference: the bounds of "
                "the differences do not add up to bounds of the series. Fit without "
                "difference, or use backtest errors to size an interval."
            )
        inputs, targets, future_index = self._forecast_inputs(X, future)
        windows = sliding_window_view(inputs, self.window_, axis=0)[:1]
        X_window = windows.transpose(0, 2, 1)
        bounds = [
            self._to_series_units(self._in_series_scale(bound), targets[None])[0]
            for bound in self.estimator_.predict_interval(X_window, coverage=coverage)
        ]
        lower, upper = np.minimum(*bounds), np.maximum(*bounds)
        return tuple(self._format_forecast(b, future_index) for b in (lower, upper))

    def _forecast_inputs(self, X, future):
        """The model inputs of the last window of ``X`` (plus the known future),
        its targets as in the series, and the forecast's dates."""
        frame, index, labeled = _as_frame(X, "X")
        window = self._n_history()
        if len(frame) < window:
            raise ValueError(
                f"X has {len(frame)} time steps, fewer than window={self.window_}"
                f"{_lags_text(self.difference_)}: a forecast needs {window} rows "
                "of history."
            )
        future_index = self._future_index(index)
        frame = frame.iloc[-window:]
        index = None if index is None else index[-window:]
        (targets, model_targets), past, fut = self._model_columns(frame, index, labeled)
        if self.future_covariate_names_:
            fut = np.concatenate([fut, self._check_future(future, future_index)])
        elif future is not None:
            raise ValueError(
                "future holds values of known-future covariates, but this "
                "WindowedForecaster has none (future_covariates=None)."
            )
        inputs, _ = _design(model_targets, past, fut, self._scalers(), self.horizon_)
        return inputs, targets, future_index

    def score(self, X, y=None):
        """R^2 of the forecasts of every window of a series (or, with ``y``, of
        ``predict``).

        With ``y`` (for a model fitted with ``y``), sklearn's R^2 of ``y`` and
        ``predict(X)``, uniformly averaged over the targets. Without it: the
        first ``window`` rows of ``X`` are history only; every forecast whose
        ``horizon`` targets all lie in ``X`` is scored (R^2 needs at least 2).
        With :class:`SeriesSplit` the scored targets are therefore never training
        targets.

        Parameters
        ----------
        X : pandas.Series, pandas.DataFrame or array-like of shape (n_steps,) or \
                (n_steps, n_columns)
            The series to evaluate on, with the columns seen in ``fit`` (future
            covariates included: they are read from ``X``).
        y : array-like or None, default=None
            The target columns of ``X`` (only for a model fitted with ``y``).

        Returns
        -------
        score : float
            R^2 averaged uniformly over the ``horizon * n_targets`` outputs (with
            ``y``: over the targets), in the units of the series.
        """
        if y is not None:
            check_is_fitted(self)
            if not self.predicts_rows_:
                raise ValueError(
                    "score(X, y) compares y with predict(X) of a model fitted with "
                    "y; this one was fitted without: call score(X), or fit(X, y)."
                )
            return super().score(X, y)
        y_true, y_pred = self._window_forecasts(X, 2, "R^2 of 2 forecasts")
        return float(
            r2_score(y_true.reshape(len(y_true), -1), y_pred.reshape(len(y_pred), -1))
        )

    # -- steps of fit -------------------------------------------------------------
    def _check_params(self):
        window = self.window
        if not (isinstance(window, str) and window == "auto"):
            window = check_int(window, "window", min_value=1)
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

    def _resolve_columns(self, frame, labeled, target):
        """Positions of the target, past and future covariate columns."""
        past = _positions(frame, self.past_covariates, "past_covariates", labeled)
        future = _positions(frame, self.future_covariates, "future_covariates", labeled)
        covariates = past + future
        if len(set(covariates)) < len(covariates):
            raise ValueError(
                "past_covariates and future_covariates name the same column "
                f"twice: {_labels(frame, covariates)}."
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
                    _label_position(frame.columns, frame.columns[j], "target")
        else:
            targets = _positions(frame, target, "target", labeled)
            if not targets:
                raise ValueError(
                    f"target={target!r} names no column: name at least one, or "
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

    def _fit_estimator(self, inputs, outputs, window, horizon, step_weight=None):
        estimator = clone(self.estimator)
        n_windows = len(outputs) - window - horizon + 1
        weights = _fit_weights(estimator, step_weight, window, horizon, n_windows)
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
                inputs,
                outputs,
                window,
                horizon,
                batch_size=estimator.batch_size,
                sample_weight=weights.get("sample_weight"),
            )
            return estimator._fit_batches(source)
        X = sliding_window_view(inputs, window, axis=0)[:n_windows]
        y = sliding_window_view(outputs[window:], horizon, axis=0)
        X, y = X.transpose(0, 2, 1), y[:n_windows].transpose(0, 2, 1)
        return estimator.fit(X, self._estimator_targets(estimator, y), **weights)

    def _estimator_targets(self, estimator, y):
        if isinstance(estimator, BaseSequenceForecaster):
            return y
        return flat_targets(y)

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
            if labeled:
                _warn_positional(frame, "X")
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

    def _n_history(self):
        """Rows of history each forecast needs: ``window_ + sum(difference_)``."""
        return self.window_ + sum(self.difference_)

    def _model_columns(self, frame, index, labeled):
        """``_columns`` with the targets both as they are and as the network
        learns them (transformed and differenced, ``sum(difference_)`` rows
        fewer, as the covariates then are): ``((targets, model), past, future)``.
        """
        targets, past, future = self._columns(frame, index, labeled)
        lags = self.difference_
        model = to_model_units(
            self.target_transform_, lags, targets, index, self.target_names_
        )
        return (targets, model), past[sum(lags) :], future[sum(lags) :]

    def _to_series_units(self, y_pred, history):
        """Forecasts ``(n_forecasts, horizon, n_targets)`` of the network, scaler
        inverted, in the series' units: differences integrated from ``history``
        (the targets up to the step before each forecast, ``(n_forecasts,
        n_rows >= sum(difference_), n_targets)``), then the target transform
        inverted. Every output path goes through here."""
        return to_series_units(
            self.target_transform_, self.difference_, y_pred, history
        )

    def _window_forecasts(self, X, min_windows=1, purpose="forecasting"):
        """Truths and forecasts of every window of ``X``: (n_windows, horizon, n_t)."""
        check_is_fitted(self)
        frame, index, labeled = _as_frame(X, "X")
        check_time_index(index, "X", self.freq_)
        window, horizon = self._n_history(), self.horizon_
        n_windows = len(frame) - window - horizon + 1
        if n_windows < min_windows:
            raise ValueError(
                f"X has {len(frame)} time steps; {purpose} needs at least window"
                f"{' + sum(difference)' if self.difference_ else ''} + "
                f"horizon{' + 1' if min_windows > 1 else ''} = "
                f"{window + horizon + min_windows - 1} (the first {window} are the "
                "history of the first forecast). In cross-validation, use "
                f"SeriesSplit with lookback >= {window} and test_size >= "
                f"{horizon + min_windows - 1}."
            )
        (targets, model_targets), past, future = self._model_columns(
            frame, index, labeled
        )
        inputs, _ = _design(model_targets, past, future, self._scalers(), horizon)
        y_true = sliding_window_view(targets[window:], horizon, axis=0)
        y_pred = self._predict_windows(inputs, n_windows)
        history = sliding_window_view(targets, window, axis=0)[:n_windows]
        y_pred = self._to_series_units(y_pred, history.transpose(0, 2, 1))
        return y_true[:n_windows].transpose(0, 2, 1), y_pred

    def _predict_windows(self, inputs, n_windows):
        """Forecasts in the series' units of the first ``n_windows`` windows."""
        windows = sliding_window_view(inputs, self.window_, axis=0)
        return self._forecast_windows(windows[:n_windows])

    def _predict_rows(self, X):
        """Row mode's forecast of every row of ``X`` (see ``predict``)."""
        frame, index, labeled = _as_frame(X, "X")
        check_time_index(index, "X", self.freq_)
        row_mode.check_continues(index, self.next_label_)
        columns = self._columns(frame, index, labeled)
        horizon, n_rows = self.horizon_, len(frame)
        if self.future_covariate_names_ and n_rows < horizon:
            raise ValueError(
                f"X has {n_rows} row(s): forecasting them reads the future "
                f"covariates of the next horizon={horizon} rows from X; pass at "
                f"least {horizon} rows (SeriesSplit(test_size >= {horizon}))."
            )
        targets, past, future = (
            np.concatenate(p) for p in zip(self.last_rows_, columns, strict=True)
        )
        lags = self.difference_
        model_targets = to_model_units(self.target_transform_, lags, targets)
        past, future = past[sum(lags) :], future[sum(lags) :]
        inputs, _ = _design(model_targets, past, future, self._scalers(), horizon)
        windows = sliding_window_view(inputs, self.window_, axis=0)
        origins = row_mode.block_origins(n_rows, horizon)
        y_blocks = self._forecast_windows(windows[origins])
        n_history = self._n_history()
        history = np.stack([targets[o : o + n_history] for o in origins])
        y_blocks = self._to_series_units(y_blocks, history)
        y_pred = row_mode.assemble(y_blocks, n_rows, horizon)
        return self._format_forecast(y_pred, index)

    def _forecast_windows(self, windows):
        """Forecasts of windows (n, n_features, window), target scaling undone."""
        n_windows = len(windows)
        chunks = []
        for start in range(0, n_windows, _PREDICT_CHUNK):
            stop = min(start + _PREDICT_CHUNK, n_windows)
            X = windows[start:stop].transpose(0, 2, 1)
            chunks.append(np.asarray(self.estimator_.predict(X), dtype=np.float64))
        return self._in_series_scale(np.concatenate(chunks))

    def _in_series_scale(self, y_pred):
        """Estimator outputs -> (n, horizon, n_targets), target scaling undone."""
        n_targets = len(self.target_names_)
        y_pred = np.asarray(y_pred, dtype=np.float64).reshape(-1, n_targets)
        if self.target_scaler_ is not None:
            y_pred = self.target_scaler_.inverse_transform(y_pred)
        return y_pred.reshape(-1, self.horizon_, n_targets)

    def _future_index(self, index):
        """The labels of the ``horizon`` steps after ``X``'s index (dates,
        periods, timedeltas or integers, as it came), or None for arrays."""
        freq = check_time_index(index, "X", self.freq_)
        return future_index(index, freq, self.horizon_)

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
            and isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex))
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
            if labeled and not self.by_label_:
                _warn_positional(frame, "future")
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
def _lags_text(lags):
    return f" + sum(difference={lags})" if lags else ""


def _fit_weights(estimator, step_weight, window, horizon, n_windows):
    """``fit``'s keyword for the window weights: each window gets the mean weight
    of the ``horizon`` steps it forecasts."""
    if step_weight is None:
        return {}
    if not has_fit_parameter(estimator, "sample_weight"):
        raise TypeError(
            f"sample_weight was given, but {type(estimator).__name__}.fit takes no "
            "sample_weight; wrap one whose fit accepts it (every Keras-backed "
            "skseq forecaster does)."
        )
    weights = window_weights(step_weight, window, horizon, n_windows)
    if not weights.any():
        raise ValueError(
            "sample_weight is zero on every step a window forecasts (the rows "
            f"after the first window={window}): no window would be trained on."
        )
    return {"sample_weight": weights}


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


def _warn_positional(frame, name):
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
    """Float64 values of some columns, refusing non-numeric and missing values.

    A copy: pandas hands out views of its data, and fit keeps the last rows, so
    a view would follow the user's later edits of ``frame``.
    """
    positions = list(positions)
    if not positions:
        return np.empty((len(frame), 0))
    columns = frame.iloc[:, positions]
    try:
        values = columns.to_numpy(dtype=np.float64, copy=True)
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
