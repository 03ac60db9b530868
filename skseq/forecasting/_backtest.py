"""Backtesting: forecast every step of a period from the data before it."""

import math
import numbers
import warnings

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.metrics import mean_absolute_error
from sklearn.utils.validation import check_is_fitted

from ..metrics import FixedForecasts, get_scorer
from ..utils._progress import progress
from ._backtest_probabilistic import (
    check_probabilistic,
    probabilistic_chunk,
    probabilistic_step_scores,
)
from ._calendar import date_in_zone, same_day_hint
from ._columns import as_frame
from ._index import check_index_kind, check_time_index
from ._panel import is_panel
from ._transforms import auto_lags_for, check_difference, lags_text
from ._windowed import WindowedForecaster

__all__ = ["backtest"]


def backtest(
    forecaster,
    series,
    start,
    end=None,
    *,
    refit=False,
    metric=None,
    scoring=None,
    per_series=False,
    verbose=0,
):
    """Forecast each step of a period from the data up to the step before.

    For every step ``t`` from ``start`` to ``end``, the forecaster sees the
    ``window`` rows before ``t`` (``window + sum(difference)`` when it
    differences; future covariates: also their values up to
    ``t + horizon - 1``, read from ``series``) and forecasts ``t, ..., t +
    horizon - 1``. Errors are then computed per horizon step: the ``+k`` error
    compares every forecast's ``k``-th step with the truth, as the chapter does
    for its validation period.

    With ``series_id`` set, ``series`` is a panel and one global model is
    backtested on every series over the same period (``start`` and ``end`` are
    time labels): each series gets its own errors, as alone, and ``errors`` is
    their mean over the series, each series weighing the same, as the M
    competitions score a panel (MASE on each series' own training scale).

    Parameters
    ----------
    forecaster : WindowedForecaster
        Used as it is (with its fitted ``window_`` and ``horizon_``) when fitted
        and ``refit`` is False. When not fitted, a clone is first fitted on the
        rows before ``start``. With ``series_id``: a global model, fitted (or
        refit) on the rows of *every* series before ``start`` (before each
        refit's first step); each series is forecast by its view of it, with its
        own scalers and transforms (a series the fitted model did not see gets
        them from its rows before ``start``).
    series : pandas.Series, pandas.DataFrame or array-like of shape (n_steps,) \
            or (n_steps, n_columns)
        The whole series (rows = time, in order and evenly spaced, as
        :class:`WindowedForecaster` requires), with at least ``window`` rows
        (``window + sum(difference)``) before ``start`` and ``horizon - 1`` rows
        after ``end``. With ``series_id``: a panel, as ``fit`` takes it (a long
        DataFrame whose column ``series_id`` names the series, a DataFrame with
        a ``(series, time)`` MultiIndex, or a dict of Series/DataFrames).
    start : label or int
        First step forecast: a date (or anything ``Timestamp`` reads) for a
        ``DatetimeIndex`` (a date without time zone is local time of a
        tz-aware index, as ``series.loc`` reads it), a period (``"2019-03"``)
        for a ``PeriodIndex``, a time delta (``"20 days"``) for a
        ``TimedeltaIndex``, else a row position (also for an integer index
        such as years: an int that labels another row is warned about, one
        out of range but a label is refused naming its position). With
        ``series_id``: a time label shared by the series
        (a number for a numeric time index), each series' first forecast being
        its first step at or after it. A series without ``window`` (+
        differences) rows before ``start``, or without a forecast in the period
        whose whole horizon lies in it, is left out with one warning naming
        them (a ``ValueError`` when none is left).
    end : label or int, default=None
        First step of the last forecast, inclusive; ``None`` means the last step
        from which the whole horizon lies in ``series``. With ``series_id``:
        each series' last forecast is the earlier of ``end`` and its last full
        one.
    refit : bool or int, default=False
        ``False``: one fitted model for the whole period (no refit). ``True``:
        refit a clone on all rows before each step (slow); an int ``k``: refit
        every ``k`` steps, each model trained on the rows before the first step
        it forecasts. With ``series_id``: every ``k`` time steps of the period
        (of all series), each global model trained on every series' rows before
        its first step; where a refitted model needs more history than a series
        has before a step (``difference="auto"`` chosen again, differencing it
        more), that forecast is left out, with one warning naming the series.
    metric : callable or None, default=None
        ``metric(y_true, y_pred) -> float``, applied per target and horizon step;
        None: :func:`sklearn.metrics.mean_absolute_error`. Refused together
        with ``scoring``.
    scoring : str, callable, list or dict of them, default=None
        Scorers instead of ``metric``, as ``GridSearchCV(scoring=...)`` takes
        them: sklearn's names (``"neg_mean_absolute_error"``), skseq's
        (``"neg_mase_7"``, ``"neg_smape"``; see
        :func:`skseq.metrics.get_scorer`) or ``make_scorer(...)`` callables.
        Values are scores, greater is better (errors negated), averaged over the
        targets, as in a search's ``cv_results_``. Scorers of probabilistic
        forecasts (``"neg_crps"``, ``"neg_mean_quantile_loss"``,
        ``"neg_interval_score_80"``, ``"interval_coverage_80"``) score the
        quantiles or intervals of each forecast, read from the model that made
        it (``predict_quantiles`` at the levels the scorer reads in a search,
        ``predict_interval(coverage=...)``), in the units of the series. They
        need a wrapped estimator fitted with a distribution or quantile loss
        (``loss="gaussian"``, ``"student_t"``, ``"negative_binomial"``,
        ``"quantile"``), or, for the interval scorers, a
        :class:`~skseq.ConformalForecaster`; any other (a point loss, whose
        intervals would be Monte Carlo dropout) is refused with a
        ``TypeError`` before any fit.
    per_series : bool, default=False
        With ``series_id``: return every series' own errors, stacked with a
        ``(series, step)`` index, instead of their mean over the series (see
        Returns). Refused without ``series_id``.
    verbose : int, default=0
        Above 0, show a progress bar over the refits and forecasts (tqdm when
        installed, ``pip install "skseq[progress]"``; else Keras' bar).

    Returns
    -------
    errors : pandas.DataFrame
        Without ``scoring``: of shape (horizon, n_targets), ``metric`` of the
        ``+1 ... +horizon`` forecasts (index ``step``, 1 to ``horizon``), one
        column per target. With ``scoring``: of shape (horizon + 1,
        n_scorers), the score of the ``+1 ... +horizon`` forecasts, then
        (index ``"all"``) their mean over the steps, one column per scorer
        (named as in ``scoring``); ``"interval_coverage_80"`` is then the
        share of the ``+k`` truths inside their 80% intervals. MASE scorers
        (``"neg_mase_12"``) scale the
        errors of each forecast by the seasonal naive error of the training
        part its model was fitted on (``train_targets_``: the rows before
        ``start``, or before each refit), as MASE is defined, not by that of
        the test values of one step. With ``series_id``: the mean over the
        series of their own errors; with ``per_series=True``, every series'
        own errors, stacked with a ``(series, step)`` index
        (``errors.loc[series_id]`` is one series' table, and
        ``errors.groupby(level="step", sort=False).mean()`` the mean). MASE
        scorers scale each series' errors by that series' own training part.
    forecasts : pandas.DataFrame of shape (n_forecasts, horizon * n_targets)
        One row per forecast, indexed by its first step (dates or positions);
        columns ``(target, step)``. With ``series_id``: of shape
        (n_forecasts of all series, horizon * n_targets), indexed by
        ``(series, first step)``.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq import NaiveForecaster
    >>> from skseq.forecasting import WindowedForecaster, backtest
    >>> series = np.tile([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], 10)
    >>> naive = WindowedForecaster(
    ...     NaiveForecaster(season=7), window=7, horizon=2, scale=False
    ... )
    >>> errors, forecasts = backtest(naive, series, start=50, end=59)
    >>> errors[0].tolist(), forecasts.shape
    ([0.0, 0.0], (10, 2))

    Intervals: how often the truth fell inside the conformal 80% intervals,
    and their interval score, per step ahead.

    >>> from skseq import ConformalForecaster
    >>> noisy = series + np.random.default_rng(0).normal(scale=0.5, size=70)
    >>> conformal = WindowedForecaster(
    ...     ConformalForecaster(NaiveForecaster(season=7)),
    ...     window=7,
    ...     horizon=2,
    ...     scale=False,
    ... )
    >>> scoring = ["interval_coverage_80", "neg_interval_score_80"]
    >>> scores, _ = backtest(conformal, noisy, start=50, scoring=scoring)
    >>> scores.index.tolist()
    [1, 2, 'all']
    >>> scores["interval_coverage_80"].round(2).tolist()
    [0.84, 0.68, 0.76]
    >>> scores["neg_interval_score_80"].round(2).tolist()
    [-2.3, -2.98, -2.64]

    A panel: one global model, errors per series and their mean over series.

    >>> import pandas as pd
    >>> days = pd.date_range("2024-01-01", periods=30, freq="D", name="day")
    >>> panel = {
    ...     "a": pd.Series(np.arange(30.0), index=days, name="y"),
    ...     "b": pd.Series(10 * np.arange(30.0), index=days, name="y"),
    ... }
    >>> last_value = WindowedForecaster(
    ...     NaiveForecaster(), window=7, horizon=2, series_id="store"
    ... )
    >>> series_errors, forecasts = backtest(
    ...     last_value, panel, start="2024-01-21", per_series=True
    ... )
    >>> series_errors["y"]
    store  step
    a      1        1.0
           2        2.0
    b      1       10.0
           2       20.0
    Name: y, dtype: float64
    >>> errors, _ = backtest(last_value, panel, start="2024-01-21")
    >>> errors["y"].tolist()
    [5.5, 11.0]
    >>> forecasts.index.names, forecasts.shape
    (FrozenList(['store', 'day']), (18, 2))
    """
    import pandas as pd

    if not isinstance(forecaster, WindowedForecaster):
        raise TypeError(
            f"backtest needs a WindowedForecaster; got {type(forecaster).__name__}."
        )
    if metric is not None and not callable(metric):
        # checked before any forecast: a name failed only after every forecast
        raise TypeError(
            "metric must be a callable metric(y_true, y_pred), e.g. sklearn's "
            f"mean_absolute_error; got {metric!r}. Give a scorer's name as "
            "scoring= (e.g. scoring='neg_mean_absolute_error')."
        )
    if metric is not None and scoring is not None:
        raise ValueError(
            "backtest takes metric= or scoring=, not both: metric would be ignored."
        )
    scorers = None if scoring is None else _scorers(scoring)
    # refit=False uses a fitted model as it is, whatever set_params said since
    fitted = refit is False and _is_fitted(forecaster)
    if scorers is not None:
        check_probabilistic(forecaster, scorers, fitted)
    if forecaster.series_id is not None or (fitted and is_panel(forecaster)):
        from ._panel_backtest import backtest_panel

        errors, forecasts, series_errors = backtest_panel(
            forecaster, series, start, end, refit, (metric, scorers), verbose
        )
        return (series_errors if per_series else errors), forecasts
    if per_series:
        raise ValueError(
            "per_series=True gives each series' errors of a panel; this "
            "forecaster has no series_id (one series)."
        )
    _refuse_panel(series)
    frame, index, _ = as_frame(series, "series")
    if not hasattr(series, "iloc"):
        series = frame.to_numpy()
    n_steps = len(frame)
    if refit is False and _is_fitted(forecaster):
        window, horizon = forecaster.window_, forecaster.horizon_
        lags = forecaster.difference_
        step = getattr(forecaster, "index_step_", None)
        check_index_kind(index, getattr(forecaster, "index_kind_", None), "series")
        check_time_index(index, "series", forecaster.freq_, step)
    else:
        window, horizon = forecaster._check_params()
        lags = auto_lags_for(
            forecaster.estimator, check_difference(forecaster.difference)
        )
        check_time_index(index, "series")
    first = _position(index, start, n_steps, "start")
    last = n_steps - horizon if end is None else _position(index, end, n_steps, "end")
    # "auto" window or lags are known once fitted; a fit on the rows before
    # start refuses them when too few
    resolved = not isinstance(window, str) and not isinstance(lags, str)
    if resolved and first < window + sum(lags):
        raise ValueError(
            f"start is row {first}, but a forecast needs window={window}"
            f"{lags_text(lags)} rows of history before it."
        )
    if last + horizon > n_steps:
        raise ValueError(
            f"end is row {last}: its forecast runs {horizon} step(s) to row "
            f"{last + horizon - 1}, past the last row of the series ({n_steps - 1})."
        )
    if last < first and end is None:
        raise ValueError(
            f"start is row {first}: its forecast runs {horizon} step(s) to row "
            f"{first + horizon - 1}, past the last row of the series "
            f"({n_steps - 1}); the last start with a whole horizon is row {last}."
        )
    if last < first:
        raise ValueError(f"end (row {last}) comes before start (row {first}).")
    n_forecasts = last - first + 1
    every = _refit_every(refit, n_forecasts)
    if refit is False:  # chunks only for the progress bar
        every = math.ceil(n_forecasts / 20) if verbose else n_forecasts
        if not _is_fitted(forecaster):
            forecaster = clone(forecaster).fit(_rows(series, slice(None, first)))
        else:
            _warn_if_trained_on_the_period(forecaster, index, first)

    parts = [], [], [], []  # truths, forecasts, training rows, probabilistic
    model = forecaster
    bar = progress(math.ceil(n_forecasts / every), verbose, desc="backtest")
    for chunk in range(first, last + 1, every):
        chunk_last = min(chunk + every - 1, last)
        if refit is not False:
            model = clone(forecaster).fit(_rows(series, slice(None, chunk)))
        chunk_parts = forecast_chunk(model, series, chunk, chunk_last, horizon, scorers)
        for collected, part in zip(parts, chunk_parts, strict=True):
            collected.append(part)
        bar.update(1)
    bar.close()
    errors = step_errors(model, *parts, metric, scorers)
    labels = (index if index is not None else pd.RangeIndex(n_steps))[first : last + 1]
    forecasts = forecast_frame(model.target_names_, parts[1], labels)
    return errors, forecasts


def forecast_chunk(model, series, first, last, horizon, scorers=None):
    """The forecasts from steps ``first`` to ``last`` (row positions) of one
    series by one fitted model: truths, forecasts (``(n, horizon, n_targets)``
    each), per forecast the rows of targets its model was fitted on, and what
    each scorer of probabilistic forecasts reads from the model's quantiles or
    intervals of the same forecasts (``{name: (arrays, extra)}``)."""
    rows = _rows(series, slice(first - model._n_history(), last + horizon))
    y_true, y_pred = model.window_forecasts(rows)
    probabilistic = {} if scorers is None else probabilistic_chunk(model, rows, scorers)
    return y_true, y_pred, np.full(len(y_true), _n_train(model)), probabilistic


def step_errors(model, truths, preds, train_ends, probabilistic, metric, scorers):
    """backtest's ``errors`` of one series' forecasts (lists of chunks);
    ``model``: the last one, whose training targets hold the others' (MASE)."""
    import pandas as pd

    y_true, y_pred = np.concatenate(truths), np.concatenate(preds)
    if scorers is not None:
        history = (getattr(model, "train_targets_", None), np.concatenate(train_ends))
        return _step_scores(scorers, y_true, y_pred, history, probabilistic)
    metric = mean_absolute_error if metric is None else metric
    targets = model.target_names_
    horizon = y_true.shape[1]
    return pd.DataFrame(
        [
            [
                _one_number(metric, y_true[:, k, j], y_pred[:, k, j])
                for j in range(len(targets))
            ]
            for k in range(horizon)
        ],
        index=pd.RangeIndex(1, horizon + 1, name="step"),
        columns=targets,
    )


def _one_number(metric, y_true, y_pred):
    """``metric`` of one target and step, refused unless one number (an array
    per output, ``multioutput="raw_values"``, would fill the table with arrays)."""
    value = metric(y_true, y_pred)
    try:
        return float(np.asarray(value, dtype=np.float64).item())
    except (TypeError, ValueError):
        raise TypeError(
            f"metric must return one number per target and horizon step; "
            f"{getattr(metric, '__name__', metric)!r} returned {value!r}. Drop "
            "multioutput='raw_values': backtest already reports each target."
        ) from None


def forecast_frame(targets, preds, labels):
    """backtest's ``forecasts`` of one series: a row per forecast (``labels``:
    its first step), columns ``(target, step)``."""
    import pandas as pd

    y_pred = np.concatenate(preds)
    steps = pd.RangeIndex(1, y_pred.shape[1] + 1, name="step")
    columns = pd.MultiIndex.from_product([targets, steps], names=["target", "step"])
    return pd.DataFrame(
        y_pred.transpose(0, 2, 1).reshape(len(y_pred), -1),
        index=labels,
        columns=columns,
    )


def _refuse_panel(series):
    import pandas as pd

    layout = None
    if isinstance(series, dict):
        layout = "a dict of series"
    elif isinstance(series, pd.DataFrame) and isinstance(series.index, pd.MultiIndex):
        layout = "a DataFrame with a MultiIndex"
    if layout is not None:
        raise ValueError(
            f"backtest got a panel ({layout}), but the forecaster has "
            "series_id=None: set series_id (the column or index level naming the "
            "series) to backtest one global model on every series, or backtest "
            "each series on its own."
        )


def _scorers(scoring):
    """{name: SeriesScorer} from backtest's ``scoring``."""
    if isinstance(scoring, dict):
        items = list(scoring.items())
    elif isinstance(scoring, (list, tuple, set)):
        items = [(_scorer_name(s), s) for s in scoring]
    else:
        items = [(_scorer_name(scoring), scoring)]
    if not items:
        raise ValueError("scoring names no scorer: pass at least one.")
    for name, scorer in items:
        if scorer == "neg_mae_per_horizon":
            raise ValueError(
                f"scoring={name!r}: backtest reports every scorer per horizon "
                "step already; use 'neg_mean_absolute_error'."
            )
    return {name: get_scorer(scorer) for name, scorer in items}


def _scorer_name(scorer):
    if isinstance(scorer, str):
        return scorer
    return getattr(scorer, "__name__", None) or repr(scorer)


def _n_train(model):
    """Rows of targets the model was fitted on (0 when it does not say)."""
    targets = getattr(model, "train_targets_", None)
    return 0 if targets is None else len(targets)


def _step_scores(scorers, y_true, y_pred, history=(None, None), probabilistic=()):
    """Scores (horizon + 1, n_scorers) of each step's forecasts, then their mean.

    ``history``: the training targets of the last model and, per forecast, how
    many of their first rows its model was fitted on (refits train on prefixes of
    the series), for scorers that need the in-sample series (MASE).
    ``probabilistic``: per chunk of forecasts, what each scorer of
    probabilistic forecasts read from its model (``{name: (arrays, extra)}``)."""
    import pandas as pd

    horizon = y_true.shape[1]
    one = y_true.shape[2] == 1  # 1D targets, as a search over one target has
    y_train, ends = history
    if y_train is None:
        ends = None
    columns = {}
    for name, scorer in scorers.items():
        if probabilistic and name in probabilistic[0]:
            chunks = [chunk[name] for chunk in probabilistic]
            columns[name] = probabilistic_step_scores(
                name, scorer.scorer, y_true, chunks
            )
            continue
        values = []
        for k in range(horizon):
            truth, forecast = y_true[:, k], y_pred[:, k]
            if one:
                truth, forecast = truth[:, 0], forecast[:, 0]
            fixed = FixedForecasts(forecast, y_train=y_train, train_ends=ends)
            score = scorer(fixed, None, truth)
            if isinstance(score, dict):
                raise ValueError(
                    f"scoring={name!r} returns several values; backtest needs "
                    "scorers of one value."
                )
            values.append(float(score))
        columns[name] = [*values, float(np.mean(values))]
    index = pd.Index([*range(1, horizon + 1), "all"], name="step")
    return pd.DataFrame(columns, index=index)


def _position(index, label, n_steps, name):
    """Row of a label of a DatetimeIndex, PeriodIndex or TimedeltaIndex, or of an
    int position."""
    import pandas as pd

    if isinstance(index, pd.PeriodIndex) and not isinstance(label, numbers.Integral):
        return _period_position(index, label, name)
    if isinstance(index, pd.DatetimeIndex) and not isinstance(label, numbers.Integral):
        stamp = date_in_zone(index, label, name)
        refusal = f"{name}={label!r} is not a date"
        return _exact_position(index, stamp, refusal, same_day_hint(index, stamp, name))
    if isinstance(index, pd.TimedeltaIndex) and not isinstance(label, numbers.Integral):
        try:
            delta = pd.Timedelta(label)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name}={label!r} is not a time delta.") from exc
        return _exact_position(index, delta, f"{name}={label!r} is not a time delta")
    if isinstance(label, bool) or not isinstance(label, numbers.Integral):
        raise TypeError(
            f"{name} must be a row position (int) for a series without a "
            f"DatetimeIndex, PeriodIndex or TimedeltaIndex; got {label!r}."
        )
    at = _integer_label_position(index, label)
    if not -n_steps <= label < n_steps:
        hint = "" if at is None else _label_hint(name, label, at)
        raise ValueError(f"{name}={label} is out of range for {n_steps} rows.{hint}")
    position = int(label) % n_steps
    if at is not None and at != position:
        warnings.warn(
            f"{name}={label} is read as a row position (the row labelled "
            f"{index[position]}), as for any int.{_label_hint(name, label, at)}",
            UserWarning,
            stacklevel=3,
        )
    return position


def _warn_if_trained_on_the_period(forecaster, index, first):
    """Warn when a fitted model's training rows reach ``start`` (row ``first``):
    its forecasts there are in-sample. Known from the label after its training
    series, so only for a series with an index."""
    next_label = getattr(forecaster, "next_label_", None)
    if index is None or next_label is None:
        return
    try:
        n_trained = int(index.searchsorted(next_label))
    except (TypeError, ValueError):  # labels of another kind: not this series
        return
    if n_trained <= first:
        return
    warnings.warn(
        f"The fitted model was trained on the rows up to {index[n_trained - 1]}, "
        f"at or after start={index[first]}: its forecasts of those steps are "
        "in-sample, with errors too low for a model that learned from those "
        "rows. Pass an unfitted model (e.g. "
        "sklearn.base.clone(model)), which backtest fits on the rows before "
        "start, or one fitted on those rows only.",
        UserWarning,
        stacklevel=3,
    )


def _integer_label_position(index, label):
    """Position of the row of an integer index labelled ``label``, or None."""
    import pandas as pd

    if index is None or not pd.api.types.is_integer_dtype(index):
        return None
    try:
        at = index.get_loc(label)
    except KeyError:
        return None
    return at if isinstance(at, numbers.Integral) else None


def _label_hint(name, label, at):
    return f" The row labelled {label} is at position {at}: pass {name}={at}."


def _exact_position(index, key, refusal, hint=""):
    position = int(index.searchsorted(key))
    if position >= len(index) or index[position] != key:
        raise ValueError(f"{refusal} of the series' index.{hint}")
    return position


def _period_position(index, label, name):
    """Row of a period label (``"2019-03"``, a ``Period``) of a PeriodIndex."""
    import pandas as pd

    try:
        period = pd.Period(label, freq=index.freq)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name}={label!r} is not a period of the series' index."
        ) from exc
    if period not in index:
        raise ValueError(f"{name}={label!r} is not a period of the series' index.")
    return int(index.get_loc(period))


def _refit_every(refit, n_forecasts):
    if refit is False:
        return n_forecasts
    if refit is True:
        return 1
    if isinstance(refit, numbers.Integral) and refit >= 1:
        return int(refit)
    raise ValueError(f"refit must be a bool or an int >= 1; got {refit!r}.")


def _is_fitted(estimator):
    try:
        check_is_fitted(estimator)
    except NotFittedError:
        return False
    return True


def _rows(series, rows):
    """Some rows of a series, of the type it came in (pandas or array)."""
    if hasattr(series, "iloc"):  # a DataFrame or Series
        return series.iloc[rows]
    return np.asarray(series)[rows]
