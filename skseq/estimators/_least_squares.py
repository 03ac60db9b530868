"""Closed-form training of a linear network: least squares on the flattened
windows, written into the Keras ``Dense`` layer so that the model is an
ordinary fitted network afterwards (predict, save, load, warm start)."""

import warnings

import numpy as np

from ..exceptions import UnderdeterminedWarning
from ..utils._architecture import layer_sizes
from ._incremental import training_parts

__all__ = ["LINEAR_SOLVERS", "fit_least_squares", "uses_least_squares"]

LINEAR_SOLVERS = ("auto", "lstsq", "gradient")
_MSE = ("mse", "mean_squared_error", "MeanSquaredError")


def uses_least_squares(solver, hidden_units, loss, batches, incremental, callbacks):
    """Whether a ``DenseForecaster`` fit solves least squares.

    ``"auto"``: for a linear network (``hidden_units=()``) trained on the MSE,
    on arrays, without Keras callbacks (they watch epochs), unless training
    goes on in epochs (``partial_fit``, ``warm_start``: ``incremental``);
    ``"lstsq"`` demands it and refuses what it cannot solve; ``"gradient"``:
    never.
    """
    if solver == "gradient" or incremental or (solver == "auto" and callbacks):
        return False
    problem = _least_squares_problem(hidden_units, loss, batches)
    if solver == "lstsq" and problem:
        raise ValueError(
            f"solver='lstsq' solves a linear model trained on the MSE only, but "
            f"{problem}; use solver='gradient' (or 'auto')."
        )
    return not problem


def _least_squares_problem(hidden_units, loss, batches):
    if layer_sizes(hidden_units):
        return f"hidden_units={hidden_units!r} makes the network non-linear"
    if not (isinstance(loss, str) and loss in _MSE):
        return f"loss={loss!r} is not the MSE"
    if batches is not None:
        return "the windows come in batches (feed='batches')"
    return ""


def fit_least_squares(model, data):
    """Set the output ``Dense`` layer of a linear ``model`` to the weighted
    least-squares fit of ``data`` (a ``TrainingData``); return the history.

    The minimum-norm solution (``numpy.linalg.lstsq``) of ``[X_flat, 1] @
    [kernel; bias] = y`` in float64, each sample's row scaled by the square root
    of its weight (the user's ``sample_weight``, relative, as gradient training
    uses it). ``history`` holds the weighted training MSE as one "epoch".
    Warns (:class:`~skseq.exceptions.UnderdeterminedWarning`) when there are no
    more training windows than weights per output.
    """
    (X, y, weights), _ = training_parts(
        data.X, data.y, data.sample_weight, data.factors, None
    )
    warn_if_underdetermined(X.shape)
    X = np.asarray(X, dtype=np.float64).reshape(len(X), -1)
    y = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
    design = np.hstack([X, np.ones((len(X), 1))])
    w = np.ones(len(X)) if weights is None else np.asarray(weights, np.float64)
    root = np.sqrt(w.reshape(len(X), -1)[:, :1])
    coef, *_ = np.linalg.lstsq(design * root, y * root, rcond=None)
    layer = model.layers[-1]
    kernel, bias = coef[:-1], coef[-1]
    layer.set_weights([kernel.astype(np.float32), bias.astype(np.float32)])
    # As gradient training leaves it: built (its moments zero, as unused). A
    # ``.keras`` file of an unbuilt optimizer holds fewer variables than the
    # one Keras builds when loading, which it refuses with a warning.
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    residuals = design @ coef - y
    loss = float(np.average(np.mean(residuals**2, axis=1), weights=root[:, 0] ** 2))
    return {"loss": [loss]}


def warn_if_underdetermined(shape):
    """Warn when windows of ``shape`` ``(n_windows, window, n_features)`` (after
    zero-weight windows are dropped) are too few to determine the weights."""
    n_windows, window, n_features = shape[0], shape[1], int(np.prod(shape[2:]))
    n_weights = window * n_features + 1
    if n_windows > n_weights:
        return
    warnings.warn(
        f"DenseForecaster: least squares has {n_windows} training windows for "
        f"{n_weights} weights per output (window={window} steps x {n_features} "
        "feature(s) + 1 bias), so the linear model reproduces the training "
        "windows exactly and its forecasts are arbitrary. Use a shorter window "
        f"or more data (more than {n_weights} windows); DenseForecaster has no "
        "ridge penalty, so for a regularized linear model use "
        "WindowedForecaster(make_pipeline(FlattenSequence(), Ridge())).",
        UnderdeterminedWarning,
        # fit's caller (fit, _fit_arrays, _fit_network, _run_training,
        # fit_least_squares): least squares never runs on the warm-start path
        stacklevel=7,
    )
