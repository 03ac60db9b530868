"""The plotting functions; matplotlib is imported inside each of them."""

from collections.abc import Mapping

import numpy as np

from ..utils._validation import check_coverage, check_int
from ._bands import (
    _percent,
    band_pairs,
    draw_quantile_bands,
    fill_band,
    quantile_table,
)
from ._steps import aligned, check_steps
from ._time_axis import (
    check_time_zones,
    follows,
    index_kind,
    is_datetime,
    time_positions,
)

__all__ = [
    "plot_forecast",
    "plot_learning_curves",
    "plot_windows",
]


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:  # pragma: no cover - exercised without matplotlib
        raise ImportError(
            'skseq.plotting needs matplotlib: pip install "skseq[plot]"'
        ) from error
    return plt


def _axes(ax, figsize=(8, 3.5)):
    if ax is not None:
        return ax
    _, ax = _pyplot().subplots(figsize=figsize, layout="constrained")
    return ax


def _outside_legend(ax, **kwargs):
    """A legend to the right of the axes, where it cannot cover data."""
    return ax.legend(
        loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, **kwargs
    )


def _concise_dates(ax, tz=None):
    """Date ticks that name each year/month once and never overlap, in the
    dates' time zone ``tz`` (matplotlib's default is UTC: hourly dates of
    Chicago would read six hours late)."""
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=3, maxticks=8, tz=tz)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, tz=tz))


def _series_name(*candidates):
    """The name of the first pandas Series among ``candidates`` that has one."""
    for values in candidates:
        name = getattr(values, "name", None)
        if name is not None and not isinstance(values, np.ndarray):
            return str(name)
    return None


def _values_and_index(values, name):
    """1D float values and, for a pandas Series, its index (else None)."""
    index = values.index if hasattr(values, "iloc") else None  # pandas only
    columns = getattr(values, "columns", None)
    if columns is not None and len(columns) != 1:  # a panel's rows, say
        raise ValueError(
            f"{name} has {len(columns)} columns {list(columns)[:5]}; a forecast "
            f"plot draws one series: pass its column alone, e.g. "
            f"{name}[{columns[-1]!r}] (a panel's rows without their id column)."
        )
    array = np.asarray(values, dtype=float)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(
            f"{name} must hold one series of shape (n_steps,); got shape {array.shape}."
        )
    return array, index


def plot_forecast(
    past,
    forecast,
    *,
    actual=None,
    lower=None,
    upper=None,
    coverage=None,
    quantiles=None,
    levels=None,
    ylabel=None,
    ax=None,
):
    """Plot a forecast after the steps it was made from, with the truth and an interval.

    Without a date index, the past steps sit at ``-n_past, ..., -1`` and the forecast
    at ``0, ..., horizon - 1``, so the x axis reads "steps ahead". When ``past`` and
    ``forecast`` are pandas Series, their indexes (dates) are used instead, with
    concise date ticks: periods at their start dates, durations in days, hours,
    minutes or seconds (the largest unit that counts every step whole); indexes
    of different kinds (dated history, a forecast on a ``RangeIndex``), or a
    forecast on the default ``0 ... h - 1`` index that does not follow the
    history (two default ``RangeIndex``), fall back to step positions (other
    labels, a backtest's inside the history say, are drawn as given); dates
    with a time zone next to dates without one are refused (naive dates are
    drawn as UTC). The legend sits right of the axes, off the data; values of
    10,000 and more read in full, with thousands separators. Every input is
    checked before anything is drawn: a refused call leaves no figure open and
    ``ax`` untouched.
    :class:`~skseq.plotting.ForecastDisplay` does the same from a fitted model.

    Parameters
    ----------
    past : array-like of shape (n_past,) or pandas.Series
        The input window (or any history) the forecast follows.
    forecast : array-like of shape (horizon,) or pandas.Series
        The forecast, e.g. ``model.predict(X[i:i + 1])[0]``.
    actual : array-like of shape (horizon,) or pandas.Series, default=None
        The true values of the forecast steps: ``horizon`` values, or a Series
        labelled like a labelled ``forecast`` (the whole series, say), taken
        at the forecast's steps; steps it lacks (gaps, a future not known yet)
        are left out, and a truth of none of them is refused.
    lower, upper : array-like of shape (horizon,), default=None
        Bounds of a prediction interval, e.g. from
        :meth:`~skseq.ConformalForecaster.predict_interval`; drawn as a band.
        Bounds (or ``quantiles``) labelled with other steps than a labelled
        ``forecast`` (another forecast's) are refused.
    coverage : float, default=None
        Coverage of the interval, strictly between 0 and 1 (0.9 for 90%),
        shown in the legend; only with ``lower`` and ``upper``.
    quantiles : pandas.DataFrame of shape (horizon, n_levels) or array-like, \
            default=None
        Quantiles of the forecast, drawn as a fan chart instead of ``lower`` and
        ``upper``: a DataFrame whose columns are the levels, as
        :meth:`~skseq.forecasting.WindowedForecaster.forecast_quantiles` returns
        it for one target, or an array with ``levels``. Each pair of symmetric
        levels (``q`` and ``1 - q``) is a shaded band, the widest the lightest,
        named by its central coverage in the legend ("90% interval" for 0.05
        and 0.95); level 0.5 is drawn as a dashed "median" line. A level
        without its partner is refused: a lone bound is no interval.
    levels : array-like of shape (n_levels,), default=None
        The quantile level of each column of an array ``quantiles``.
    ylabel : str, default=None
        Label of the y axis; the name of ``past`` (or ``forecast``) when it is a
        named pandas Series, else "value".
    ax : matplotlib.axes.Axes, default=None
        Axes to draw on; a new figure when ``None``.

    Returns
    -------
    ax : matplotlib.axes.Axes
        The axes drawn on. Its lines are, in order: past, forecast, then actual
        and the median of ``quantiles`` when given; its collections are the
        interval or the quantile bands, widest first.

    See Also
    --------
    ForecastDisplay : The same plot from a fitted forecaster or its predictions.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq.plotting import plot_forecast
    >>> ax = plot_forecast(np.sin(np.arange(20) / 3), np.sin(np.arange(20, 25) / 3))
    >>> len(ax.lines)
    2

    A fan chart of quantiles (levels 0.1 to 0.9): two bands, and the forecast
    is their median (a line of its own when it is not):

    >>> forecast = np.sin(np.arange(20, 25) / 3)
    >>> quantiles = forecast[:, None] + np.array([-0.2, -0.1, 0.0, 0.1, 0.2])
    >>> ax = plot_forecast(
    ...     np.sin(np.arange(20) / 3), forecast,
    ...     quantiles=quantiles, levels=[0.1, 0.25, 0.5, 0.75, 0.9],
    ... )
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['past', 'forecast (median)', '80% interval', '50% interval']
    """
    # every input is checked before anything is drawn: a refused one leaves
    # no half-drawn axes and no stray figure open
    if ylabel is None:
        ylabel = _series_name(past, forecast) or "value"
    actual = aligned(actual, forecast)
    check_steps(forecast, lower=lower, upper=upper, quantiles=quantiles)
    past, past_index = _values_and_index(past, "past")
    forecast, future_index = _values_and_index(forecast, "forecast")
    horizon = len(forecast)
    if actual is not None:
        actual, _ = _values_and_index(actual, "actual")
        _check_length(actual, horizon, "actual")
    band = _interval(lower, upper, coverage, quantiles, levels, horizon)
    if quantiles is not None:
        values, levels = quantile_table(quantiles, levels, horizon)
        band_pairs(levels)  # a level without its partner is refused here
    # a forecast Series on a RangeIndex after dated history (pd.Series(predict
    # (...))) would sit in 1970: indexes of different kinds give step positions
    dated = (
        past_index is not None
        and future_index is not None
        and index_kind(past_index) == index_kind(future_index)
        and follows(past_index, future_index)
    )
    xlabel = "time step"
    if dated:
        check_time_zones(past_index, future_index)
        x_past, x_future, xlabel = time_positions(past_index, future_index)
    else:
        x_past, x_future = np.arange(-len(past), 0), np.arange(horizon)

    ax = _axes(ax)
    ax.plot(x_past, past, ".-", color="C0", label="past")
    (forecast_line,) = ax.plot(x_future, forecast, "x-", color="C3", label="forecast")
    if actual is not None:
        ax.plot(x_future, actual, "o", color="C0", mfc="none", label="actual")
    if quantiles is not None and draw_quantile_bands(
        ax, x_future, values, levels, forecast=forecast
    ):
        forecast_line.set_label("forecast (median)")
    if band is not None:
        fill_band(ax, x_future, *band[:2], color="C3", alpha=0.2, label=band[2])
    ax.set_xlabel(xlabel)
    if dated and is_datetime(x_future):
        _concise_dates(ax, tz=getattr(x_future, "tz", None))
    ax.set_ylabel(ylabel)
    _readable_counts(ax.yaxis)
    for patch in _outside_legend(ax).get_patches():
        patch.set_linewidth(0)  # a one-step band's thick edge: not in the legend
    ax.grid(True, alpha=0.3)
    return ax


def _interval(lower, upper, coverage, quantiles, levels, horizon):
    """``(lower, upper, legend label)`` of the interval band, or None;
    refuses what would be drawn wrong or silently left out."""
    if (lower is None) != (upper is None):
        raise ValueError("Pass both lower and upper, or neither.")
    if quantiles is not None and (lower is not None or coverage is not None):
        raise ValueError(
            "Pass quantiles or lower/upper (with coverage), not both: the "
            "quantile bands name their own coverage."
        )
    if quantiles is None and levels is not None:
        raise ValueError("levels name the columns of quantiles; pass quantiles too.")
    if lower is None:
        if coverage is not None:
            raise ValueError(
                f"coverage={coverage!r} names an interval, but there is none: "
                "pass its lower and upper bounds too, or no coverage."
            )
        return None
    lower, _ = _values_and_index(lower, "lower")
    upper, _ = _values_and_index(upper, "upper")
    _check_length(lower, horizon, "lower")
    _check_length(upper, horizon, "upper")
    label = "interval"
    if coverage is not None:  # 80 (a percent) read as 8000%, 0.975 as 98%
        label = f"{_percent(check_coverage(coverage))} interval"
    return lower, upper, label


def _readable_counts(axis):
    """Large values in full with thousands separators ("700,000"), not as
    "700000" or as "0.7" under a "1e6" offset at the top of the axis."""
    low, high = axis.get_view_interval()
    if max(abs(low), abs(high)) >= 1e4 and high - low >= 100:
        axis.set_major_formatter(lambda value, _: f"{value:,.0f}")


def _check_length(values, expected, name):
    if len(values) != expected:
        raise ValueError(
            f"{name} has {len(values)} steps; the forecast has {expected}."
        )


def _history_of(estimator_or_history):
    """The ``history_`` dict of a fitted estimator, a wrapper or a dict."""
    if isinstance(estimator_or_history, Mapping):
        return estimator_or_history
    owner = _network_owner(estimator_or_history)
    if owner is not None:
        return owner.history_
    raise TypeError(
        "Expected a fitted Keras-backed skseq estimator (with history_), a fitted "
        "wrapper around one (WindowedForecaster, ConformalForecaster, Pipeline), "
        f"or a dict; got {type(estimator_or_history).__name__}."
    )


def _network_owner(estimator):
    """``estimator`` or the fitted estimator it wraps, at any depth (duck typing:
    ``estimator_``, ``best_estimator_``, ``regressor_``, a Pipeline's last
    step), that has a ``history_``; None if none has."""
    for _ in range(16):  # wrappers nest a few levels deep, never cyclically
        if estimator is None or getattr(estimator, "history_", None) is not None:
            return estimator
        inner = None
        for name in ("estimator_", "best_estimator_", "regressor_"):
            inner = inner if inner is not None else getattr(estimator, name, None)
        if inner is None and getattr(estimator, "steps", None):
            inner = estimator.steps[-1][1]
        estimator = inner
    return None


# Axis labels of the losses skseq's estimators take by name.
LOSS_LABELS = {
    "mse": "MSE",
    "mae": "MAE",
    "huber": "Huber loss",
    "sparse_categorical_crossentropy": "cross-entropy",
    "categorical_crossentropy": "cross-entropy",
    "binary_crossentropy": "cross-entropy",
    "quantile": "pinball loss",
    "gaussian": "negative log-likelihood",
    "student_t": "negative log-likelihood",
    "negative_binomial": "negative log-likelihood",
}
# History keys that are not losses: drawn on their own axis.
SCHEDULE_KEYS = ("learning_rate", "lr")


def _loss_label(estimator_or_history):
    """ "MSE", "MAE on scaled targets", ... from the estimator's ``loss``."""
    inner = _network_owner(estimator_or_history) or estimator_or_history
    loss = getattr(inner, "loss", None)
    if not isinstance(loss, str):
        return "loss"
    label = LOSS_LABELS.get(loss.lower(), loss)
    if inner is not estimator_or_history and getattr(
        estimator_or_history, "scale", False
    ):
        label += " (scaled targets)"
    return label


def plot_learning_curves(
    estimator_or_history, *, log_scale=False, ylabel=None, ax=None
):
    """Plot the per-epoch losses of a fit: training loss, and validation loss if any.

    Epochs are integer ticks; the y axis names the loss (``"MSE"``, ``"MAE
    (scaled targets)"`` for a scaling :class:`~skseq.forecasting.WindowedForecaster`).

    Parameters
    ----------
    estimator_or_history : estimator or dict
        A fitted Keras-backed forecaster (its ``history_`` is read), a fitted
        :class:`~skseq.forecasting.WindowedForecaster` around one, or a dict
        ``{"loss": [...], "val_loss": [...]}`` as ``history_`` holds.
    log_scale : bool, default=False
        Logarithmic y axis, which shows late epochs better.
    ylabel : str, default=None
        Label of the y axis; from the estimator's ``loss`` when ``None`` ("loss"
        for a dict).
    ax : matplotlib.axes.Axes, default=None
        Axes to draw on; a new figure when ``None``.

    Returns
    -------
    ax : matplotlib.axes.Axes
        One line per key of the history, x = epochs 1, 2, ...

    Examples
    --------
    >>> from skseq.plotting import plot_learning_curves
    >>> history = {"loss": [0.9, 0.5, 0.4], "val_loss": [1.0, 0.7, 0.6]}
    >>> ax = plot_learning_curves(history)
    >>> [line.get_label() for line in ax.lines]
    ['loss', 'val_loss']
    """
    history = _history_of(estimator_or_history)
    if not history:
        raise ValueError("The history is empty: was the estimator fitted?")
    ax = _axes(ax)
    for key, values in history.items():
        if key in SCHEDULE_KEYS:
            continue
        epochs = np.arange(1, len(values) + 1)
        style = "--" if key.startswith("val_") else "-"
        ax.plot(epochs, values, style, marker=".", label=key)
    if log_scale:
        ax.set_yscale("log")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel if ylabel is not None else _loss_label(estimator_or_history))
    handles = _schedule_axis(ax, history)
    ax.legend(
        handles=ax.get_legend_handles_labels()[0] + handles,
        loc="upper left",
        bbox_to_anchor=(1.12 if handles else 1.01, 1.0),
        borderaxespad=0.0,
    )
    ax.grid(True, alpha=0.3)
    return ax


def _schedule_axis(ax, history):
    """The learning rate of each epoch (a ``reduce_lr_patience`` schedule) on
    a right-hand log axis of its own, not on the loss axis; its line handles."""
    key = next((k for k in SCHEDULE_KEYS if k in history), None)
    if key is None:
        return []
    right = ax.twinx()
    values = history[key]
    epochs = np.arange(1, len(values) + 1)
    lines = right.plot(epochs, values, ":", color="0.4", label="learning rate")
    right.set_yscale("log")
    right.set_ylabel("learning rate")
    return lines


def plot_windows(series, window, horizon=1, *, stride=1, n_windows=4, ax=None):
    """Picture how :func:`~skseq.make_windows` cuts a series into inputs and targets.

    The series is drawn on top; under it, one row per window shows its input steps
    (blue) and the ``horizon`` target steps after them (orange), as ``make_windows``
    with the same arguments returns them.

    Parameters
    ----------
    series : array-like of shape (n_steps,) or pandas.Series
        A univariate series; only its first ``n_windows`` windows are drawn.
    window : int
        Steps in each input window.
    horizon : int, default=1
        Target steps after each window.
    stride : int, default=1
        Steps between the starts of consecutive windows; as in ``make_windows``
        the last window's targets end at the series' last row, so the first
        window starts at step ``(n_steps - window - horizon) % stride``.
    n_windows : int, default=4
        Number of windows drawn.
    ax : matplotlib.axes.Axes, default=None
        Axes to draw on; a new figure when ``None``.

    Returns
    -------
    ax : matplotlib.axes.Axes
        ``ax.lines[0]`` is the series (x = step positions); each window row is a
        pair of bars in ``ax.collections``, in window order.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq.plotting import plot_windows
    >>> ax = plot_windows(np.arange(12.0), window=5, horizon=2, n_windows=3)
    >>> len(ax.collections)
    3
    """
    from matplotlib.patches import Patch

    window = check_int(window, "window", min_value=1)
    horizon = check_int(horizon, "horizon", min_value=1)
    stride = check_int(stride, "stride", min_value=1)
    n_windows = check_int(n_windows, "n_windows", min_value=1)
    values, _ = _values_and_index(series, "series")
    n_drawable = (len(values) - window - horizon) // stride + 1
    if n_drawable < 1:
        raise ValueError(
            f"A series of {len(values)} steps holds no window of {window} steps "
            f"plus {horizon} target step(s) (stride {stride})."
        )
    n_windows = min(n_windows, n_drawable)
    offset = (len(values) - window - horizon) % stride
    last = offset + (n_windows - 1) * stride + window + horizon
    ax = _axes(ax, figsize=(8, 1.2 + 0.45 * n_windows))

    # Series scaled into the band above the window rows (y in [0.5, 2]).
    shown = values[:last]
    low, high = np.nanmin(shown), np.nanmax(shown)
    scaled = (shown - low) / (high - low if high > low else 1.0)
    ax.plot(np.arange(last), 0.5 + 1.5 * scaled, ".-", color="0.3", label="series")
    for i in range(n_windows):
        start = offset + i * stride
        row = -i - 0.5
        ax.broken_barh(
            [(start - 0.45, window - 0.1), (start + window - 0.45, horizon - 0.1)],
            (row - 0.35, 0.7),
            facecolors=("C0", "C1"),
        )
        ax.text(-0.8, row, f"window {i}", ha="right", va="center", fontsize=8)
    ax.set_yticks([])
    ax.set_xlim(-0.5 - max(3, 0.25 * last), last - 0.5)
    ax.set_xlabel("time step")
    ax.legend(
        handles=[
            ax.lines[0],
            Patch(color="C0", label=f"inputs ({window} steps)"),
            Patch(color="C1", label=f"targets ({horizon} step(s))"),
        ],
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=8,
        frameon=False,
    )
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    return ax
