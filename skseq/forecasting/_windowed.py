"""A meta-estimator that owns the windowing of a whole series.

``WindowedForecaster`` orchestrates; the steps are plain functions elsewhere:
fitting one series in :mod:`._fit` (columns :mod:`._columns`, transform and
differences :mod:`._transforms`, scalers and design :mod:`._design`), a panel
in :mod:`._panel`, forecasting in :mod:`._prediction` and :mod:`._output`.
"""

from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.metrics import r2_score
from sklearn.utils.validation import check_is_fitted

from ..utils._doc_link import DocLinkMixin
from ..utils._summary import summary_method
from . import _panel as panel
from . import _panel_predict as panel_predict
from ._conformal_levels import refuse_cqr_with_difference
from ._design import check_design_params
from ._fit import fit_one_series
from ._output import format_forecast, future_index
from ._prediction import (
    check_truth,
    forecast_inputs,
    forecast_windows,
    predict_rows,
    predict_windows,
    window_forecasts,
)
from ._probabilistic_methods import ProbabilisticMethodsMixin
from ._transforms import to_series_units

__all__ = ["WindowedForecaster"]


# Above this many input values (n_windows * window * n_features), feed="auto" cuts
# the windows batch by batch instead of handing Keras every window at once.
FEED_THRESHOLD = 2**24


class WindowedForecaster(
    ProbabilisticMethodsMixin, DocLinkMixin, RegressorMixin, BaseEstimator
):
    """Forecast a series with any sequence estimator, windowing included.

    The series itself -- a ``pandas.Series``, a ``DataFrame`` or an array whose
    rows are time steps -- is what ``fit``, ``predict`` and ``score`` take: this
    meta-estimator cuts it into windows of ``window`` steps followed by
    ``horizon`` target steps, scales them, trains ``estimator`` on them and maps
    its forecasts back. ``window`` and ``horizon`` are ordinary hyperparameters,
    searched with ``GridSearchCV`` and :class:`SeriesSplit` (``estimator__units``
    too); but a search over ``horizon`` scores each candidate on its own lead
    times ``1 .. horizon``, so the shortest wins by forecasting less far.
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
      their values for the ``horizon`` steps ahead: ``forecast(X, future=...)``.

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
        n_targets)`` (1D when that is one column); a wrapper around a skseq
        forecaster (a ``Pipeline`` ending in one, a ``GridSearchCV`` or a
        ``TransformedTargetRegressor`` around one) gets the 3D ``y`` when there
        are several targets.
    window : int or "auto", default="auto"
        Time steps of history each forecast is made from. ``"auto"`` (fitted
        as ``window_``): twice the yearly season -- 24 for monthly, 8 for
        quarterly data (a ``season_`` of 12 or 4) -- else 56 (the chapter's 8
        weeks of days; also for arrays and integer indexes), capped so that the
        windows outnumber a linear model's ``window_ * k + 1`` weights, ``k``
        inputs per step (targets, past covariates, ``horizon`` per future one):
        ``window_ <= (n_steps - sum(difference_) - horizon - 1) // (k + 1)``
        (``difference="auto"`` chooses its lags first). A short series gets a
        shorter window, not an error; pass an int to fix it. In cross-validation
        each fold decides on its training rows; a panel, on its median series.
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
    difference : int, sequence of int, "auto" or None, default="auto"
        Lags of the differences taken of the (transformed) targets, so that the
        network learns changes, not levels: a network trained on scaled windows
        cannot forecast outside the range it saw, so a trend must be
        differenced away. ``1``: ``y[t] - y[t - 1]``; ``12``: a yearly
        difference of monthly data; ``(1, 12)``: both; ``(1, 1)``: second
        order; None: none (the chapter's models). Forecasts are integrated back
        from the series before them, each needing ``window + sum(difference)``
        rows of history; covariates are not differenced. ``"auto"``: ``fit``
        chooses ``difference_`` on the training targets (each series of a
        panel, each :class:`SeriesSplit` fold on its own rows; several targets,
        and a panel's series under a ``ConformalForecaster``, get what the
        neediest needs) with :func:`choose_difference` and
        ``season_``: a seasonal difference alone for a significant season,
        else first differences until a KPSS test accepts stationarity. None for
        a :class:`NaiveForecaster` (the baseline keeps its meaning), a quantile
        or count head and ``ConformalForecaster(method="cqr")``. Once
        differenced, Monte Carlo dropout intervals are refused (bounds of
        differences do not add up) and a panel's batches need a copy.
    season : int or None, default=None
        Steps per seasonal cycle (``season_``), used by ``difference="auto"``
        and ``window="auto"``. None: read from a ``DatetimeIndex`` or
        ``PeriodIndex`` by :func:`infer_season` (12 for monthly, 4 for
        quarterly, 7 for daily, 24 for hourly data), else 1 (no season):
        arrays, integer and timedelta indexes, and frequencies whose season is
        ambiguous (``"5D"``) or unknown. An int >= 1 overrides the index.
    scale : bool, "window", "level" or transformer, default=True
        ``True`` standardizes targets (after ``target_transform`` and
        ``difference``) and covariates with a ``StandardScaler`` fitted on the
        training series (with ``series_id``: on each series' own rows);
        ``"window"`` (panels only) divides each window's targets, and what it
        forecasts, by the window's mean absolute target (gluonts' mean scaler,
        after the target transform and differences; a window of zeros by its
        series' mean absolute training target, so that forecasts follow the
        series' units; covariates standardized per series); ``"level"``
        (panels only) subtracts the window's level, the mean of its last
        ``season_`` targets (with ``target_transform`` ``"log"`` or ``log1p``,
        a division by that season's geometric mean); a transformer (with
        ``inverse_transform``) is cloned and used instead, one fitted clone
        each for the targets, the past and the future covariates; ``False``
        feeds raw values.
        Forecasts are always returned in the units of the series.
    feed : {"auto", "arrays", "batches"}, default="auto"
        How a Keras-backed ``estimator`` receives the training windows:
        ``"arrays"`` hands over all windows at once (fastest on small data);
        ``"batches"`` cuts them batch by batch from the series
        (a ``keras.utils.PyDataset`` over the series), so memory does not grow with
        ``window x n_windows``; ``"auto"`` switches to batches above
        ``FEED_THRESHOLD`` (2**24) input values. Other estimators always get
        arrays.
    series_id : label or None, default=None
        Set it to train one *global* model on a panel of many series (see the
        user guide "Many series"): the column of a long ``DataFrame`` (its
        index the time), or the level of a ``(series, time)`` ``MultiIndex``,
        that names each row's series; ``X`` may also be a dict of series. Each
        series gets its own target transform, differences and scalers (fitted
        on its own rows: series of any scale share one network); one estimator
        learns from the windows of every series (never across two). Series too
        short for a training window are left out with a warning. ``forecast``
        returns a long ``DataFrame`` laid out like ``X``, dated per series, the
        series sorted by id (the fitted model does not depend on the order of
        ``X``'s rows); a series not seen in ``fit`` is forecast from its own
        history.
    static_covariates : label, list of labels or None, default=None
        With ``series_id``: columns constant within each series (region,
        category, size), appended to every step's inputs -- numeric ones
        standardized over the series, others one-hot encoded.
    series_encoding : {None, "onehot"}, default=None
        With ``series_id``: ``"onehot"`` appends the one-hot series id to the
        inputs, which the first layer turns into a learned embedding of each
        series (use it for tens to thousands of series; a series unseen in fit
        gets zeros, with a warning).
    sampling : {"window", "series"}, default="window"
        With ``series_id``: ``"window"`` weighs every training window the
        same (long series count more); ``"series"`` weighs each series the
        same (each window by 1 / its series' window count; with a skseq
        network's early stopping, its count among the training windows, and
        among the held-out ones for the validation loss).

    Attributes
    ----------
    estimator_ : estimator
        The fitted clone of ``estimator``.
    quantiles_ : tuple of float
        The levels :meth:`predict_quantiles` returns by default: those of the
        wrapped estimator (only when it has a probabilistic head).
    window_, horizon_ : int
        ``window`` (resolved when ``"auto"``) and ``horizon`` as fitted:
        ``predict``, ``score`` and :func:`backtest` of the fitted model use
        these, not the parameters, so a ``set_params`` takes effect at the next
        ``fit``.
    target_transform_ : transformer or None
        The fitted target transform.
    difference_ : tuple of int
        Lags of the differences, as validated in ``fit`` or chosen there by
        ``difference="auto"`` (empty: none).
    season_ : int
        ``season``, else the season of the training index (1: none).
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
        Deprecated, always True (``predict(X)`` forecasts every row of ``X``).
    last_rows_ : tuple of ndarray
        The last ``window + sum(difference)`` rows of the training targets, past
        and future covariates (as in the series: not transformed, differenced or
        scaled): the history of the first rows ``predict`` forecasts.
    train_targets_ : ndarray of shape (n_steps, n_targets)
        The target columns of the training series, as in the series: the
        in-sample history that MASE scorers (``"neg_mase_7"``, also in
        :func:`backtest`) measure the seasonal naive error on.
    next_label_ : label or None
        Index label of the row after the training series (None without a time
        index), which ``predict``'s ``X`` must start at.
    series_ids_ : pandas.Index
        With ``series_id``: the series seen in ``fit``, sorted;
        ``series_state_`` holds what was fitted for each (its transform,
        differences, scalers): a sequence whose item ``k`` is series ``k``'s
        ``SeriesState``, made on access from arrays shared by all series, and
        ``train_targets_`` is then a read-only mapping (as a dict) of each
        series' id to its training targets, views of one array.

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
    >>> forecast = model.forecast(series)
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
        difference="auto",
        season=None,
        scale=True,
        feed="auto",
        series_id=None,
        static_covariates=None,
        series_encoding=None,
        sampling="window",
    ):
        self.estimator = estimator
        self.window = window
        self.horizon = horizon
        self.target = target
        self.past_covariates = past_covariates
        self.future_covariates = future_covariates
        self.target_transform = target_transform
        self.difference = difference
        self.season = season
        self.scale = scale
        self.feed = feed
        self.series_id = series_id
        self.static_covariates = static_covariates
        self.series_encoding = series_encoding
        self.sampling = sampling

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
            ``None``: the targets are columns of ``X`` (see ``target``). Given,
            ``y`` must be those target columns again, row for row (e.g.
            ``fit(series, series)``, ``fit(frame, frame["rail"])``; with
            ``target=None`` the targets are then ``y``'s columns), as sklearn's
            searches pass it; the model is the same either way, and
            ``predict(X)`` forecasts every row of ``X`` (see ``predict``), so
            that sklearn's scorers
            (``GridSearchCV(scoring="neg_mean_absolute_error")``) can compare
            its forecasts with ``y``. Always cross-validate with a time-ordered
            splitter such as :class:`SeriesSplit`: the default ``KFold`` trains
            on the future, and its training rows skip the test fold, so windows
            would join rows that are not consecutive (refused for a pandas
            index, which then has a gap; undetectable for arrays).
        sample_weight : array-like of shape (n_steps,), default=None
            Weight of each time step (row of ``X``), e.g. 0 for holidays. A
            window is weighted by the mean weight of the ``horizon`` steps it
            forecasts (``"recursive"``: of the one it trains on), and the
            wrapped estimator's ``fit`` (or the batch feeder) gets them: as
            ``sample_weight`` when its ``fit`` takes it or under sklearn's
            metadata routing (``sklearn.set_config(enable_metadata_routing=True)``
            and e.g. ``Ridge().set_fit_request(sample_weight=True)``), else as
            ``<last step>__sample_weight`` for a ``Pipeline`` whose last step
            takes it.

        Returns
        -------
        self : WindowedForecaster
            The fitted forecaster.
        """
        window, horizon = self._check_params()
        refuse_cqr_with_difference(self)
        shape = sample_weight, window, horizon, FEED_THRESHOLD
        if self.series_id is not None:
            return panel.fit_panel(self, X, y, *shape)
        return fit_one_series(self, X, y, *shape)

    def predict(self, X, future=None):
        """Forecast every row of ``X``, each from the actual rows before it.

        sklearn's meaning: one forecast per row of ``X``, which scorers compare
        with ``X``'s targets (``mean_absolute_error(test["y"],
        model.predict(test))``), whether or not ``fit`` got ``y``. The rows are
        forecast in blocks of ``horizon`` rows ending at ``X``'s last row (the
        first block may be shorter), each from the ``window`` rows before it,
        those before ``X`` being the last rows of the series seen in ``fit``.
        ``X`` must therefore directly follow that series, as the test rows of a
        :class:`SeriesSplit` fold (``gap=0``) follow its training rows; pandas
        data is required (an index that tells). The future after a series is
        :meth:`forecast`'s.

        Parameters
        ----------
        X : pandas.Series or pandas.DataFrame of shape (n_steps,) or \
                (n_steps, n_columns)
            The rows to forecast, right after the series seen in ``fit``, with
            its columns (future covariates included: they are read from ``X``,
            which then needs at least ``horizon`` rows).
        future : None, default=None
            Must be None: row forecasts read the future covariates from ``X``.
            Known future values are for :meth:`forecast`.

        Returns
        -------
        y_pred : pandas.Series or pandas.DataFrame
            Shape ``(n_steps,)`` for one target or ``(n_steps, n_targets)``,
            indexed like ``X``.

        Raises
        ------
        ValueError
            If ``X`` does not start right after the series seen in ``fit``
            (e.g. ``predict(series)`` on the training series itself: use
            ``forecast(series)`` for the steps after it), or has no index that
            tells.
        """
        check_is_fitted(self)
        self._refuse_future(future, "predict")
        if panel.is_panel(self):
            return panel_predict.predict_panel_rows(self, X)
        return predict_rows(self, X)

    @property
    def predicts_rows_(self):
        """Deprecated, always True: ``predict(X)`` forecasts every row of ``X``
        whether or not ``fit`` got ``y`` (kept for code and pickles that read
        it)."""
        check_is_fitted(self)
        return True

    @predicts_rows_.setter
    def predicts_rows_(self, value):
        # files saved before it was deprecated restore it: ignored
        pass

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
            ``future_covariates``). An index (but ``0 .. horizon - 1``) must be
            the forecast's steps: text and other labels are refused.

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
        if panel.is_panel(self):
            return panel_predict.forecast_panel(self, X, future)
        inputs, targets, future_index = forecast_inputs(self, X, future)
        y_pred = predict_windows(self, inputs, 1)
        y_pred = self._to_series_units(y_pred, targets[None])[0]
        return self._format_forecast(y_pred, future_index)

    def score(self, X, y=None):
        """R^2 of the forecasts of every window of a series (or, with ``y``, of
        ``predict``).

        With ``y`` (``X``'s target columns, else a ``ValueError``), sklearn's
        R^2 of ``y`` and ``predict(X)``, averaged over the targets. Without it:
        the first ``window`` rows of ``X`` are history only; every forecast
        whose ``horizon`` targets lie in ``X`` is scored (R^2 needs 2), so with
        :class:`SeriesSplit` never training targets. On a panel: the R^2 of
        each series, averaged over the series (a pooled R^2 would mostly
        measure how different the series' levels are).

        Parameters
        ----------
        X : pandas.Series, pandas.DataFrame or array-like of shape (n_steps,) or \
                (n_steps, n_columns)
            The series to evaluate on, with the columns seen in ``fit`` (future
            covariates included: they are read from ``X``).
        y : array-like or None, default=None
            The target columns of ``X`` (checked), compared with ``predict(X)``.

        Returns
        -------
        score : float
            R^2 averaged uniformly over the ``horizon * n_targets`` outputs (with
            ``y``: over the targets), in the units of the series.
        """
        check_is_fitted(self)
        if panel.is_panel(self) or y is not None:
            from ..metrics import get_scorer

            return get_scorer("r2")(self, X, y)
        y_true, y_pred = self._window_forecasts(X, 2, "R^2 of 2 forecasts")
        return float(
            r2_score(y_true.reshape(len(y_true), -1), y_pred.reshape(len(y_pred), -1))
        )

    _check_truth = check_truth  # scorers: refuse a y that is not X's targets

    # -- steps of fit -------------------------------------------------------------
    def _refuse_future(self, future, method):
        """Row forecasts read the future covariates from ``X``."""
        if future is not None:
            name = method.replace("predict", "forecast")
            raise ValueError(
                f"{method}(X) forecasts every row of X and reads the future "
                f"covariates from X; future=... is for the steps after X: "
                f"{name}(X, future=...)."
            )

    def _check_params(self):
        params = self.window, self.horizon, self.feed, self.estimator, self.scale
        return check_design_params(*params)

    def _scalers(self):
        return self.target_scaler_, self.past_scaler_, self.future_scaler_

    # -- steps of predict and score ----------------------------------------------
    def _n_history(self):
        """Rows of history each forecast needs: ``window_ + sum(difference_)``."""
        return self.window_ + sum(self.difference_)

    def _to_series_units(self, y_pred, history):
        """Forecasts ``(n_forecasts, horizon, n_targets)`` of the network, scaler
        inverted, in the series' units: differences integrated from ``history``
        (the targets up to the step before each forecast, ``(n_forecasts,
        n_rows >= sum(difference_), n_targets)``), then the target transform
        inverted. Every output path goes through here."""
        return to_series_units(
            self.target_transform_, self.difference_, y_pred, history
        )

    def window_forecasts(self, X):
        """True values and forecasts of every window of a series, for scoring.

        Each window of ``window`` rows of ``X`` is forecast and paired with the
        ``horizon`` rows that follow it: the forecasts of a rolling-origin
        backtest without refitting. :func:`~skseq.forecasting.backtest` and the
        scorers of :mod:`skseq.metrics` read forecasts through this method.

        Parameters
        ----------
        X : pandas.Series, pandas.DataFrame or array-like of shape (n_steps,) or \
                (n_steps, n_columns)
            A series with the columns seen in ``fit``, at least ``window +
            sum(difference) + horizon`` rows long.

        Returns
        -------
        y_true : ndarray of shape (n_windows, horizon, n_targets)
            The targets after each window, in the units of the series.
        y_pred : ndarray of shape (n_windows, horizon, n_targets)
            Their forecasts, in the same units.
        """
        return self._window_forecasts(X)

    def _window_forecasts(self, X, min_windows=1, purpose="forecasting"):
        """``window_forecasts``, with fewer than ``min_windows`` refused for
        ``purpose``."""
        check_is_fitted(self)
        if panel.is_panel(self):
            return panel_predict.panel_window_forecasts(self, X, min_windows, purpose)
        return window_forecasts(self, X, min_windows, purpose)

    def _forecast_windows(self, windows):
        """Forecasts of windows (n, window, n_features), target scaling undone."""
        return forecast_windows(self, windows)

    def _future_index(self, index):
        """The labels of the ``horizon`` steps after ``X``'s index (dates,
        periods, timedeltas or integers, as it came), or None for arrays."""
        return future_index(index, self.freq_, self.horizon_)

    def _format_forecast(self, y_pred, future_index):
        """(horizon, n_targets) -> Series/DataFrame on the future dates, or ndarray."""
        return format_forecast(y_pred, future_index, self.target_names_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False
        return tags
