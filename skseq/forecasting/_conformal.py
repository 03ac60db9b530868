"""Split-conformal prediction intervals around any forecaster.

:class:`ConformalForecaster` is built on functions that work on arrays only
(:mod:`._conformal_scores`, re-exported here), so that any forecaster that keeps
sorted conformity scores of held-out forecasts (absolute residuals, or the CQR
scores of quantile forecasts) can turn them into intervals; the CQR steps
(probabilistic head, quantile levels, margin) are in :mod:`._cqr`.
"""

import math

import numpy as np
from sklearn.base import MetaEstimatorMixin, clone
from sklearn.utils.validation import check_is_fitted

from ..estimators._forecaster_base import BaseSequenceForecaster
from ..estimators._probabilistic import interpolate_quantiles
from ..estimators._targets import targets_for
from ..utils._validation import (
    check_bool,
    check_choice,
    check_coverage,
    check_float,
    check_int,
    set_fitted_attributes,
)
from ._conformal_scores import (
    conformal_bounds,
    conformal_quantile,
    cqr_scores,
    sorted_residuals,
)
from ._cqr import (
    check_levels_span,
    covers_default,
    cqr_margin,
    head_levels,
    head_quantiles,
    interval_levels,
    probabilistic_head,
)
from ._nesting import refuse_series_forecaster

__all__ = [
    "ConformalForecaster",
    "conformal_bounds",
    "conformal_quantile",
    "cqr_scores",
    "sorted_residuals",
]

METHODS = ("auto", "absolute", "cqr")
CALIBRATION_ATTRIBUTES = (
    "calibration_levels_",
    "calibration_quantiles_",
    "calibration_targets_",
)


class ConformalForecaster(MetaEstimatorMixin, BaseSequenceForecaster):
    """Calibrated prediction intervals around any forecaster (split conformal).

    ``fit`` holds out the latest ``calibration_fraction`` of the samples (taken
    in the order given, which must be chronological), fits a clone of
    ``estimator`` on the earlier ones and keeps what its forecasts of the
    held-out ones got wrong, for every horizon step and target; after one fit,
    ``predict_interval(X, coverage)`` gives intervals for any ``coverage``, in
    one of two ways (``method``):

    - ``"absolute"``: the forecast widened by the ``ceil((n + 1) coverage)``-th
      smallest of the ``n`` absolute residuals: the same width for every
      sample.
    - ``"cqr"``, conformalized quantile regression (Romano, Patterson and
      Candès, 2019), for an estimator fitted with a probabilistic ``loss``: the
      estimator's own ``(1 - coverage) / 2`` and ``(1 + coverage) / 2``
      quantiles ``lo`` and ``hi``, moved out by the ``ceil((n + 1)
      coverage)``-th smallest score ``max(lo - y, y - hi)`` of the held-out
      samples (moved in where that is negative, the quantiles being too far
      apart). The width follows the estimator's: wide where it expects large
      errors, narrow where small.

    If calibration and future errors are exchangeable (i.i.d. noise, a
    stationary series), each step's interval holds the truth with probability
    at least ``coverage``, however good or bad the estimator or its quantiles;
    on a drifting series it holds only as far as the latest errors resemble the
    future ones.

    CQR must score the calibration samples at the levels of each
    ``coverage``, known only at predict time, so ``fit`` keeps their quantile
    forecasts at fixed levels (``calibration_quantiles_``), and bounds are
    interpolated linearly between those levels on the calibration and the new
    samples alike (which keeps the guarantee exact). A ``loss="quantile"``
    head's levels are its ``quantiles_``, between which it interpolates the same
    way, so the bounds before calibration are the head's own
    ``predict_interval``, and it refuses a coverage whose levels lie outside
    them. A distribution head's are 31 levels from 0.0005 to 0.9995 (0.0005,
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1 to 0.45 by 0.05, 0.5 and
    their mirrors; coverages up to 0.999): ``31 * n_calibration * horizon *
    n_targets`` floats, e.g. 60 MB for 10,000 windows of 24 steps.
    (Keeping the calibration inputs instead would forecast them again at every
    call, and with ``refit=True`` would need the first model too.)

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
        then better informed, but the residuals (or CQR scores) were measured on
        another model, so the coverage guarantee no longer holds exactly
        (usually the intervals get slightly conservative, as the refitted model
        errs less).
    method : {"auto", "absolute", "cqr"}, default="auto"
        How intervals are sized. ``"auto"`` is ``"cqr"`` when the fitted
        estimator is probabilistic (its ``distribution_`` is not None, or that
        of the last step of its ``Pipeline`` or the best estimator of its
        search) and gives the default 90% interval (a distribution, or a
        quantile head whose levels reach 0.05 and 0.95), else
        ``"absolute"``. ``"cqr"`` refuses other estimators
        (including a ``TransformedTargetRegressor``, whose quantiles are of the
        transformed targets).

    Attributes
    ----------
    estimator_ : estimator object
        The fitted clone of ``estimator`` that forecasts.
    method_ : {"absolute", "cqr"}
        The method ``predict_interval`` uses.
    residuals_ : ndarray of shape (n_calibration, horizon, n_targets)
        Absolute calibration residuals (of the median forecast of a
        probabilistic estimator), sorted along axis 0.
    calibration_residuals_ : ndarray of shape (n_calibration, horizon, n_targets)
        Signed calibration residuals ``y - y_pred`` (of the median forecast
        of a probabilistic estimator), in time order: a
        :class:`~skseq.forecasting.WindowedForecaster` with ``difference``
        integrates each sample's residual vector to the error of its forecast
        of the series' levels, and calibrates on those.
    calibration_levels_ : tuple of float or None
        Levels of ``calibration_quantiles_``; None for ``"absolute"``.
    calibration_quantiles_ : ndarray of shape (n_calibration, horizon, \
            n_targets, n_levels) or None
        Quantile forecasts of the calibration samples (in time order) at the
        ``n_levels`` levels of ``calibration_levels_``; None for
        ``"absolute"``.
    calibration_targets_ : ndarray of shape (n_calibration, horizon, \
            n_targets) or None
        True values of the calibration samples; None for ``"absolute"``.
    n_features_in_ : int
        Number of features per time step seen in ``fit``.
    n_timesteps_in_ : int
        Sequence length seen in ``fit``.
    feature_names_in_ : ndarray of str of shape (``n_timesteps_in_``,)
        Column names of a 2D DataFrame ``X`` in ``fit``; defined only when they
        are all strings.
    horizon_ : int
        Number of forecast steps.
    n_targets_ : int
        Number of target series.
    y_ndim_ : int
        Number of dimensions of ``y`` in ``fit`` (1, 2 or 3): the shape
        ``predict`` gives its forecasts.

    Notes
    -----
    There is no ``predict_quantiles``: CQR's score calibrates the two bounds of
    an interval together, so ``lo - margin`` holds no guarantee as a quantile
    of its own (the truth may fall below it more or less often than
    ``(1 - coverage) / 2``); calibrating each level by itself could make the
    levels cross, and sorting them again would lose those guarantees.

    References
    ----------
    Y. Romano, E. Patterson and E. Candès, "Conformalized quantile regression",
    NeurIPS 2019.

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

    With a quantile head, the intervals come from its quantiles (``"cqr"``):

    >>> from skseq import DenseForecaster
    >>> head = DenseForecaster(loss="quantile", quantiles=(0.05, 0.5, 0.95),
    ...                        epochs=2, random_state=0)
    >>> model = ConformalForecaster(head).fit(X, y)
    >>> model.method_
    'cqr'
    >>> lower, upper = model.predict_interval(X[:3], coverage=0.9)
    """

    # the wrapped estimator casts what it needs; residuals stay float64
    _input_dtype = None

    @classmethod
    def _get_test_params(cls):
        """Parameters of small instances for the tests; the first is the fast one."""
        from ..estimators import NaiveForecaster

        return [{"estimator": NaiveForecaster()}]

    def __init__(
        self,
        estimator,
        *,
        calibration_fraction=0.2,
        gap=0,
        refit=False,
        method="auto",
    ):
        self.estimator = estimator
        self.calibration_fraction = calibration_fraction
        self.gap = gap
        self.refit = refit
        self.method = method

    def fit(self, X, y=None):
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
                (n_samples, horizon, n_targets), default=None
            The values following each sequence (required: None is refused).

        Returns
        -------
        self : ConformalForecaster

        Raises
        ------
        TypeError
            For a ``WindowedForecaster`` as estimator (it goes outside).
        ValueError
            For ``method="cqr"`` and a fitted estimator that is not probabilistic.
        """
        refuse_series_forecaster(self.estimator, "ConformalForecaster")
        X, y3, shapes = self._validate_training_data(X, y)
        y = targets_for(self.estimator, y3, shapes["y_ndim_"])
        n_fit, n_calibration = self._split_sizes(len(X))
        check_choice(self.method, "method", METHODS)
        estimator = clone(self.estimator).fit(X[:n_fit], y[:n_fit])
        method = self._fitted_method(estimator)
        X_held_out, y_held_out = X[-n_calibration:], y3[-n_calibration:]
        y_pred = np.asarray(estimator.predict(X_held_out)).reshape(y_held_out.shape)
        residuals = sorted_residuals(y_held_out, y_pred)
        signed = np.asarray(y_held_out, np.float64) - y_pred
        calibration = self._calibration(estimator, method, X_held_out, y_held_out)
        if self.refit:
            estimator = clone(self.estimator).fit(X, y)
        set_fitted_attributes(self, {**shapes, **calibration})
        self.estimator_ = estimator
        self.method_ = method
        self.residuals_ = residuals
        self.calibration_residuals_ = signed
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
        """Split-conformal prediction intervals (see ``method``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Input sequences.
        coverage : float, default=0.9
            Nominal share of true values inside the interval, in (0, 1). It
            needs at least ``coverage / (1 - coverage)`` calibration samples
            (9 for 0.9, 99 for 0.99); with CQR around a quantile head, learned
            levels at or beyond ``(1 -/+ coverage) / 2``.

        Returns
        -------
        lower, upper : ndarray of the shape ``y`` had in ``fit``
            ``"absolute"``: the forecast minus and plus the calibrated
            half-width of each horizon step and target. ``"cqr"``: the
            estimator's quantiles moved by the calibrated margin of each step
            and target (if that margin is below minus half the quantiles'
            distance, CQR's interval is empty: ``lower == upper``, their
            middle, so that ``lower <= upper`` always).
        """
        check_is_fitted(self)
        coverage = check_coverage(coverage)
        if self.method_ == "cqr":
            lower, upper = self._cqr_interval(X, coverage)
        else:
            conformal_quantile(self.residuals_, coverage)  # refuse before forecasting
            lower, upper = conformal_bounds(
                self._forecast(X), self.residuals_, coverage
            )
        return self._format_predictions(lower), self._format_predictions(upper)

    def _cqr_interval(self, X, coverage):
        """CQR bounds (n_samples, horizon, n_targets) on ``X``."""
        levels = self.calibration_levels_
        check_levels_span(levels, coverage)
        margin = cqr_margin(  # refuses before forecasting
            self.calibration_quantiles_, self.calibration_targets_, levels, coverage
        )
        head = probabilistic_head(self.estimator_)
        shape = (self.horizon_, self.n_targets_)
        quantiles = head_quantiles(head, self._validate_predict_data(X), levels, shape)
        bounds = interpolate_quantiles(quantiles, levels, interval_levels(coverage))
        lower, upper = bounds[..., 0] - margin, bounds[..., 1] + margin
        # A negative margin larger than half the quantiles' distance leaves CQR's
        # set empty: a zero-width interval at its middle, not lower > upper
        # (which metrics refuse and a min/max would turn into a wide interval).
        middle = (lower + upper) / 2
        return np.minimum(lower, middle), np.maximum(upper, middle)

    def _forecast(self, X):
        """The estimator's forecast as (n_samples, horizon, n_targets)."""
        y_pred = np.asarray(self.estimator_.predict(self._validate_predict_data(X)))
        return y_pred.reshape(len(y_pred), self.horizon_, self.n_targets_)

    def _fitted_method(self, estimator):
        """``method`` resolved for the fitted ``estimator``."""
        probabilistic = probabilistic_head(estimator) is not None
        if self.method == "cqr" and not probabilistic:
            raise ValueError(
                "ConformalForecaster(method='cqr') needs a probabilistic "
                f"estimator, but the fitted {type(estimator).__name__} forecasts "
                "no quantiles (its distribution_, or its final estimator's, is "
                "None or missing). Fit a skseq forecaster with loss='quantile' "
                "(quantiles=... spanning the levels of the coverage you want), "
                "'gaussian', 'student_t' or 'negative_binomial', alone or at the "
                "end of a Pipeline; or use method='absolute' (or 'auto')."
            )
        if self.method == "auto":
            return "cqr" if probabilistic and covers_default(estimator) else "absolute"
        return self.method

    def _calibration(self, estimator, method, X, y):
        """The fitted attributes CQR needs: the calibration samples' quantile
        forecasts, their levels and true values (None for ``"absolute"``)."""
        if method != "cqr":
            return dict.fromkeys(CALIBRATION_ATTRIBUTES)
        head = probabilistic_head(estimator)
        levels = head_levels(head)
        shape = y.shape[1:]
        return {
            "calibration_levels_": levels,
            "calibration_quantiles_": head_quantiles(head, X, levels, shape),
            "calibration_targets_": y,
        }

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
