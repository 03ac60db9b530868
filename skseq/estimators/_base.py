"""The one ``fit``/``predict`` template of skseq's sequence forecasters.

``BaseSequenceForecaster`` validates sequences and targets and gives predictions the
shape ``y`` had; it knows nothing of Keras. ``BaseKerasForecaster`` adds training: it
turns the targets into what the chosen multi-step strategy trains on, asks the
subclass for a network (``_build_network``, a call to a pure builder of
:mod:`skseq.networks`), compiles and fits it. Everything learned is set at the end of
``fit`` so that a failed fit leaves a previously fitted estimator as it was.
"""

import copy
import inspect
import numbers

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.metrics import r2_score
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from ..utils._doc_link import DocLinkMixin
from ..utils._keras import import_keras
from ..utils._persistence import KerasPicklingMixin
from ..utils._scalars import python_scalars
from ..utils._summary import summary_method
from ..utils._validation import (
    check_bool,
    check_choice,
    check_coverage,
    check_float,
    check_int,
    check_random_state_param,
    check_sequences,
    check_targets,
    validation_size,
)
from ..utils._weights import check_sample_weight
from ._incremental import (
    architecture_params,
    check_warm_architecture,
    merge_history,
    reusable_model,
    train_or_restore,
    training_parts,
)

__all__ = ["BaseKerasForecaster", "BaseSequenceForecaster"]

STRATEGIES = ("direct", "seq2seq", "recursive")
# Largest number of sequences sent to the network in one call at predict time.
_PREDICT_CHUNK = 8192


def store_predict_params(estimator):
    """Freeze the parameters ``predict`` needs as fitted attributes (``name_``).

    sklearn's rule: until the next ``fit``, ``predict`` and its friends read only
    what ``fit`` learned, so that ``set_params`` on a fitted estimator never
    changes (or breaks) its predictions. Each class lists those parameters in
    ``_predict_params``; ``fit`` calls this once it has succeeded.
    """
    for name in estimator._predict_params:
        setattr(estimator, f"{name}_", copy.deepcopy(getattr(estimator, name)))


class BaseSequenceForecaster(
    DocLinkMixin, KerasPicklingMixin, RegressorMixin, BaseEstimator
):
    """Validation and output shapes shared by every forecaster (no Keras here).

    Subclasses set ``_variable_length`` to False when the sequence length at
    predict time must equal the one seen in ``fit``, and list in
    ``_predict_params`` the parameters their predict path reads (frozen by
    :func:`store_predict_params` as ``name_`` attributes).
    """

    _variable_length = True
    summary = summary_method
    _predict_params = ()
    # Dtype of validated X: float32 feeds a network; None keeps float64 (and turns
    # integers into float64) for estimators that compute without Keras.
    _input_dtype = np.float32

    def _validate_training_data(self, X, y):
        """Return 3D ``X``, 3D ``y`` and the shape attributes ``fit`` will set."""
        X = check_sequences(X, dtype=self._input_dtype)
        y, y_ndim = check_targets(y, len(X), dtype=self._input_dtype)
        shapes = {
            "n_timesteps_in_": X.shape[1],
            "n_features_in_": X.shape[2],
            "horizon_": y.shape[1],
            "n_targets_": y.shape[2],
            "y_ndim_": y_ndim,
        }
        return X, y, shapes

    def _validate_predict_data(self, X):
        check_is_fitted(self)
        X = check_sequences(X, dtype=self._input_dtype)
        name = type(self).__name__
        if X.shape[2] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[2]} features per time step, but {name} was fitted "
                f"with {self.n_features_in_}."
            )
        if not self._variable_length and X.shape[1] != self.n_timesteps_in_:
            raise ValueError(
                f"X has sequences of {X.shape[1]} time steps, but {name} was fitted "
                f"on {self.n_timesteps_in_} and needs that length."
            )
        return X

    def _check_target_features(self, n_features, n_targets):
        """The targets must be the first features of ``X`` (see the docstrings)."""
        if n_features < n_targets:
            raise ValueError(
                f"y has {n_targets} target series but X has only {n_features} "
                f"feature(s); {type(self).__name__} reads the targets from the "
                f"first {n_targets} features of X."
            )

    def _format_predictions(self, y_pred):
        """Give a ``(n_samples, horizon, n_targets)`` forecast the shape ``y`` had."""
        y_pred = np.asarray(y_pred, dtype=np.float64)
        if self.y_ndim_ == 1:
            return y_pred[:, 0, 0]
        if self.y_ndim_ == 2:
            return y_pred[:, :, 0]
        return y_pred

    def score(self, X, y, sample_weight=None):
        """Coefficient of determination R^2 over all forecast steps and targets.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Sequences.
        y : array-like of shape (n_samples,), (n_samples, horizon) or \
                (n_samples, horizon, n_targets)
            True future values.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            R^2, averaged uniformly over the ``horizon * n_targets`` outputs.
        """
        y_pred = self.predict(X)
        y_true = np.asarray(y)
        if y_true.shape != y_pred.shape:
            raise ValueError(
                f"y has shape {y_true.shape}, but {type(self).__name__} forecasts "
                f"the shape of the y it was fitted on: predictions {y_pred.shape}."
            )
        return r2_score(
            y_true.reshape(len(y_true), -1),
            y_pred.reshape(len(y_pred), -1),
            sample_weight=sample_weight,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.target_tags.multi_output = True
        # Small networks trained for a few epochs are not expected to reach sklearn's
        # score thresholds on its toy problems.
        tags.regressor_tags.poor_score = True
        return tags


def draw_seed(random_state):
    """Turn ``random_state`` into an int seed for Keras, or None to leave it random.

    An int always gives the same seed; a ``RandomState`` or ``Generator`` gives
    the next draw of its stream.
    """
    random_state = check_random_state_param(random_state)
    if random_state is None:
        return None
    high = np.iinfo(np.int32).max
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(high))
    return int(check_random_state(random_state).randint(high))


def split_validation(X, y, fraction):
    """Hold out the last ``fraction`` of the samples (the latest windows)."""
    n_val = validation_size(len(X), fraction)
    return (X[:-n_val], y[:-n_val]), (X[-n_val:], y[-n_val:])


def seq2seq_targets(X, y):
    """Targets of a forecast of the next ``horizon`` steps made at every time step.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_timesteps, n_features)
        Inputs whose first ``n_targets`` features are the target series.
    y : ndarray of shape (n_samples, horizon, n_targets)
        The values after each sequence.

    Returns
    -------
    Y : ndarray of shape (n_samples, n_timesteps, horizon * n_targets)
        ``Y[:, t]`` holds the ``horizon`` values after step ``t``; the last step's
        are ``y`` itself.
    """
    n_samples, n_timesteps, _ = X.shape
    horizon, n_targets = y.shape[1:]
    full = np.concatenate([X[:, :, :n_targets], y], axis=1)
    # windows over time: (n, n_timesteps + 1, n_targets, horizon); drop the first,
    # which starts at step 0 and so forecasts nothing after step -1.
    ahead = sliding_window_view(full, horizon, axis=1)[:, 1:]
    return ahead.transpose(0, 1, 3, 2).reshape(n_samples, n_timesteps, -1)


def check_keras_training_params(estimator):
    """Validate the training hyperparameters every Keras-backed estimator shares."""
    check_int(estimator.epochs, "epochs", min_value=1)
    check_int(estimator.batch_size, "batch_size", min_value=1)
    check_int(estimator.patience, "patience", min_value=0)
    check_int(estimator.verbose, "verbose", min_value=0)
    check_float(estimator.learning_rate, "learning_rate", low=0, high=None)
    check_float(estimator.validation_fraction, "validation_fraction", low=0, high=1)
    check_bool(estimator.early_stopping, "early_stopping")
    check_random_state_param(estimator.random_state)
    check_callbacks(estimator.callbacks)
    check_bool(estimator.warm_start, "warm_start")
    for name in ("clipnorm", "clipvalue"):
        if getattr(estimator, name) is not None:
            check_float(getattr(estimator, name), name, low=0)
    if not isinstance(estimator.optimizer, str):
        raise TypeError(
            "optimizer must be the name of a Keras optimizer, e.g. 'adam'; pass "
            f"its settings in optimizer_params. Got {estimator.optimizer!r}."
        )
    if estimator.optimizer_params is not None and not isinstance(
        estimator.optimizer_params, dict
    ):
        raise TypeError(
            "optimizer_params must be a dict or None; "
            f"got {estimator.optimizer_params!r}."
        )


def check_callbacks(callbacks):
    """``callbacks`` must be None or a list or tuple of Keras callbacks."""
    if callbacks is None:
        return
    if not isinstance(callbacks, (list, tuple)):
        raise TypeError(
            "callbacks must be a list of keras.callbacks.Callback or None; got "
            f"{callbacks!r}. Pass one callback as callbacks=[callback]."
        )
    if not callbacks:
        return
    base = import_keras().callbacks.Callback
    for index, callback in enumerate(callbacks):
        if not isinstance(callback, base):
            raise TypeError(
                f"callbacks[{index}] must be a keras.callbacks.Callback; got "
                f"{callback!r}."
            )


def copy_callback(callback):
    """A copy of ``callback`` for one ``fit``, so that no state leaks across fits.

    The copy is deep, except for attributes that cannot be deep-copied (an open
    file, a lock, a socket): the copy shares those with ``callback``, so a
    callback writing to an open log file keeps writing to it. When even that
    fails, the copy is shallow (``copy.copy``).
    """
    try:
        return copy.deepcopy(callback)
    except Exception:  # noqa: BLE001 - any object may refuse deepcopy in its way
        pass
    memo = {}
    for value in vars(callback).values():
        try:
            copy.deepcopy(value)
        except Exception:  # noqa: BLE001
            memo[id(value)] = value  # deepcopy returns memo entries as they are
    try:
        return copy.deepcopy(callback, memo)
    except Exception:  # noqa: BLE001
        return copy.copy(callback)


def training_callbacks(estimator, keras, early_stopping):
    """Copies of the user's callbacks, plus the NaN guard and early stopping."""
    from ..networks._training import StopOnNonFiniteLoss

    callbacks = [copy_callback(callback) for callback in estimator.callbacks or ()]
    callbacks.append(StopOnNonFiniteLoss())
    if early_stopping:
        callbacks.append(
            keras.callbacks.EarlyStopping(
                monitor="val_loss",
                patience=int(estimator.patience),
                restore_best_weights=getattr(estimator, "restore_best_weights", True),
            )
        )
    return callbacks


def optimizer_config(keras, name, config):
    """``config`` for optimizer ``name``, ready for Keras: NumPy scalars become
    Python numbers, and every real number given for a float setting (``1`` as a
    learning rate, ``0`` as a momentum) becomes a float, which Keras insists on."""
    config = python_scalars(config)
    try:
        optimizer_class = type(keras.optimizers.get(name))
    except (ValueError, TypeError):
        return config  # _make_optimizer reports the unknown name
    defaults = inspect.signature(optimizer_class).parameters
    for key, value in config.items():
        default = getattr(defaults.get(key), "default", None)
        if (
            isinstance(default, float)
            and isinstance(value, numbers.Real)
            and not isinstance(value, bool)
        ):
            config[key] = float(value)
    return config


def _check_training_converged(history, model, learning_rate):
    """Refuse a network whose loss or weights stopped being finite."""
    losses = np.asarray(history.get("loss", []), dtype=float)
    bad_epochs = np.flatnonzero(~np.isfinite(losses))
    if len(bad_epochs):
        where = f"the loss became {losses[bad_epochs[0]]} in epoch {bad_epochs[0] + 1}"
    elif not all(np.isfinite(w).all() for w in model.get_weights()):
        where = "the weights stopped being finite"
    else:
        return
    raise FloatingPointError(
        f"Training diverged: {where}, so the network was discarded "
        f"(learning_rate={learning_rate}). Lower the learning rate, clip gradients "
        "(clipnorm=1.0) or scale the data."
    )


class BaseKerasForecaster(BaseSequenceForecaster):
    """Training template for Keras-backed forecasters.

    Subclasses implement ``_build_network(input_shape, n_outputs, sequence_output,
    seed)`` with a builder of :mod:`skseq.networks` and ``_check_architecture()``
    for their own hyperparameters.
    """

    _strategies = STRATEGIES
    _predict_params = ("strategy",)

    def fit(self, X, y, sample_weight=None):
        """Train the network on sequences and their future values.

        With ``warm_start=True`` and a fitted network, training continues from it
        (weights and optimizer state) for ``epochs`` more epochs.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or \
                (n_samples, n_timesteps, n_features)
            Input sequences; 2D means univariate.
        y : array-like of shape (n_samples,), (n_samples, horizon) or \
                (n_samples, horizon, n_targets)
            The values following each sequence.
        sample_weight : array-like of shape (n_samples,), default=None
            Relative weights of the sequences in the loss (scaled to mean 1 over
            the training samples; a zero weight removes a sequence). With
            ``"seq2seq"``, a sequence's weight applies to all its time steps.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit_arrays(X, y, sample_weight, incremental=False)

    def partial_fit(self, X, y, sample_weight=None):
        """Train one epoch on ``X, y``, continuing from the fitted network if any.

        For data that arrives in chunks: the first call builds the network, every
        call trains one pass over its data (``early_stopping`` is not used) and
        keeps the optimizer state; ``history_`` grows by one epoch per call.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Input sequences.
        y : array-like of shape (n_samples,), (n_samples, horizon) or \
                (n_samples, horizon, n_targets)
            The values following each sequence.
        sample_weight : array-like of shape (n_samples,), default=None
            Relative weights of the sequences, as in ``fit``.

        Returns
        -------
        self : object
            The estimator, trained one more epoch.
        """
        return self._fit_arrays(X, y, sample_weight, incremental=True)

    def _fit_arrays(self, X, y, sample_weight, incremental):
        X, y, shapes = self._validate_fit(X, y)
        sample_weight = check_sample_weight(sample_weight, len(X))
        X_train, y_train = self._training_arrays(X, y)

        def train(keras, model, seed):
            return self._train(
                keras, model, X_train, y_train, sample_weight, incremental
            )

        return self._fit_network(X, y_train.shape[-1], shapes, train, incremental)

    def predict(self, X, return_std=False):
        """Forecast the ``horizon_`` steps after each sequence.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or \
                (n_samples, n_timesteps, n_features)
            Input sequences with ``n_features_in_`` features.
        return_std : bool, default=False
            If True, also return the standard deviation of the forecast by Monte
            Carlo dropout: ``mc_samples`` stochastic forward passes with dropout on.
            The mean of those passes is then returned as the forecast. The
            standard deviation measures the model's uncertainty, not the noise
            of the data.

        Returns
        -------
        y_pred : ndarray of the shape ``y`` had in ``fit`` \
                ((n_samples,), (n_samples, horizon) or (n_samples, horizon, n_targets))
        y_std : ndarray of the shape of ``y_pred``
            Only when ``return_std`` is True.
        """
        X = self._validate_predict_data(X)
        if not return_std:
            return self._format_predictions(self._forecast(X))
        samples = self._sample_forecasts(X)
        return (
            self._format_predictions(samples.mean(axis=0)),
            self._format_predictions(samples.std(axis=0)),
        )

    def predict_interval(self, X, coverage=0.9):
        """Quantiles of Monte Carlo dropout forecasts (not a calibrated interval).

        The bounds hold ``coverage`` of the ``mc_samples`` forecasts made with
        dropout on. Their spread measures the network's own uncertainty, not the
        noise of the data, so they usually hold far less than ``coverage`` of the
        true values (``benchmarks/intervals.py`` measures it). For intervals that
        hold ``coverage`` of the truth, wrap the forecaster in
        :class:`~skseq.ConformalForecaster`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Input sequences.
        coverage : float, default=0.9
            Share of the ``mc_samples`` stochastic forecasts between the bounds.

        Returns
        -------
        lower, upper : ndarray of the shape ``y`` had in ``fit``
            The ``(1 - coverage) / 2`` and ``(1 + coverage) / 2`` quantiles.
        """
        coverage = check_coverage(coverage)
        X = self._validate_predict_data(X)
        samples = self._sample_forecasts(X)
        bounds = np.quantile(samples, [(1 - coverage) / 2, (1 + coverage) / 2], axis=0)
        return self._format_predictions(bounds[0]), self._format_predictions(bounds[1])

    def _forecast(self, X, training=False):
        """Forecast of shape (n_samples, horizon, n_targets) from validated ``X``."""
        if self.strategy_ == "recursive":
            y_pred = self._predict_recursive(X, training)
        else:
            y_pred = self._run_network(X, training)
            if self.strategy_ == "seq2seq":
                y_pred = y_pred[:, -1]
        return y_pred.reshape(len(X), self.horizon_, self.n_targets_)

    def _sample_forecasts(self, X):
        """``mc_samples`` forecasts with dropout on: (mc_samples, n, horizon, t)."""
        if not self._has_dropout():
            raise ValueError(
                f"{type(self).__name__} has no dropout to sample: set dropout or "
                "recurrent_dropout > 0 to get uncertainty by Monte Carlo dropout."
            )
        samples = [self._forecast(X, training=True) for _ in range(self.mc_samples_)]
        # float64 before the mean, std and quantiles: no rounding beyond the network's
        return np.stack(samples).astype(np.float64)

    # -- persistence -------------------------------------------------------------
    # -- hooks -------------------------------------------------------------------
    def _build_network(self, input_shape, n_outputs, sequence_output, seed):
        raise NotImplementedError

    def _check_architecture(self):
        """Validate the architecture hyperparameters of the subclass."""

    def _has_dropout(self):
        """Whether the fitted network has dropout that Monte Carlo sampling can
        use (read from fitted attributes only)."""
        return False

    def _align_sequence_targets(self, Y):
        """Match per-step targets ``(n, n_timesteps, k)`` to the network's output
        steps; networks that shorten the sequence (strided convolutions) crop and
        downsample them here."""
        return Y

    def _model_timesteps(self, X):
        """Sequence length the network is built for; None accepts any length."""
        return None if self._variable_length else X.shape[1]

    # -- steps of fit ------------------------------------------------------------
    def _check_training_params(self):
        check_choice(self.strategy, "strategy", self._strategies)
        check_keras_training_params(self)

    def _check_strategy_data(self, X, y):
        if self.strategy in ("seq2seq", "recursive"):
            self._check_target_features(X.shape[2], y.shape[2])
        if self.strategy == "recursive" and X.shape[2] != y.shape[2]:
            raise ValueError(
                f"strategy='recursive' feeds forecasts back as inputs, so every "
                f"feature of X must be a target: X has {X.shape[2]} features but y "
                f"has {y.shape[2]} target(s). Use strategy='direct' with covariates."
            )

    def _training_arrays(self, X, y):
        """Inputs and flat targets the network trains on, per strategy."""
        if self.strategy == "seq2seq":
            return X, self._align_sequence_targets(seq2seq_targets(X, y))
        if self.strategy == "recursive":
            return X, y[:, 0, :]
        return X, y.reshape(len(y), -1)

    def _make_optimizer(self, keras):
        config = {"learning_rate": self.learning_rate, **(self.optimizer_params or {})}
        for name in ("clipnorm", "clipvalue"):
            if getattr(self, name) is not None:
                config[name] = float(getattr(self, name))
        config = optimizer_config(keras, self.optimizer, config)
        try:
            return keras.optimizers.get(
                {"class_name": self.optimizer, "config": config}
            )
        except (ValueError, TypeError) as exc:
            raise ValueError(
                f"Cannot build optimizer {self.optimizer!r} with {config}: {exc}"
            ) from exc

    def _make_loss(self, keras):
        try:
            return keras.losses.get(self.loss)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"Unknown loss {self.loss!r}: {exc}") from exc

    def _train(self, keras, model, X, y, sample_weight, incremental):
        early_stopping = self.early_stopping and not incremental
        (X, y, weights), validation_data = training_parts(
            X,
            y,
            sample_weight,
            None,
            self.validation_fraction if early_stopping else None,
        )
        history = model.fit(
            X,
            y,
            sample_weight=weights,
            epochs=1 if incremental else self.epochs,
            batch_size=self.batch_size,
            validation_data=validation_data,
            callbacks=self._training_callbacks(keras, early_stopping),
            verbose=self.verbose,
            shuffle=True,
        )
        return history.history

    def _training_callbacks(self, keras, early_stopping):
        return training_callbacks(self, keras, early_stopping)

    def _validate_fit(self, X, y):
        """Check hyperparameters and data before anything is built."""
        self._check_training_params()
        self._check_architecture()
        X, y, shapes = self._validate_training_data(X, y)
        self._check_strategy_data(X, y)
        return X, y, shapes

    def _fit_network(self, X, n_outputs, shapes, train, incremental=False):
        """Build, compile and ``train(keras, model, seed)`` a network, or continue
        training the fitted one (``warm_start``, ``partial_fit``); on success only,
        set the fitted attributes (a failed or interrupted fit keeps the previous
        model)."""
        keras = import_keras()
        seed = draw_seed(self.random_state)
        if seed is not None:
            keras.utils.set_random_seed(seed)
        model = reusable_model(self, incremental)
        if model is not None:
            check_warm_architecture(self, vars(self), self._warm_shapes(shapes))
            history = train_or_restore(
                model,
                self.learning_rate,
                lambda: self._run_training(keras, model, seed, train),
            )
        else:
            model = self._build_network(
                (self._model_timesteps(X), X.shape[2]),
                n_outputs,
                self.strategy == "seq2seq",
                seed,
            )
            from ..networks._training import compile_for_training

            compile_for_training(
                model, self._make_optimizer(keras), self._make_loss(keras)
            )
            history = self._run_training(keras, model, seed, train)
        previous = self.history_ if model is getattr(self, "model_", None) else {}
        for name, value in shapes.items():
            setattr(self, name, value)
        store_predict_params(self)
        self.model_ = model
        history = {key: [float(v) for v in vals] for key, vals in history.items()}
        self.history_ = merge_history(previous, history)
        self._fit_architecture = architecture_params(self)
        return self

    def _run_training(self, keras, model, seed, train):
        from ..networks._training import finish_training

        history = train(keras, model, seed)
        finish_training(model)
        _check_training_converged(history, model, self.learning_rate)
        return history

    def _warm_shapes(self, shapes):
        """What the fitted network must match to be trained on new data."""
        keys = ["n_features_in_", "horizon_", "n_targets_"]
        if not self._variable_length:
            keys.append("n_timesteps_in_")
        return {key: shapes[key] for key in keys}

    # -- training from a batch source (used by skseq.forecasting) -----------------
    def _fit_batches(self, batches):
        """Train like ``fit``, from windows cut batch by batch out of a long series.

        ``batches`` is a ``skseq.windowing._feeder.WindowBatches``: ``peek()`` gives
        ``(X, y)`` with 3D ``y`` to validate shapes, ``replace(...)`` sets batch
        size, shuffling and the per-batch target transform, ``split(fraction)``
        holds out the latest windows as ``fit``'s early stopping does. Window
        weights travel in ``batches`` (its ``sample_weight``).
        """
        X, y, shapes = self._validate_fit(*batches.peek())

        def train(keras, model, seed):
            source = batches.replace(
                batch_size=self.batch_size,
                shuffle=True,
                seed=seed,
                transform=self._training_arrays,
            )
            validation = None
            if self.early_stopping:
                source, validation = source.split(self.validation_fraction)
            # shuffle=False: the source reshuffles its windows itself, with ``seed``.
            return model.fit(
                source,
                epochs=self.epochs,
                validation_data=validation,
                callbacks=self._training_callbacks(keras, self.early_stopping),
                verbose=self.verbose,
                shuffle=False,
            ).history

        n_outputs = self._training_arrays(X, y)[1].shape[-1]
        return self._fit_network(X, n_outputs, shapes, train)

    # -- steps of predict --------------------------------------------------------
    def _run_network(self, X, training=False):
        """Run the network on ``X`` in large chunks, without Keras' predict loop.

        With ``training=True`` dropout is active (Monte Carlo dropout); otherwise
        the model's :class:`~skseq.networks._inference.InferenceRunner` serves the
        call (``predict_on_batch``, or a traced graph once the model is called in a
        loop).
        """
        if training:
            keras = import_keras()
            return _in_chunks(
                X,
                lambda batch: keras.ops.convert_to_numpy(
                    self.model_(batch, training=True)
                ),
            )
        return _in_chunks(X, self._inference_runner().forward)

    def _predict_recursive(self, X, training=False):
        """Feed one-step forecasts back ``horizon_`` times."""
        if not training:
            runner = self._inference_runner()
            return _in_chunks(X, lambda batch: runner.recursive(batch, self.horizon_))
        from ..networks._inference import feedback_loop

        return feedback_loop(
            lambda window: self._run_network(window, training=True), X, self.horizon_
        )

    def _inference_runner(self):
        from ..networks._inference import inference_runner

        return inference_runner(self.model_)


def _in_chunks(X, run):
    """``run`` over chunks of at most ``_PREDICT_CHUNK`` sequences, concatenated."""
    chunks = range(0, len(X), _PREDICT_CHUNK)
    return np.concatenate([run(X[start : start + _PREDICT_CHUNK]) for start in chunks])
