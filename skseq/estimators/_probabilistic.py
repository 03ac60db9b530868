"""Probabilistic forecasts in NumPy: the levels, quantiles and draws of the
distributions a probabilistic head outputs (no Keras here).

A forecaster fitted with ``loss="quantile"`` outputs one value per quantile
level; with ``loss="gaussian"``, ``"student_t"`` or ``"negative_binomial"`` it
outputs the distribution's parameters (see ``skseq/networks/_probabilistic.py``
for the layout). This module turns both into quantiles at any level, medians and
random draws, with SciPy's distributions.
"""

import numbers

import numpy as np
from scipy import stats

from ..utils._validation import check_random_state_param

__all__ = [
    "DEFAULT_QUANTILES",
    "PROBABILISTIC_LOSSES",
    "as_generator",
    "check_counts",
    "check_quantile_levels",
    "distribution_draw",
    "distribution_quantiles",
    "interpolate_quantiles",
    "n_blocks",
    "probabilistic_kind",
    "split_blocks",
]

DEFAULT_QUANTILES = (0.05, 0.5, 0.95)
# Parameters per forecast value of each distribution.
DISTRIBUTION_PARAMETERS = {"gaussian": 2, "student_t": 3, "negative_binomial": 2}
DISTRIBUTION_LOSSES = tuple(DISTRIBUTION_PARAMETERS)
PROBABILISTIC_LOSSES = ("quantile", *DISTRIBUTION_LOSSES)


def n_blocks(kind, quantiles=None):
    """Outputs of a head per forecast value: 1 for a point loss (``kind``
    None), the number of ``quantiles``, or of the distribution's parameters."""
    if kind is None:
        return 1
    return len(quantiles) if kind == "quantile" else DISTRIBUTION_PARAMETERS[kind]


def as_generator(random_state):
    """A NumPy ``Generator`` from an int, a ``RandomState``, a ``Generator`` or
    None (fresh entropy)."""
    random_state = check_random_state_param(random_state)
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(np.iinfo(np.int32).max))
    return np.random.default_rng(random_state)


def probabilistic_kind(loss):
    """``loss`` if it names a probabilistic head, else None (a point loss)."""
    if isinstance(loss, str) and loss in PROBABILISTIC_LOSSES:
        return loss
    return None


def check_quantile_levels(quantiles, name="quantiles"):
    """Quantile levels as a tuple of floats, strictly increasing, in (0, 1).

    Raises
    ------
    TypeError
        If ``quantiles`` is not a sequence of real numbers.
    ValueError
        If it is empty, or a level is outside (0, 1), repeated or out of order.
    """
    if isinstance(quantiles, numbers.Real) and not isinstance(quantiles, bool):
        quantiles = (quantiles,)
    try:
        levels = tuple(quantiles)
    except TypeError:
        raise TypeError(
            f"{name} must be a sequence of levels in (0, 1); got {quantiles!r}."
        ) from None
    if not levels:
        raise ValueError(f"{name} must hold at least one level in (0, 1).")
    for level in levels:
        if isinstance(level, bool) or not isinstance(level, numbers.Real):
            raise TypeError(f"{name} must hold real numbers; got {level!r}.")
        if not 0.0 < float(level) < 1.0:
            raise ValueError(
                f"{name} must be levels in (0, 1) (exclusive); got {level}."
            )
    # Rounded to 7 decimals, so that levels given as float32 (0.1 is 0.100000001)
    # are the levels they stand for.
    rounded = tuple(round(float(level), 7) for level in levels)
    for level, kept in zip(levels, rounded, strict=True):
        if kept != float(level) and (not 0.0 < kept < 1.0 or rounded.count(kept) > 1):
            raise ValueError(
                f"{name}: levels are kept to 7 decimals (float32 noise removed), "
                f"and {float(level)!r} rounds to {kept!r}: outside (0, 1) or onto "
                "another level. Use levels from 1e-7 to 1 - 1e-7, 1e-7 apart."
            )
    levels = rounded
    if any(b <= a for a, b in zip(levels, levels[1:], strict=False)):
        raise ValueError(f"{name} must be strictly increasing; got {levels}.")
    return levels


def split_blocks(outputs, n_blocks, shape):
    """Network outputs ``(n, k * prod(shape))`` (``k`` blocks along the last
    axis) as ``(n, *shape, k)``."""
    outputs = np.asarray(outputs, dtype=np.float64)
    blocks = outputs.reshape(len(outputs), n_blocks, *shape)
    return np.moveaxis(blocks, 1, -1)


def _frozen(kind, parameters):
    """The SciPy distribution of ``parameters`` (``(..., k)``, last axis the
    parameters)."""
    p = [parameters[..., j] for j in range(parameters.shape[-1])]
    if kind == "gaussian":
        return stats.norm(loc=p[0], scale=p[1])
    if kind == "student_t":
        return stats.t(df=p[2], loc=p[0], scale=p[1])
    if kind == "negative_binomial":
        r = 1.0 / p[1]
        return stats.nbinom(n=r, p=r / (r + p[0]))
    raise ValueError(f"Unknown distribution {kind!r}.")


def distribution_quantiles(kind, parameters, levels):
    """Quantiles ``(..., len(levels))`` of the distributions ``(..., k)``."""
    frozen = _frozen(kind, parameters)
    return np.stack([frozen.ppf(level) for level in levels], axis=-1).astype(np.float64)


def distribution_draw(kind, parameters, rng):
    """One draw from each distribution ``(..., k)``: an array ``(...)``."""
    p = [parameters[..., j] for j in range(parameters.shape[-1])]
    if kind == "gaussian":
        return p[0] + p[1] * rng.standard_normal(p[0].shape)
    if kind == "student_t":
        return p[0] + p[1] * rng.standard_t(p[2])
    if kind == "negative_binomial":
        r = 1.0 / p[1]
        return rng.negative_binomial(r, r / (r + p[0])).astype(np.float64)
    raise ValueError(f"Unknown distribution {kind!r}.")


def interpolate_quantiles(values, learned, requested):
    """Quantiles at ``requested`` levels from those at ``learned`` levels, linear
    in the level between two learned ones (exact at a learned level).

    Parameters
    ----------
    values : ndarray of shape (..., len(learned))
        Quantiles at the learned levels, increasing along the last axis.
    learned, requested : tuple of float
        Increasing levels.

    Raises
    ------
    ValueError
        If a requested level lies outside the learned ones: a quantile head knows
        nothing beyond its extreme levels.
    """
    # A level computed as (1 - 0.8) / 2 may miss 0.1 by a rounding error.
    tolerance = 1e-9
    outside = [
        q
        for q in requested
        if not learned[0] - tolerance <= q <= learned[-1] + tolerance
    ]
    if outside:
        raise ValueError(
            f"Quantile level(s) {outside} lie outside the levels the model learned, "
            f"{learned[0]} to {learned[-1]}: a quantile head knows nothing beyond "
            "its extreme levels. Refit with quantiles=... covering them, or use a "
            "distribution loss (loss='gaussian' or 'student_t') for any level."
        )
    requested = np.clip(requested, learned[0], learned[-1])
    positions = np.interp(requested, learned, np.arange(len(learned)))
    below = np.floor(positions).astype(int)
    above = np.minimum(below + 1, len(learned) - 1)
    weight = positions - below
    return values[..., below] * (1.0 - weight) + values[..., above] * weight


def check_counts(y, input_name="y"):
    """Refuse targets of ``loss="negative_binomial"`` that are not counts: a
    fraction (counts scaled or transformed) gets whole-number quantiles.
    ``input_name`` names the values in the error (``y``, or the target
    features of ``X`` that ``"seq2seq"`` trains on and ``"recursive"`` feeds
    the forecasts back among)."""
    if np.any(y < 0):
        problem = f"negative values (min {float(np.min(y)):.4g})"
    elif np.any(y != np.round(y)):
        fraction = y[y != np.round(y)].flat[0]
        problem = f"values that are not whole numbers (such as {float(fraction):.4g})"
    else:
        return
    raise ValueError(
        f"loss='negative_binomial' models counts, but {input_name} holds "
        f"{problem}. Use it on counts, without scaling, transforming or "
        "differencing them (WindowedForecaster: scale=False, "
        "target_transform=None, difference=None), or use loss='student_t'."
    )
