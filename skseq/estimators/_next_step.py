"""Classification at every time step, and generation by sampling the next step."""

import numpy as np
from sklearn.metrics import accuracy_score
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.validation import check_is_fitted

from ..utils._architecture import RECURRENT_CELLS, conv_dilation_rates, layer_sizes
from ..utils._labels import (
    check_labels,
    check_true_labels,
    concatenated_labels,
    warn_if_no_label_known,
)
from ..utils._sequences import check_padded_sequences, check_tokens
from ..utils._validation import (
    as_float,
    check_bool,
    check_choice,
    check_feature_names,
    check_float,
    check_float_range,
    check_int,
    check_units,
    column_attributes,
)
from ..utils._weights import check_sample_weight
from ._classifier_base import BaseKerasClassifier, normalise
from ._docstrings import fill_doc
from ._generation import check_temperature, sample_steps, seed_values
from ._incremental import reusable_model
from ._step_labels import next_step_pairs, pad_steps, step_labels, unpad, value_dtype

__all__ = ["NextStepClassifier"]


@fill_doc
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
    %(classifier_training)s

    Attributes
    ----------
    %(classifier_attributes)s
    input_values_ : ndarray of shape (n_values,) or None
        After ``fit(X)`` without ``y``: the values found at any step of ``X``,
        the first steps included (after a warm fit, of every ``X`` the network
        was trained on since it was built): without ``vocab_size``, ``predict``,
        ``score`` and :meth:`generate` accept these as inputs (``classes_``
        holds the values predicted, those of the steps after the first). None
        after ``fit(X, y)``.
    next_step_ : bool
        Whether the last ``fit`` was ``fit(X)`` without ``y`` (each step's
        label is the next step's value); then, without ``vocab_size``,
        ``predict`` and ``score`` refuse values not in ``input_values_``.

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
    _per_step_labels = True

    @classmethod
    def _get_test_params(cls):
        """Parameters of small instances for the tests; the first is the fast one."""
        fast = cls._fast_test_params
        return [fast(units=3, vocab_size=5, embedding_dim=2)]

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
        verbose="auto",
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
            (scaled to mean 1 over the training sequences). A sequence of
            weight 0 is left out of training altogether.

        Returns
        -------
        self : NextStepClassifier
            The fitted estimator.
        """
        self._check_params()
        names = column_attributes(X)
        if reusable_model(self, False) is not None:
            # a warm fit trains the fitted network further: time steps in order
            check_feature_names(self, X, stacklevel=3)
        # float64 so that labels read from X keep their values (the network casts)
        values, lengths = self._validate_sequences(X, dtype=np.float64)
        check_float_range(values, np.float32)  # before labels are read from it
        sample_weight = check_sample_weight(sample_weight, len(values))
        self_supervised = y is None
        self._check_warm_task(self_supervised)
        input_values = None
        if self_supervised:
            input_values = self._input_values(values)
            values, lengths, labels = next_step_pairs(values, lengths, value_dtype(X))
        else:
            labels = step_labels(y, lengths, values.shape[:2])
        X = as_float(values, np.float32)
        flat = concatenated_labels(labels)
        check_labels(flat)
        if self_supervised:
            self._check_warm_next_steps(flat)
        if self_supervised and self.vocab_size is not None:
            encoder = LabelEncoder().fit(np.arange(self.vocab_size))
            y_encoded = encoder.transform(flat.astype(np.int64))
        else:
            encoder, y_encoded = self._encode_labels(flat)
        step_weight = None
        if sample_weight is not None:
            step_weight = np.repeat(sample_weight, [len(steps) for steps in labels])
        class_weights = self._class_weights(
            encoder.classes_, y_encoded, sample_weight=step_weight
        )
        Y, weights = pad_steps(y_encoded, lengths, X.shape[1], class_weights)
        if weights is None and sample_weight is not None:
            weights = np.ones(Y.shape, np.float32)  # per step, as Keras needs
        data = self._training_data(
            X, Y, encoder.classes_, names, sample_weight=sample_weight, factors=weights
        )
        data.fitted["next_step_"] = self_supervised
        data.fitted["input_values_"] = input_values
        data.fitted["_classes_never_read"] = self._unread_classes(
            values, encoder.classes_, self_supervised
        )
        return self._fit_network(data)

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
        return unpad(normalise(self._network_output(X)), lengths)

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
        return unpad(labels, lengths)

    def score(self, X, y=None, sample_weight=None):
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
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sequence, given to each of its time steps scored.

        Returns
        -------
        score : float
            Share of the time steps whose class is predicted right (weighted);
            labels never seen in ``fit`` (a note a test chorale alone holds)
            count as errors.

        Warns
        -----
        UserWarning
            If no label was seen in ``fit`` (the score is then 0).
        """
        check_is_fitted(self)
        values = X
        X, lengths = self._validate_inputs(X)
        sample_weight = check_sample_weight(sample_weight, len(X))
        if y is None:
            X, lengths, labels = next_step_pairs(X, lengths, value_dtype(values))
        else:
            labels = step_labels(y, lengths, X.shape[:2])
        flat = check_true_labels(concatenated_labels(labels))
        warn_if_no_label_known(flat, self.classes_)
        proba = self._network_output(X)
        predicted = self.classes_[np.argmax(proba, axis=-1)]
        flat_pred = np.concatenate(
            [row[:n] for row, n in zip(predicted, lengths, strict=True)]
        )
        if sample_weight is not None:
            sample_weight = np.repeat(sample_weight, lengths)
        return float(accuracy_score(flat, flat_pred, sample_weight=sample_weight))

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

        Raises
        ------
        ValueError
            If the classes cannot be fed back as inputs: after ``fit(X, y)``,
            labels that are not token ids (with ``vocab_size``) or none of which
            is a value of ``X`` (without it).
        """
        check_is_fitted(self)
        n_steps = check_int(n_steps, "n_steps", min_value=0)
        temperature = check_temperature(temperature)
        if self.n_features_in_ != 1 or self.classes_.dtype.kind not in "biuf":
            raise ValueError(
                "generate feeds each sampled class back as the next input: it "
                "needs univariate sequences and numeric classes; this model has "
                f"{self.n_features_in_} feature(s) and classes of dtype "
                f"{self.classes_.dtype}."
            )
        self._check_generable_classes()
        seed = seed_values(seed_sequence)
        sequence, lengths = self._validate_inputs(
            seed[np.newaxis, :], name="seed_sequence"
        )
        # Trailing NaN is padding (as in X): only the real steps are the seed.
        seed = sequence[0, : lengths[0], 0]
        indices = sample_steps(
            self._run_network, self.classes_, seed, n_steps, temperature, random_state
        )
        return np.concatenate([self._as_labels(seed), self.classes_[indices]])

    def _unread_classes(self, values, classes, self_supervised):
        """After ``fit(X, y)`` without ``vocab_size``: the numeric classes when
        none is a value of univariate ``X`` (labels of another kind than the
        inputs, which generate would feed back as inputs the network never
        read); None when some are, as in ``fit(X[:, :-1], X[:, 1:])``, where a
        value may be found only at the last step."""
        if self_supervised or self.vocab_size is not None or values.shape[2] != 1:
            return None
        if np.asarray(classes).dtype.kind not in "biuf":
            return None
        unread = np.setdiff1d(classes.astype(np.float64), values[~np.isnan(values)])
        return unread if unread.size == len(classes) else None

    def _check_generable_classes(self):
        """The classes fed back must be inputs the network can read: with
        ``vocab_size`` token ids (after ``fit(X, y)`` with other labels the
        embedding cannot read them); without it, values of the training ``X``."""
        unread = getattr(self, "_classes_never_read", None)
        if unread is not None:
            raise ValueError(
                "generate feeds each sampled class back as the next input; this "
                f"model was fitted with fit(X, y) on labels (such as "
                f"{unread[:5].tolist()}) none of which is a value of X: the network "
                "never read them. generate continues sequences whose labels are "
                "their next steps: fit(X) learns that."
            )
        if self.vocab_size_ is None:
            return
        classes = self.classes_.astype(np.float64)
        bad = (classes != np.round(classes)) | (classes < 0)
        bad |= classes >= self.vocab_size_
        if bad.any():
            raise ValueError(
                "generate feeds each sampled class back as the next input, a "
                f"token id in [0, vocab_size={self.vocab_size_}); this model's "
                f"classes_ include {self.classes_[bad][:5].tolist()}, which are not "
                "(labels of fit(X, y)). Fit with fit(X), or with labels that "
                "are token ids."
            )

    def _network_output(self, X):
        """The network's per-step output for validated (float64) ``X``."""
        return self._run_network(as_float(X, np.float32))

    def _as_labels(self, values):
        """Seed values as the classes they are (exact, in the classes' dtype);
        values that are not classes stay float64."""
        if np.isin(values, self.classes_).all():
            return self.classes_[np.searchsorted(self.classes_, values)]
        return values

    def _validate_inputs(self, X, name="X"):
        """Validate inputs at predict time; after ``fit(X)``, they must be classes."""
        check_feature_names(self, X, stacklevel=4)
        X, lengths = check_padded_sequences(X, input_name=name, dtype=np.float64)
        if X.shape[2] != self.n_features_in_:
            raise ValueError(
                f"{name} has {X.shape[2]} features per time step, but "
                f"{type(self).__name__} was fitted with {self.n_features_in_}."
            )
        if self.vocab_size_ is not None:
            check_tokens(X, self.vocab_size_, name)
        elif self.next_step_:
            known = self._known_inputs()
            unseen = np.setdiff1d(X[~np.isnan(X)], known)
            if unseen.size:
                raise ValueError(
                    f"{name} holds values never seen in fit: {unseen[:5].tolist()}."
                    " After fit(X), the model reads the values of the training "
                    f"sequences: {known[:10].tolist()}..."
                )
        return X, lengths

    def _continues_next_step(self):
        """Whether this fit trains further a network fitted on ``fit(X)``."""
        return reusable_model(self, False) is not None and getattr(
            self, "next_step_", False
        )

    def _input_values(self, values):
        """The values of ``fit(X)``'s sequences; a warm fit adds them to those the
        network was trained on before, which it still reads."""
        seen = np.unique(values[~np.isnan(values)])
        if self._continues_next_step():
            return np.union1d(self._known_inputs(), seen)
        return seen

    def _check_warm_task(self, self_supervised):
        """Refuse a warm fit that would train the fitted network on the other
        task: next steps of ``X`` (``fit(X)``) after labels (``fit(X, y)``),
        or the reverse."""
        if reusable_model(self, False) is None:
            return
        fitted = bool(getattr(self, "next_step_", False))
        if fitted != self_supervised:
            tasks = ("per-step labels, fit(X, y)", "the next steps of X, fit(X)")
            raise ValueError(
                f"warm_start=True continues training the network fitted on "
                f"{tasks[fitted]}, but this fit trains on {tasks[self_supervised]}"
                ": its classes mean something else. Set warm_start=False to "
                "train a new network."
            )

    def _check_warm_next_steps(self, next_values):
        """Refuse, in a warm ``fit(X)``, next-step values the network has no
        class for (its output layer is sized to ``classes_``)."""
        if self.vocab_size is not None or not self._continues_next_step():
            return
        unseen = np.setdiff1d(next_values, self.classes_)
        if unseen.size:
            raise ValueError(
                f"X holds values {unseen[:5].tolist()} at steps after the first "
                "that are not among the classes "
                f"{self.classes_[:10].tolist()} the network predicts; "
                "warm_start=True continues training that network, which cannot "
                "learn new classes. Set warm_start=False to train a new network "
                "on all the values, or give vocab_size (token ids) from the start."
            )

    def _known_inputs(self):
        """The input values of ``fit(X)``; models pickled before
        ``input_values_`` existed knew only their classes."""
        known = getattr(self, "input_values_", None)
        return self.classes_.astype(np.float64) if known is None else known

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False
        return tags

    def _check_architecture(self):
        check_choice(self.cell, "cell", RECURRENT_CELLS)
        units = check_units(self.units, allow_empty=True)
        filters = check_units(self.conv_filters, "conv_filters", allow_empty=True)
        if self.dilation_rates is not None:
            check_units(self.dilation_rates, "dilation_rates")
            conv_dilation_rates(self.dilation_rates, len(filters))
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
            conv_filters=layer_sizes(self.conv_filters),
            kernel_size=self.kernel_size,
            dilation_rates=None if rates is None else layer_sizes(rates),
            batch_norm=self.batch_norm,
            cell=self.cell,
            units=layer_sizes(self.units),
            dropout=self.dropout,
            recurrent_dropout=self.recurrent_dropout,
            vocab_size=self.vocab_size,
            embedding_dim=self.embedding_dim,
            seed=seed,
        )
