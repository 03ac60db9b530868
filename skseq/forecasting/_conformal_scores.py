"""Split-conformal intervals from conformity scores, on arrays only.

Any forecaster that keeps sorted conformity scores of held-out forecasts
(absolute residuals, or the CQR scores of quantile forecasts) can turn them
into intervals with these functions; :class:`ConformalForecaster` is the
estimator built on them.
"""

import math

import numpy as np

from ..utils._validation import check_coverage

__all__ = [
    "conformal_bounds",
    "conformal_quantile",
    "cqr_scores",
    "sorted_residuals",
]


def sorted_residuals(y_true, y_pred):
    """Absolute residuals of held-out forecasts, sorted along the samples.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_calibration, ...)
        True values and forecasts of the calibration samples.

    Returns
    -------
    residuals : ndarray of shape (n_calibration, ...)
        ``|y_true - y_pred|`` sorted along axis 0, separately for each output.
    """
    residuals = np.abs(np.asarray(y_true, np.float64) - np.asarray(y_pred, np.float64))
    return np.sort(residuals, axis=0)


def cqr_scores(y_true, lower, upper):
    """Conformity scores of conformalized quantile regression, sorted.

    Parameters
    ----------
    y_true, lower, upper : array-like of shape (n_calibration, ...)
        True values, and the lower and upper quantile forecasts of the
        calibration samples.

    Returns
    -------
    scores : ndarray of shape (n_calibration, ...)
        ``max(lower - y_true, y_true - upper)`` sorted along axis 0, separately
        for each output: negative inside the interval (by the distance to the
        nearer bound), positive outside it (by the distance to the bound
        crossed).
    """
    y_true = np.asarray(y_true, np.float64)
    scores = np.maximum(np.asarray(lower) - y_true, y_true - np.asarray(upper))
    return np.sort(scores, axis=0)


def conformal_quantile(residuals, coverage):
    """The split-conformal half-width of a ``coverage`` interval, per output.

    Parameters
    ----------
    residuals : ndarray of shape (n_calibration, ...)
        Sorted conformity scores: absolute residuals (:func:`sorted_residuals`)
        or CQR scores (:func:`cqr_scores`).
    coverage : float
        Nominal coverage in (0, 1).

    Returns
    -------
    half_width : ndarray of shape ``residuals.shape[1:]``
        The ``ceil((n_calibration + 1) * coverage)``-th smallest score: on
        exchangeable data an interval ``forecast +/- half_width`` (for CQR,
        ``[lower - half_width, upper + half_width]``, where it may be negative)
        holds the truth with probability at least ``coverage``.
    """
    coverage = check_coverage(coverage)
    n_calibration = len(residuals)
    # 1e-9 keeps float rounding of e.g. 20 * 0.95 from adding one rank.
    rank = math.ceil((n_calibration + 1) * coverage - 1e-9)
    if rank > n_calibration:
        needed = math.ceil(coverage / (1 - coverage) - 1e-9)
        raise ValueError(
            f"coverage={coverage} needs at least {needed} calibration samples, "
            f"but there are {n_calibration}: lower coverage, or calibrate on more "
            "samples (a larger calibration_fraction or more data)."
        )
    return residuals[rank - 1]


def conformal_bounds(y_pred, residuals, coverage):
    """Lower and upper bounds of split-conformal intervals around forecasts.

    Parameters
    ----------
    y_pred : ndarray of shape (n_samples, ...)
        Forecasts; ``y_pred.shape[1:]`` must equal ``residuals.shape[1:]``.
    residuals : ndarray of shape (n_calibration, ...)
        Sorted absolute residuals (:func:`sorted_residuals`).
    coverage : float
        Nominal coverage in (0, 1).

    Returns
    -------
    lower, upper : ndarray of the shape of ``y_pred``
    """
    half_width = conformal_quantile(residuals, coverage)
    y_pred = np.asarray(y_pred, np.float64)
    return y_pred - half_width, y_pred + half_width
