"""``ForecastDisplay``: sklearn's Display pattern for forecasts."""

import numpy as np

from ..utils._scalars import python_scalars
from ..utils._validation import check_int
from ._one_series import one_series
from ._plots import plot_forecast
from ._steps import aligned, check_steps
from ._windows import first_row, one_window, reads_windows

__all__ = ["ForecastDisplay"]


class ForecastDisplay:
    """Forecast plot: history, forecast, prediction interval or quantiles, and truth.

    Follows scikit-learn's Display objects (such as
    ``sklearn.metrics.PredictionErrorDisplay``): build one with
    :meth:`from_estimator` (predicts, then plots) or :meth:`from_predictions`
    (plots forecasts you already have); the constructor only stores its
    arguments, and :meth:`plot` draws them.

    Parameters
    ----------
    history : pandas.Series or array-like of shape (n_past,)
        The steps before the forecast.
    forecast : pandas.Series or array-like of shape (horizon,)
        The forecast.
    actual : pandas.Series or array-like of shape (horizon,), default=None
        The true values of the forecast steps.
    lower, upper : pandas.Series or array-like of shape (horizon,), default=None
        Bounds of a prediction interval.
    coverage : float, default=None
        Coverage of the interval, shown in the legend.
    quantiles : pandas.DataFrame or array-like of shape (horizon, n_levels), \
            default=None
        Quantiles of the forecast, drawn as a fan chart: one shaded band per
        pair of symmetric levels, and the median (see
        :func:`~skseq.plotting.plot_forecast`).
    levels : array-like of shape (n_levels,), default=None
        The levels of the columns of an array ``quantiles``.
    estimator_name : str, default=None
        Shown as the title.

    Attributes
    ----------
    ax_ : matplotlib.axes.Axes
        Axes of the plot.
    figure_ : matplotlib.figure.Figure
        Figure of the plot.

    See Also
    --------
    skseq.plotting.plot_forecast : The function that draws it.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq.plotting import ForecastDisplay
    >>> history, forecast = np.sin(np.arange(20) / 3), np.sin(np.arange(20, 25) / 3)
    >>> display = ForecastDisplay.from_predictions(
    ...     history, forecast, lower=forecast - 0.1, upper=forecast + 0.1
    ... )
    >>> len(display.ax_.lines), len(display.ax_.collections)
    (2, 1)

    A fan chart: the 90% and 50% bands of quantiles at five levels.

    >>> import pandas as pd
    >>> levels = [0.05, 0.25, 0.5, 0.75, 0.95]
    >>> quantiles = pd.DataFrame(
    ...     forecast[:, None] + np.array([-0.3, -0.1, 0.0, 0.1, 0.3]), columns=levels
    ... )
    >>> display = ForecastDisplay.from_predictions(
    ...     history, forecast, quantiles=quantiles
    ... )
    >>> [text.get_text() for text in display.ax_.get_legend().get_texts()]
    ['past', 'forecast (median)', '90% interval', '50% interval']
    """

    def __init__(
        self,
        *,
        history,
        forecast,
        actual=None,
        lower=None,
        upper=None,
        coverage=None,
        quantiles=None,
        levels=None,
        estimator_name=None,
    ):
        self.history = history
        self.forecast = forecast
        self.actual = actual
        self.lower = lower
        self.upper = upper
        self.coverage = coverage
        self.quantiles = quantiles
        self.levels = levels
        self.estimator_name = estimator_name

    def plot(self, *, ax=None, ylabel=None):
        """Draw the forecast.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when ``None``.
        ylabel : str, default=None
            Label of the y axis; the series' name when ``None``.

        Returns
        -------
        display : ForecastDisplay
            ``self``, with ``ax_`` and ``figure_`` set.
        """
        self.ax_ = plot_forecast(
            self.history,
            self.forecast,
            actual=self.actual,
            lower=self.lower,
            upper=self.upper,
            coverage=self.coverage,
            quantiles=self.quantiles,
            levels=self.levels,
            ylabel=ylabel,
            ax=ax,
        )
        self.figure_ = self.ax_.figure
        if self.estimator_name is not None:
            self.ax_.set_title(self.estimator_name)
        return self

    @classmethod
    def from_predictions(
        cls,
        history,
        forecast,
        *,
        actual=None,
        lower=None,
        upper=None,
        coverage=None,
        quantiles=None,
        levels=None,
        estimator_name=None,
        ax=None,
    ):
        """Plot a forecast you already have.

        Parameters
        ----------
        history : pandas.Series or array-like of shape (n_past,)
            The steps before the forecast.
        forecast : pandas.Series or array-like of shape (horizon,)
            The forecast.
        actual : pandas.Series or array-like, default=None
            The truth: ``horizon`` values, or a dated Series, aligned on the
            forecast's dates (those it lacks are not drawn).
        lower, upper : pandas.Series or array-like of shape (horizon,), default=None
            Bounds of a prediction interval (both or neither).
        coverage : float, default=None
            Coverage of the interval, shown in the legend.
        quantiles : pandas.DataFrame or array-like of shape (horizon, \
                n_levels), default=None
            Quantiles of the forecast, drawn as a fan chart instead of
            ``lower``/``upper``: a DataFrame whose columns are the levels (as
            :meth:`~skseq.forecasting.WindowedForecaster.forecast_quantiles`
            returns it), or an array with ``levels``. Levels must pair
            symmetrically (``q`` with ``1 - q``), plus 0.5 for the median.
        levels : array-like of shape (n_levels,), default=None
            The levels of the columns of an array ``quantiles``.
        estimator_name : str, default=None
            Shown as the title.
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when ``None``.

        Returns
        -------
        display : ForecastDisplay
        """
        check_steps(forecast, lower=lower, upper=upper, quantiles=quantiles)
        display = cls(
            history=history,
            forecast=forecast,
            actual=aligned(actual, forecast),
            lower=lower,
            upper=upper,
            coverage=coverage,
            quantiles=quantiles,
            levels=levels,
            estimator_name=estimator_name,
        )
        return display.plot(ax=ax)

    @classmethod
    def from_estimator(
        cls,
        estimator,
        series,
        *,
        future=None,
        actual=None,
        coverage=None,
        quantiles=None,
        target=None,
        n_history=None,
        estimator_name=None,
        ax=None,
    ):
        """Forecast the steps after ``series`` with a fitted forecaster and plot them.

        Parameters
        ----------
        estimator : fitted :class:`~skseq.forecasting.WindowedForecaster`
            (its ``forecast``), a fitted search around one (``GridSearchCV``:
            its ``best_estimator_``), a fitted sequence forecaster (such as
            :class:`~skseq.GRUForecaster`, or a
            :class:`~skseq.ConformalForecaster` around one, or a Pipeline on
            windows) with one input window, or any forecaster whose ``forecast`` or
            ``predict(series[, future=...])`` returns the forecast of the steps
            after ``series``.
        series : pandas.DataFrame, pandas.Series or array-like
            The history the forecast is made from. For a panel model (fitted
            with ``series_id``), one series of the panel in its layout (e.g.
            ``panel[panel["store"] == 1]``): the plot draws one series, and
            several are refused. For a sequence forecaster, which forecasts
            each window of ``X``, one window of one feature, ``X[i:i + 1]``
            (shape ``(1, n_timesteps[, 1])``): its steps are the history (all
            of them by default), and ``actual`` may be ``y[i:i + 1]``; several
            windows, or features, are refused.
        future : pandas.DataFrame or array-like, default=None
            Known-future covariates, passed on to ``forecast``/``predict``.
        actual : pandas.Series, pandas.DataFrame or array-like, default=None
            The truth, aligned on the forecast's dates when dated: the target
            column itself, or rows of a series with the columns of ``series``
            (the target's column is taken, as from ``series``).
        coverage : float, default=None
            When given, the interval of ``estimator.forecast_interval(series,
            coverage=coverage)`` (a :class:`~skseq.forecasting.WindowedForecaster`)
            or ``estimator.predict_interval`` is drawn.
        quantiles : sequence of float, default=None
            Quantile levels, e.g. ``(0.05, 0.25, 0.5, 0.75, 0.95)``: when given,
            ``estimator.forecast_quantiles(series, quantiles=quantiles)`` (else
            ``predict_quantiles``) is drawn
            as a fan chart, one band per symmetric pair of levels (a level
            without its partner ``1 - level`` is refused) and the median if 0.5
            is among them. The estimator must have been fitted with a
            probabilistic loss (``loss="quantile"`` with these levels inside its
            learned ones, or a distribution such as ``loss="student_t"``). Not
            with ``coverage``.
        target : str or int, default=None
            Which target to draw when the forecast has several (default: the
            first): one of the fitted ``target_names_`` (a label, or a column
            position for a model fitted on an array). The history and
            ``actual`` show that column: by label when the model was fitted on
            labeled columns, else by position in the series.
        n_history : int, default=None
            Draw only the last ``n_history`` steps of ``series`` (default: 4
            forecast horizons, at least the model's fitted ``window_`` when it
            has one; the whole window of a sequence forecaster).
        estimator_name : str, default=None
            Title; the estimator's class name when ``None``.
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when ``None``.

        Returns
        -------
        display : ForecastDisplay
        """
        estimator = _searched(estimator)
        kwargs = {} if future is None else {"future": future}
        windows = reads_windows(estimator, series)
        if windows:  # a sequence forecaster: one window, its steps the history
            series = one_window(series, estimator)
            n_history = series.shape[1] if n_history is None else n_history
        # a panel model's series: one of them, drawn without its id
        history = _one_series(estimator, series, "series", windows)
        # forecast(): the future after the series (a WindowedForecaster's
        # predict forecasts each row of its input), likewise forecast_interval
        predict = getattr(estimator, "forecast", estimator.predict)
        pick = _TargetPicker(estimator, target)
        forecast = pick.forecast(
            _one_series(estimator, predict(series, **kwargs), "the forecast", windows)
        )
        if coverage is not None and quantiles is not None:
            raise ValueError(
                "Pass coverage (an interval) or quantiles (a fan chart), not both."
            )
        lower = upper = None
        if coverage is not None:
            if not hasattr(estimator, "predict_interval"):
                raise ValueError(
                    f"coverage={coverage!r} asks for an interval, but "
                    f"{type(estimator).__name__} has no predict_interval; pass "
                    "coverage=None, or lower/upper to from_predictions."
                )
            interval = getattr(estimator, "forecast_interval", None)
            interval = interval or estimator.predict_interval
            bounds = interval(series, coverage=coverage, **kwargs)
            lower, upper = (
                pick.forecast(_one_series(estimator, bound, "the interval", windows))
                for bound in bounds
            )
        levels = quantiles
        if quantiles is not None:
            quantiles = pick.quantiles(
                _one_series(
                    estimator,
                    _predict_quantiles(estimator, series, levels, kwargs),
                    "the quantiles",
                    windows,
                    kind="quantiles",
                )
            )
        history = pick.series(history, "series")
        n_history = _n_history(n_history, estimator, len(forecast))
        if estimator_name is None:
            estimator_name = _estimator_name(estimator)
        return cls.from_predictions(
            history[-n_history:],
            forecast,
            actual=None
            if actual is None
            else pick.series(
                _one_series(estimator, actual, "actual", windows), "actual"
            ),
            lower=lower,
            upper=upper,
            coverage=coverage,
            quantiles=quantiles,
            levels=levels,
            estimator_name=estimator_name,
            ax=ax,
        )


class _TargetPicker:
    """The column of one target in a forecast (columns = targets) and in a
    series (its columns as fitted: by label, or by position for a model fitted
    on an array), from the fitted ``target_names_`` (and ``by_label_``) of the
    estimator when it has them (duck typing: plotting imports no forecasting)."""

    def __init__(self, estimator, target):
        self.names = getattr(estimator, "target_names_", None)
        self.by_label = getattr(estimator, "by_label_", True)
        self.target = target
        if self.names is None:
            return
        names = list(self.names)
        if target is not None and target not in names:
            raise ValueError(
                f"target={python_scalars(target)!r} is not a target of the model; "
                f"its targets are {names}."
            )
        self.k = 0 if target is None else names.index(target)

    def forecast(self, values):
        """One target of a forecast or a bound."""
        if self.names is None:
            return _one_target(values, self.target)
        if hasattr(values, "columns"):
            return values.iloc[:, self.k]
        if hasattr(values, "iloc"):
            return values
        array = np.asarray(values, dtype=float)
        return array[:, self.k] if array.ndim == 2 else array

    def quantiles(self, values):
        """One target's quantiles, ``(horizon, n_levels)``: its block of a
        DataFrame with ``(target, level)`` columns, or of an array of shape
        ``(horizon, n_targets, n_levels)``."""
        if hasattr(values, "columns"):
            if values.columns.nlevels == 1:
                return values
            targets = values.columns.get_level_values(0).unique()
            if self.names is not None:
                return values[self.names[self.k]]
            if self.target is None:
                return values[targets[0]]
            if self.target not in targets:
                raise ValueError(
                    f"target={python_scalars(self.target)!r} is not a target of "
                    f"the quantiles; their targets are {list(targets)}."
                )
            return values[self.target]
        array = np.asarray(values, dtype=float)
        if array.ndim != 3:
            return array
        k = (
            self.k
            if self.names is not None
            else _column_index(self.target, array.shape[1])
        )
        return array[:, k]

    def series(self, values, name):
        """The target's column of a series (the history, or the truth)."""
        if self.names is None:
            return _one_target(values, self.target)
        column = self.names[self.k]
        if hasattr(values, "columns"):
            if not self.by_label:  # fitted on an array: columns by position
                return values.iloc[:, column]
            if column not in values.columns:
                raise ValueError(
                    f"{name} lacks the target column {python_scalars(column)!r}; "
                    f"its columns are {list(values.columns)}."
                )
            return values[column]
        if hasattr(values, "iloc"):
            return values
        array = np.asarray(values, dtype=float)
        if array.ndim < 2 or array.shape[1] == 1:
            return array.reshape(len(array))
        if self.by_label:
            raise ValueError(
                f"{name} is an array of {array.shape[1]} columns, but the model "
                f"finds its target {python_scalars(column)!r} by label: pass a "
                "DataFrame, or the target's column alone."
            )
        return array[:, column]


def _one_target(values, target):
    """One column of a forecast, a bound or a history (a Series or a 1D array),
    for an estimator without fitted target names."""
    if hasattr(values, "columns"):  # DataFrame
        if target is None:
            target = values.columns[0]
        if target not in values.columns:
            raise ValueError(
                f"target={python_scalars(target)!r} is not a column; columns are "
                f"{list(values.columns)}."
            )
        return values[target]
    if hasattr(values, "iloc"):  # Series
        return values
    array = np.asarray(values, dtype=float)
    if array.ndim == 2:
        return array[:, _column_index(target, array.shape[1])]
    return array


def _column_index(target, n_columns):
    """``target`` as a column of an array forecast (0 when ``None``)."""
    if target is None:
        return 0
    target = check_int(target, "target")
    if not -n_columns <= target < n_columns:
        raise ValueError(f"target={target} is not a column of the {n_columns} targets.")
    return target


def _predict_quantiles(estimator, series, levels, kwargs):
    """``estimator.forecast_quantiles`` (else ``predict_quantiles``) of
    ``series``, or an error that says which models have quantiles."""
    if not hasattr(estimator, "predict_quantiles"):
        raise ValueError(
            f"quantiles={python_scalars(levels)!r} asks for quantile "
            f"bands, but {type(estimator).__name__} has no predict_quantiles. Fit "
            "a forecaster with loss='quantile' (and quantiles=...) or a "
            "distribution loss such as loss='student_t'; or pass coverage= for "
            "the interval of predict_interval."
        )
    method = getattr(estimator, "forecast_quantiles", None)
    method = method or estimator.predict_quantiles
    return method(series, quantiles=levels, **kwargs)


def _one_series(estimator, values, name, windows, kind="forecast"):
    """The values of the one series drawn: a panel's one series without its
    id, or a sequence forecaster's first (only) window's row."""
    values = one_series(estimator, values, name)
    return first_row(values, kind) if windows else values


def _n_history(n_history, estimator, horizon):
    if n_history is not None:
        if isinstance(n_history, bool) or not isinstance(n_history, int | np.integer):
            raise TypeError(f"n_history must be an int; got {n_history!r}.")
        if n_history < 1:
            raise ValueError(f"n_history must be >= 1; got {n_history}.")
        return int(n_history)
    # the fitted window_ (a set_params(window=...) waits for the next fit)
    window = getattr(estimator, "window_", None) or getattr(estimator, "window", 0)
    return max(4 * horizon, window or 0)


def _searched(estimator):
    """The best model of a fitted search (``GridSearchCV`` and the like), whose
    own ``predict`` forecasts each row of its input, not the steps after it;
    any other estimator as it is."""
    best = getattr(estimator, "best_estimator_", None)
    if not hasattr(estimator, "forecast") and (
        hasattr(best, "forecast") or reads_windows(best)
    ):
        return best
    return estimator


def _estimator_name(estimator):
    """The default title: the model that forecasts (the innermost fitted
    estimator, a Pipeline's last step), whether its intervals are conformal,
    and the fitted window and horizon, e.g. ``"GRUForecaster, conformal
    intervals, window 28, horizon 7"``."""
    chain = [estimator]
    while True:
        last = chain[-1]
        inner = getattr(last, "estimator_", getattr(last, "best_estimator_", None))
        if inner is None:
            break
        chain.append(inner)
    model = chain[-1]
    steps = getattr(model, "steps", None)
    parts = [type(steps[-1][1] if steps else model).__name__]
    if any(type(e).__name__ == "ConformalForecaster" for e in chain):
        parts.append("conformal intervals")
    window, horizon = getattr(estimator, "window_", None), None
    if window is not None:
        horizon = getattr(estimator, "horizon_", getattr(estimator, "horizon", None))
        parts.append(f"window {window}, horizon {horizon}")
    return ", ".join(parts)
