"""Conformalized quantile regression (CQR): the probabilistic head of a fitted
estimator, its quantile forecasts at fixed levels, and the calibrated margin.

:class:`ConformalForecaster` with ``method="cqr"`` keeps the calibration
samples' quantile forecasts at the levels of :func:`head_levels` and, at
predict time, interpolates the bounds of each coverage between them.
"""

import numpy as np

from ..estimators._probabilistic import interpolate_quantiles
from ._conformal_scores import conformal_quantile, cqr_scores

__all__ = [
    "DISTRIBUTION_LEVELS",
    "check_levels_span",
    "covers_default",
    "cqr_margin",
    "head_levels",
    "head_quantiles",
    "interval_levels",
    "probabilistic_head",
]

# Levels at which CQR keeps a distribution head's calibration quantiles: the
# bounds of every coverage up to 0.999 are interpolated between them, the same
# way on the calibration and on new windows (so the guarantee stays exact).
_LOWER_LEVELS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2)
_LOWER_LEVELS += (0.25, 0.3, 0.35, 0.4, 0.45)
DISTRIBUTION_LEVELS = (*_LOWER_LEVELS, 0.5, *(1.0 - q for q in reversed(_LOWER_LEVELS)))


def probabilistic_head(estimator):
    """The fitted probabilistic forecaster at the end of a fitted ``estimator``.

    That is ``estimator`` itself, the last step of a ``Pipeline`` or the
    ``best_estimator_`` of a search, at any depth, if its ``distribution_`` is
    not None (a skseq forecaster fitted with a probabilistic ``loss``). A
    ``TransformedTargetRegressor`` hides it: its regressor forecasts quantiles
    of the transformed targets, which need not map back to quantiles of ``y``.

    Returns
    -------
    head : tuple (forecaster, steps) or None
        The forecaster and the fitted ``Pipeline`` steps that transform ``X`` on
        its way, in order; None if there is no probabilistic forecaster.
    """
    from sklearn.pipeline import Pipeline

    steps = []
    while True:
        if isinstance(estimator, Pipeline) and estimator.steps:
            before = [step for _, step in estimator.steps[:-1]]
            steps += [s for s in before if s is not None and s != "passthrough"]
            estimator = estimator.steps[-1][1]
        elif hasattr(estimator, "best_estimator_"):
            estimator = estimator.best_estimator_
        else:
            break
    if getattr(estimator, "distribution_", None) is None:
        return None
    return estimator, steps


def head_levels(head):
    """Levels at which CQR keeps the quantiles of ``head``
    (:func:`probabilistic_head`): a quantile head's own levels (between which
    it interpolates linearly anyway), else :data:`DISTRIBUTION_LEVELS`."""
    forecaster = head[0]
    if forecaster.distribution_ == "quantile":
        return tuple(forecaster.quantiles_)
    return DISTRIBUTION_LEVELS


def head_quantiles(head, X, levels, shape):
    """Quantile forecasts of ``head`` (:func:`probabilistic_head`) on ``X``.

    Returns
    -------
    quantiles : ndarray of shape (n_samples, *shape, len(levels))
        ``shape`` is ``(horizon, n_targets)``.
    """
    forecaster, steps = head
    for step in steps:
        X = step.transform(X)
    values = np.asarray(forecaster.predict_quantiles(X, quantiles=levels), np.float64)
    return values.reshape(len(values), *shape, len(levels))


def cqr_margin(quantiles, y_true, levels, coverage):
    """How far conformalized quantile regression moves the bounds out (or in).

    Parameters
    ----------
    quantiles : ndarray of shape (n_calibration, ..., len(levels))
        Quantile forecasts of the calibration samples.
    y_true : ndarray of shape (n_calibration, ...)
        Their true values.
    levels : tuple of float
        Increasing levels of ``quantiles``; they must span
        :func:`interval_levels` of ``coverage``.
    coverage : float
        Nominal coverage in (0, 1).

    Returns
    -------
    margin : ndarray of shape ``y_true.shape[1:]``
        The conformal quantile (:func:`conformal_quantile`) of the CQR scores
        (:func:`cqr_scores`) of the interval between the
        :func:`interval_levels` quantiles, interpolated linearly in the level:
        on exchangeable data ``[lower - margin, upper + margin]``, with the
        bounds interpolated alike on a new sample, holds its truth with
        probability at least ``coverage``.
    """
    bounds = interpolate_quantiles(quantiles, levels, interval_levels(coverage))
    scores = cqr_scores(y_true, bounds[..., 0], bounds[..., 1])
    return conformal_quantile(scores, coverage)


def check_levels_span(levels, coverage):
    """Refuse a ``coverage`` whose interval levels lie beyond ``levels``."""
    low, high = interval_levels(coverage)
    # a level computed as (1 - 0.9) / 2 may miss 0.05 by a rounding error
    if low >= levels[0] - 1e-9 and high <= levels[-1] + 1e-9:
        return
    raise ValueError(
        f"coverage={coverage} needs the {low:g} and {high:g} quantiles, but CQR "
        f"kept the calibration quantiles at levels {levels[0]:g} to "
        f"{levels[-1]:g} only (coverage up to {levels[-1] - levels[0]:g}). "
        "Lower coverage; refit a quantile head with quantiles=... reaching "
        "those levels; or use method='absolute'."
    )


def interval_levels(coverage):
    """The quantile levels ``(1 - coverage) / 2`` and ``(1 + coverage) / 2``."""
    return (1 - coverage) / 2, (1 + coverage) / 2


def covers_default(estimator):
    """Whether the head gives ``predict_interval``'s default 90% interval: any
    distribution, or a quantile head whose levels reach 0.05 and 0.95 (else
    ``method="auto"`` calibrates absolute residuals of its median)."""
    forecaster = probabilistic_head(estimator)[0]
    if forecaster.distribution_ != "quantile":
        return True
    levels = forecaster.quantiles_
    return levels[0] <= 0.05 + 1e-9 and levels[-1] >= 0.95 - 1e-9
