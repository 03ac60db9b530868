"""How many samples a ``fit`` holds out for early stopping, for callers that
weigh the training samples (``sampling="series"`` of a panel) and must know
which of them the estimator trains on."""

import math
from contextlib import contextmanager

from ._base import BaseKerasEstimator
from ._forecasters import DenseForecaster
from ._least_squares import uses_least_squares

__all__ = ["held_out_count", "holding_out", "purge_gap"]


def held_out_count(estimator, n_samples):
    """How many of the last ``n_samples`` (all of nonzero weight) a ``fit`` of
    ``estimator`` on arrays holds out to validate early stopping.

    ``ceil(n_samples * validation_fraction)`` for a skseq network (or a
    Pipeline ending in one) with ``early_stopping=True`` trained by gradient;
    0 otherwise: no early stopping, a ``DenseForecaster`` that solves least
    squares (it ignores early stopping), or an estimator that is not a skseq
    network (its split, if any, is its own and not known here).
    """
    estimator = _network(estimator)
    if not isinstance(estimator, BaseKerasEstimator) or not estimator.early_stopping:
        return 0
    if isinstance(estimator, DenseForecaster) and _solves_least_squares(estimator):
        return 0
    return min(n_samples, math.ceil(n_samples * estimator.validation_fraction))


def purge_gap(estimator, window, horizon):
    """How many windows before the held-out ones share target rows with them,
    for windows of ``window`` steps cut at stride 1 forecasting ``horizon``.

    0 when ``estimator`` holds nothing out (see :func:`held_out_count`) or
    trains on one step ahead (``strategy="recursive"``); ``window + horizon -
    2`` for ``strategy="seq2seq"`` (a target at every input step); else
    ``horizon - 1``.
    """
    if not held_out_count(estimator, 2):
        return 0
    network = _network(estimator)
    strategy = getattr(network, "strategy", "direct")
    if strategy == "recursive":
        return 0
    if strategy == "seq2seq":
        return window + horizon - 2
    return horizon - 1


@contextmanager
def holding_out(estimator, n_held_out, n_samples):
    """While inside, ``estimator`` (see :func:`held_out_count`) holds out the
    last ``n_held_out`` of ``n_samples`` (of nonzero weight) exactly.

    Unless its own ``validation_fraction`` gives that split, it is set to
    ``(n_held_out - 0.5) / n_samples`` (``ceil`` of ``n_samples`` times it is
    ``n_held_out`` without rounding doubt) and set back on leaving, so the
    fitted estimator shows the fraction it was given: the purge
    (:func:`purge_gap`) trains on fewer windows than it was asked to split.
    Only for a clone that the caller trains.
    """
    network = _network(estimator)
    given = network.validation_fraction
    if math.ceil(n_samples * given) == n_held_out:  # its own split is that one
        yield estimator
        return
    network.set_params(validation_fraction=(n_held_out - 0.5) / n_samples)
    network._given_validation_fraction = given  # what warnings quote
    try:
        yield estimator
    finally:
        network.set_params(validation_fraction=given)
        del network._given_validation_fraction


def _network(estimator):
    steps = getattr(estimator, "steps", None)
    return steps[-1][1] if steps else estimator


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
