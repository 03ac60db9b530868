"""Cut a series (rows = time) into input windows and the targets that follow them."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..utils._casts import refuse_text_array
from ..utils._scalars import python_scalars
from ..utils._validation import check_int, named_check_array, refuse_masked
from ._columns import column_labels, column_positions, non_numeric
from ._order import check_time_order

__all__ = [
    "as_series_array",
    "count_windows",
    "make_windows",
    "no_training_message",
    "purge_mask",
    "window_view",
    "window_weights",
]


def as_series_array(series, *, name="series"):
    """Return the values of a series as a 2D float array of shape (n_steps, n_features).

    Parameters
    ----------
    series : array-like of shape (n_steps,) or (n_steps, n_features), pandas Series
        or DataFrame
        Rows are time steps. A 1D input is a univariate series.
    name : str, default="series"
        Name used in error messages.

    Returns
    -------
    values : ndarray of shape (n_steps, n_features)
        A view of ``series`` where its dtype is already float32 or float64.
    """
    try:
        ndim = np.ndim(series) if not hasattr(series, "ndim") else series.ndim
    except ValueError as exc:  # NumPy refuses ragged nested lists
        raise ValueError(
            f"{name} must be a 1D or 2D array of numbers with rows of equal length; "
            f"{exc}"
        ) from exc
    if ndim not in (1, 2):
        raise ValueError(
            f"{name} must be 1D (n_steps,) or 2D (n_steps, n_features); "
            f"got {ndim}D input of shape {np.shape(series)}."
        )
    # check_array parses pandas' and objects' "1.5" silently, as the
    # forecasters' columns no longer are (NumPy strings: sklearn refuses them)
    refuse_text_array(series, name, "O")
    try:
        values = named_check_array(
            series, name, ensure_2d=False, dtype="numeric", ensure_min_features=0
        )
    except ValueError as exc:
        _name_text_columns(series, name, exc)
        raise
    if values.ndim == 2 and values.shape[1] == 0:
        raise ValueError(
            f"{name} has 0 features: found array with 0 feature(s) "
            f"(shape={values.shape}) while a minimum of 1 is required."
        )
    if values.dtype.kind != "f":
        values = values.astype(np.float64)
    return values[:, np.newaxis] if values.ndim == 1 else values


def _name_text_columns(series, name, exc):
    """Name the columns of a DataFrame that hold text (a ``day_type``), which
    sklearn's "could not convert string to float" leaves to be guessed."""
    if not hasattr(series, "columns") or "numbers only" not in str(exc):
        return
    bad, example = non_numeric(series)
    example = "" if example is None else f" (e.g. {example!r})"
    raise ValueError(
        f"{name} has non-numeric values in the column(s) "
        f"{[python_scalars(label) for label in bad]}{example}: drop them "
        f"({name}.drop(columns=[...])) or encode them as numbers first, e.g. "
        f"pandas.get_dummies({name}, columns=[...], dtype=float)."
    ) from exc


def window_view(values, window, *, stride=1):
    """Read-only view of every ``window`` consecutive rows of ``values``.

    The one place skseq cuts windows. Rows (axis 0) are time steps; each window
    keeps them in order on axis 1, and the trailing axes of ``values`` (features,
    targets) follow, so a 2D series gives the ``(n_windows, window, n_features)``
    layout of the estimators. Nothing is copied: the result is a strided view of
    ``values`` (``numpy.lib.stride_tricks.sliding_window_view``) that cannot be
    written through.

    Parameters
    ----------
    values : array-like of shape (n_steps, ...)
        Rows are time steps, in order; any further axes (features, targets)
        are kept.
    window : int
        Number of consecutive rows in each window, from 1 to ``n_steps``.
    stride : int, default=1
        Step between the first rows of consecutive windows, at least 1.

    Returns
    -------
    windows : ndarray of shape (n_windows, window, ...)
        ``windows[i]`` holds rows ``i * stride`` to ``i * stride + window - 1``;
        ``n_windows = (n_steps - window) // stride + 1``.

    Raises
    ------
    ValueError
        If ``values`` is 0D, a masked array with masked values, pandas data
        whose time index is not increasing (as :func:`make_windows` refuses),
        or ``window`` or ``stride`` is out of range.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq.windowing import window_view
    >>> series = np.arange(12.0).reshape(6, 2)  # 6 steps, 2 features
    >>> windows = window_view(series, 3, stride=2)
    >>> windows.shape
    (2, 3, 2)
    >>> windows[1]
    array([[4., 5.],
           [6., 7.],
           [8., 9.]])
    """
    refuse_masked(values, "values")  # np.asarray would drop the mask
    check_time_order(values, "values")  # np.asarray would drop the times
    values = np.asarray(values)
    if values.ndim == 0:
        raise ValueError("values must have a time axis (axis 0); got a scalar.")
    n_steps = len(values)
    window = check_int(window, "window", min_value=1)
    stride = check_int(stride, "stride", min_value=1)
    if window > n_steps:
        raise ValueError(
            f"window={window} is longer than the {n_steps} time step(s) of values."
        )
    # sliding_window_view puts the window axis last: (n, *trailing, window).
    windows = sliding_window_view(values, window, axis=0)[::stride]
    return np.moveaxis(windows, -1, 1)


def window_weights(step_weights, window, horizon, n_windows):
    """Weight of each window: the mean weight of the ``horizon`` steps it forecasts.

    ``step_weights[t]`` weighs time step ``t`` of the series; window ``i`` forecasts
    steps ``i + window, ..., i + window + horizon - 1``.
    """
    ahead = window_view(step_weights[window:], horizon)
    return ahead[:n_windows].mean(axis=1)


def purge_mask(train_starts, validation_starts, gap):
    """Which training windows share no target row with a validation window.

    Windows cut at stride 1 forecast overlapping rows: two windows whose starts
    lie ``gap`` or fewer rows apart share target rows (``gap`` is ``horizon -
    1`` for targets of ``horizon`` rows). Early stopping that validated on rows
    also trained on would keep overfit epochs, so the training windows that
    near a validation window are left out (a purge, as the ``gap`` of
    sklearn's ``TimeSeriesSplit``). Starts may be design rows of a panel:
    windows of different series lie more than ``gap`` rows apart there, as
    every series' rows run ``window + horizon - 1`` beyond its last window.

    Parameters
    ----------
    train_starts : ndarray of int of shape (n_train,)
        First rows of the training windows, in any order (kept).
    validation_starts : ndarray of int of shape (n_validation,)
        First rows of the validation windows.
    gap : int
        Largest distance between starts at which two windows share targets.

    Returns
    -------
    keep : ndarray of bool of shape (n_train,)
        True for the training starts farther than ``gap`` from every
        validation start.

    Examples
    --------
    >>> import numpy as np
    >>> purge_mask(np.arange(8), np.array([8, 9]), gap=2).nonzero()[0].tolist()
    [0, 1, 2, 3, 4, 5]
    """
    train_starts = np.asarray(train_starts)
    if gap < 1 or not len(validation_starts) or not len(train_starts):
        return np.ones(len(train_starts), dtype=bool)
    ordered = np.sort(np.asarray(validation_starts, dtype=np.int64))
    starts = train_starts.astype(np.int64)
    after = np.searchsorted(ordered, starts).clip(max=len(ordered) - 1)
    before = (after - 1).clip(min=0)
    nearest = np.minimum(abs(ordered[after] - starts), abs(ordered[before] - starts))
    return nearest > gap


def no_training_message(n_windows, n_held_out, gap):
    """Why early stopping leaves no window to train on after the purge."""
    return (
        f"early_stopping holds out the latest {n_held_out} of {n_windows} "
        f"windows to validate on, and the {gap} windows before each series' "
        "held-out ones forecast the same rows as they do (windows overlap at "
        "stride 1), so they are left out of training: no training window is "
        "left. Use a smaller validation_fraction or horizon, a longer series, "
        "or early_stopping=False."
    )


def count_windows(n_steps, window, horizon=1, *, stride=1):
    """Number of (window, horizon) pairs that fit in a series.

    Parameters
    ----------
    n_steps : int
        Length of the series.
    window : int
        Number of input time steps per window.
    horizon : int, default=1
        Number of target time steps after each window (0 for inputs only).
    stride : int, default=1
        Step between the starts of consecutive windows.

    Returns
    -------
    n_windows : int
        ``(n_steps - window - horizon) // stride + 1``, or 0 when nothing fits.

    Raises
    ------
    TypeError
        If an argument is not an int.
    ValueError
        If ``n_steps`` or ``horizon`` is negative, or ``window`` or ``stride``
        is below 1.

    Examples
    --------
    >>> from skseq import count_windows
    >>> count_windows(1000, 50, 10), count_windows(1000, 50, 10, stride=7)
    (941, 135)
    """
    n_steps = check_int(n_steps, "n_steps", min_value=0)
    window = check_int(window, "window", min_value=1)
    horizon = check_int(horizon, "horizon", min_value=0)
    stride = check_int(stride, "stride", min_value=1)
    span = n_steps - window - horizon
    return 0 if span < 0 else span // stride + 1


def _select_targets(values, labels, target):
    """Return the target columns of ``values`` as a 2D array and their positions.

    ``labels`` are the column labels of the series (None for an array or an
    unnamed Series): by label when it has them, else by position, as
    :class:`~skseq.forecasting.WindowedForecaster` reads ``target``.
    """
    if target is None:
        return values, list(range(values.shape[1]))
    labeled = labels is not None
    columns = labels if labeled else range(values.shape[1])
    positions = column_positions(columns, target, "target", labeled)
    if not positions:
        raise ValueError("target must name at least one column.")
    if len(set(positions)) < len(positions):
        named = [python_scalars(columns[j]) for j in positions]
        raise ValueError(
            f"target names a column twice: {named}; list each target once."
        )
    return values[:, positions], positions


def _targets_first(values, positions):
    """The columns of ``values`` with the targets first (in the order given), then
    the others: skseq's forecasters read the targets as the first features."""
    rest = [j for j in range(values.shape[1]) if j not in positions]
    order = [*positions, *rest]
    if order == list(range(values.shape[1])):
        return values  # no copy when the targets already lead
    return values[:, order]


def make_windows(series, window, horizon=1, *, stride=1, target=None):
    """Cut a series into input windows and the horizon that follows each window.

    The windows are strided views of the series (:func:`window_view`): ``X``
    copies nothing when the series is already a float array (and ``target``
    already names its first columns), and neither ``X`` nor ``y`` can be
    written through.

    The columns of ``X`` are the target columns first, in the order of
    ``target``, then the other columns in the series' order: skseq's
    forecasters read the targets as the first ``n_targets`` features of ``X``
    (the ``"seq2seq"`` and ``"recursive"`` strategies, :class:`NaiveForecaster`).

    Parameters
    ----------
    series : array-like of shape (n_steps,) or (n_steps, n_features), pandas Series
        or DataFrame
        Rows are time steps, in order; pandas data indexed by times must be
        sorted by them (``series.sort_index()``). The windows are views of the
        series' values: change the series in place later and they change too
        (pass ``series.copy()`` to keep them).
    window : int
        Number of time steps in each input window.
    horizon : int, default=1
        Number of future time steps to predict after each window.
    stride : int, default=1
        Step between the starts of consecutive windows. The stride grid is
        aligned on the end of the series: the last window's targets end at its
        last row, and the first ``(n_steps - window - horizon) % stride`` rows
        (the oldest) are the ones no window reads, as darts and sktime cut
        forecasting windows. (Earlier versions started the grid at row 0, which
        could leave the latest rows out of every window.)
    target : int, str, list of int or str, or None, default=None
        Column(s) to forecast, each once. ``None`` forecasts every column.
        pandas data with column labels (a DataFrame, a named Series) names its
        columns by label, integer labels included (``target=0`` is the column
        labelled 0, wherever it stands); an array or an unnamed Series by
        position. :class:`~skseq.forecasting.WindowedForecaster` reads
        ``target`` the same way.

    Returns
    -------
    X : ndarray of shape (n_windows, window, n_features)
        ``X[i]`` holds time steps ``offset + i * stride`` to ``offset + i *
        stride + window - 1``, with ``offset = (n_steps - window - horizon) %
        stride`` (0 at ``stride=1``); the target columns come first.
    y : ndarray of shape (n_windows,), (n_windows, horizon) or \
            (n_windows, horizon, n_targets)
        The ``horizon`` target values right after each window: 1D for one target
        one step ahead, 2D for one target several steps ahead, 3D otherwise.

    Raises
    ------
    TypeError
        If pandas or object ``series`` holds numbers written as text
        (``"1.5"``): convert them first, e.g. with ``pandas.to_numeric``.
    ValueError
        If the series is shorter than ``window + horizon``, holds NaN or infinity,
        has a time index (dates, periods, durations) that is not increasing or
        repeats a time, or a ``MultiIndex`` (a panel of several series), is
        a DataFrame with times as column labels and not as its index (a wide
        table: pass its transpose), or a parameter is out of range.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq import make_windows
    >>> X, y = make_windows(np.arange(10.0), window=4, horizon=2)
    >>> X.shape, y.shape
    ((5, 4, 1), (5, 2))
    >>> X[0, :, 0], y[0]
    (array([0., 1., 2., 3.]), array([4., 5.]))
    """
    window = check_int(window, "window", min_value=1)
    horizon = check_int(horizon, "horizon", min_value=1)
    stride = check_int(stride, "stride", min_value=1)
    check_time_order(series, "series")
    labels = column_labels(series)
    values = as_series_array(series)
    targets, positions = _select_targets(values, labels, target)
    values = _targets_first(values, positions)
    n_windows = count_windows(len(values), window, horizon, stride=stride)
    if n_windows == 0:
        raise ValueError(
            f"The series has {len(values)} time steps, too short for window={window} "
            f"plus horizon={horizon} (needs at least {window + horizon})."
        )
    # Align the grid on the series' end: the latest rows matter most to a
    # forecaster, so the rows a stride cannot reach are the oldest ones.
    offset = (len(values) - window - horizon) % stride
    X = window_view(values[offset:], window, stride=stride)[:n_windows]
    y = window_view(targets[offset + window :], horizon, stride=stride)[:n_windows]
    if y.shape[2] == 1:
        y = y[:, :, 0] if horizon > 1 else y[:, 0, 0]
    return X, y
