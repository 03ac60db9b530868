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
  draw paths. A :class:`ConformalForecaster` (absolute residuals) is
  calibrated on the errors of the integrated level forecasts instead
  (:mod:`._conformal_levels`).

Functions of the fitted forecaster (``model``), reading only its fitted
attributes, as in ``_prediction.py``.
"""

import numpy as np

from ..estimators._probabilistic import check_quantile_levels
from ..utils._validation import check_coverage
from ..windowing import window_view
from . import _rows as row_mode
from ._columns import CallError
from ._conformal_levels import check_level_conformal, is_conformal, level_bounds
from ._prediction import (
    forecast_inputs,
    model_in_series_scale,
    row_blocks,
    series_windows,
)

__all__ = [
    "bounds",
    "check_interval_estimator",
    "forecast_interval",
    "forecast_quantiles",
    "forecast_samples",
    "format_with_levels",
    "has_head",
    "interval_rows",
    "paths_in_series_units",
    "quantile_rows",
    "quantiles_in_series_units",
    "sample_rows",
    "window_intervals",
    "window_quantiles",
]

# Sample paths behind quantiles of a differenced series; seeded (repeatable).
QUANTILE_PATHS = 1000


def forecast_quantiles(model, X, quantiles, future):
    """Quantiles ``(horizon, n_targets, n_levels)`` of the forecast after ``X``,
    in the units of the series, the levels, and the forecast's dates."""
    estimator = _probabilistic_estimator(model, "predict_quantiles")
    levels = _levels(estimator, quantiles)
    X_window, targets, future_index = _last_window(model, X, future)
    values = quantiles_in_series_units(
        model, estimator, X_window, targets[None], levels
    )
    return values[0], levels, future_index


def forecast_samples(model, X, n_samples, random_state, future):
    """Sample paths ``(horizon, n_targets, n_samples)`` of the future after
    ``X``, in the units of the series, and the forecast's dates."""
    estimator = _probabilistic_estimator(model, "predict_samples")
    X_window, targets, future_index = _last_window(model, X, future)
    paths = paths_in_series_units(
        model, estimator, X_window, targets[None], n_samples, random_state
    )
    return np.moveaxis(paths[:, 0], 0, -1), future_index


def forecast_interval(model, X, coverage, future):
    """``(lower, upper)``, ``(horizon, n_targets)`` each, of the forecast after
    ``X`` in series units, and the forecast's dates (see :func:`bounds`)."""
    if not has_head(model.estimator_):
        check_interval_estimator(model)
    X_window, targets, future_index = _last_window(model, X, future)
    lower, upper = bounds(model, X_window, targets[None], coverage)
    return lower[0], upper[0], future_index


def quantile_rows(model, X, quantiles):
    """Row mode: quantiles ``(n_rows, n_targets, n_levels)`` of every row of
    ``X`` (as ``predict``'s forecasts), the levels and ``X``'s index."""
    estimator = _probabilistic_estimator(model, "predict_quantiles")
    levels = _levels(estimator, quantiles)
    blocks = row_blocks(model, X)
    values = quantiles_in_series_units(
        model, estimator, blocks.windows, blocks.history, levels
    )
    values = row_mode.assemble(values, blocks.n_rows, model.horizon_)
    return values, levels, blocks.index


def sample_rows(model, X, n_samples, random_state):
    """Row mode: paths ``(n_rows, n_targets, n_samples)`` of every row of ``X``
    and ``X``'s index (each block of ``horizon`` rows is one path)."""
    estimator = _probabilistic_estimator(model, "predict_samples")
    blocks = row_blocks(model, X)
    paths = paths_in_series_units(
        model, estimator, blocks.windows, blocks.history, n_samples, random_state
    )
    values = row_mode.assemble(np.moveaxis(paths, 0, -1), blocks.n_rows, model.horizon_)
    return values, blocks.index


def interval_rows(model, X, coverage):
    """Row mode: ``(lower, upper)``, ``(n_rows, n_targets)`` each, of every row
    of ``X`` (see :func:`bounds`); and ``X``'s index."""
    if not has_head(model.estimator_):
        check_interval_estimator(model)
    blocks = row_blocks(model, X)
    lower, upper = bounds(model, blocks.windows, blocks.history, coverage)
    n_rows, horizon = blocks.n_rows, model.horizon_
    return (
        row_mode.assemble(lower, n_rows, horizon),
        row_mode.assemble(upper, n_rows, horizon),
        blocks.index,
    )


def window_quantiles(model, X, quantiles):
    """Quantiles ``(n_windows, horizon, n_targets, n_levels)`` of the forecast
    of every window of ``X`` (those of ``model.window_forecasts(X)``), in
    series units, and the levels: what backtest scores."""
    estimator = _probabilistic_estimator(model, "predict_quantiles")
    levels = _levels(estimator, quantiles)
    windows = series_windows(model, X)
    values = quantiles_in_series_units(
        model, estimator, windows.windows, windows.history, levels
    )
    return values, levels


def window_intervals(model, X, coverage):
    """``(lower, upper)``, ``(n_windows, horizon, n_targets)`` each, of the
    forecast of every window of ``X`` (see :func:`bounds`)."""
    coverage = check_coverage(coverage)
    if not has_head(model.estimator_):
        check_interval_estimator(model)
    windows = series_windows(model, X)
    return bounds(model, windows.windows, windows.history, coverage)


def bounds(model, windows, history, coverage):
    """``(lower, upper)``, ``(n, horizon, n_targets)`` each, of the forecasts
    of ``windows`` in series units (``history``: the targets before each): the
    head's ``(1 - coverage) / 2`` and ``(1 + coverage) / 2`` quantiles, else
    the wrapped estimator's ``predict_interval`` mapped back bound by bound
    (check it first with :func:`check_interval_estimator`)."""
    levels = ((1 - coverage) / 2, (1 + coverage) / 2)
    if has_head(model.estimator_):
        estimator = _probabilistic_estimator(model, "predict_quantiles")
        values = quantiles_in_series_units(model, estimator, windows, history, levels)
        return values[..., 0], values[..., 1]
    if model.difference_ and is_conformal(model.estimator_):
        lower, upper = level_bounds(model, windows, history, coverage)
        _check_finite(lower), _check_finite(upper)
        return lower, upper
    mapped = [
        _in_series_units(model, bound, history)
        for bound in model.estimator_.predict_interval(windows, coverage=coverage)
    ]
    return np.minimum(*mapped), np.maximum(*mapped)


def quantiles_in_series_units(model, estimator, windows, history, levels):
    """Quantiles ``(n, horizon, n_targets, n_levels)`` of the forecasts of
    ``windows`` in series units; ``history``: the targets before each window's
    forecast, ``(n, n_history, n_targets)``."""
    if not model.difference_:
        values = np.asarray(estimator.predict_quantiles(windows, quantiles=levels))
        _check_increasing(model, values[..., 0], history)
        per_level = [
            _in_series_units(model, values[..., j], history) for j in range(len(levels))
        ]
        # An increasing target_transform keeps the order; sorting only removes
        # rounding crossings.
        return np.sort(np.stack(per_level, axis=-1), axis=-1)
    if _head(estimator) == "quantile":
        raise ValueError(
            "Quantiles of a differenced series cannot come from a quantile head: "
            "the series is the last value plus a sum of forecast differences, "
            "and quantiles of a sum are not sums of quantiles. Fit with a "
            "distribution loss (loss='student_t' or 'gaussian'), whose sample "
            "paths are integrated, or without difference."
        )
    paths = paths_in_series_units(model, estimator, windows, history, QUANTILE_PATHS, 0)
    return np.moveaxis(np.quantile(paths, levels, axis=0), 0, -1)


def paths_in_series_units(model, estimator, windows, history, n_samples, random_state):
    """Sample paths ``(n_samples, n, horizon, n_targets)`` of the forecasts of
    ``windows`` in series units (differences integrated path by path)."""
    n = len(windows)
    draws = np.asarray(
        estimator.predict_samples(
            windows, n_samples=n_samples, random_state=random_state
        )
    )
    # (n, ..., n_samples) -> one path per row, sample-major: row s * n + i
    draws = np.moveaxis(draws, -1, 0).reshape(n_samples * n, -1)
    histories = np.tile(history, (n_samples, 1, 1))
    paths = _in_series_units(model, draws, histories)
    return paths.reshape(n_samples, n, *paths.shape[1:])


def has_head(estimator):
    """Whether the (fitted) estimator has a probabilistic head."""
    return _head(estimator) is not None


def check_interval_estimator(model):
    """Refuse intervals the wrapped estimator cannot give in series units."""
    # a panel's StaticInputs has every method: ask the estimator it wraps
    if not hasattr(_unwrapped(model.estimator_), "predict_interval"):
        raise CallError(
            f"{_name(model.estimator_)} has no predict_interval: wrap "
            "it, e.g. WindowedForecaster(ConformalForecaster(estimator), ...), "
            "for calibrated intervals."
        )
    if model.difference_ and is_conformal(model.estimator_):
        check_level_conformal(model)
    elif model.difference_:
        # with difference="auto", the series that has differences is named
        auto = model.difference == "auto"
        error = ValueError if auto else CallError
        how = (
            f"the differences {tuple(model.difference_)} that difference='auto' "
            "(the default) chose"
            if auto
            else f"difference={model.difference!r}"
        )
        raise error(
            f"The intervals of {_name(model.estimator_)} are not available "
            f"with {how}: its bounds of the differences do not add up to "
            "bounds of the series. Wrap ConformalForecaster(estimator) "
            "(method='absolute', calibrated on the errors of the integrated "
            "level forecasts), use a distribution head (loss='student_t', "
            "whose sample paths are integrated), or fit with difference=None."
        )


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
        raise CallError(
            f"WindowedForecaster.{method} needs a wrapped estimator fitted with a "
            f"probabilistic loss; the wrapped {_name(estimator)} has none (a "
            "ConformalForecaster calibrates intervals only: call "
            "predict_interval). Wrap e.g. "
            "GRUForecaster(loss='quantile', quantiles=(0.05, 0.5, 0.95)) or "
            "GRUForecaster(loss='student_t'); for calibrated intervals around a "
            "point forecaster, wrap ConformalForecaster(...) and call "
            "predict_interval."
        )
    return estimator


def _head(estimator):
    """The fitted head of the estimator (``distribution_``), or None."""
    return getattr(estimator, "distribution_", None)


def _name(estimator):
    """The wrapped estimator's class name (through a panel's StaticInputs,
    which forwards every other attribute, ``fit`` included)."""
    return type(_unwrapped(estimator)).__name__


def _unwrapped(estimator):
    """The wrapped estimator itself, not a panel's StaticInputs around it."""
    from ._panel import StaticInputs

    return estimator.estimator if isinstance(estimator, StaticInputs) else estimator


def _levels(estimator, quantiles):
    if quantiles is None:
        return tuple(estimator.quantiles_)
    try:
        return check_quantile_levels(quantiles, "quantiles")
    except ValueError as error:
        raise CallError(str(error)) from None


def _last_window(model, X, future):
    inputs, targets, future_index = forecast_inputs(model, X, future)
    return window_view(inputs, model.window_)[:1], targets, future_index


def _in_series_units(model, y_model, history):
    """Estimator outputs ``(n, ...)`` -> ``(n, horizon, n_targets)`` in series
    units; ``history`` ``(n, n_history, n_targets)``: the targets before each.

    Raises
    ------
    ValueError
        Where the inverse ``target_transform`` has no value (Box-Cox beyond
        its bound): a NaN quantile or path would pass for a number.
    """
    y = model._to_series_units(model_in_series_scale(model, y_model), history)
    if np.isfinite(np.asarray(y_model, dtype=np.float64)).all():
        _check_finite(y)
    return y


def _check_finite(y):
    """Refuse values in series units that the inverse ``target_transform``
    has no value for (from finite values in model units)."""
    if not np.isfinite(y).all():
        raise ValueError(
            "The inverse of target_transform has no value at some forecast "
            "quantiles or sample paths (e.g. Box-Cox beyond its bound, "
            "-1/lambda): they are too far out for the transform. Ask for less "
            "extreme levels, or use target_transform='log'."
        )


def _decreasing_step(model):
    """What the refusal of a decreasing map back to the series names: the
    scale transformer when that is the user's, else ``target_transform``."""
    custom_scale = model.scale not in (True, False, "window", "level")
    if custom_scale and model.target_transform is None:
        return "The scale transformer"
    if custom_scale:
        return "target_transform or the scale transformer"
    return "target_transform"


def _check_increasing(model, y_model, history):
    """Refuse a decreasing ``target_transform`` (or ``scale`` transformer):
    it would turn the ``q`` quantile into the ``1 - q`` one, silently
    relabelled."""
    y_model = np.asarray(y_model, dtype=np.float64)
    step = 1e-3 * (1.0 + np.abs(y_model))
    low = _in_series_units(model, y_model, history)
    high = _in_series_units(model, y_model + step, history)
    if np.any(high < low):
        raise ValueError(
            f"{_decreasing_step(model)} decreases: its inverse maps the q "
            "quantile of the model to the 1 - q quantile of the series, so the "
            "levels would be mislabelled. Use an increasing transform (log, "
            "Box-Cox, ...) for quantiles and intervals."
        )
