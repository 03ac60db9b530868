"""Sequence classifiers, variable-length and token input, and next-step generation.

``BaseKerasClassifier`` is the classifiers' ``fit`` template: it validates
sequences of possibly different lengths (a list of 2D arrays, or arrays padded
with NaN after each sequence), encodes labels, weights classes, and trains a
network of :mod:`skseq.networks` that masks the padding. It borrows the
optimizer, loss, predict-chunking and pickling machinery of
:class:`~skseq.estimators.BaseKerasForecaster`.
"""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import accuracy_score
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import check_random_state, column_or_1d
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted

from ..utils._doc_link import DocLinkMixin
from ..utils._keras import import_keras
from ..utils._persistence import KerasPicklingMixin
from ..utils._summary import summary_method
from ..utils._validation import (
    _named_check_array,
    check_bool,
    check_choice,
    check_float,
    check_int,
    check_random_state_param,
    check_sequence_shape,
    check_units,
)
from ..utils._weights import check_sample_weight
from ._base import (
    BaseKerasForecaster,
    _check_training_converged,
    check_keras_training_params,
    draw_seed,
    store_predict_params,
    training_callbacks,
)
from ._docstrings import CALLBACKS, CLIPPING, OPTIMIZER
from ._incremental import (
    architecture_params,
    check_warm_architecture,
    merge_history,
    reusable_model,
    train_or_restore,
    training_parts,
)

__all__ = [
    "BaseKerasClassifier",
    "ConvClassifier",
    "GRUClassifier",
    "LSTMClassifier",
    "NextStepClassifier",
    "RNNClassifier",
    "WaveNetClassifier",
    "check_padded_sequences",
]

_CELLS = ("simple", "lstm", "gru")
_POOLINGS = ("max", "average")
_WAVENET_POOLINGS = ("max", "average", "last")
_ARCHITECTURES = ("simple", "full")
# Most steps the recurrent classifiers' layers see with strides="auto". Measured
# on ArrowHead (length 251, GRU(32), 100 epochs): 251 steps 30% test accuracy
# (one class), 63 steps 32%, 32 steps 59%, 16 steps 61%.
_AUTO_RNN_STEPS = 32


# -- validation -------------------------------------------------------------------
def _sequence_items(X):
    """The sequences of a list or tuple of 1D/2D arrays, else None (an array)."""
    if not isinstance(X, (list, tuple)) or not X:
        return None
    try:
        ndims = {np.ndim(item) for item in X}
    except ValueError:  # an item is itself ragged
        return None
    return list(X) if ndims <= {1, 2} and ndims else None


def check_padded_sequences(X, *, input_name="X", dtype=np.float32):
    """Validate sequences of possibly different lengths; pad them with NaN.

    Parameters
    ----------
    X : list of array-like of shape (n_timesteps_i,) or (n_timesteps_i, \
            n_features), or array-like of shape (n_samples, n_timesteps[, n_features])
        Sequences. In an array, NaN time steps after the end of a sequence are
        padding; a 2D array holds univariate sequences.
    input_name : str, default="X"
        Name used in error messages.
    dtype : {np.float32, np.float64}, default=np.float32
        Float dtype of the result; float64 keeps integers up to 2**53 exact.

    Returns
    -------
    X : ndarray of shape (n_samples, max_timesteps, n_features), dtype ``dtype``
        The sequences, NaN after the end of each.
    lengths : ndarray of shape (n_samples,), dtype int
        Number of real time steps of each sequence.

    Examples
    --------
    >>> from skseq.estimators import check_padded_sequences
    >>> X, lengths = check_padded_sequences([[1, 2, 3], [4]])
    >>> X.shape, lengths.tolist()
    ((2, 3, 1), [3, 1])
    """
    items = _sequence_items(X)
    if items is None:
        X = _check_sequence_array(X, input_name, dtype)
    else:
        X = _pad_sequence_list(items, input_name, dtype)
    missing = np.isnan(X)
    step_missing = missing.any(axis=2)
    if (step_missing != missing.all(axis=2)).any():
        raise ValueError(
            f"{input_name} has time steps where only some features are NaN. NaN "
            "marks padding after the end of a sequence and must fill whole time "
            "steps; impute missing values first."
        )
    lengths = (~step_missing).sum(axis=1)
    padding = np.arange(X.shape[1]) >= lengths[:, np.newaxis]
    if (step_missing != padding).any():
        raise ValueError(
            f"{input_name} contains NaN inside a sequence: NaN marks padding, "
            "which may only follow the last real time step. Impute missing values "
            "or pass a list of sequences of different lengths."
        )
    if (lengths == 0).any():
        raise ValueError(
            f"{input_name} holds empty sequences (no time step, or only NaN) at "
            f"index {np.flatnonzero(lengths == 0)[:5].tolist()}."
        )
    return X, lengths


def _check_labels(y):
    """Refuse labels sklearn would mishandle, before it sorts or casts them:
    missing ones (NaN, None, ``pd.NA``, inf), and strings mixed with numbers.
    Then sklearn's own check that ``y`` holds classes."""
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
            f"y contains missing or infinite labels (NaN, None, pd.NA or inf) at "
            f"index {np.flatnonzero(missing)[:5].tolist()}; drop those samples or "
            "give them a label."
        )
    if y.dtype.kind == "O":
        _check_label_types(y)
    check_classification_targets(y)


def _check_label_types(values):
    """Refuse labels that mix strings and numbers (sklearn cannot sort them, and
    NumPy silently turns the numbers of such a list into strings: 1 -> '1')."""
    is_str = np.array([isinstance(v, str) for v in values], dtype=bool)
    if is_str.any() and not is_str.all():
        examples = [values[is_str][0], values[~is_str][0]]
        raise TypeError(
            f"y mixes strings and numbers (e.g. {examples[0]!r} and "
            f"{examples[1]!r}); use one type, e.g. y.astype(str)."
        )


def _checked_label_list(y):
    """``y`` itself, once a list of labels is known not to mix strings and
    numbers (checked before NumPy converts it)."""
    if isinstance(y, (list, tuple)):
        _check_label_types(np.asarray(y, dtype=object).ravel())
    return y


def _check_sequence_array(X, input_name, dtype):
    ndim = np.ndim(X) if isinstance(X, (list, tuple)) else getattr(X, "ndim", None)
    if ndim is not None and ndim not in (2, 3):
        hint = " Reshape your data: X.reshape(1, -1) for one sequence." * (ndim == 1)
        raise ValueError(
            f"{input_name} must be 2D (n_samples, n_timesteps), 3D (n_samples, "
            f"n_timesteps, n_features) or a list of sequences; got a {ndim}D "
            f"array.{hint}"
        )
    X = _named_check_array(
        X,
        input_name,
        allow_nd=True,
        dtype="numeric",
        ensure_all_finite="allow-nan",
        ensure_min_features=0,
    )
    check_sequence_shape(X.shape, input_name)
    X = X[:, :, np.newaxis] if X.ndim == 2 else X
    return X.astype(dtype)


def _pad_sequence_list(items, input_name, dtype):
    arrays = []
    for index, item in enumerate(items):
        name = f"{input_name}[{index}]"
        item = _named_check_array(
            item,
            name,
            ensure_2d=False,
            dtype="numeric",
            ensure_all_finite="allow-nan",
            ensure_min_samples=0,
            ensure_min_features=0,
        )
        if len(item) == 0:
            raise ValueError(f"{name} has 0 time steps; every sequence needs one.")
        arrays.append(item[:, np.newaxis] if item.ndim == 1 else item)
    n_features = {array.shape[1] for array in arrays}
    if len(n_features) > 1:
        raise ValueError(
            f"The sequences of {input_name} have different numbers of features: "
            f"{sorted(n_features)}."
        )
    n_features = n_features.pop()
    if n_features == 0:
        raise ValueError(f"{input_name} has 0 features per time step.")
    padded = np.full(
        (len(arrays), max(len(a) for a in arrays), n_features), np.nan, dtype
    )
    for row, array in zip(padded, arrays, strict=True):
        row[: len(array)] = array
    return padded


def _check_tokens(X, vocab_size, input_name="X"):
    """Token ids must be integers in ``[0, vocab_size)``, one per time step."""
    if X.shape[2] != 1:
        raise ValueError(
            f"With vocab_size set, {input_name} holds one token id per time step: "
            f"got {X.shape[2]} features."
        )
    tokens = X[~np.isnan(X)]
    bad = (tokens != np.round(tokens)) | (tokens < 0) | (tokens >= vocab_size)
    if bad.any():
        raise ValueError(
            f"{input_name} holds values that are not token ids in [0, "
            f"vocab_size={vocab_size}): {np.unique(tokens[bad])[:5].tolist()}."
        )


def _check_class_weight(class_weight):
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


def _dict_class_weights(class_weight, classes):
    """Weight of each class from a ``{label: weight}`` dict; classes left out
    weigh 1 (sklearn's convention), labels that are not classes are refused."""
    known = classes.tolist()
    unknown = [label for label in class_weight if label not in known]
    if unknown:
        raise ValueError(
            f"class_weight has labels not in y: {unknown[:5]}; the classes of y "
            f"are {known[:10]}. Remove them, or match the labels' type (1 vs '1')."
        )
    weights = np.array([class_weight.get(label, 1.0) for label in known], np.float32)
    if not weights.any():
        raise ValueError(
            "class_weight gives every class of y weight 0, so nothing would be "
            "learned; give at least one class a positive weight."
        )
    return weights


# -- shared documentation ---------------------------------------------------------
_DOCS = {
    "tokens": """vocab_size : int or None, default=None
        If set, ``X`` holds one token id per time step, an integer in
        ``[0, vocab_size)``, embedded by an ``Embedding`` layer (text-like data).
    embedding_dim : int, default=16
        Size of the token vectors; only used with ``vocab_size``.""",
    "class_weight": """class_weight : dict, "balanced" or None, default=None
        Weights of the classes in the loss, as ``{label: weight}`` (finite, >= 0;
        classes left out weigh 1; labels not in ``y`` are refused);
        ``"balanced"`` weights them inversely to their frequency in ``y``.""",
    "training": OPTIMIZER
    + """
    loss : str or keras.losses.Loss, default="sparse_categorical_crossentropy"
        Training loss on the softmax output and the encoded labels.
"""
    + CLIPPING
    + """
    early_stopping : bool, default=False
        Stop when the validation loss stops improving and restore the best
        weights. The validation set is the last ``validation_fraction`` of the
        samples in the order given (shuffle sorted data first).
    validation_fraction : float, default=0.1
        Share of the samples, taken from the end, held out for early stopping.
"""
    + CALLBACKS.split("\n    callbacks :")[0]
    + """
    reduce_lr_patience : int or None, default=10
        Halve the learning rate when the training loss has not improved for this
        many epochs, down to ``learning_rate / 10`` (Keras'
        ``ReduceLROnPlateau``, as in Wang et al.'s FCN); None keeps it constant.
        Every ``fit`` starts again from ``learning_rate``.
    restore_best_weights : bool, default=True
        End training with the weights of the best epoch: the lowest validation
        loss with early stopping, else the lowest training loss.
    callbacks :"""
    + CALLBACKS.split("\n    callbacks :")[1]
    + """
    random_state : int, RandomState instance, Generator or None, default=None
        An int in ``[0, 2**32 - 1]``, or a NumPy generator that ``fit`` draws a
        seed from. Seeds the weight initializers and the shuffling of the
        training data; when set, ``fit`` also seeds the global generators
        (``keras.utils.set_random_seed``).
    warm_start : bool, default=False
        If True and the estimator is fitted, ``fit`` continues training the
        fitted network (weights and optimizer state) for ``epochs`` more epochs
        instead of building a new one, and ``history_`` grows. Only the training
        parameters (``epochs``, ``batch_size``, ``learning_rate``, early
        stopping, ``callbacks``, ``verbose``, ``random_state``,
        ``class_weight``) may change between warm fits; any other change is
        refused.""",
    "attributes": """classes_ : ndarray of shape (n_classes,)
        The class labels.
    model_ : keras.Model
        The trained network (softmax output).
    history_ : dict of str to list of float
        Per-epoch ``"loss"``, with early stopping ``"val_loss"``, and with
        ``reduce_lr_patience`` the ``"learning_rate"`` of each epoch.
    n_features_in_ : int
        Number of features per time step seen in ``fit``.
    n_timesteps_in_ : int
        Length of the longest sequence seen in ``fit``.
    vocab_size_ : int or None
        ``vocab_size`` as fitted: ``predict`` checks tokens against it, so
        ``set_params`` takes effect at the next ``fit``.""",
    "variable_length": """Sequences may differ in length: pass a list of arrays
    of shape ``(n_timesteps_i, n_features)`` (or ``(n_timesteps_i,)``), or an
    array padded with NaN after the end of each sequence. The network masks the
    padding, so a sequence gets the same prediction alone or in a padded batch.""",
}


def _fill_doc(obj):
    obj.__doc__ = obj.__doc__ % _DOCS
    return obj


# -- the template -----------------------------------------------------------------
class BaseKerasClassifier(
    DocLinkMixin, ClassifierMixin, KerasPicklingMixin, BaseEstimator
):
    """Training template of the Keras sequence classifiers (sequence to label).

    Subclasses implement ``_build_network(input_shape, n_classes, seed)`` with a
    builder of :mod:`skseq.networks` and ``_check_architecture()``.
    ``ClassifierMixin`` stands left of ``BaseEstimator`` here, as
    ``RegressorMixin`` does in the forecasters' base, so that the tags set below
    come after the mixin's.
    """

    # Keras plumbing shared with the forecasters (none of these use ``super``).
    _make_optimizer = BaseKerasForecaster._make_optimizer
    _make_loss = BaseKerasForecaster._make_loss
    _run_network = BaseKerasForecaster._run_network
    _inference_runner = BaseKerasForecaster._inference_runner
    summary = summary_method
    # Parameters the predict path reads, frozen in fit as ``name_`` attributes.
    _predict_params = ("vocab_size",)
    # NextStepClassifier (labels per time step) has no partial_fit.
    _has_partial_fit = True

    def fit(self, X, y, sample_weight=None):
        """Train the network on labelled sequences.

        With ``warm_start=True`` and a fitted network, training continues from it
        (weights and optimizer state); the labels must then be among ``classes_``.

        Parameters
        ----------
        X : list of array-like of shape (n_timesteps_i, n_features), or \
                array-like of shape (n_samples, n_timesteps[, n_features])
            Sequences, of different lengths or NaN-padded; 2D means univariate.
        y : array-like of shape (n_samples,)
            Class labels (strings or integers), at least two distinct ones.
        sample_weight : array-like of shape (n_samples,), default=None
            Relative weights of the sequences in the loss (scaled to mean 1 over
            the training samples; a zero weight removes a sequence), multiplied
            by the ``class_weight`` of their label.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit_labels(X, y, sample_weight, None, incremental=False)

    @available_if(lambda self: self._has_partial_fit)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train one epoch on ``X, y``, continuing from the fitted network if any.

        For data that arrives in chunks: the first call builds the network and
        needs every class in ``classes``; each call trains one pass over its data
        (``early_stopping`` is not used) and keeps the optimizer state.

        Parameters
        ----------
        X : list of array-like or array-like of shape (n_samples, n_timesteps\
                [, n_features])
            Sequences.
        y : array-like of shape (n_samples,)
            Class labels, all among ``classes``.
        classes : array-like of shape (n_classes,), default=None
            Every class of the problem; required on the first call, and equal to
            ``classes_`` on the next ones.
        sample_weight : array-like of shape (n_samples,), default=None
            Relative weights of the sequences, as in ``fit``.

        Returns
        -------
        self : object
            The estimator, trained one more epoch.
        """
        return self._fit_labels(X, y, sample_weight, classes, incremental=True)

    def _fit_labels(self, X, y, sample_weight, classes, incremental):
        self._check_params()
        X, _ = self._validate_sequences(X)
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y "
                "is None."
            )
        y = column_or_1d(_checked_label_list(y), warn=True)
        if len(y) != len(X):
            raise ValueError(
                f"X and y have different numbers of samples: {len(X)} and {len(y)}."
            )
        _check_labels(y)
        sample_weight = check_sample_weight(sample_weight, len(X))
        encoder, y_encoded = self._encode_labels(y, classes, incremental)
        weights = self._class_weights(encoder.classes_, y_encoded, incremental)
        model, history = self._fit_network(
            X,
            y_encoded,
            sample_weight,
            None if weights is None else weights[y_encoded],
            encoder,
            incremental,
        )
        self._set_fitted(X, encoder.classes_, model, history)
        return self

    def predict_proba(self, X):
        """Probability of each class for each sequence.

        Parameters
        ----------
        X : list of array-like or array-like of shape (n_samples, n_timesteps\
                [, n_features])
            Sequences, possibly of different lengths.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        check_is_fitted(self)
        X, _ = self._validate_sequences(X, fitted=True)
        return _normalise(self._run_network(X))

    def predict(self, X):
        """Most probable class of each sequence.

        Parameters
        ----------
        X : list of array-like or array-like of shape (n_samples, n_timesteps\
                [, n_features])
            Sequences, possibly of different lengths.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Labels from ``classes_``.
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def score(self, X, y, sample_weight=None):
        """Accuracy of ``predict(X)`` against ``y``.

        Parameters
        ----------
        X : list of array-like or array-like of shape (n_samples, n_timesteps\
                [, n_features])
            Sequences, possibly of different lengths.
        y : array-like of shape (n_samples,)
            True labels, all among ``classes_``.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples.

        Returns
        -------
        score : float
            Share of sequences classified right (weighted).

        Raises
        ------
        ValueError
            If ``y`` holds a label never seen in ``fit``: no prediction can match
            it, which is most often a mix-up of label sets.
        """
        check_is_fitted(self)
        y = column_or_1d(y)
        known = set(self.classes_.tolist())
        unseen = sorted({label for label in y.tolist() if label not in known}, key=str)
        if unseen:
            raise ValueError(
                f"y holds labels never seen in fit: {unseen[:5]}; the classes are "
                f"{self.classes_[:10].tolist()}."
            )
        return super().score(X, y, sample_weight=sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        # Small networks trained for a few epochs do not reach sklearn's accuracy
        # thresholds on its toy problems.
        tags.classifier_tags.poor_score = True
        return tags

    # -- hooks -------------------------------------------------------------------
    def _build_network(self, input_shape, n_classes, seed):
        raise NotImplementedError

    def _check_architecture(self):
        """Validate the architecture hyperparameters of the subclass."""

    # -- steps of fit ------------------------------------------------------------
    def _check_params(self):
        check_keras_training_params(self)
        check_int(
            self.reduce_lr_patience, "reduce_lr_patience", min_value=1, allow_none=True
        )
        check_bool(self.restore_best_weights, "restore_best_weights")
        check_int(self.vocab_size, "vocab_size", min_value=1, allow_none=True)
        check_int(self.embedding_dim, "embedding_dim", min_value=1)
        _check_class_weight(self.class_weight)
        self._check_architecture()

    def _validate_sequences(self, X, fitted=False, dtype=np.float32):
        X, lengths = check_padded_sequences(X, dtype=dtype)
        if fitted and X.shape[2] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[2]} features per time step, but "
                f"{type(self).__name__} was fitted with {self.n_features_in_}."
            )
        vocab_size = self.vocab_size_ if fitted else self.vocab_size
        if vocab_size is not None:
            _check_tokens(X, vocab_size)
        return X, lengths

    def _encode_labels(self, y, classes=None, incremental=False):
        """A label encoder and the encoded ``y``: over ``y``'s own labels in a new
        fit, over ``classes_`` when training continues, over ``classes`` in a
        first ``partial_fit``."""
        known = self._known_classes(classes, incremental)
        encoder = LabelEncoder().fit(y if known is None else known)
        n_classes = len(encoder.classes_)
        if n_classes < 2:
            raise ValueError(
                f"y has {n_classes} class ({encoder.classes_[:1].tolist()}); "
                f"{type(self).__name__} needs at least two classes to learn from."
            )
        if known is not None:
            unseen = np.setdiff1d(y, encoder.classes_)
            if unseen.size:
                raise ValueError(
                    f"y holds labels {unseen[:5].tolist()} that are not among the "
                    f"classes {encoder.classes_[:10].tolist()} of the network being "
                    "trained; pass every class in classes= on the first "
                    "partial_fit, or set warm_start=False to train a new network."
                )
        return encoder, encoder.transform(y)

    def _known_classes(self, classes, incremental):
        if classes is not None:
            classes = np.unique(column_or_1d(classes))
        if reusable_model(self, incremental) is None:
            if incremental and classes is None:
                raise ValueError(
                    "classes must be passed on the first call to partial_fit: "
                    "every class of the problem, e.g. classes=np.unique(y_all)."
                )
            return classes
        if classes is not None and not np.array_equal(classes, self.classes_):
            raise ValueError(
                f"classes={classes[:10].tolist()} differs from the classes_ "
                f"{self.classes_[:10].tolist()} of the fitted network."
            )
        return self.classes_

    def _class_weights(self, classes, y_encoded, incremental=False):
        """Weight of each encoded class, or None for no weighting."""
        if self.class_weight is None:
            return None
        if incremental and isinstance(self.class_weight, str):
            raise ValueError(
                "class_weight='balanced' needs the class counts of all the data, "
                "which partial_fit sees one chunk at a time; pass a dict of weights."
            )
        if isinstance(self.class_weight, dict):
            return _dict_class_weights(self.class_weight, classes)
        return compute_class_weight(
            self.class_weight, classes=classes, y=classes[y_encoded]
        ).astype(np.float32)

    def _fit_network(self, X, Y, sample_weight, factors, encoder, incremental=False):
        """Train a new network, or the fitted one when training continues
        (``warm_start``, ``partial_fit``); a failed warm fit restores it."""
        keras = import_keras()
        seed = draw_seed(self.random_state)
        if seed is not None:
            keras.utils.set_random_seed(seed)

        def run(model):
            return self._run_training(
                keras, model, X, Y, sample_weight, factors, incremental
            )

        model = reusable_model(self, incremental)
        if model is not None:
            check_warm_architecture(self, vars(self), {"n_features_in_": X.shape[2]})
            return model, train_or_restore(
                model, self.learning_rate, lambda: run(model)
            )
        model = self._build_network((None, X.shape[2]), len(encoder.classes_), seed)
        from ..networks._training import compile_for_training

        compile_for_training(model, self._make_optimizer(keras), self._make_loss(keras))
        return model, run(model)

    def _run_training(self, keras, model, X, Y, sample_weight, factors, incremental):
        from ..networks._training import finish_training

        history = self._train(keras, model, X, Y, sample_weight, factors, incremental)
        finish_training(model)
        _check_training_converged(history, model, self.learning_rate)
        return history

    def _train(self, keras, model, X, Y, sample_weight, factors, incremental):
        early_stopping = self.early_stopping and not incremental
        fraction = self.validation_fraction if early_stopping else None
        (X, Y, weights), validation_data = training_parts(
            X, Y, sample_weight, factors, fraction
        )
        callbacks = training_callbacks(
            self, keras, early_stopping
        ) + self._schedule_callbacks(keras, early_stopping)
        history = model.fit(
            X,
            Y,
            sample_weight=weights,
            epochs=1 if incremental else self.epochs,
            batch_size=self.batch_size,
            validation_data=validation_data,
            callbacks=callbacks,
            verbose=self.verbose,
            shuffle=True,
        )
        return {key: [float(v) for v in vals] for key, vals in history.history.items()}

    def _schedule_callbacks(self, keras, early_stopping):
        """The learning-rate schedule, and without early stopping, the keeper of
        the weights of the lowest training loss (fresh for every fit)."""
        callbacks = []
        if self.reduce_lr_patience is not None:
            callbacks.append(
                keras.callbacks.ReduceLROnPlateau(
                    monitor="loss",
                    factor=0.5,
                    patience=int(self.reduce_lr_patience),
                    min_lr=float(self.learning_rate) / 10,
                )
            )
        if self.restore_best_weights and not early_stopping:
            # Never stops (patience above the epoch count); restores at the end.
            callbacks.append(
                keras.callbacks.EarlyStopping(
                    monitor="loss",
                    patience=int(self.epochs) + 1,
                    restore_best_weights=True,
                )
            )
        return callbacks

    def _set_fitted(self, X, classes, model, history):
        previous = self.history_ if model is getattr(self, "model_", None) else {}
        self.classes_ = classes
        self.n_features_in_ = X.shape[2]
        self.n_timesteps_in_ = X.shape[1]
        self.model_ = model
        self.history_ = merge_history(previous, history)
        self._fit_architecture = architecture_params(self)
        store_predict_params(self)


def _normalise(proba):
    """float64 probabilities whose rows sum to 1 despite float32 rounding."""
    proba = np.asarray(proba, dtype=np.float64)
    return proba / proba.sum(axis=-1, keepdims=True)


# -- recurrent classifiers ----------------------------------------------------------
class _BaseRNNClassifier(BaseKerasClassifier):
    def _cell(self):
        return self.cell

    def _check_architecture(self):
        check_choice(self._cell(), "cell", _CELLS)
        check_units(self.units)
        check_units(self.conv_filters, "conv_filters", allow_empty=True)
        check_int(self.kernel_size, "kernel_size", min_value=1)
        if self.strides != "auto":
            check_int(self.strides, "strides", min_value=1)
        for name in ("dropout", "recurrent_dropout"):
            check_float(getattr(self, name), name, low=0, high=1, high_inclusive=False)

    def _fit_network(self, X, Y, sample_weight, factors, encoder, incremental=False):
        # a network trained further keeps the strides it was built with
        if reusable_model(self, incremental) is None:
            self.strides_ = self._resolve_strides(X.shape[1])
        return super()._fit_network(X, Y, sample_weight, factors, encoder, incremental)

    def _resolve_strides(self, n_timesteps):
        """``strides``, or with "auto" the smallest stride that leaves the
        recurrent layers at most ``_AUTO_RNN_STEPS`` steps."""
        if self.strides != "auto":
            return int(self.strides)
        n_convs = len(check_units(self.conv_filters, allow_empty=True))
        strides = 1
        while n_convs and -(-n_timesteps // strides**n_convs) > _AUTO_RNN_STEPS:
            strides += 1
        return strides

    def _build_network(self, input_shape, n_classes, seed):
        from ..networks._classifiers import build_rnn_classifier

        return build_rnn_classifier(
            input_shape,
            n_classes,
            cell=self._cell(),
            units=check_units(self.units),
            conv_filters=check_units(self.conv_filters, allow_empty=True),
            kernel_size=self.kernel_size,
            strides=self.strides_,
            dropout=self.dropout,
            recurrent_dropout=self.recurrent_dropout,
            vocab_size=self.vocab_size,
            embedding_dim=self.embedding_dim,
            seed=seed,
        )


_RNN_DOC = """%(summary)s

    The chapter's sequence-to-vector model: the recurrent layers read the whole
    sequence and a softmax layer classifies their last output. %%(variable_length)s

    By default two causal strided convolutions first shorten long sequences to
    at most 32 steps: recurrent layers alone forget the start of sequences of
    hundreds of steps, and their gradients fade (``GRUClassifier`` on ArrowHead,
    length 251: test accuracy 0.30 without, 0.61 with). ``conv_filters=()`` gives
    the chapter's plain model.

    Parameters
    ----------
    units : int or tuple of int, default=32
        Units of the recurrent layer, or of each stacked layer bottom to top.%(cell)s
    conv_filters : int or tuple of int, default=(32, 32)
        Channels of each causal ReLU ``Conv1D`` before the recurrent layers;
        ``()`` for none.
    kernel_size : int, default=8
        Width of those convolutions.
    strides : int or "auto", default="auto"
        Stride of each of those convolutions: each divides the number of steps
        by ``strides`` (rounding up). ``"auto"``: the smallest stride that
        leaves at most 32 steps of the longest training sequence (1 for short
        sequences).
    dropout : float, default=0.0
        Dropout rate on the inputs of each recurrent layer.
    recurrent_dropout : float, default=0.0
        Dropout rate on the recurrent state of each layer.
    %%(tokens)s
    %%(class_weight)s
    %%(training)s

    Attributes
    ----------
    %%(attributes)s
    strides_ : int
        Stride of the convolutions before the recurrent layers, as fitted.

    See Also
    --------
    skseq.ConvClassifier : 1D convolutions and global max pooling.
    skseq.WaveNetClassifier : Causal dilated convolutions, for long sequences.
    skseq.NextStepClassifier : A class at every step, and generation.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq import %(name)s
    >>> rng = np.random.default_rng(0)
    >>> X = [rng.normal(size=(n, 2)) for n in rng.integers(5, 15, size=40)]
    >>> y = ["up" if x[:, 0].sum() > 0 else "down" for x in X]
    >>> model = %(name)s(8, epochs=2, random_state=0).fit(X, y)
    >>> model.classes_.tolist(), model.predict_proba(X[:3]).shape
    (['down', 'up'], (3, 2))
"""


@_fill_doc
class RNNClassifier(_BaseRNNClassifier):
    __doc__ = _RNN_DOC % {
        "summary": "Recurrent classifier: stacked SimpleRNN, LSTM or GRU layers.",
        "cell": """
    cell : {"simple", "lstm", "gru"}, default="lstm"
        Recurrent layer: ``SimpleRNN``, ``LSTM`` or ``GRU``.""",
        "name": "RNNClassifier",
    }

    def __init__(
        self,
        units=32,
        *,
        cell="lstm",
        conv_filters=(32, 32),
        kernel_size=8,
        strides="auto",
        dropout=0.0,
        recurrent_dropout=0.0,
        vocab_size=None,
        embedding_dim=16,
        class_weight=None,
        epochs=20,
        batch_size=32,
        optimizer="adam",
        learning_rate=0.001,
        optimizer_params=None,
        loss="sparse_categorical_crossentropy",
        clipnorm=None,
        clipvalue=None,
        early_stopping=False,
        validation_fraction=0.1,
        patience=10,
        reduce_lr_patience=10,
        restore_best_weights=True,
        callbacks=None,
        verbose=0,
        random_state=None,
        warm_start=False,
    ):
        self.units = units
        self.cell = cell
        self.conv_filters = conv_filters
        self.kernel_size = kernel_size
        self.strides = strides
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.vocab_size = vocab_size
        self.embedding_dim = embedding_dim
        self.class_weight = class_weight
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.optimizer_params = optimizer_params
        self.loss = loss
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.reduce_lr_patience = reduce_lr_patience
        self.restore_best_weights = restore_best_weights
        self.callbacks = callbacks
        self.verbose = verbose
        self.random_state = random_state
        self.warm_start = warm_start


class _FixedCellRNNClassifier(_BaseRNNClassifier):
    _cell_name = None

    def __init__(
        self,
        units=32,
        *,
        conv_filters=(32, 32),
        kernel_size=8,
        strides="auto",
        dropout=0.0,
        recurrent_dropout=0.0,
        vocab_size=None,
        embedding_dim=16,
        class_weight=None,
        epochs=20,
        batch_size=32,
        optimizer="adam",
        learning_rate=0.001,
        optimizer_params=None,
        loss="sparse_categorical_crossentropy",
        clipnorm=None,
        clipvalue=None,
        early_stopping=False,
        validation_fraction=0.1,
        patience=10,
        reduce_lr_patience=10,
        restore_best_weights=True,
        callbacks=None,
        verbose=0,
        random_state=None,
        warm_start=False,
    ):
        self.units = units
        self.conv_filters = conv_filters
        self.kernel_size = kernel_size
        self.strides = strides
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.vocab_size = vocab_size
        self.embedding_dim = embedding_dim
        self.class_weight = class_weight
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.optimizer_params = optimizer_params
        self.loss = loss
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.reduce_lr_patience = reduce_lr_patience
        self.restore_best_weights = restore_best_weights
        self.callbacks = callbacks
        self.verbose = verbose
        self.random_state = random_state
        self.warm_start = warm_start

    def _cell(self):
        return self._cell_name


@_fill_doc
class LSTMClassifier(_FixedCellRNNClassifier):
    __doc__ = _RNN_DOC % {
        "summary": "Recurrent classifier built of stacked ``LSTM`` layers.",
        "cell": "",
        "name": "LSTMClassifier",
    }
    _cell_name = "lstm"


@_fill_doc
class GRUClassifier(_FixedCellRNNClassifier):
    __doc__ = _RNN_DOC % {
        "summary": "Recurrent classifier built of stacked ``GRU`` layers.",
        "cell": "",
        "name": "GRUClassifier",
    }
    _cell_name = "gru"


# -- convolutional classifiers ------------------------------------------------------
@_fill_doc
class ConvClassifier(BaseKerasClassifier):
    """Conv1D layers, global pooling over time, and a dense softmax head.

    Convolutions detect local patterns (n-grams of tokens with ``vocab_size``)
    wherever they occur, and the global pooling summarises each filter's
    responses. Padding steps are zeroed after every convolution and skipped by
    the pooling and the batch normalisation. %(variable_length)s

    The defaults are the fully convolutional network (FCN) of Wang et al.
    (2017), a strong baseline for time series classification: three
    convolutions of 128, 256 and 128 filters, each with batch normalisation and
    ReLU, then global average pooling (``benchmarks/classification.py``
    measures it against 1-NN and the published FCN). Small training sets need
    about 200 epochs. The chapter's sentiment model is ``ConvClassifier(32,
    kernel_size=3, batch_norm=False, pooling="max", vocab_size=...)``.

    Parameters
    ----------
    filters : int or tuple of int, default=(128, 256, 128)
        Channels of the convolution, or of each stacked convolution.
    kernel_size : int or tuple of int, default=5
        Width of every convolution, or of each one (one per layer of
        ``filters``); Wang et al. use ``(8, 5, 3)``.
    padding : {"same", "causal"}, default="same"
        Padding of the convolutions (both keep the sequence length).
    activation : str, default="relu"
        Activation of the convolutions and hidden dense layers.
    batch_norm : bool, default=True
        Batch normalisation over the real steps between each convolution and its
        activation.
    pooling : {"max", "average"}, default="average"
        Global pooling over the real time steps.
    dense_units : int or tuple of int or None, default=None
        Sizes of hidden Dense layers before the softmax head; None for none.
    dropout : float, default=0.0
        Dropout rate before each dense layer.
    %(tokens)s
    %(class_weight)s
    %(training)s

    Attributes
    ----------
    %(attributes)s

    Examples
    --------
    >>> import numpy as np
    >>> from skseq import ConvClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = [rng.integers(0, 50, size=n) for n in rng.integers(5, 20, size=40)]
    >>> y = [int((x == 7).any()) for x in X]
    >>> model = ConvClassifier(8, vocab_size=50, embedding_dim=4, epochs=2,
    ...                        random_state=0).fit(X, y)
    >>> model.predict(X[:4]).shape
    (4,)
    """

    def __init__(
        self,
        filters=(128, 256, 128),
        *,
        kernel_size=5,
        padding="same",
        activation="relu",
        batch_norm=True,
        pooling="average",
        dense_units=None,
        dropout=0.0,
        vocab_size=None,
        embedding_dim=16,
        class_weight=None,
        epochs=20,
        batch_size=32,
        optimizer="adam",
        learning_rate=0.001,
        optimizer_params=None,
        loss="sparse_categorical_crossentropy",
        clipnorm=None,
        clipvalue=None,
        early_stopping=False,
        validation_fraction=0.1,
        patience=10,
        reduce_lr_patience=10,
        restore_best_weights=True,
        callbacks=None,
        verbose=0,
        random_state=None,
        warm_start=False,
    ):
        self.filters = filters
        self.kernel_size = kernel_size
        self.padding = padding
        self.activation = activation
        self.batch_norm = batch_norm
        self.pooling = pooling
        self.dense_units = dense_units
        self.dropout = dropout
        self.vocab_size = vocab_size
        self.embedding_dim = embedding_dim
        self.class_weight = class_weight
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.optimizer_params = optimizer_params
        self.loss = loss
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.reduce_lr_patience = reduce_lr_patience
        self.restore_best_weights = restore_best_weights
        self.callbacks = callbacks
        self.verbose = verbose
        self.random_state = random_state
        self.warm_start = warm_start

    def _check_architecture(self):
        self._kernel_widths()
        check_choice(self.padding, "padding", ("same", "causal"))
        check_bool(self.batch_norm, "batch_norm")
        check_choice(self.pooling, "pooling", _POOLINGS)
        if not isinstance(self.activation, str):
            raise TypeError(f"activation must be a str; got {self.activation!r}.")
        if self.dense_units is not None:
            check_units(self.dense_units, "dense_units")
        check_float(self.dropout, "dropout", low=0, high=1, high_inclusive=False)

    def _kernel_widths(self):
        """One kernel width per convolution; refuses a tuple of the wrong length."""
        n_layers = len(check_units(self.filters, "filters"))
        if isinstance(self.kernel_size, numbers.Integral):
            return (check_int(self.kernel_size, "kernel_size", min_value=1),) * n_layers
        widths = check_units(self.kernel_size, "kernel_size")
        if len(widths) != n_layers:
            raise ValueError(
                f"kernel_size needs one width per convolution: {n_layers} layers "
                f"of filters={self.filters!r} but kernel_size={self.kernel_size!r}. "
                "Pass an int to use one width for all."
            )
        return widths

    def _build_network(self, input_shape, n_classes, seed):
        from ..networks._classifiers import build_conv_classifier

        dense = () if self.dense_units is None else check_units(self.dense_units)
        return build_conv_classifier(
            input_shape,
            n_classes,
            filters=check_units(self.filters, "filters"),
            kernel_size=self._kernel_widths(),
            padding=self.padding,
            activation=self.activation,
            batch_norm=self.batch_norm,
            pooling=self.pooling,
            dense_units=dense,
            dropout=self.dropout,
            vocab_size=self.vocab_size,
            embedding_dim=self.embedding_dim,
            seed=seed,
        )


@_fill_doc
class WaveNetClassifier(BaseKerasClassifier):
    """WaveNet classifier: causal dilated convolutions and a pooled softmax head.

    ``architecture`` is as in :class:`~skseq.WaveNetForecaster` (the chapter's
    simplified network, or the paper's gated residual one). The convolutions are
    causal, so padding after a sequence never reaches its real steps.
    %(variable_length)s

    Parameters
    ----------
    filters : int, default=20
        Channels of each dilated convolution.
    kernel_size : int, default=2
        Width of each dilated convolution.
    dilation_rates : tuple of int, default=(1, 2, 4, 8, 1, 2, 4, 8)
        Dilation of each layer, bottom to top.
    n_blocks : int, default=1
        Times the ``dilation_rates`` stack is repeated.
    architecture : {"simple", "full"}, default="simple"
        The chapter's simplified WaveNet or the paper's full one.
    residual_channels : int or None, default=None
        ``"full"`` only: width of the residual and skip connections.
    skip_channels : int or None, default=None
        ``"full"`` only: channels of the layer on the summed skips.
    pooling : {"max", "average", "last"}, default="max"
        Global pooling over the real steps, or the output at the last real step
        (which sees only the receptive field before it).
    %(tokens)s
    %(class_weight)s
    %(training)s

    Attributes
    ----------
    %(attributes)s

    Examples
    --------
    >>> import numpy as np
    >>> from skseq import WaveNetClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(40, 16))
    >>> y = np.where(X[:, -4:].mean(axis=1) > 0, "pos", "neg")
    >>> model = WaveNetClassifier(4, dilation_rates=(1, 2, 4), epochs=2,
    ...                           random_state=0).fit(X, y)
    >>> model.predict(X[:2]).shape
    (2,)
    """

    def __init__(
        self,
        filters=20,
        *,
        kernel_size=2,
        dilation_rates=(1, 2, 4, 8, 1, 2, 4, 8),
        n_blocks=1,
        architecture="simple",
        residual_channels=None,
        skip_channels=None,
        pooling="max",
        vocab_size=None,
        embedding_dim=16,
        class_weight=None,
        epochs=20,
        batch_size=32,
        optimizer="adam",
        learning_rate=0.001,
        optimizer_params=None,
        loss="sparse_categorical_crossentropy",
        clipnorm=None,
        clipvalue=None,
        early_stopping=False,
        validation_fraction=0.1,
        patience=10,
        reduce_lr_patience=10,
        restore_best_weights=True,
        callbacks=None,
        verbose=0,
        random_state=None,
        warm_start=False,
    ):
        self.filters = filters
        self.kernel_size = kernel_size
        self.dilation_rates = dilation_rates
        self.n_blocks = n_blocks
        self.architecture = architecture
        self.residual_channels = residual_channels
        self.skip_channels = skip_channels
        self.pooling = pooling
        self.vocab_size = vocab_size
        self.embedding_dim = embedding_dim
        self.class_weight = class_weight
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.optimizer_params = optimizer_params
        self.loss = loss
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.reduce_lr_patience = reduce_lr_patience
        self.restore_best_weights = restore_best_weights
        self.callbacks = callbacks
        self.verbose = verbose
        self.random_state = random_state
        self.warm_start = warm_start

    def _check_architecture(self):
        check_int(self.filters, "filters", min_value=1)
        check_int(self.kernel_size, "kernel_size", min_value=1)
        check_units(self.dilation_rates, "dilation_rates")
        check_int(self.n_blocks, "n_blocks", min_value=1)
        check_choice(self.architecture, "architecture", _ARCHITECTURES)
        check_choice(self.pooling, "pooling", _WAVENET_POOLINGS)
        check_int(
            self.residual_channels, "residual_channels", min_value=1, allow_none=True
        )
        check_int(self.skip_channels, "skip_channels", min_value=1, allow_none=True)

    def _build_network(self, input_shape, n_classes, seed):
        from ..networks._classifiers import build_wavenet_classifier

        return build_wavenet_classifier(
            input_shape,
            n_classes,
            filters=self.filters,
            kernel_size=self.kernel_size,
            dilation_rates=check_units(self.dilation_rates, "dilation_rates"),
            n_blocks=self.n_blocks,
            architecture=self.architecture,
            residual_channels=self.residual_channels,
            skip_channels=self.skip_channels,
            pooling=self.pooling,
            vocab_size=self.vocab_size,
            embedding_dim=self.embedding_dim,
            seed=seed,
        )


# -- next-step (per time step) classification and generation -----------------------
@_fill_doc
class NextStepClassifier(BaseKerasClassifier):
    """Causal per-time-step classifier that can generate sequences.

    Predicts a class at every time step from that step and the ones before it
    (optional causal dilated Conv1D layers, then recurrent layers, then a softmax
    at every step). ``fit(X)`` without ``y`` learns to predict each step of ``X``
    from the steps before it (the chapter's Bach chorales exercise);
    :meth:`generate` then samples new steps one at a time. ``fit(X, y)`` with a
    label per time step is general causal sequence labelling.
    %(variable_length)s

    The chapter's chorales model is ``NextStepClassifier(256,
    conv_filters=(32, 48, 64, 96), dilation_rates=(1, 2, 4, 8), batch_norm=True,
    vocab_size=47, embedding_dim=5, optimizer="nadam")``.

    Parameters
    ----------
    units : int or tuple of int, default=64
        Units of the recurrent layer, or of each stacked layer; ``()`` for a
        purely convolutional model.
    cell : {"simple", "lstm", "gru"}, default="lstm"
        Recurrent layer type.
    conv_filters : tuple of int, default=()
        Channels of each causal convolution below the recurrent layers.
    kernel_size : int, default=2
        Width of the convolutions.
    dilation_rates : tuple of int or None, default=None
        Dilation of each convolution; None doubles it layer by layer (1, 2, 4...).
    batch_norm : bool, default=False
        Batch normalisation after each convolution.
    dropout : float, default=0.0
        Dropout rate on the inputs of each recurrent layer.
    recurrent_dropout : float, default=0.0
        Dropout rate on the recurrent state of each layer.
    %(tokens)s
        Without ``y``, the classes are then all the token ids ``0 ..
        vocab_size - 1``, so that tokens missing from the training targets can
        still be scored and generated.
    %(class_weight)s
    %(training)s

    Attributes
    ----------
    %(attributes)s

    Examples
    --------
    >>> import numpy as np
    >>> from skseq import NextStepClassifier
    >>> X = np.tile([0, 1, 2, 3], (30, 4))  # 30 sequences of 16 tokens
    >>> model = NextStepClassifier(16, vocab_size=4, epochs=30, learning_rate=0.01,
    ...                            random_state=0).fit(X)
    >>> float(model.score(X))
    1.0
    >>> model.generate([0, 1], n_steps=4, temperature=0.1, random_state=0).tolist()
    [0, 1, 2, 3, 0, 1]
    """

    _has_partial_fit = False

    def __init__(
        self,
        units=64,
        *,
        cell="lstm",
        conv_filters=(),
        kernel_size=2,
        dilation_rates=None,
        batch_norm=False,
        dropout=0.0,
        recurrent_dropout=0.0,
        vocab_size=None,
        embedding_dim=16,
        class_weight=None,
        epochs=20,
        batch_size=32,
        optimizer="adam",
        learning_rate=0.001,
        optimizer_params=None,
        loss="sparse_categorical_crossentropy",
        clipnorm=None,
        clipvalue=None,
        early_stopping=False,
        validation_fraction=0.1,
        patience=10,
        reduce_lr_patience=10,
        restore_best_weights=True,
        callbacks=None,
        verbose=0,
        random_state=None,
        warm_start=False,
    ):
        self.units = units
        self.cell = cell
        self.conv_filters = conv_filters
        self.kernel_size = kernel_size
        self.dilation_rates = dilation_rates
        self.batch_norm = batch_norm
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.vocab_size = vocab_size
        self.embedding_dim = embedding_dim
        self.class_weight = class_weight
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.optimizer_params = optimizer_params
        self.loss = loss
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.reduce_lr_patience = reduce_lr_patience
        self.restore_best_weights = restore_best_weights
        self.callbacks = callbacks
        self.verbose = verbose
        self.random_state = random_state
        self.warm_start = warm_start

    def fit(self, X, y=None, sample_weight=None):
        """Train on per-step labels, or on the next step of ``X`` itself.

        Parameters
        ----------
        X : list of array-like of shape (n_timesteps_i, n_features), or \
                array-like of shape (n_samples, n_timesteps[, n_features])
            Sequences, of different lengths or NaN-padded.
        y : list of array-like of shape (n_timesteps_i,), array-like of shape \
                (n_samples, n_timesteps) or None, default=None
            A label for every real time step of ``X``. None learns to predict
            step ``t + 1`` of each univariate sequence from its steps up to ``t``
            (sequences need at least two steps).
        sample_weight : array-like of shape (n_samples,), default=None
            Relative weight of each sequence, applied to all its time steps
            (scaled to mean 1 over the training sequences).

        Returns
        -------
        self : NextStepClassifier
            The fitted estimator.
        """
        self._check_params()
        # float64 so that labels read from X keep their values (the network casts)
        values, lengths = self._validate_sequences(X, dtype=np.float64)
        sample_weight = check_sample_weight(sample_weight, len(values))
        self_supervised = y is None
        if self_supervised:
            values, lengths, labels = _next_step_pairs(values, lengths, _value_dtype(X))
        else:
            labels = _step_labels(y, lengths)
        X = values.astype(np.float32)
        flat = np.concatenate(labels)
        _check_labels(flat)
        if self_supervised and self.vocab_size is not None:
            encoder = LabelEncoder().fit(np.arange(self.vocab_size))
            y_encoded = encoder.transform(flat.astype(np.int64))
        else:
            encoder, y_encoded = self._encode_labels(flat)
        class_weights = self._class_weights(encoder.classes_, y_encoded)
        Y, weights = _pad_steps(y_encoded, lengths, X.shape[1], class_weights)
        if weights is None and sample_weight is not None:
            weights = np.ones(Y.shape, np.float32)  # per step, as Keras needs
        model, history = self._fit_network(X, Y, sample_weight, weights, encoder)
        self._set_fitted(X, encoder.classes_, model, history)
        self.next_step_ = self_supervised
        return self

    def predict_proba(self, X):
        """Class probabilities at every time step.

        Parameters
        ----------
        X : list of array-like or array-like of shape (n_samples, n_timesteps\
                [, n_features])
            Sequences, possibly of different lengths.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_timesteps, n_classes), or list of \
                ndarray of shape (n_timesteps_i, n_classes)
            A list when the sequences differ in length. Row ``t`` is computed
            from steps ``<= t``; after ``fit(X)`` it is the forecast of step
            ``t + 1``.
        """
        check_is_fitted(self)
        X, lengths = self._validate_inputs(X)
        return _unpad(_normalise(self._network_output(X)), lengths)

    def predict(self, X):
        """Most probable class at every time step.

        Parameters
        ----------
        X : list of array-like or array-like of shape (n_samples, n_timesteps\
                [, n_features])
            Sequences, possibly of different lengths.

        Returns
        -------
        y_pred : ndarray of shape (n_samples, n_timesteps), or list of ndarray of \
                shape (n_timesteps_i,)
            A list when the sequences differ in length.
        """
        check_is_fitted(self)
        X, lengths = self._validate_inputs(X)
        labels = self.classes_[np.argmax(self._network_output(X), axis=-1)]
        return _unpad(labels, lengths)

    def score(self, X, y=None):
        """Accuracy over all real time steps.

        Parameters
        ----------
        X : list of array-like or array-like of shape (n_samples, n_timesteps\
                [, n_features])
            Sequences.
        y : list of array-like, array-like of shape (n_samples, n_timesteps) or \
                None, default=None
            Per-step labels; None scores the next-step predictions of ``X``
            itself (step ``t + 1`` from steps ``<= t``).

        Returns
        -------
        score : float
            Share of the time steps whose class is predicted right.
        """
        check_is_fitted(self)
        values = X
        X, lengths = self._validate_inputs(X)
        if y is None:
            X, lengths, labels = _next_step_pairs(X, lengths, _value_dtype(values))
        else:
            labels = _step_labels(y, lengths)
        flat = np.concatenate(labels)
        unseen = np.setdiff1d(flat, self.classes_)
        if unseen.size:
            raise ValueError(
                f"y holds labels never seen in fit: {unseen[:5].tolist()}; the "
                f"classes are {self.classes_[:10].tolist()}..."
            )
        proba = self._network_output(X)
        predicted = self.classes_[np.argmax(proba, axis=-1)]
        flat_pred = np.concatenate(
            [row[:n] for row, n in zip(predicted, lengths, strict=True)]
        )
        return float(accuracy_score(flat, flat_pred))

    def generate(self, seed_sequence, n_steps, temperature=1.0, random_state=None):
        """Extend a sequence by sampling one step at a time.

        Each new step is drawn from the predicted distribution of the step after
        the sequence so far, sharpened (``temperature < 1``) or flattened
        (``temperature > 1``), then appended and fed back.

        Parameters
        ----------
        seed_sequence : array-like of shape (n_timesteps,) or (n_timesteps, 1)
            The start of the sequence: at least one step of values the model
            can read (token ids with ``vocab_size``). Trailing NaN is padding,
            as in ``X``, and is dropped: ``[0, 1, nan]`` is the seed ``[0, 1]``.
        n_steps : int
            Number of steps to generate.
        temperature : float, default=1.0
            Divides the log-probabilities before sampling; must be > 0.
        random_state : int, RandomState, Generator or None, default=None
            Seeds the sampling.

        Returns
        -------
        sequence : ndarray of shape (n_real_timesteps + n_steps,)
            The seed's real steps followed by the generated steps, as labels of
            ``classes_`` (their dtype and exact values; a seed holding values
            that are not classes makes the result float64).
        """
        check_is_fitted(self)
        n_steps = check_int(n_steps, "n_steps", min_value=0)
        temperature = check_float(temperature, "temperature", low=0)
        if temperature == 0:
            raise ValueError("temperature must be > 0; got 0.")
        if self.n_features_in_ != 1 or self.classes_.dtype.kind not in "biuf":
            raise ValueError(
                "generate feeds each sampled class back as the next input: it "
                "needs univariate sequences and numeric classes; this model has "
                f"{self.n_features_in_} feature(s) and classes of dtype "
                f"{self.classes_.dtype}."
            )
        seed = np.asarray(seed_sequence)
        if seed.ndim == 2 and seed.shape[1] == 1:
            seed = seed[:, 0]
        if seed.ndim != 1:
            raise ValueError(
                "seed_sequence must be 1D (n_timesteps,) or (n_timesteps, 1); got "
                f"shape {seed.shape}."
            )
        sequence, lengths = self._validate_inputs(
            seed[np.newaxis, :], name="seed_sequence"
        )
        # Trailing NaN is padding (as in X): only the real steps are the seed.
        seed = sequence[0, : lengths[0], 0]
        n_seed = len(seed)
        # One buffer of the final length, NaN (padding) after the steps so far:
        # the network is causal, so the padding never changes the last real step's
        # output, and one input shape spares a retrace of the graph at every step.
        buffer = np.full((1, n_seed + n_steps, 1), np.nan, dtype=np.float32)
        buffer[0, :n_seed, 0] = seed
        rng = check_random_state_param(random_state)
        if not isinstance(rng, np.random.Generator):  # both have choice(n, p=)
            rng = check_random_state(rng)
        indices = np.zeros(n_steps, dtype=np.intp)
        for step in range(n_steps):
            proba = self._run_network(buffer)[0, n_seed + step - 1]
            proba = np.asarray(proba, np.float64)
            logits = np.log(np.maximum(proba, 1e-30)) / temperature
            weights = np.exp(logits - logits.max())
            indices[step] = rng.choice(len(weights), p=weights / weights.sum())
            buffer[0, n_seed + step, 0] = self.classes_[indices[step]]
        return np.concatenate([self._as_labels(seed), self.classes_[indices]])

    def _network_output(self, X):
        """The network's per-step output for validated (float64) ``X``."""
        return self._run_network(X.astype(np.float32))

    def _as_labels(self, values):
        """Seed values as the classes they are (exact, in the classes' dtype);
        values that are not classes stay float64."""
        if np.isin(values, self.classes_).all():
            return self.classes_[np.searchsorted(self.classes_, values)]
        return values

    def _validate_inputs(self, X, name="X"):
        """Validate inputs at predict time; after ``fit(X)``, they must be classes."""
        X, lengths = check_padded_sequences(X, input_name=name, dtype=np.float64)
        if X.shape[2] != self.n_features_in_:
            raise ValueError(
                f"{name} has {X.shape[2]} features per time step, but "
                f"{type(self).__name__} was fitted with {self.n_features_in_}."
            )
        if self.vocab_size_ is not None:
            _check_tokens(X, self.vocab_size_, name)
        if self.next_step_:
            values = X[~np.isnan(X)]
            unseen = np.setdiff1d(values, self.classes_.astype(np.float64))
            if unseen.size:
                raise ValueError(
                    f"{name} holds values never seen in fit: {unseen[:5].tolist()}."
                    " After fit(X), the inputs are the classes the model predicts: "
                    f"{self.classes_[:10].tolist()}..."
                )
        return X, lengths

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False
        return tags

    def _check_architecture(self):
        check_choice(self.cell, "cell", _CELLS)
        units = check_units(self.units, allow_empty=True)
        filters = check_units(self.conv_filters, "conv_filters", allow_empty=True)
        if self.dilation_rates is not None:
            rates = check_units(self.dilation_rates, "dilation_rates")
            if len(rates) != len(filters):
                raise ValueError(
                    f"dilation_rates needs one rate per convolution: {len(filters)} "
                    f"conv_filters but {len(rates)} dilation_rates."
                )
        if not units and not filters:
            raise ValueError("units and conv_filters cannot both be empty.")
        check_int(self.kernel_size, "kernel_size", min_value=1)
        for name in ("dropout", "recurrent_dropout"):
            check_float(getattr(self, name), name, low=0, high=1, high_inclusive=False)
        check_bool(self.batch_norm, "batch_norm")

    def _build_network(self, input_shape, n_classes, seed):
        from ..networks._classifiers import build_next_step_classifier

        rates = self.dilation_rates
        return build_next_step_classifier(
            input_shape,
            n_classes,
            conv_filters=check_units(self.conv_filters, allow_empty=True),
            kernel_size=self.kernel_size,
            dilation_rates=None if rates is None else check_units(rates),
            batch_norm=self.batch_norm,
            cell=self.cell,
            units=check_units(self.units, allow_empty=True),
            dropout=self.dropout,
            recurrent_dropout=self.recurrent_dropout,
            vocab_size=self.vocab_size,
            embedding_dim=self.embedding_dim,
            seed=seed,
        )


def _value_dtype(X):
    """Dtype of the values of sequences as given, before NaN padding made them
    float: next-step labels read from ``X`` come back in it."""
    items = _sequence_items(X)
    arrays = [X] if items is None else items
    dtype = np.result_type(*(np.asarray(array).dtype for array in arrays))
    return dtype if dtype.kind in "iuf" else np.dtype(np.float64)


def _next_step_pairs(X, lengths, dtype):
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
    inputs = X[:, :-1].copy()
    steps = np.arange(inputs.shape[1])
    inputs[steps[np.newaxis, :] >= (lengths - 1)[:, np.newaxis]] = np.nan
    labels = [row[1:n, 0].astype(dtype) for row, n in zip(X, lengths, strict=True)]
    return inputs, lengths - 1, labels


def _step_labels(y, lengths):
    """One label array per sequence, each as long as its sequence."""
    if isinstance(y, (list, tuple)) and y and all(np.ndim(item) == 1 for item in y):
        labels = [np.asarray(_checked_label_list(item)) for item in y]
    else:
        y = np.asarray(_checked_label_list(y))
        if y.ndim != 2:
            raise ValueError(
                "y must hold a label per time step: a 2D array (n_samples, "
                "n_timesteps) or a list of 1D arrays; got shape "
                f"{y.shape}. Use a sequence classifier for one label per sequence."
            )
        labels = [row[:n] for row, n in zip(y, lengths, strict=False)]
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


def _pad_steps(y_encoded, lengths, n_timesteps, class_weights):
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


def _unpad(values, lengths):
    """An array when every sequence is full length, else one array per sequence."""
    if (lengths == values.shape[1]).all():
        return values
    return [row[:n] for row, n in zip(values, lengths, strict=True)]
