"""Class labels and class weights, checked before sklearn sorts or encodes them."""

import math
import numbers
import warnings

import numpy as np
from sklearn.utils import column_or_1d
from sklearn.utils.multiclass import check_classification_targets

from ._validation import refuse_masked

__all__ = [
    "balanced_class_weight",
    "check_class_weight",
    "check_labels",
    "check_true_labels",
    "checked_label_list",
    "class_weight_array",
    "concatenated_labels",
    "warn_if_classes_held_out",
    "warn_if_no_label_known",
]


def check_labels(y, name="y"):
    """Refuse labels sklearn would mishandle, before it sorts or casts them:
    missing ones (NaN, None, ``pd.NA``, inf), and strings mixed with numbers.
    Then sklearn's own check that ``y`` holds classes. ``name`` names ``y`` in
    the messages."""
    _refuse_missing(y, name)
    if y.dtype.kind == "O":
        _check_label_types(y, name)
        _refuse_numbers_as_objects(y, name)
    check_classification_targets(y)


def _refuse_missing(y, name):
    """ValueError for missing or infinite labels in the 1D array ``y``."""
    if y.dtype.kind in "fc":
        missing = ~np.isfinite(y)
    elif y.dtype.kind == "O":
        import pandas as pd

        missing = np.array(
            [pd.isna(v) or (isinstance(v, float) and np.isinf(v)) for v in y],
            dtype=bool,
        )
    else:
        missing = np.zeros(len(y), dtype=bool)
    if missing.any():
        raise ValueError(
            f"{name} contains missing or infinite labels (NaN, None, pd.NA or inf) "
            f"at index {np.flatnonzero(missing)[:5].tolist()}; drop those samples "
            "or give them a label."
        )


def _check_label_types(values, name="y"):
    """Refuse labels that mix strings and numbers (sklearn cannot sort them, and
    NumPy silently turns the numbers of such a list into strings: 1 -> '1')."""
    is_str = np.array([isinstance(v, str) for v in values], dtype=bool)
    if is_str.any() and not is_str.all():
        examples = [values[is_str][0], values[~is_str][0]]
        raise TypeError(
            f"{name} mixes strings and numbers (e.g. {examples[0]!r} and "
            f"{examples[1]!r}); use one type, e.g. {name}.astype(str)."
        )


def _refuse_numbers_as_objects(values, name="y"):
    """Numbers in an object array (a DataFrame column that held None or strings
    before) are "Unknown label type: unknown" to sklearn, which then speaks of
    continuous values: name the dtype and the cast instead (after sklearn's
    words, which its estimator checks look for)."""
    items = values.tolist()
    if not items or not all(isinstance(v, (numbers.Number, np.bool_)) for v in items):
        return
    if all(isinstance(v, (bool, np.bool_)) for v in items):
        kind, cast = "booleans", f"{name}.astype(bool)"
    elif all(isinstance(v, numbers.Integral) for v in items):
        kind, cast = "integers", f"{name}.astype(int)"
    else:
        kind, cast = "numbers", f"np.asarray({name}.tolist())"
    raise ValueError(
        f"Unknown label type: {name} holds {kind} in an array of dtype object "
        "(e.g. a DataFrame column that once held None or strings), which "
        f"sklearn cannot read as classes; convert it first, e.g. {cast}."
    )


def checked_label_list(y, name="y"):
    """``y`` itself, once a list of labels is known not to mix strings and
    numbers (checked before NumPy converts it), and not to be a masked array
    with masked labels (NumPy's conversion drops the mask)."""
    refuse_masked(y, name)
    if isinstance(y, (list, tuple)):
        _check_label_types(np.asarray(y, dtype=object).ravel(), name)
    return y


def concatenated_labels(arrays):
    """The labels of several sequences as one 1D array. Where some arrays hold
    strings and others not, the result holds objects, so that the check of the
    labels refuses the mix (NumPy would turn the numbers into strings, 1 -> '1',
    and a model fitted on them would learn classes that do not exist)."""
    kinds = {np.asarray(array).dtype.kind for array in arrays}
    if len(kinds) > 1 and kinds & set("US"):
        arrays = [np.asarray(array, dtype=object) for array in arrays]
    return np.concatenate(arrays)


def check_true_labels(y):
    """True labels to score, as a 1D array; labels that mix strings and numbers
    are refused as in ``fit`` (sklearn's sort fails on them, or NumPy turns the
    numbers of a list into strings that then count as errors), and so are
    missing ones, as in ``fit`` (a ``None`` or ``pd.NA`` among strings was
    called a number)."""
    y = column_or_1d(checked_label_list(y))
    _refuse_missing(y, "y")
    if y.dtype.kind == "O":
        _check_label_types(y)
        _refuse_numbers_as_objects(y)
    return y


def check_class_weight(class_weight):
    if class_weight is None or (
        isinstance(class_weight, str) and class_weight == "balanced"
    ):
        return
    if not isinstance(class_weight, dict):
        raise TypeError(
            "class_weight must be a dict {label: weight}, 'balanced' or None; "
            f"got {class_weight!r}."
        )
    for label, weight in class_weight.items():
        if isinstance(weight, bool) or not isinstance(weight, numbers.Real):
            raise TypeError(
                f"class_weight must map labels to numbers; got {weight!r} for "
                f"label {label!r}."
            )
        if not np.isfinite(weight) or weight < 0:
            raise ValueError(
                "class_weight must map labels to finite weights >= 0; got "
                f"{weight!r} for label {label!r}."
            )


def class_weight_array(class_weight, classes):
    """Weight of each class from a ``{label: weight}`` dict; classes left out
    weigh 1, labels that are not classes are ignored when the dict weighs every
    class (a cross-validation fold without a rare class), else refused: a
    class left out beside an unknown label is a typo (``'1'`` for ``1``), as
    sklearn's ``compute_class_weight`` has it."""
    known = classes.tolist()
    unknown = [label for label in class_weight if label not in known]
    missing = [label for label in known if label not in class_weight]
    if unknown and missing:
        raise ValueError(
            f"class_weight has labels not in y: {unknown[:5]}, and leaves out "
            f"classes of y: {missing[:5]}; the classes of y are {known[:10]}. "
            "Match the labels' type (1 vs '1'), or remove the labels not in y."
        )
    weights = np.array([class_weight.get(label, 1.0) for label in known], np.float32)
    if not weights.any():
        raise ValueError(
            "class_weight gives every class of y weight 0, so nothing would be "
            "learned; give at least one class a positive weight."
        )
    return weights


def balanced_class_weight(y_encoded, n_classes, sample_weight=None):
    """sklearn's ``"balanced"`` weights, ``n / (n_classes * count)``, with each
    class counted by its sample weights (as sklearn's own classifiers do).

    A zero weight thus removes a sample from the counts as from the loss. Only
    the classes of positive total weight count in ``n_classes``; the others
    (which nothing is trained on) weigh 0.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq.utils._labels import balanced_class_weight
    >>> balanced_class_weight(np.array([0, 0, 0, 1]), 2)
    array([0.6666667, 2.       ], dtype=float32)
    >>> y, w = np.array([0, 0, 0, 1]), np.array([1.0, 0.0, 0.0, 1.0])
    >>> balanced_class_weight(y, 2, sample_weight=w)
    array([1., 1.], dtype=float32)
    """
    counts = np.bincount(y_encoded, weights=sample_weight, minlength=n_classes)
    present = counts > 0
    weights = np.zeros(n_classes)
    weights[present] = counts.sum() / (present.sum() * counts[present])
    return weights.astype(np.float32)


def warn_if_no_label_known(labels, classes):
    """Warn when none of ``labels`` (true labels to score) is among ``classes``.

    Labels never seen in ``fit`` count as errors in a score, as in sklearn: a
    cross-validation fold may hold a class its training part lacks. When none
    was seen the score is 0, most often from a mix-up of label sets (``"1"``
    for ``1``, renamed classes): that is said aloud.
    """
    known = set(np.asarray(classes).tolist())
    present = set(np.asarray(labels).tolist())
    if present and not present & known:
        warnings.warn(
            f"y holds no label seen in fit: {sorted(present, key=str)[:5]}; "
            f"the classes are {np.asarray(classes)[:10].tolist()}, so the score "
            "is 0.",
            UserWarning,
            stacklevel=3,
        )


def warn_if_classes_held_out(
    y_encoded, classes, sample_weight, fraction, name, class_weights=None
):
    """Warn when early stopping's validation part (the last ``fraction`` of the
    samples of nonzero weight, as ``training_parts`` splits them) holds every
    sample of a class: the network is then never trained on it and never
    predicts it, most often because the data are sorted by label. Classes of
    ``class_weights`` 0 (one weight per class, or None) are meant to be left out.
    """
    if sample_weight is not None:
        y_encoded = y_encoded[sample_weight != 0]
    n_val = math.ceil(len(y_encoded) * fraction)
    if not 1 <= n_val < len(y_encoded):
        return  # refused with the split itself
    trained = np.isin(y_encoded, y_encoded[: len(y_encoded) - n_val])
    held_out = np.unique(y_encoded[~trained])
    if class_weights is not None:
        held_out = held_out[class_weights[held_out] > 0]
    if held_out.size:
        warnings.warn(
            f"{name}: early stopping validates on the last {n_val} samples (the "
            f"last validation_fraction={fraction} in the order given), which hold "
            f"every sample of the classes {classes[held_out][:5].tolist()}: the "
            "network is never trained on them and will not predict them. Shuffle "
            "the samples first (e.g. sklearn.utils.shuffle(X, y)), or set "
            "early_stopping=False.",
            UserWarning,
            stacklevel=4,
        )
