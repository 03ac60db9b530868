"""Split-conformal intervals of a differenced series, in its levels.

A :class:`WindowedForecaster` with ``difference`` forecasts differences ``d``
(scaled, after ``target_transform``). Its forecast of the (transformed) level
at step ``h`` is ``K + (A d_hat)_h``: ``K`` depends on the known history only,
and ``A``, the integration of the differences for the fitted lags, is linear
and lower triangular (a seasonal lag shorter than the horizon couples steps
``h`` and ``h - lag`` of the same forecast, nothing earlier). The level's true
value is ``K + (A d)_h``, so the error of the level forecast is ``(A r)_h``,
``r = d - d_hat`` the window's signed residual vector. A
:class:`ConformalForecaster` keeps those vectors for its calibration windows
(``calibration_residuals_``); split conformal on the scores ``|(A r_i)_h|``
per step and target then bounds the level forecast, with the usual guarantee.

The target scaler (and a panel's per-window normalization) is affine per
target, so it multiplies the half-width by its slope; ``target_transform`` is
monotone, so the bounds are formed in its units and inverted (they stay
bounds, as without differences).
"""

import numpy as np

from ..utils._validation import check_coverage
from ._columns import CallError
from ._conformal import ConformalForecaster, conformal_quantile
from ._panel import StaticInputs
from ._prediction import forecast_windows, model_in_series_scale
from ._transforms import (
    check_difference,
    integrate,
    inverse_target_transform,
    to_transformed_levels,
)

__all__ = [
    "check_level_conformal",
    "is_conformal",
    "level_bounds",
    "level_scores",
    "refuse_cqr_with_difference",
]


def level_scores(residuals, lags):
    """Sorted absolute errors of the level forecasts of calibration windows.

    Parameters
    ----------
    residuals : ndarray of shape (n_calibration, horizon, n_targets)
        Signed residuals ``d - d_hat`` of the forecast differences.
    lags : tuple of int
        Lags of the differences.

    Returns
    -------
    scores : ndarray of shape (n_calibration, horizon, n_targets)
        ``|A r|``, ``A`` the integration of ``lags`` (``integrate`` from a zero
        history: it is linear), sorted along axis 0.
    """
    residuals = np.asarray(residuals, dtype=np.float64)
    zeros = np.zeros((len(residuals), sum(lags), residuals.shape[2]))
    return np.sort(np.abs(integrate(residuals, zeros, lags)), axis=0)


def level_bounds(model, windows, history, coverage):
    """``(lower, upper)``, ``(n, horizon, n_targets)`` each, in series units:
    the level forecasts of ``windows`` (``history``: the targets before each)
    plus and minus the conformal quantile of :func:`level_scores` (check the
    estimator first with :func:`check_level_conformal`)."""
    coverage = check_coverage(coverage)
    estimator, lags = model.estimator_, model.difference_
    scores = level_scores(estimator.calibration_residuals_, lags)
    half_width = conformal_quantile(scores, coverage)  # refuses before forecasting
    point = forecast_windows(model, windows)
    levels = to_transformed_levels(model.target_transform_, lags, point, history)
    width = _output_slope(model, windows)[:, None, :] * half_width
    transform = model.target_transform_
    lower = inverse_target_transform(transform, levels - width)
    upper = inverse_target_transform(transform, levels + width)
    # a decreasing transform swaps them, as bounds() does without differences
    return np.minimum(lower, upper), np.maximum(lower, upper)


def is_conformal(estimator):
    """Whether the fitted ``estimator`` (through a panel's StaticInputs) is a
    :class:`ConformalForecaster`."""
    if isinstance(estimator, StaticInputs):
        estimator = estimator.estimator
    return isinstance(estimator, ConformalForecaster)


def check_level_conformal(model):
    """Refuse level intervals of a differenced ``model`` (one series, or a
    panel member's view) that its :class:`ConformalForecaster` cannot give."""
    estimator = model.estimator_
    if estimator.method_ == "cqr":
        chosen = isinstance(model.difference, str)  # "auto" chose the lags
        raise ValueError(_cqr_message(model.difference_, chosen))
    if getattr(estimator, "calibration_residuals_", None) is None:
        raise CallError(
            "This ConformalForecaster was fitted by an older skseq, which kept "
            "no signed calibration residuals (calibration_residuals_): its "
            "intervals cannot be integrated to the levels of a differenced "
            "series. Refit the WindowedForecaster."
        )
    _check_pooled_lags(model)


def _check_pooled_lags(model):
    """Refuse a panel's series whose lags differ from those of another series
    (``difference="auto"`` chooses per series): the pooled calibration
    residuals would be integrated with this series' lags, not each window's."""
    states = getattr(model, "series_state_", None)
    fitted = getattr(states, "series_lags", None)
    if fitted is None:
        return
    chosen = {tuple(lags) for lags in fitted} | {tuple(model.difference_)}
    if len(chosen) > 1:
        # about the whole panel: a CallError, not prefixed with one series' name
        raise CallError(
            "difference='auto' chose different lags for the series of this "
            f"panel ({sorted(chosen)}), but ConformalForecaster pools the "
            "calibration residuals of every series, and a level interval "
            "integrates them with one series' lags. Give the lags explicitly "
            "(e.g. difference=1) for calibrated intervals."
        )


def refuse_cqr_with_difference(model):
    """In ``fit``: refuse ``ConformalForecaster(method="cqr")`` with explicit
    ``difference`` (``"auto"`` may choose none; its intervals are refused
    later, if it chose some)."""
    estimator = model.estimator
    if not isinstance(estimator, ConformalForecaster) or estimator.method != "cqr":
        return
    lags = check_difference(model.difference)
    if lags and lags != "auto":
        raise ValueError(_cqr_message(lags))


def _cqr_message(lags, chosen=False):
    how = "'auto' -> " if chosen else ""
    return (
        f"ConformalForecaster(method='cqr') cannot give intervals with "
        f"difference={how}{lags}: CQR calibrates the estimator's quantile bounds "
        "of each difference, and bounds of differences do not add up to "
        "bounds of the series. Use ConformalForecaster(method='absolute'), "
        "which calibrates the errors of the integrated level forecasts; or "
        "a distribution head (loss='student_t') without ConformalForecaster, "
        "whose sample paths are integrated; or difference=None."
    )


def _output_slope(model, windows):
    """``(n, n_targets)``: how far one unit of the estimator's output moves
    the forecast (target scaler, times a panel's per-window normalization);
    refuses a target scaler that is not affine."""
    n_targets = len(model.target_names_)
    unit = np.ones((1, model.horizon_ * n_targets))
    at = [model_in_series_scale(model, k * unit)[0] for k in (0, 1, 2)]
    slope = np.abs(at[1] - at[0])
    if not (np.allclose(at[2] - at[0], 2 * slope) and np.allclose(slope, slope[0])):
        raise ValueError(
            "Conformal intervals with difference need a target scaler that is "
            "affine (scale=True, StandardScaler, MinMaxScaler, RobustScaler, "
            f"...); {model.target_scaler_!r} is not."
        )
    slope = np.broadcast_to(slope[0], (len(windows), n_targets))
    estimator = model.estimator_
    if isinstance(estimator, StaticInputs):
        slope = slope * estimator.output_slope(windows, n_targets)
    return slope
