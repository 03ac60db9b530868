"""The class docstring of :class:`WindowedForecaster`, kept apart from its code.

It documents every parameter and fitted attribute of the meta-estimator (the
user guide of its API reference page), so it is longer than the orchestration
code it describes; ``_windowed.py`` assigns it as the class's ``__doc__``.
"""

__all__ = ["WINDOWED_FORECASTER_DOC"]

WINDOWED_FORECASTER_DOC = """\
Forecast a series with any sequence estimator, windowing included.

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
        ambiguous (``"5D"``, ``"2B"``, ``"7min"``; fit warns) or unknown. An
        int >= 1 overrides the index (``season=1``: none, without a warning).
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
    index_step_ : int or None
        Step of the training series' integer index (``RangeIndex`` or
        integers such as years), None for other indexes: the step of the
        forecast's labels after an ``X`` of one row, which cannot tell it.
    index_kind_ : {"dates", "periods", "durations", "integers"} or None
        The kind of time of the training series' index (None: an array,
        pandas' default ``RangeIndex`` ``0 .. n - 1``, which holds positions as
        an array's, or an index of no time); ``forecast``, ``predict`` and
        ``score`` refuse ``X`` indexed by another kind (an array is read by
        position).
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
