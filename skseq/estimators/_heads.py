"""Probabilistic heads of the Keras forecasters: quantiles, sample paths and
the checks of ``loss`` and ``quantiles``, as a mixin of
:class:`~skseq.estimators._forecaster_base.BaseKerasForecaster`.
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ..utils._validation import check_int
from ._probabilistic import (
    DEFAULT_QUANTILES,
    as_generator,
    check_quantile_levels,
    distribution_draw,
    distribution_quantiles,
    interpolate_quantiles,
    n_blocks,
    probabilistic_kind,
    split_blocks,
)

__all__ = ["ProbabilisticHeadMixin"]

# Sample paths behind the quantiles of a recursive distribution head.
_RECURSIVE_PATHS = 1000


class ProbabilisticHeadMixin:
    """``predict_quantiles`` and ``predict_samples`` of a forecaster fitted with
    a probabilistic ``loss`` (needs ``_validate_predict_data`` and
    ``_run_network`` of the forecaster)."""

    def predict_quantiles(self, X, quantiles=None):
        """Quantiles of the forecast distribution of a probabilistic forecaster.

        With ``loss="quantile"``, the quantiles the network learned, linearly
        interpolated between two learned levels (a level outside the learned
        ones is refused). With ``loss="gaussian"``, ``"student_t"`` or
        ``"negative_binomial"``, the exact quantiles of the predicted
        distribution of each step (``"direct"``, ``"seq2seq"``); with
        ``"recursive"``, the exact quantiles of the first step, then the
        empirical quantiles of 1,000 sample paths drawn by feeding draws back
        (:meth:`predict_samples`, seeded so that the result is repeatable;
        their 0.5 quantile, the median of the paths, differs from
        ``predict``'s median path, each step's median fed back, beyond the
        first step).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Input sequences.
        quantiles : sequence of float or None, default=None
            Increasing levels in (0, 1); None gives ``quantiles_``.

        Returns
        -------
        y_quantiles : ndarray of the shape ``y`` had in ``fit`` plus a last \
                axis of ``len(quantiles)``
            ``y_quantiles[..., j]`` is the ``quantiles[j]`` quantile; never
            decreasing along the last axis.

        Raises
        ------
        ValueError
            If the forecaster was fitted with a point loss (``"mse"``, ...).
        """
        kind = self._require_head("predict_quantiles")
        levels = (
            self.quantiles_
            if quantiles is None
            else check_quantile_levels(quantiles, "quantiles")
        )
        X = self._validate_predict_data(X)
        if kind == "quantile":
            values = interpolate_quantiles(
                self._forecast_blocks(X), self.quantiles_, levels
            )
        elif self.strategy_ == "recursive":
            paths = self._sample_paths(X, _RECURSIVE_PATHS, np.random.default_rng(0))
            values = np.moveaxis(np.quantile(paths, levels, axis=-1), 0, -1)
            # the first step's distribution is the head's own: exact, no draws
            first = self._step_parameters(X, False)
            values[:, 0] = distribution_quantiles(kind, first, levels)
        else:
            values = distribution_quantiles(kind, self._forecast_blocks(X), levels)
        # Sorting removes crossings of float rounding at close levels only.
        return self._format_with_last_axis(np.sort(values, axis=-1))

    def predict_samples(self, X, n_samples=100, random_state=None):
        """Sample paths of the future, drawn from a fitted distribution head.

        ``"direct"`` and ``"seq2seq"`` draw each step from its predicted
        distribution independently (the network models each step's marginal
        distribution, not how the steps move together); ``"recursive"`` draws
        ancestrally: each step's draw is fed back to forecast the next, so the
        paths carry the dependence between steps.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Input sequences.
        n_samples : int, default=100
            Paths per sequence.
        random_state : int, RandomState instance, Generator or None, default=None
            Seeds the draws.

        Returns
        -------
        samples : ndarray of the shape ``y`` had in ``fit`` plus a last axis \
                of ``n_samples``

        Raises
        ------
        ValueError
            If the forecaster was not fitted with a distribution loss (a
            quantile head has no distribution to draw from beyond its levels).
        """
        kind = self._require_head("predict_samples")
        if kind == "quantile":
            raise ValueError(
                f"{type(self).__name__} was fitted with loss='quantile': it knows "
                f"its quantiles at {self.quantiles_} only, not a distribution to "
                "draw paths from. Use predict_quantiles, or fit with "
                "loss='gaussian', 'student_t' or 'negative_binomial'."
            )
        n_samples = check_int(n_samples, "n_samples", min_value=1)
        rng = as_generator(random_state)
        X = self._validate_predict_data(X)
        return self._format_with_last_axis(self._sample_paths(X, n_samples, rng))

    def _head_kind(self):
        """The fitted head: ``"quantile"``, a distribution's name, or None."""
        return getattr(self, "distribution_", None)

    def _require_head(self, method):
        check_is_fitted(self)
        kind = self._head_kind()
        if kind is None:
            # the fitted head, not the parameter: set_params(loss=...) after
            # fit changes nothing until the next fit
            loss = (getattr(self, "_fit_architecture", None) or {}).get("loss")
            fitted = f"was fitted with loss={loss!r}" if loss else "has a point loss"
            if probabilistic_kind(self.loss) is not None:
                fitted += f" (loss={self.loss!r} was set after that fit: refit)"
            raise ValueError(
                f"{type(self).__name__}.{method} needs a forecaster fitted with a "
                f"probabilistic loss; this one {fitted}. "
                "Fit it with loss='quantile' (and quantiles=...), 'gaussian', "
                "'student_t' or 'negative_binomial'; or wrap it in "
                "skseq.ConformalForecaster for calibrated intervals."
            )
        return kind

    def _head_attributes(self):
        """``distribution_`` and ``quantiles_`` of the head being fitted."""
        kind = probabilistic_kind(self.loss)
        if kind is None:
            return {"distribution_": None, "quantiles_": None}
        levels = self.quantiles if self.quantiles is not None else DEFAULT_QUANTILES
        return {"distribution_": kind, "quantiles_": check_quantile_levels(levels)}

    def _forecast_blocks(self, X, training=False):
        """``(n, horizon, n_targets, k)``: each forecast value's quantiles or
        distribution parameters (``"direct"``, ``"seq2seq"``)."""
        outputs = self._run_network(X, training)
        if self.strategy_ == "seq2seq":
            outputs = outputs[:, -1]
        k = n_blocks(self.distribution_, self.quantiles_)
        return split_blocks(outputs, k, (self.horizon_, self.n_targets_))

    def _step_parameters(self, window, training):
        """One step's distribution parameters ``(n, n_targets, k)`` (recursive)."""
        k = n_blocks(self.distribution_)
        return split_blocks(self._run_network(window, training), k, (self.n_targets_,))

    def _median_path(self, X, training=False):
        """Recursive forecast of a distribution head: each step's median fed back."""
        from ..networks._inference import feedback_loop

        def median_step(window):
            parameters = self._step_parameters(window, training)
            return distribution_quantiles(self.distribution_, parameters, (0.5,))

        return feedback_loop(median_step, X, self.horizon_)

    def _sample_paths(self, X, n_samples, rng):
        """``(n, horizon, n_targets, n_samples)`` draws of a distribution head."""
        kind = self.distribution_
        if self.strategy_ != "recursive":
            blocks = self._forecast_blocks(X)
            draws = [distribution_draw(kind, blocks, rng) for _ in range(n_samples)]
            return np.stack(draws, axis=-1)
        from ..networks._inference import feedback_loop

        repeated = np.repeat(X, n_samples, axis=0)
        paths = feedback_loop(
            lambda window: distribution_draw(
                kind, self._step_parameters(window, False), rng
            ),
            repeated,
            self.horizon_,
        )
        paths = paths.reshape(len(X), n_samples, self.horizon_, self.n_targets_)
        return np.moveaxis(paths, 1, -1).astype(np.float64)

    def _format_with_last_axis(self, values):
        """Give ``(n, horizon, n_targets, m)`` the shape of ``y`` plus ``m``."""
        values = np.asarray(values, dtype=np.float64)
        if self.y_ndim_ == 1:
            return values[:, 0, 0]
        if self.y_ndim_ == 2:
            return values[:, :, 0]
        return values

    def _check_head_params(self):
        """``loss`` and ``quantiles`` must agree; a quantile head forecasts
        recursively only through its median, so it is refused there."""
        kind = probabilistic_kind(self.loss)
        if kind is None and self.quantiles is not None:
            raise ValueError(
                f"quantiles={self.quantiles!r} needs a probabilistic loss, but "
                f"loss={self.loss!r}: set loss='quantile' to learn these levels "
                "(or 'gaussian', 'student_t', 'negative_binomial', for which "
                "quantiles are the levels predict_quantiles returns by default)."
            )
        if kind is not None:
            levels = self.quantiles if self.quantiles is not None else DEFAULT_QUANTILES
            levels = check_quantile_levels(levels, "quantiles")
            if kind == "quantile" and not levels[0] <= 0.5 <= levels[-1]:
                raise ValueError(
                    f"quantiles={levels} must span 0.5 with loss='quantile': "
                    "predict returns the median, interpolated between the "
                    "learned levels. Add 0.5 (e.g. quantiles=(0.05, 0.5, 0.95))."
                )
        if kind == "quantile" and self.strategy == "recursive":
            raise ValueError(
                "loss='quantile' cannot forecast with strategy='recursive': the "
                "quantiles of later steps depend on the values fed back, which "
                "a quantile head cannot draw. Use strategy='direct' (or "
                "'seq2seq'), or a distribution loss such as 'student_t', whose "
                "recursive forecasts are sample paths."
            )
