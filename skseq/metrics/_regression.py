"""Forecasting metrics that scikit-learn lacks: MASE, sMAPE, per-horizon MAE."""

import numpy as np
from sklearn.utils.validation import check_consistent_length

from ..utils._validation import as_real_float64
from ._probabilistic import _check_same_columns, _check_same_index

__all__ = [
    "mean_absolute_error_per_horizon",
    "mean_absolute_scaled_error",
    "symmetric_mean_absolute_percentage_error",
]


def _as_2d(y, name):
    """Float64 ``(n_samples, n_outputs)``; 3D forecasts are flattened per sample."""
    y = as_real_float64(y, name)
    if y.ndim == 0 or y.ndim > 3:
        raise ValueError(
            f"{name} must be 1D, 2D or 3D (n_samples, horizon, n_targets); got "
            f"shape {y.shape}."
        )
    if len(y) == 0:
        raise ValueError(f"{name} is empty: it needs at least one sample.")
    return y.reshape(len(y), -1)


def _check_pair(y_true, y_pred):
    check_consistent_length(y_true, y_pred)
    _check_same_columns(y_true=y_true, y_pred=y_pred)
    _check_same_index(y_true=y_true, y_pred=y_pred)
    shapes = [_steps_and_targets(y) for y in (y_true, y_pred)]
    y_true, y_pred = _as_2d(y_true, "y_true"), _as_2d(y_pred, "y_pred")
    both_3d = all(len(shape) == 3 for shape in shapes)
    if y_true.shape != y_pred.shape or (both_3d and shapes[0] != shapes[1]):
        raise ValueError(
            "y_true and y_pred have different shapes: "
            f"{shapes[0] if both_3d else y_true.shape} and "
            f"{shapes[1] if both_3d else y_pred.shape}."
        )
    if not (np.isfinite(y_true).all() and np.isfinite(y_pred).all()):
        raise ValueError("y_true and y_pred must not contain NaN or infinity.")
    return y_true, y_pred


def _steps_and_targets(y):
    """Shape of ``y``, a last axis of one target dropped from 3D: (n, horizon, 1)
    pairs with (n, horizon), (n, horizon, n_targets) only with its like."""
    shape = np.shape(y)
    return shape[:2] if len(shape) == 3 and shape[2] == 1 else shape


def _average(values, multioutput):
    if multioutput == "raw_values":
        return values
    if multioutput == "uniform_average":
        return float(np.mean(values))
    raise ValueError(
        f"multioutput must be 'raw_values' or 'uniform_average'; got {multioutput!r}."
    )


def mean_absolute_scaled_error(
    y_true, y_pred, *, season=1, y_train=None, multioutput="uniform_average"
):
    """Mean absolute scaled error (MASE, Hyndman and Koehler, 2006).

    The mean absolute error of the forecasts divided by that of the seasonal
    naive forecast ``y[t] = y[t - season]`` over a reference series: ``y_train``
    when given (the textbook definition: the in-sample naive error of the
    training series; skseq's ``"neg_mase"`` scorers pass it), else ``y_true``
    itself (then ``y_true`` must be consecutive time steps, and the scale rests
    on the test values alone: on a short test period it swings from one to the
    next). Below 1, the forecasts beat the seasonal naive forecast.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_outputs)
        True values, rows in time order.
    y_pred : array-like of the same shape
        Forecasts.
    season : int, default=1
        Seasonal period of the naive reference (7 for daily data with a weekly
        pattern; 1 is the plain naive forecast).
    y_train : array-like of shape (n_train,) or (n_train, n_outputs), default=None
        Series the naive error is measured on; ``None`` means ``y_true``.
    multioutput : {"uniform_average", "raw_values"}, default="uniform_average"
        Average the outputs' MASE, or return one per output.

    Returns
    -------
    mase : float or ndarray of shape (n_outputs,)

    Examples
    --------
    >>> from skseq.metrics import mean_absolute_scaled_error
    >>> mean_absolute_scaled_error([1.0, 2.0, 3.0, 4.0], [1.5, 2.5, 3.5, 4.5])
    0.5
    """
    if isinstance(season, bool) or not isinstance(season, (int, np.integer)):
        raise TypeError(f"season must be an int >= 1; got {season!r}.")
    if season < 1:
        raise ValueError(f"season must be an int >= 1; got {season}.")
    if y_train is not None:
        _check_same_columns(y_train=y_train, y_true=y_true)
    y_true, y_pred = _check_pair(y_true, y_pred)
    reference = y_true if y_train is None else _as_2d(y_train, "y_train")
    if not np.isfinite(reference).all():
        raise ValueError(
            "y_train must not contain NaN or infinity: the naive error MASE is "
            "scaled by would be NaN or infinite."
        )
    if reference.shape[1] != y_true.shape[1] or len(reference) <= season:
        raise ValueError(
            f"The naive error of season={season} needs more than {season} rows of "
            f"{'y_train' if y_train is not None else 'y_true'} with "
            f"{y_true.shape[1]} output(s); got shape {reference.shape}."
        )
    scale = np.mean(np.abs(reference[season:] - reference[:-season]), axis=0)
    if not (scale > 0).all():
        raise ValueError(
            "The seasonal naive forecast is exact on the reference series (its "
            f"error is 0 with season={season}), so MASE is undefined: use another "
            "season or metric."
        )
    return _average(np.mean(np.abs(y_true - y_pred), axis=0) / scale, multioutput)


def symmetric_mean_absolute_percentage_error(
    y_true, y_pred, *, multioutput="uniform_average"
):
    """Symmetric mean absolute percentage error (sMAPE), as a fraction.

    ``mean(2 |y_pred - y_true| / (|y_true| + |y_pred|))``, between 0 and 2 (as
    sklearn's ``mean_absolute_percentage_error``, a fraction, not percent:
    multiply by 100 for the M-competitions' figure); a term whose true value
    and forecast are both 0 counts as 0.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_outputs)
        True values.
    y_pred : array-like of the same shape
        Forecasts.
    multioutput : {"uniform_average", "raw_values"}, default="uniform_average"
        Average the outputs' sMAPE, or return one per output.

    Returns
    -------
    smape : float or ndarray of shape (n_outputs,)

    Examples
    --------
    >>> from skseq.metrics import symmetric_mean_absolute_percentage_error
    >>> symmetric_mean_absolute_percentage_error([1.0, 0.0], [3.0, 0.0])
    0.5
    """
    y_true, y_pred = _check_pair(y_true, y_pred)
    denominator = np.abs(y_true) + np.abs(y_pred)
    terms = np.divide(
        2 * np.abs(y_pred - y_true),
        denominator,
        out=np.zeros_like(denominator),
        where=denominator > 0,
    )
    return _average(np.mean(terms, axis=0), multioutput)


def mean_absolute_error_per_horizon(y_true, y_pred, *, multioutput="uniform_average"):
    """Mean absolute error of each step of multi-step forecasts.

    Parameters
    ----------
    y_true : array-like of shape (n_forecasts, horizon) or (n_forecasts, \
            horizon, n_targets)
        True values of each forecast's steps.
    y_pred : array-like of the same shape
        The forecasts.
    multioutput : {"uniform_average", "raw_values"}, default="uniform_average"
        Average over the targets, or keep one column per target.

    Returns
    -------
    mae : ndarray of shape (horizon,) or (horizon, n_targets)
        ``mae[k]`` is the error of the ``k + 1``-step-ahead forecasts.

    See Also
    --------
    skseq.metrics.get_scorer : ``"neg_mae_per_horizon"``, its scorer: minus
        each step's error, and ``"neg_mae"``, minus their mean over the steps.

    Notes
    -----
    One number from it, as the scorer's ``"neg_mae"`` reports it, is the
    mean over the steps, ``mae.mean()``: each step weighs the same. Here every
    step has ``n_forecasts`` forecasts, so it equals the MAE of all the values;
    the scorer on a ``WindowedForecaster``'s ``predict`` rows (row mode) may
    score fewer forecasts at the last steps, and its mean over steps then
    differs from the MAE of all the rows.

    Examples
    --------
    >>> from skseq.metrics import mean_absolute_error_per_horizon
    >>> y_true, y_pred = [[1.0, 2.0], [3.0, 4.0]], [[1.0, 3.0], [3.0, 6.0]]
    >>> mae = mean_absolute_error_per_horizon(y_true, y_pred)
    >>> mae
    array([0. , 1.5])
    >>> float(mae.mean())  # the scorer's "neg_mae" is minus this
    0.75
    """
    _check_same_index(y_true=y_true, y_pred=y_pred)
    y_true = as_real_float64(y_true, "y_true")
    y_pred = as_real_float64(y_pred, "y_pred")
    if y_true.ndim not in (2, 3) or y_true.shape != y_pred.shape:
        raise ValueError(
            "y_true and y_pred must both have shape (n_forecasts, horizon) or "
            f"(n_forecasts, horizon, n_targets); got {y_true.shape} and "
            f"{y_pred.shape}."
        )
    _check_pair(y_true, y_pred)  # at least one forecast, no NaN nor infinity
    _average(np.zeros(1), multioutput)  # validates multioutput
    errors = np.abs(y_true - y_pred).mean(axis=0)
    if errors.ndim == 1 or multioutput == "raw_values":
        return errors
    return errors.mean(axis=1)
