"""Labels of every time step for :class:`NextStepClassifier`: read from ``y``,
or from ``X`` itself (the next step), padded for the network and unpadded again."""

import numpy as np

from ..utils._labels import checked_label_list
from ..utils._sequences import sequence_items

__all__ = ["next_step_pairs", "pad_steps", "step_labels", "unpad", "value_dtype"]


def value_dtype(X):
    """Dtype of the values of sequences as given, before NaN padding made them
    float: next-step labels read from ``X`` come back in it."""
    items = sequence_items(X)
    arrays = [X] if items is None else items
    dtype = np.result_type(*(np.asarray(array).dtype for array in arrays))
    return dtype if dtype.kind in "iuf" else np.dtype(np.float64)


def next_step_pairs(X, lengths, dtype):
    """Inputs ``X[:, :-1]`` and labels ``X[:, 1:]`` (as ``dtype``), per sequence,
    for next-step training and scoring."""
    if X.shape[2] != 1:
        raise ValueError(
            "Without y, each step is predicted from the ones before it, so X must "
            f"be univariate (one value or token per step); got {X.shape[2]} features."
        )
    if (lengths < 2).any():
        raise ValueError(
            "Without y, every sequence needs at least two steps (an input and the "
            f"next step to predict); sequence {int(np.argmin(lengths))} has "
            f"{int(lengths.min())}."
        )
    _refuse_fractional_labels(X[:, 1:, 0])
    inputs = X[:, :-1].copy()
    steps = np.arange(inputs.shape[1])
    inputs[steps[np.newaxis, :] >= (lengths - 1)[:, np.newaxis]] = np.nan
    labels = [row[1:n, 0].astype(dtype) for row, n in zip(X, lengths, strict=True)]
    return inputs, lengths - 1, labels


def _refuse_fractional_labels(nexts):
    """sklearn's "Unknown label type: continuous" spoke of a regression target
    ``y`` the user never passed: say that the labels are X's own values."""
    values = nexts[~np.isnan(nexts)]
    fractional = values != np.round(values)
    if fractional.any():
        raise ValueError(
            "Without y, the label of each step is the next value of X, so X must "
            "hold classes or token ids (whole numbers); it holds e.g. "
            f"{values[fractional][:3].tolist()}. Pass y (a label per step) to "
            "classify the steps of real-valued sequences; to predict the next "
            "values, use a forecaster."
        )


def step_labels(y, lengths, X_shape):
    """One label array per sequence, each as long as its sequence; a 2D ``y``
    must have the shape ``X_shape`` of the padded ``X`` (its first two axes)."""
    if isinstance(y, (list, tuple)) and y and all(np.ndim(item) == 1 for item in y):
        labels = [np.asarray(checked_label_list(item)) for item in y]
    else:
        y = np.asarray(checked_label_list(y))
        if y.ndim != 2:
            raise ValueError(
                "y must hold a label per time step: a 2D array (n_samples, "
                "n_timesteps) or a list of 1D arrays; got shape "
                f"{y.shape}. Use a sequence classifier for one label per sequence."
            )
        if y.shape != X_shape:
            raise ValueError(
                f"y has shape {y.shape} but X has shape {X_shape} (n_samples, "
                "n_timesteps): a 2D y needs a label for every time step of X, "
                "and nothing more."
            )
        labels = [row[:n] for row, n in zip(y, lengths, strict=True)]
    if len(labels) != len(lengths):
        raise ValueError(
            f"X and y have different numbers of sequences: {len(lengths)} and "
            f"{len(labels)}."
        )
    for index, (label, n) in enumerate(zip(labels, lengths, strict=False)):
        if len(label) != n:
            raise ValueError(
                f"Sequence {index} has {n} time steps but {len(label)} labels; y "
                "needs a label for every time step."
            )
    return labels


def pad_steps(y_encoded, lengths, n_timesteps, class_weights):
    """Padded per-step targets and weights: 0 on padding, class weights elsewhere."""
    Y = np.zeros((len(lengths), n_timesteps), dtype=np.int64)
    real = np.arange(n_timesteps)[np.newaxis, :] < lengths[:, np.newaxis]
    Y[real] = y_encoded
    weights = real.astype(np.float32)
    if class_weights is not None:
        weights[real] = class_weights[y_encoded]
    elif real.all():
        weights = None
    return Y, weights


def unpad(values, lengths):
    """An array when every sequence is full length, else one array per sequence."""
    if (lengths == values.shape[1]).all():
        return values
    return [row[:n] for row, n in zip(values, lengths, strict=True)]
