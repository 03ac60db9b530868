"""Split-conformal prediction intervals around any forecaster.

The functions work on arrays only, so that any forecaster that keeps absolute
residuals of held-out forecasts (sorted along the first axis) can turn them into
intervals; :class:`ConformalForecaster` is the estimator built on them.
"""

import math

import numpy as np
from sklearn.base import MetaEstimatorMixin, clone
from sklearn.utils.validation import check_is_fitted

from ..estimators._forecaster_base import BaseSequenceForecaster, targets_for
from ..utils._validation import (
    check_bool,
    check_coverage,
    check_float,
    check_int,
)

__all__ = [
    "ConformalForecaster",
    "conformal_bounds",
    "conformal_quantile",
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


def conformal_quantile(residuals, coverage):
    """The split-conformal half-width of a ``coverage`` interval, per output.

    Parameters
    ----------
    residuals : ndarray of shape (n_calibration, ...)
        Sorted absolute residuals (:func:`sorted_residuals`).
    coverage : float
        Nominal coverage in (0, 1).

    Returns
    -------
    half_width : ndarray of shape ``residuals.shape[1:]``
        The ``ceil((n_calibration + 1) * coverage)``-th smallest residual: on
        exchangeable data an interval ``forecast +/- half_width`` holds the truth
        with probability at least ``coverage``.
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


class ConformalForecaster(MetaEstimatorMixin, BaseSequenceForecaster):
    """Calibrated prediction intervals around any forecaster (split conformal).

    ``fit`` holds out the latest ``calibration_fraction`` of the samples (taken
    in the order given, which must be chronological), fits a clone of
    ``estimator`` on the earlier ones and keeps the sorted absolute residuals of
    its forecasts on the held-out ones, for every horizon step and target.
    ``predict_interval(X, coverage)`` widens the forecast by the
    ``ceil((n + 1) coverage)``-th smallest residual, for any ``coverage`` after
    one fit. If calibration and future errors are exchangeable (i.i.d. noise, a
    stationary series), each step's interval holds the truth with probability
    at least ``coverage``; on a drifting series it holds only as far as the
    latest errors resemble the future ones.

    Parameters
    ----------
    estimator : estimator object
        A skseq forecaster, or any regressor taking the same ``X`` (e.g.
        ``make_pipeline(FlattenSequence(), Ridge())``), which is fitted on the
        targets flattened to ``(n_samples, horizon * n_targets)`` (1D for one
        output) -- unless it wraps a skseq forecaster (a ``Pipeline`` ending in
        one, a search around one): with several targets, that gets them 3D.
        Cloned; the clone is fitted.
    calibration_fraction : float, default=0.2
        Share of the samples, the latest ones, held out to calibrate.
    gap : int, default=0
        Samples dropped between the fitted and the calibration part. With
        windows cut from one series at stride 1, ``horizon - 1`` keeps the
        targets of the last fitted windows out of the calibration targets.
    refit : bool, default=False
        After calibrating, refit the estimator on all samples. Its forecasts are
        then better informed, but the residuals were measured on another model,
        so the coverage guarantee no longer holds exactly (usually the intervals
        get slightly conservative, as the refitted model errs less).

    Attributes
    ----------
    estimator_ : estimator object
        The fitted clone of ``estimator`` that forecasts.
    residuals_ : ndarray of shape (n_calibration, horizon, n_targets)
        Absolute calibration residuals, sorted along axis 0.
    n_features_in_ : int
        Number of features per time step seen in ``fit``.
    n_timesteps_in_ : int
        Sequence length seen in ``fit``.
    horizon_ : int
        Number of forecast steps.
    n_targets_ : int
        Number of target series.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq import ConformalForecaster, NaiveForecaster
    >>> rng = np.random.default_rng(0)
    >>> series = np.cumsum(rng.normal(size=(200, 11)), axis=1)
    >>> X, y = series[:, :10], series[:, 10]
    >>> model = ConformalForecaster(NaiveForecaster()).fit(X, y)
    >>> lower, upper = model.predict_interval(X[:3], coverage=0.9)
    >>> bool((lower < model.predict(X[:3])).all())
    True
    """

    # the wrapped estimator casts what it needs; residuals stay float64
    _input_dtype = None

    @classmethod
    def _get_test_params(cls):
        """Parameters of small instances for the tests; the first is the fast one."""
        from ..estimators import NaiveForecaster

        return [{"estimator": NaiveForecaster()}]

    def __init__(self, estimator, *, calibration_fraction=0.2, gap=0, refit=False):
        self.estimator = estimator
        self.calibration_fraction = calibration_fraction
        self.gap = gap
        self.refit = refit

    def fit(self, X, y):
        """Fit on the earlier samples and calibrate on the latest ones.

        There is no ``sample_weight``: the calibration residuals count alike,
        as split conformal's coverage needs. To weight the training, fit the
        wrapped estimator yourself with its weights (without calibrated
        intervals).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Input sequences, in chronological order.
        y : array-like of shape (n_samples,), (n_samples, horizon) or \
                (n_samples, horizon, n_targets)
            The values following each sequence.

        Returns
        -------
        self : ConformalForecaster
        """
        X, y3, shapes = self._validate_training_data(X, y)
        y = targets_for(self.estimator, y3, shapes["y_ndim_"])
        n_fit, n_calibration = self._split_sizes(len(X))
        estimator = clone(self.estimator).fit(X[:n_fit], y[:n_fit])
        held_out = slice(len(X) - n_calibration, None)
        y_pred = np.asarray(estimator.predict(X[held_out]))
        residuals = sorted_residuals(y3[held_out], y_pred.reshape(y3[held_out].shape))
        if self.refit:
            estimator = clone(self.estimator).fit(X, y)
        for name, value in shapes.items():
            setattr(self, name, value)
        self.estimator_ = estimator
        self.residuals_ = residuals
        return self

    def predict(self, X):
        """Forecast with the fitted estimator.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Input sequences.

        Returns
        -------
        y_pred : ndarray of the shape ``y`` had in ``fit``
        """
        check_is_fitted(self)
        return self._format_predictions(self._forecast(X))

    def predict_interval(self, X, coverage=0.9):
        """Split-conformal prediction intervals around the forecasts.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Input sequences.
        coverage : float, default=0.9
            Nominal share of true values inside the interval, in (0, 1). It
            needs at least ``coverage / (1 - coverage)`` calibration samples
            (9 for 0.9, 99 for 0.99).

        Returns
        -------
        lower, upper : ndarray of the shape ``y`` had in ``fit``
            The forecast minus and plus the calibrated half-width of each
            horizon step and target.
        """
        check_is_fitted(self)
        coverage = check_coverage(coverage)
        conformal_quantile(self.residuals_, coverage)  # refuse before forecasting
        lower, upper = conformal_bounds(self._forecast(X), self.residuals_, coverage)
        return self._format_predictions(lower), self._format_predictions(upper)

    def _forecast(self, X):
        """The estimator's forecast as (n_samples, horizon, n_targets)."""
        y_pred = np.asarray(self.estimator_.predict(self._validate_predict_data(X)))
        return y_pred.reshape(len(y_pred), self.horizon_, self.n_targets_)

    def _split_sizes(self, n_samples):
        """Numbers of samples to fit on and to calibrate on."""
        fraction = check_float(
            self.calibration_fraction,
            "calibration_fraction",
            low=0,
            high=1,
            high_inclusive=False,
        )
        gap = check_int(self.gap, "gap", min_value=0)
        check_bool(self.refit, "refit")
        n_calibration = math.ceil(n_samples * fraction)
        n_fit = n_samples - n_calibration - gap
        if n_calibration < 1 or n_fit < 1:
            raise ValueError(
                f"ConformalForecaster with calibration_fraction={fraction} and "
                f"gap={gap} needs at least one sample to fit on and one to "
                f"calibrate on; got {n_samples} samples."
            )
        return n_fit, n_calibration
