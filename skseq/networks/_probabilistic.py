"""Probabilistic output heads and their losses: quantiles and distributions.

A forecaster's network ends in a linear ``Dense`` with ``n`` outputs (one per
step and target). A probabilistic network ends in ``k * n`` outputs, read as
``k`` blocks of ``n`` along the last axis (block ``j`` holds the ``j``-th
quantile, or the ``j``-th parameter of a distribution, of every output), then
:class:`ProbabilisticOutput` makes each block what it stands for:

- ``"quantile"`` (``k`` levels): the first block is the lowest quantile, each
  next block adds a softplus (positive) increment, so the quantiles never cross;
- ``"gaussian"``: location, scale (softplus);
- ``"student_t"``: location, scale (softplus), degrees of freedom (2 + softplus,
  at least ``2 + 1e-4`` even where float32 rounds the softplus away, so the
  variance is finite);
- ``"negative_binomial"``: mean (softplus), dispersion ``alpha`` (softplus):
  variance ``mean + alpha * mean**2``, for counts.

Blocks along the last axis (not an extra axis) keep the output flat, so the one
layout serves the last step's forecast and every step's (``seq2seq``) alike.
:class:`QuantileLoss` (the pinball loss, averaged over the levels) and
:class:`DistributionLoss` (the negative log-likelihood) read the same blocks.
Every class is registered under ``"skseq"`` so that a model saves and loads.
"""

import math

import keras
from keras import ops

__all__ = [
    "DISTRIBUTIONS",
    "DistributionLoss",
    "ProbabilisticOutput",
    "QuantileLoss",
    "n_parameters",
    "with_probabilistic_output",
]

_PACKAGE = "skseq"
# Parameters per output of each distribution.
DISTRIBUTIONS = {"gaussian": 2, "student_t": 3, "negative_binomial": 2}
# Lower bound of the positive parameters, so that the likelihood stays finite.
_MIN_POSITIVE = 1e-4


def n_parameters(kind, n_quantiles=None):
    """Values the head outputs per forecast value: ``n_quantiles`` for
    ``"quantile"``, the number of parameters of a distribution."""
    return n_quantiles if kind == "quantile" else DISTRIBUTIONS[kind]


def _blocks(x, k):
    """The ``k`` blocks of the last axis of ``x`` (each ``n = size / k`` wide)."""
    n = x.shape[-1] // k
    return [x[..., j * n : (j + 1) * n] for j in range(k)]


def _positive(x):
    return ops.softplus(x) + _MIN_POSITIVE


@keras.saving.register_keras_serializable(package=_PACKAGE)
class ProbabilisticOutput(keras.layers.Layer):
    """Turn ``k`` blocks of raw outputs into quantiles or distribution parameters.

    Parameters
    ----------
    kind : {"quantile", "gaussian", "student_t", "negative_binomial"}
        What the blocks are.
    n_blocks : int
        ``k``: the number of quantile levels, or of the distribution's
        parameters. The last axis of the input is ``k * n`` wide.
    """

    def __init__(self, kind, n_blocks, **kwargs):
        super().__init__(**kwargs)
        self.kind = kind
        self.n_blocks = n_blocks

    def call(self, inputs):
        blocks = _blocks(inputs, self.n_blocks)
        if self.kind == "quantile":
            levels = [blocks[0]]
            for increment in blocks[1:]:
                levels.append(levels[-1] + ops.softplus(increment))
            return ops.concatenate(levels, axis=-1)
        if self.kind == "negative_binomial":
            return ops.concatenate([_positive(b) for b in blocks], axis=-1)
        location, *rest = blocks
        positive = [_positive(rest[0])]
        if self.kind == "student_t":
            positive.append(2.0 + _positive(rest[1]))
        return ops.concatenate([location, *positive], axis=-1)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "kind": self.kind, "n_blocks": self.n_blocks}


def with_probabilistic_output(model, kind, n_blocks):
    """``model`` (ending in ``k * n`` linear outputs) followed by a
    :class:`ProbabilisticOutput`, as one functional model."""
    outputs = ProbabilisticOutput(kind, n_blocks, name="probabilistic_output")(
        model.outputs[0]
    )
    # The input tensor itself, not a one-item list: a model built on a list
    # warns at every call with a lone array that the structures differ.
    (inputs,) = model.inputs
    return keras.Model(inputs, outputs, name=model.name)


@keras.saving.register_keras_serializable(package=_PACKAGE)
class QuantileLoss(keras.losses.Loss):
    """Pinball loss averaged over the quantile levels and the outputs.

    ``y_pred`` holds one block of quantiles per level (see
    :class:`ProbabilisticOutput`); the loss of each forecast value is
    ``mean_j max(q_j * (y - p_j), (q_j - 1) * (y - p_j))``.

    Parameters
    ----------
    quantiles : sequence of float
        The levels, increasing, in (0, 1).
    name : str, default="quantile_loss"
        Name of the loss, as Keras logs it.
    **kwargs
        Further ``keras.losses.Loss`` arguments (``reduction``, ``dtype``).
    """

    def __init__(self, quantiles, name="quantile_loss", **kwargs):
        super().__init__(name=name, **kwargs)
        self.quantiles = [float(q) for q in quantiles]

    def call(self, y_true, y_pred):
        y_true = ops.cast(y_true, y_pred.dtype)
        losses = []
        for level, prediction in zip(
            self.quantiles, _blocks(y_pred, len(self.quantiles)), strict=True
        ):
            error = y_true - prediction
            losses.append(ops.maximum(level * error, (level - 1.0) * error))
        return ops.mean(ops.mean(ops.stack(losses, axis=0), axis=0), axis=-1)

    def get_config(self):
        return {**super().get_config(), "quantiles": self.quantiles}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class DistributionLoss(keras.losses.Loss):
    """Negative log-likelihood of the targets under the predicted distribution,
    averaged over the outputs.

    Parameters
    ----------
    distribution : {"gaussian", "student_t", "negative_binomial"}
        What ``y_pred``'s blocks parameterise (see :class:`ProbabilisticOutput`).
    name : str, default="nll"
        Name of the loss, as Keras logs it.
    **kwargs
        Further ``keras.losses.Loss`` arguments (``reduction``, ``dtype``).
    """

    def __init__(self, distribution, name="nll", **kwargs):
        super().__init__(name=name, **kwargs)
        self.distribution = distribution

    def call(self, y_true, y_pred):
        y_true = ops.cast(y_true, y_pred.dtype)
        parameters = _blocks(y_pred, DISTRIBUTIONS[self.distribution])
        nll = _NLL[self.distribution](y_true, *parameters)
        return ops.mean(nll, axis=-1)

    def get_config(self):
        return {**super().get_config(), "distribution": self.distribution}


def _gaussian_nll(y, location, scale):
    z = (y - location) / scale
    return ops.log(scale) + 0.5 * z * z + 0.5 * math.log(2.0 * math.pi)


def _student_t_nll(y, location, scale, df):
    z = (y - location) / scale
    return (
        _student_t_log_constant(df)
        + ops.log(scale)
        + 0.5 * (df + 1.0) * ops.log1p(z * z / df)
    )


# Half the degrees of freedom above which the Student-t constant is read from its
# asymptotic series: there its float32 log-gamma terms (about 150 at df = 100)
# cancel to a few 1e-5, and to nonsense at df = 1e6 (0.06 off, 0.29 at 1e7).
_ASYMPTOTIC_HALF_DF = 50.0


def _student_t_log_constant(df):
    """``lgamma(df/2) - lgamma((df+1)/2) + log(df * pi)/2``, the Student-t
    negative log-density's constant, accurate in float32 for every ``df``."""
    a = 0.5 * df
    exact = _lgamma(a) - _lgamma(a + 0.5) + 0.5 * ops.log(df * math.pi)
    # lgamma(a + 1/2) - lgamma(a) = log(a)/2 - 1/(8a) + 1/(192 a^3) + O(a^-5),
    # and log(df pi)/2 = log(a)/2 + log(2 pi)/2: the logs cancel exactly.
    large = ops.maximum(a, _ASYMPTOTIC_HALF_DF)  # keeps 1/a^3 finite in both
    series = 0.5 * math.log(2.0 * math.pi) + 1.0 / (8.0 * large)
    series = series - 1.0 / (192.0 * large**3)
    return ops.where(a > _ASYMPTOTIC_HALF_DF, series, exact)


def _negative_binomial_nll(y, mean, alpha):
    """``-log p(y)``, ``r = 1 / alpha`` successes: ``p(y) = G(y + r) / (G(r) y!)
    (r / (r + mean))**r (mean / (r + mean))**y``, accurate in float32 for every
    count.

    ``lgamma(y + r) - lgamma(r) - lgamma(y + 1)`` takes differences of terms
    near ``y log y`` (1.4e7 at a million counts, where float32 keeps whole
    units): written out with Stirling's ``lgamma(x) = (x - 1/2) log x - x +
    log(2 pi)/2 + e(x)``, the large terms cancel on paper, which leaves
    ``(y + r) log((y + r) / (r + mean)) - y log((y + 1) / mean)``, a deviance
    that is small where the likelihood is, plus logs and remainders.
    """
    r = 1.0 / alpha
    log_p = (
        _deviance_terms(y, mean, r)
        - 0.5 * (ops.log1p(y / r) + ops.log1p(y))
        + (1.0 - _HALF_LOG_2PI)
        + _stirling_remainder(y + r)
        - _stirling_remainder(r)
        - _stirling_remainder(y + 1.0)
    )
    return -log_p


_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
# Above it the remainder e(x) of Stirling's formula is read from its series
# (truncated after x**-5: off by under 1e-10 there); below it from lgamma,
# whose terms are small enough not to cancel in float32.
_STIRLING_SERIES_FROM = 10.0


def _stirling_remainder(x):
    """``e(x) = lgamma(x) - (x - 1/2) log x + x - log(2 pi)/2``, for ``x > 0``."""
    large = ops.maximum(x, _STIRLING_SERIES_FROM)  # each branch finite in both
    small = ops.minimum(x, _STIRLING_SERIES_FROM)
    inverse = 1.0 / large
    square = inverse * inverse
    series = inverse * (1.0 / 12.0 - square * (1.0 / 360.0 - square / 1260.0))
    exact = _lgamma(small) - (small - 0.5) * ops.log(small) + small - _HALF_LOG_2PI
    return ops.where(x > _STIRLING_SERIES_FROM, series, exact)


def _deviance_terms(y, mean, r):
    """``(y + r) log((y + r) / (r + mean)) - y log((y + 1) / mean)``.

    As written, both terms are near ``y log(y / mean)`` (for ``r`` below
    ``y``) and cancel; regrouped, ``r log((y + r) / (r + mean)) + y
    (log((y + r) / (y + 1)) - log1p(r / mean))``, the two last terms are near
    ``y log1p(r / y)`` and cancel instead. Each element takes the form whose
    terms are the smaller (float32 rounds them by a share, the same for both).
    """
    # each log_ratio gets the difference of its terms as it is, not from the
    # rounded sums (y + r and r + mean at r = 1e6 are float32's 1/16 apart)
    to_mean = _log_ratio(y - mean, r + mean)
    count_to_mean = _log_ratio(y + 1.0 - mean, mean)
    written = (y + r) * to_mean - y * count_to_mean
    shift = _log_ratio(r - 1.0, y + 1.0)
    regrouped = r * to_mean + y * (shift - ops.log1p(r / mean))
    return ops.where(ops.abs(shift) < ops.abs(count_to_mean), regrouped, written)


def _log_ratio(difference, b):
    """``log(a / b)`` of positive ``a = b + difference`` and ``b``: from
    ``log1p`` of the relative difference when ``a`` and ``b`` are close (where
    the ratio, rounded, loses the digits that matter), else as a difference of
    logs."""
    relative = difference / b
    close = ops.abs(relative) < 0.5
    near = ops.log1p(ops.clip(relative, -0.5, 0.5))  # finite in both branches
    far = ops.log(ops.maximum(b + difference, 1e-30)) - ops.log(b)
    return ops.where(close, near, far)


_NLL = {
    "gaussian": _gaussian_nll,
    "student_t": _student_t_nll,
    "negative_binomial": _negative_binomial_nll,
}


def _lgamma(x):
    """``log|Gamma(x)|`` on the active backend (``keras.ops`` has none)."""
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        return tf.math.lgamma(x)
    if backend == "jax":
        import jax

        return jax.scipy.special.gammaln(x)
    if backend == "torch":
        import torch

        return torch.lgamma(x)
    raise ValueError(
        f"The {backend!r} backend has no log-gamma function for this likelihood."
    )
