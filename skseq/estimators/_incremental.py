"""Pieces of the training template (``_base.BaseKerasEstimator``): sample
weights, the validation split, warm starts and ``partial_fit``."""

import numpy as np

from ..utils._validation import validation_size
from ..utils._weights import is_uniform, per_step, relative_weights

__all__ = [
    "TRAINING_PARAMS",
    "check_warm_architecture",
    "merge_history",
    "reusable_model",
    "train_or_restore",
    "training_parts",
    "without_zero_weights",
]

# Parameters that may change between warm fits: they steer one fit, not the
# network or its optimizer. Every other parameter is the architecture.
TRAINING_PARAMS = frozenset(
    {
        "epochs",
        "batch_size",
        "learning_rate",
        "early_stopping",
        "validation_fraction",
        "patience",
        "callbacks",
        "verbose",
        "random_state",
        "warm_start",
        "class_weight",
        "solver",
        # callbacks of one fit (early stopping's, the learning rate's on plateaus)
        "restore_best_weights",
        "reduce_lr_patience",
    }
)


def training_parts(X, Y, sample_weight, factors, validation_fraction):
    """Training ``(X, Y, weights)`` and validation data (or None) of one fit.

    Samples of ``sample_weight`` 0 are left out first (see
    :func:`without_zero_weights`). ``validation_fraction`` None means no
    validation split; otherwise the last samples are held out, as early
    stopping does. ``sample_weight`` (one per sample, or None) is made relative
    on each part separately (mean 1, see :mod:`skseq.utils._weights`) and
    multiplied into ``factors`` (class weights or a padding mask, per sample or
    per step; None for none).
    """
    n_given = len(X)
    X, Y, sample_weight, factors = without_zero_weights(X, Y, sample_weight, factors)
    if validation_fraction is None:
        return (X, Y, per_step(_weights(sample_weight, factors), Y)), None
    n_val = validation_size(len(X), validation_fraction, n_zero_weight=n_given - len(X))
    n_train = len(X) - n_val
    train, held = slice(None, n_train), slice(n_train, None)
    train_weights = _weights(
        _part(sample_weight, train), _part(factors, train), "the training samples"
    )
    held_weights = _weights(
        _part(sample_weight, held), _part(factors, held), "the validation samples"
    )
    held_weights = per_step(held_weights, Y[held])
    validation = (X[held], Y[held]) + (() if held_weights is None else (held_weights,))
    return (X[train], Y[train], per_step(train_weights, Y[train])), validation


def without_zero_weights(X, Y, sample_weight, factors):
    """``X, Y, sample_weight, factors`` without the samples of weight 0.

    A zero weight removes a sample from the loss, but a sample in a batch still
    enters what the network computes over the batch: batch normalisation's
    statistics and moving averages. Left out before batching, it is trained on
    exactly as if it were not there (the validation split included). Without
    zero weights the arrays are returned as they are.
    """
    if sample_weight is None or sample_weight.all():
        return X, Y, sample_weight, factors
    keep = sample_weight != 0
    return X[keep], Y[keep], sample_weight[keep], _part(factors, keep)


def _part(values, part):
    return None if values is None else values[part]


def _weights(sample_weight, factors, what="the training samples"):
    if sample_weight is None or is_uniform(sample_weight):
        return factors
    weights = relative_weights(sample_weight, what)
    if factors is None:
        return weights
    return factors * weights.reshape(-1, *([1] * (np.ndim(factors) - 1)))


def _same(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        # equal values, not the same object: skseq.load and set_params give a
        # parameter's array back as another array
        try:
            return bool(np.array_equal(a, b))
        except (TypeError, ValueError):
            return a is b
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # objects without a bool ==
        return a is b


def architecture_params(estimator):
    """The parameters a warm fit must not change (all but TRAINING_PARAMS)."""
    return {
        key: value
        for key, value in estimator.get_params(deep=False).items()
        if key not in TRAINING_PARAMS
    }


def check_warm_architecture(estimator, fitted_shapes, shapes, incremental=False):
    """Refuse a warm fit whose parameters or data need another network.

    ``fitted_shapes`` and ``shapes`` map names (``n_features_in_``...) to what the
    network was built for and what the new data needs. ``incremental`` (a
    ``partial_fit``) words the refusal for ``partial_fit``, where ``warm_start``
    plays no part.
    """
    name = type(estimator).__name__
    before = getattr(estimator, "_fit_architecture", None) or {}
    changed = [
        key
        for key, value in architecture_params(estimator).items()
        if key in before and not _same(before[key], value)
    ]
    if changed:
        was = {key: before[key] for key in changed}
        raise ValueError(_changed_params_message(name, changed, was, incremental))
    for key, value in shapes.items():
        if key in fitted_shapes and fitted_shapes[key] != value:
            raise ValueError(
                _shape_message(name, key, fitted_shapes[key], value, incremental)
            )


def _changed_params_message(name, changed, was, incremental):
    if incremental:
        return (
            f"The parameter(s) {changed} of {name} changed (were {was}) since its "
            "network was built; partial_fit continues training that network, so "
            "it cannot change them. Set them back, or start over with a new "
            f"network: fit with warm_start=False, or partial_fit on a clone "
            "(sklearn.base.clone)."
        )
    return (
        f"warm_start=True continues training the fitted network, but the "
        f"parameter(s) {changed} changed since it was built (were {was}). "
        f"Set them back, or set warm_start=False (or use a fresh {name}) to "
        "train a new network."
    )


def _shape_message(name, key, fitted, value, incremental):
    if not incremental:
        return (
            f"warm_start=True continues training the fitted network, which was "
            f"built for {key}={fitted}; the new data has {value}. "
            f"Set warm_start=False to train a new network on it."
        )
    if key == "n_features_in_":
        found = f"X has {value} features per time step, but {name} is expecting"
        return (
            f"{found} {fitted}: partial_fit continues training the network built "
            "for them. To train on the new features, start over with fit "
            "(warm_start=False) or on a clone (sklearn.base.clone)."
        )
    return (
        f"partial_fit continues training the network of {name}, built for "
        f"{key}={fitted}; the new data has {value}. To train on it, start over "
        "with fit (warm_start=False) or on a clone (sklearn.base.clone)."
    )


def reusable_model(estimator, incremental):
    """The fitted network when this fit continues training it, else None."""
    model = getattr(estimator, "model_", None)
    if model is None or not (incremental or estimator.warm_start):
        return None
    return model


def train_or_restore(model, learning_rate, train):
    """``train()`` a network that already holds trained weights and optimizer
    state, at ``learning_rate``; if training fails, put both back (learning
    rate included), so a failed warm fit leaves the estimator as it was."""
    variables = list(model.variables) + list(_optimizer_variables(model))
    saved = [np.array(variable.numpy()) for variable in variables]
    try:
        model.optimizer.learning_rate = float(learning_rate)
        return train()
    except BaseException:
        for variable, value in zip(variables, saved, strict=True):
            variable.assign(value)
        raise


def _optimizer_variables(model):
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not getattr(optimizer, "built", False):
        return []
    return optimizer.variables


def merge_history(previous, new):
    """``new`` epochs appended to ``previous`` (keys missing on one side: NaN)."""
    if not previous:
        return new
    n_before = max(len(values) for values in previous.values())
    n_new = max((len(values) for values in new.values()), default=0)
    merged = {}
    for key in {**previous, **new}:
        old = previous.get(key, [float("nan")] * n_before)
        merged[key] = list(old) + list(new.get(key, [float("nan")] * n_new))
    return merged
