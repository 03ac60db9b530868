"""One input window of a sequence forecaster, as :class:`ForecastDisplay` draws it.

A sequence forecaster (``GRUForecaster``, a ``ConformalForecaster`` around
one...) forecasts each window of ``X``, of shape ``(n_samples, n_timesteps[,
n_features])``, and returns one row per window: a plot of one forecast takes
one window, draws its steps as the history and the first row of each output
as the forecast, its bounds and quantiles (duck typing on the fitted
``n_timesteps_in_`` of such models, which have no ``forecast`` method: plotting
imports no estimators; a Pipeline's steps are looked at too).
"""

import numpy as np

__all__ = ["first_row", "one_window", "reads_windows"]


def reads_windows(estimator, X=None):
    """Whether ``estimator`` forecasts each input window of ``X`` (not the
    steps after a series, as a ``WindowedForecaster``'s ``forecast`` does): it
    or a step of its Pipeline (``FlattenSequence``) was fitted on windows, or
    ``X`` is a 3D array of windows."""
    if hasattr(estimator, "forecast"):
        return False
    steps = getattr(estimator, "steps", None)
    listed = isinstance(steps, list)
    parts = [estimator, *(step for _, step in steps)] if listed else [estimator]
    if any(hasattr(part, "n_timesteps_in_") for part in parts):
        return True
    return X is not None and not hasattr(X, "iloc") and np.ndim(X) == 3


def one_window(X, estimator):
    """``X`` as an array of one window, ``(1, n_timesteps[, 1])``.

    Raises
    ------
    ValueError
        If ``X`` holds several windows, or one of several features (which of
        them is the target, the plot cannot know).
    """
    array = np.asarray(X, dtype=float)
    if array.ndim == 1:  # one univariate window, its steps alone
        array = array[None, :]
    name = type(estimator).__name__
    if array.ndim not in (2, 3) or len(array) != 1:
        raise ValueError(
            f"series has shape {array.shape}: {name} forecasts each window of "
            "X (n_samples, n_timesteps[, n_features]) and a forecast plot "
            "draws one; pass one window, X[i:i + 1]."
        )
    if array.ndim == 3 and array.shape[2] != 1:
        raise ValueError(
            f"The window has {array.shape[2]} features and the plot cannot tell "
            "which one is the target; draw it with ForecastDisplay."
            "from_predictions(X[i, :, k], model.predict(X[i:i + 1])[0])."
        )
    return array


def first_row(values, kind="forecast"):
    """The first window's row of an output: the forecast or a bound,
    ``(horizon[, n_targets])``, or the quantiles, ``(horizon[, n_targets],
    n_levels)`` (a one-step model's ``(1, n_levels)`` row gets its step back)."""
    array = np.asarray(values, dtype=float)
    if array.ndim == 0:
        return array.reshape(1)
    row = array[0] if len(array) == 1 else array
    if kind == "quantiles" and row.ndim == 1:
        return row[None, :]
    return np.atleast_1d(row)
