"""How many samples a ``fit`` holds out for early stopping, for callers that
weigh the training samples (``sampling="series"`` of a panel) and must know
which of them the estimator trains on."""

import math

from ._base import BaseKerasEstimator
from ._forecasters import DenseForecaster
from ._least_squares import uses_least_squares

__all__ = ["held_out_count"]


def held_out_count(estimator, n_samples):
    """How many of the last ``n_samples`` (all of nonzero weight) a ``fit`` of
    ``estimator`` on arrays holds out to validate early stopping.

    ``ceil(n_samples * validation_fraction)`` for a skseq network (or a
    Pipeline ending in one) with ``early_stopping=True`` trained by gradient;
    0 otherwise: no early stopping, a ``DenseForecaster`` that solves least
    squares (it ignores early stopping), or an estimator that is not a skseq
    network (its split, if any, is its own and not known here).
    """
    steps = getattr(estimator, "steps", None)
    if steps:
        estimator = steps[-1][1]
    if not isinstance(estimator, BaseKerasEstimator) or not estimator.early_stopping:
        return 0
    if isinstance(estimator, DenseForecaster) and _solves_least_squares(estimator):
        return 0
    return min(n_samples, math.ceil(n_samples * estimator.validation_fraction))


def _solves_least_squares(estimator):
    try:
        return uses_least_squares(
            estimator.solver,
            estimator.hidden_units,
            estimator.loss,
            None,
            estimator.warm_start,
            estimator.callbacks,
        )
    except ValueError:  # solver="lstsq" that cannot apply: fit refuses it
        return False
