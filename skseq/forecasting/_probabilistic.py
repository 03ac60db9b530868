"""Quantiles and sample paths of a :class:`WindowedForecaster`, in series units.

The wrapped estimator forecasts in model units: scaled, maybe transformed
(``target_transform``) and differenced. Every map back is monotone increasing
except integrating differences, so:

- without ``difference``, a quantile in model units maps to the same quantile in
  series units (scaling and an increasing ``target_transform`` inverted), level
  by level: exact;
- with ``difference``, a value in series units is the last known value plus a
  sum of forecast differences, and quantiles of a sum are not sums of
  quantiles. Sample paths are mapped back one by one (each is a possible
  future), and the quantiles are those of the paths: this needs a distribution
  head (``loss="gaussian"``, ``"student_t"``, ``"negative_binomial"``) that can
  draw paths.

Functions of the fitted forecaster (``model``), reading only its fitted
attributes, as in ``_prediction.py``.
"""

import numpy as np

from ..estimators._probabilistic import check_quantile_levels
from ..windowing import window_view
from ._prediction import forecast_inputs, model_in_series_scale

__all__ = ["forecast_quantiles", "forecast_samples", "format_with_levels"]

# Sample paths behind quantiles of a differenced series; seeded (repeatable).
QUANTILE_PATHS = 1000


def forecast_quantiles(model, X, quantiles, future):
    """Quantiles ``(horizon, n_targets, n_levels)`` of the forecast after ``X``,
    in the units of the series, and the forecast's dates."""
    estimator = _probabilistic_estimator(model, "predict_quantiles")
    levels = _levels(model, estimator, quantiles)
    X_window, targets, future_index = _last_window(model, X, future)
    if not model.difference_:
        values = estimator.predict_quantiles(X_window, quantiles=levels)
        per_level = [
            _in_series_units(model, np.asarray(values)[..., j], targets)[0]
            for j in range(len(levels))
        ]
        # An increasing target_transform keeps the order; sorting only removes
        # rounding crossings.
        return np.sort(np.stack(per_level, axis=-1), axis=-1), levels, future_index
    if _head(estimator) == "quantile":
        raise ValueError(
            "Quantiles of a differenced series cannot come from a quantile head: "
            "the series is the last value plus a sum of forecast differences, "
            "and quantiles of a sum are not sums of quantiles. Fit with a "
            "distribution loss (loss='student_t' or 'gaussian'), whose sample "
            "paths are integrated, or without difference."
        )
    paths = _paths(model, estimator, X_window, targets, QUANTILE_PATHS, 0)
    values = np.moveaxis(np.quantile(paths, levels, axis=0), 0, -1)
    return values, levels, future_index


def forecast_samples(model, X, n_samples, random_state, future):
    """Sample paths ``(horizon, n_targets, n_samples)`` of the future after
    ``X``, in the units of the series, and the forecast's dates."""
    estimator = _probabilistic_estimator(model, "predict_samples")
    X_window, targets, future_index = _last_window(model, X, future)
    paths = _paths(model, estimator, X_window, targets, n_samples, random_state)
    return np.moveaxis(paths, 0, -1), future_index


def format_with_levels(values, future_index, target_names, labels):
    """``(horizon, n_targets, m)`` -> a DataFrame on the future dates whose
    columns are ``labels`` (one target) or ``(target, label)`` pairs; without
    dates, ``(horizon, m)`` for one target else the array itself."""
    if future_index is None:
        return values[:, 0] if values.shape[1] == 1 else values
    import pandas as pd

    if values.shape[1] == 1:
        return pd.DataFrame(values[:, 0], index=future_index, columns=list(labels))
    columns = pd.MultiIndex.from_product([list(target_names), list(labels)])
    return pd.DataFrame(
        values.reshape(len(values), -1), index=future_index, columns=columns
    )


def _probabilistic_estimator(model, method):
    estimator = model.estimator_
    if not hasattr(estimator, method) or _head(estimator) is None:
        raise ValueError(
            f"WindowedForecaster.{method} needs a wrapped estimator fitted with a "
            f"probabilistic loss; {_name(estimator)} has none. Wrap e.g. "
            "GRUForecaster(loss='quantile', quantiles=(0.1, 0.5, 0.9)) or "
            "GRUForecaster(loss='student_t'); for calibrated intervals around a "
            "point forecaster, wrap ConformalForecaster(...) and call "
            "predict_interval."
        )
    return estimator


def _head(estimator):
    """The fitted head of the estimator (``distribution_``), or None."""
    return getattr(estimator, "distribution_", None)


def _name(estimator):
    inner = getattr(estimator, "estimator", estimator)
    return type(inner).__name__


def _levels(model, estimator, quantiles):
    if quantiles is None:
        return tuple(estimator.quantiles_)
    return check_quantile_levels(quantiles, "quantiles")


def _last_window(model, X, future):
    inputs, targets, future_index = forecast_inputs(model, X, future)
    return window_view(inputs, model.window_)[:1], targets, future_index


def _in_series_units(model, y_model, history):
    """Estimator outputs of the last window -> ``(n, horizon, n_targets)`` in
    series units, ``history`` the series' targets before the forecast."""
    y = model_in_series_scale(model, y_model)
    histories = np.broadcast_to(history, (len(y), *history.shape))
    return model._to_series_units(y, histories)


def _paths(model, estimator, X_window, targets, n_samples, random_state):
    """``(n_samples, horizon, n_targets)`` paths in series units."""
    draws = np.asarray(
        estimator.predict_samples(
            X_window, n_samples=n_samples, random_state=random_state
        )
    )
    # (1, ..., n_samples) -> (n_samples, ...): one path per row
    draws = np.moveaxis(draws, -1, 0).reshape(n_samples, -1)
    return _in_series_units(model, draws, targets)
