"""The classifiers' base: labelled sequences of possibly different lengths.

``BaseKerasClassifier`` validates sequences (a list of 2D arrays, or arrays padded
with NaN after each sequence), encodes labels and weights classes, then hands the
data to the training template of :class:`~skseq.estimators._base.BaseKerasEstimator`
with a network of :mod:`skseq.networks` that masks the padding.
"""

import re

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import column_or_1d
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from ..utils._labels import (
    balanced_class_weight,
    check_class_weight,
    check_labels,
    check_true_labels,
    checked_label_list,
    class_weight_array,
    warn_if_classes_held_out,
    warn_if_no_label_known,
)
from ..utils._sequences import check_padded_sequences, check_tokens
from ..utils._validation import (
    check_bool,
    check_feature_names,
    check_int,
    column_attributes,
)
from ..utils._weights import check_sample_weight
from ._base import BaseKerasEstimator, TrainingData
from ._incremental import reusable_model
from ._training import check_keras_training_params

__all__ = ["BaseKerasClassifier"]

# Largest integer up to which float32 holds every integer exactly.
_MAX_VOCAB_SIZE = 2**24


class BaseKerasClassifier(ClassifierMixin, BaseKerasEstimator):
    """Keras sequence classifiers (sequence to label) on the shared template.

    Subclasses implement ``_build_network(input_shape, n_classes, seed)`` with a
    builder of :mod:`skseq.networks` and ``_check_architecture()``.
    ``ClassifierMixin`` stands left of the base, as ``RegressorMixin`` does in
    the forecasters' base, so that the tags set below come after the mixin's.
    """

    # Parameters the predict path reads, frozen in fit as ``name_`` attributes.
    _predict_params = ("vocab_size",)
    # NextStepClassifier (labels per time step) has no partial_fit.
    _has_partial_fit = True
    # Whether the network outputs a class distribution at every time step.
    _per_step_labels = False

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
            the training samples), multiplied by the ``class_weight`` of their
            label. A sequence of weight 0 is left out of training altogether;
            nonzero weights scale the loss only (batch normalisation counts
            every such sequence equally).

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
        names = column_attributes(X)
        if reusable_model(self, incremental) is not None:
            # training the fitted network further on shuffled time steps
            check_feature_names(self, X, stacklevel=4)  # partial_fit's caller
        X, _ = self._validate_sequences(X)
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y "
                "is None."
            )
        y = column_or_1d(checked_label_list(y), warn=True)
        if len(y) != len(X):
            raise ValueError(
                f"X and y have different numbers of samples: {len(X)} and {len(y)}."
            )
        check_labels(y)
        sample_weight = check_sample_weight(sample_weight, len(X))
        encoder, y_encoded = self._encode_labels(y, classes, incremental)
        weights = self._class_weights(
            encoder.classes_, y_encoded, incremental, sample_weight
        )
        if self.early_stopping and not incremental:
            warn_if_classes_held_out(
                y_encoded,
                encoder.classes_,
                sample_weight,
                self.validation_fraction,
                type(self).__name__,
                weights,
            )
        data = self._training_data(
            X,
            y_encoded,
            encoder.classes_,
            names,
            sample_weight=sample_weight,
            factors=None if weights is None else weights[y_encoded],
        )
        return self._fit_network(data, incremental)

    def _training_data(self, X, Y, classes, names=None, **weights):
        """The :class:`TrainingData` of sequences ``X`` and encoded labels ``Y``;
        ``names``: the :func:`column_attributes` of ``X`` (or None)."""
        # The longest real sequence, not the width of the NaN padding around it.
        longest = int((~np.isnan(X).all(axis=2)).sum(axis=1).max())
        fitted = {
            "classes_": classes,
            "n_features_in_": X.shape[2],
            "n_timesteps_in_": longest,
            **(names or column_attributes(None)),
        }
        return TrainingData(
            X,
            Y,
            fitted=fitted,
            warm_shapes={"n_features_in_": X.shape[2]},
            **weights,
        )

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
        check_feature_names(self, X)
        X, _ = self._validate_sequences(X, fitted=True)
        return normalise(self._run_network(X))

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
            True labels. Labels never seen in ``fit`` count as errors, as in
            sklearn (a cross-validation fold may hold a class its training
            part lacks).
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples.

        Returns
        -------
        score : float
            Share of sequences classified right (weighted).

        Warns
        -----
        UserWarning
            If no label of ``y`` was seen in ``fit``: the score is 0, from a
            mix-up of label sets (``"1"`` for ``1``, renamed classes) or a
            fold that holds only classes its training part lacks.
        """
        check_is_fitted(self)
        y = check_true_labels(y)
        warn_if_no_label_known(y, self.classes_)
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

    def _new_network(self, data, seed):
        return self._build_network(
            (None, data.X.shape[2]), len(data.fitted["classes_"]), seed
        )

    # -- steps of fit ------------------------------------------------------------
    def _check_params(self):
        check_keras_training_params(self)
        check_int(
            self.reduce_lr_patience, "reduce_lr_patience", min_value=1, allow_none=True
        )
        check_bool(self.restore_best_weights, "restore_best_weights")
        check_int(self.vocab_size, "vocab_size", min_value=1, allow_none=True)
        if self.vocab_size is not None and self.vocab_size > _MAX_VOCAB_SIZE:
            raise ValueError(
                f"vocab_size must be <= 2**24 = {_MAX_VOCAB_SIZE}; got "
                f"{self.vocab_size}. Token ids reach the network as float32, which "
                "holds larger integers inexactly (2**24 + 1 would be read as 2**24)."
            )
        check_int(self.embedding_dim, "embedding_dim", min_value=1)
        check_class_weight(self.class_weight)
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
            check_tokens(X, vocab_size)
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
                start_over = (
                    "start over with fit (warm_start=False) or on a clone"
                    if incremental
                    else "set warm_start=False to train a new network"
                )
                first_call = (
                    "pass every class in classes= on the first partial_fit, or "
                    if self._has_partial_fit
                    else ""
                )
                raise ValueError(
                    f"y holds labels {unseen[:5].tolist()} that are not among the "
                    f"classes {encoder.classes_[:10].tolist()} of the network being "
                    f"trained; {first_call}{start_over}."
                )
        return encoder, encoder.transform(y)

    def _known_classes(self, classes, incremental):
        if classes is not None:
            classes = column_or_1d(checked_label_list(classes, "classes"))
            check_labels(classes, "classes")
            classes = np.unique(classes)
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

    def _class_weights(self, classes, y_encoded, incremental=False, sample_weight=None):
        """Weight of each encoded class, or None for no weighting; ``"balanced"``
        counts the classes by ``sample_weight`` (one per label of ``y_encoded``)."""
        if self.class_weight is None:
            return None
        if incremental and isinstance(self.class_weight, str):
            raise ValueError(
                "class_weight='balanced' needs the class counts of all the data, "
                "which partial_fit sees one chunk at a time; pass a dict of weights."
            )
        if isinstance(self.class_weight, dict):
            return class_weight_array(self.class_weight, classes)
        return balanced_class_weight(y_encoded, len(classes), sample_weight)

    def _make_loss(self, keras):
        loss = super()._make_loss(keras)
        check_classification_loss(
            keras, loss, self.loss, type(self).__name__, self._per_step_labels
        )
        return loss

    def _restored_loss(self, early_stopping):
        if self.restore_best_weights and not early_stopping:
            return "loss"
        return super()._restored_loss(early_stopping)

    def _training_callbacks(self, keras, early_stopping):
        """The shared callbacks, the learning-rate schedule, and without early
        stopping, the keeper of the weights of the lowest training loss (fresh
        for every fit)."""
        callbacks = super()._training_callbacks(keras, early_stopping)
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


# Relative gap by which a loss must prefer the true class (float32 noise: 1e-7).
_LOSS_MARGIN = 1e-4


def check_classification_loss(keras, loss, param, name, per_step=False):
    """Refuse a ``loss`` that cannot train a classifier's softmax output on
    integer class indices, before Keras fails deep in training or trains on
    broadcast nonsense.

    The loss is tried on 5 labels of 3 classes (per time step with
    ``per_step``): it must run, and score probabilities peaked on the true
    class lower than ones peaked on a wrong class. ``from_logits=True`` is
    refused, the network's outputs being probabilities.
    """
    expected = (
        "the network outputs class probabilities and is trained on integer class "
        "indices, as the default 'sparse_categorical_crossentropy' takes them"
    )
    config = loss.get_config() if hasattr(loss, "get_config") else {}
    if config.get("from_logits"):
        raise ValueError(
            f"loss={param!r} has from_logits=True, but {name}'s network ends "
            "in a softmax: its outputs are probabilities. Use from_logits=False."
        )
    labels = np.array([0, 1, 2, 0, 1], dtype=np.int32)
    right, wrong = (np.full((5, 3), 0.1, np.float32) for _ in range(2))
    right[np.arange(5), labels] = 0.8
    wrong[np.arange(5), (labels + 1) % 3] = 0.8
    if per_step:
        labels, right, wrong = (
            np.stack([a, a], axis=1) for a in (labels, right, wrong)
        )
    try:
        values = [
            float(keras.ops.convert_to_numpy(keras.ops.mean(loss(labels, proba))))
            for proba in (right, wrong)
        ]
    except Exception as exc:  # any backend's shape or type error
        detail = re.sub(r"^\{\{.*?\}\}\s*", "", str(exc).strip())  # TF's op name
        detail = detail.splitlines()[0][:200] if detail else type(exc).__name__
        raise ValueError(
            f"loss={param!r} cannot train {name}: {expected}. Trying it on such "
            f"labels failed: {detail}"
        ) from exc
    # A margin, not a bare "<": a loss blind to the labels (the mean of y_pred)
    # scored the two apart by float32 rounding alone on PyTorch, and passed.
    margin = _LOSS_MARGIN * max(abs(values[0]), abs(values[1]))
    if not (np.isfinite(values).all() and values[1] - values[0] > margin):
        raise ValueError(
            f"loss={param!r} cannot train {name}: {expected}, and it does not "
            f"score probabilities peaked on the true class lower than ones peaked "
            f"on a wrong class ({values[0]:.4g} vs {values[1]:.4g})."
        )


def normalise(proba):
    """float64 probabilities whose rows sum to 1 despite float32 rounding."""
    proba = np.asarray(proba, dtype=np.float64)
    return proba / proba.sum(axis=-1, keepdims=True)
