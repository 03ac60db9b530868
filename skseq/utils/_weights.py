"""Sample weights of ``fit``: validation and skseq's relative-weight semantics.

NumPy and sklearn only, so that :mod:`skseq.windowing` can use it without Keras.

Keras reduces a weighted loss as ``sum(w * loss) / batch_size``: the scale of the
weights multiplies the gradients. skseq treats weights as *relative*: they are
scaled to mean 1 over the samples trained on, so multiplying every weight by a
constant changes nothing, a full batch's loss is the weighted mean
``sum(w * loss) / sum(w)``, and a zero weight removes a sample from the loss.
"""

import numbers

import numpy as np

from ._validation import named_check_array

__all__ = [
    "check_sample_weight",
    "is_uniform",
    "per_step",
    "relative_weights",
]


def check_sample_weight(sample_weight, n_samples, *, unit="sample"):
    """Validated float64 weights of shape ``(n_samples,)``, or None.

    Weights must be finite, non-negative and not all zero. A single number
    weighs every sample alike, as sklearn's estimators take it.
    """
    if sample_weight is None:
        return None
    if isinstance(sample_weight, numbers.Real) and not isinstance(
        sample_weight, (bool, np.bool_)
    ):
        sample_weight = np.full(n_samples, float(sample_weight))
    weights = named_check_array(
        sample_weight, "sample_weight", ensure_2d=False, dtype=np.float64
    )
    if weights.ndim != 1 or len(weights) != n_samples:
        raise ValueError(
            f"sample_weight must be 1D with one weight per {unit} ({n_samples}); "
            f"got shape {weights.shape}."
        )
    if (weights < 0).any():
        raise ValueError(
            "sample_weight must be non-negative; got negative weights at index "
            f"{np.flatnonzero(weights < 0)[:5].tolist()}."
        )
    if not weights.any():
        raise ValueError(
            "sample_weight is zero everywhere: no sample would be trained on."
        )
    return weights


def relative_weights(weights, what="the training samples"):
    """``weights`` scaled to mean 1, as float32 (skseq's weight semantics).

    Powers of two scale exactly, so ``w`` and ``4 * w`` give identical weights.
    """
    total = float(np.sum(weights))
    if total <= 0:
        raise ValueError(
            f"sample_weight is zero on all of {what}; give some of them a "
            "positive weight."
        )
    return (np.asarray(weights, np.float64) * (len(weights) / total)).astype(np.float32)


def per_step(weights, targets):
    """Per-sample ``weights`` repeated over the steps of per-step targets.

    Keras does not broadcast a ``(n,)`` weight over a loss of shape ``(n,
    n_steps)`` (targets of shape ``(n, n_steps, k)``, as in ``"seq2seq"``).
    """
    if weights is None or np.ndim(targets) < 3 or np.ndim(weights) != 1:
        return weights
    return np.repeat(weights[:, np.newaxis], targets.shape[1], axis=1)


def is_uniform(weights):
    """Whether positive ``weights`` are all equal: relative weights of 1, which
    skseq then leaves out, so that the fit is the unweighted one bit for bit on
    every backend (weighted and unweighted losses reduce differently on JAX)."""
    weights = np.asarray(weights)
    return bool(weights[0] > 0 and (weights == weights[0]).all())
