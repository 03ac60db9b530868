"""Warnings of a panel fit: series left out of training, and interval widths
pooled over series of different sizes."""

import warnings

import numpy as np

__all__ = ["warn_pooled_units", "warn_too_short"]


def warn_too_short(too_short, n_series, window, horizon):
    """Warn, naming them, of the series left out of training (too short)."""
    if not too_short:
        return
    shown = ", ".join(repr(i) for i in too_short[:10])
    more = f" and {len(too_short) - 10} more" if len(too_short) > 10 else ""
    warnings.warn(
        f"{len(too_short)} of {n_series} series are too short for one training "
        f"window (window={window} + horizon={horizon} rows, plus their "
        f"differences) and were left out of training: {shown}{more}. They are "
        "still forecast when they have at least window (+ differences) rows.",
        UserWarning,
        stacklevel=4,
    )


def warn_pooled_units(model, estimator, states):
    """Warn when a ConformalForecaster pools the calibration residuals of
    series in their own units (``scale=False`` or ``"level"``, no
    ``target_transform``) and the series' sizes differ tenfold: one width then
    serves every series, too wide for the small ones, too narrow for the large."""
    from ._conformal import ConformalForecaster
    from ._panel import StaticInputs

    if isinstance(estimator, StaticInputs):
        estimator = estimator.estimator
    if not isinstance(estimator, ConformalForecaster) or model.target_transform:
        return
    if model.scale is not False and not (
        isinstance(model.scale, str) and model.scale == "level"
    ):
        return
    bounds = zip(states.offsets[:-1], states.offsets[1:], strict=True)
    sizes = np.array([states.targets[a:b].std() for a, b in bounds if b - a > 1])
    sizes = sizes[sizes > 0]
    if len(sizes) > 1 and sizes.max() > 10 * sizes.min():
        warnings.warn(
            "ConformalForecaster pools the calibration residuals of every series, "
            f"here in the series' own units (scale={model.scale!r}, no "
            "target_transform), but their spreads differ "
            f"{sizes.max() / sizes.min():.0f}-fold: every series gets one "
            "interval width, too wide for the small series and too narrow for "
            "the large ones (their mean coverage can still look right). Use "
            "scale=True or 'window', or a log target_transform.",
            UserWarning,
            stacklevel=4,
        )
