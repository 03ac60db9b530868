"""The one training template of skseq's Keras-backed estimators.

``BaseKerasEstimator.fit`` steps are the same for a forecaster and a classifier:
seed, build a network (or take the fitted one to train further), compile, train,
refuse a diverged network, and only then set what was learned, so that a failed
fit leaves a fitted estimator as it was. What differs comes as data (a
:class:`TrainingData`) and as small hooks: ``_new_network``, ``_training_callbacks``.
The forecasters' and classifiers' bases (``_forecaster_base.py``,
``_classifier_base.py``) turn their inputs into a ``TrainingData``.
"""

import copy
import warnings
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import BaseEstimator

from ..utils._doc_link import DocLinkMixin
from ..utils._keras import check_keras_not_reloaded, import_keras, skseq_keras_calls
from ..utils._summary import summary_method
from ..utils._validation import set_fitted_attributes
from ._incremental import (
    architecture_params,
    check_warm_architecture,
    merge_history,
    reusable_model,
    train_or_restore,
    training_parts,
)
from ._persistence import KerasPicklingMixin
from ._training import (
    check_training_converged,
    draw_seed,
    keras_verbose,
    optimizer_config,
    seeded_fit,
    training_callbacks,
    warn_early_epoch_kept,
)

__all__ = ["BaseKerasEstimator", "TrainingData", "store_predict_params"]

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


def warn_changed_predict_params(estimator):
    """Warn when a parameter ``predict`` reads was changed with ``set_params``
    after ``fit``: the prediction uses the fitted value
    (:func:`store_predict_params`) until the next ``fit``."""
    changed = [
        name
        for name in estimator._predict_params
        if hasattr(estimator, f"{name}_")
        and repr(getattr(estimator, name)) != repr(getattr(estimator, f"{name}_"))
    ]
    if changed:
        new = ", ".join(f"{name}={getattr(estimator, name)!r}" for name in changed)
        old = ", ".join(
            f"{name}_={getattr(estimator, name + '_')!r}" for name in changed
        )
        warnings.warn(
            f"{type(estimator).__name__}: {new} "
            f"{'was' if len(changed) == 1 else 'were'} set after fit and take"
            f"{'s' if len(changed) == 1 else ''} effect at the next fit; this "
            f"prediction uses {old}, as fitted.",
            UserWarning,
            stacklevel=4,
        )


@dataclass
class TrainingData:
    """What one ``fit`` trains on, as the template needs it.

    Attributes
    ----------
    X : ndarray of shape (n_samples, n_timesteps, n_features)
        Validated inputs (with ``batches``: one batch of them, for the shapes).
    y : ndarray of shape (n_samples, ...)
        What the network's output is trained against.
    sample_weight : ndarray of shape (n_samples,) or None
        The user's sample weights.
    factors : ndarray or None
        Weights multiplied into ``sample_weight``: class weights, or a mask of
        the padding, per sample or per step.
    fitted : dict
        The attributes ``fit`` sets once training has succeeded (shapes,
        classes), besides ``model_`` and ``history_``.
    warm_shapes : dict
        What a fitted network must match to be trained on this data.
    batches : object or None
        A ``skseq.windowing._feeder.WindowBatches`` to train from instead of
        ``X, y`` (windows cut batch by batch out of a long series).
    """

    X: np.ndarray
    y: np.ndarray
    sample_weight: np.ndarray = None
    factors: np.ndarray = None
    fitted: dict = field(default_factory=dict)
    warm_shapes: dict = field(default_factory=dict)
    batches: object = None


def continued_seed(seed, estimator, incremental):
    """The seed of one fit: ``seed``, moved on by the epochs the network has
    trained when the fit continues it (``partial_fit``, ``warm_start``).

    The seed fixes the order of the training samples: with the same seed, every
    ``partial_fit`` call of a loop would visit the batches in the first call's
    order. Moved on, the loop draws a fresh order each call, as one ``fit`` does
    each epoch, and the same loop still gives the same network.
    """
    if seed is None or reusable_model(estimator, incremental) is None:
        return seed
    trained = len(getattr(estimator, "history_", {}).get("loss", ()))
    return (seed + trained) % np.iinfo(np.int32).max


class BaseKerasEstimator(DocLinkMixin, KerasPicklingMixin, BaseEstimator):
    """Training and inference template shared by every Keras-backed estimator.

    Subclasses implement ``_new_network(data, seed)`` (an uncompiled network
    from a builder of :mod:`skseq.networks`) and ``_check_architecture()``, and
    may add callbacks in ``_training_callbacks``. They list in
    ``_predict_params`` the parameters their predict path reads.
    """

    summary = summary_method
    _predict_params = ()

    @classmethod
    def _fast_test_params(cls, **architecture):
        """Test-suite parameters: ``architecture`` plus the training settings of
        every fast test instance (one epoch of small batches, seeded).

        Subclasses return a list of these from their ``_get_test_params``
        classmethod; ``skseq/utils/_testing.py`` builds the instances.
        """
        return {**architecture, "epochs": 1, "batch_size": 8, "random_state": 0}

    # -- hooks -------------------------------------------------------------------
    def _new_network(self, data, seed):
        """An uncompiled network for ``data`` (a :class:`TrainingData`)."""
        raise NotImplementedError

    def _check_architecture(self):
        """Validate the architecture hyperparameters of the subclass."""

    def _training_callbacks(self, keras, early_stopping):
        """Callbacks of one fit: the user's (copied), the NaN guard, early
        stopping."""
        return training_callbacks(self, keras, early_stopping)

    def _restored_loss(self, early_stopping):
        """The loss whose best epoch's weights a fit ends with, or None when it
        keeps the last epoch's (named by the progress line)."""
        restores = getattr(self, "restore_best_weights", True)
        return "val_loss" if early_stopping and restores else None

    # -- the template ------------------------------------------------------------
    def _fit_network(self, data, incremental=False):
        """Build, compile and train a network on ``data``, or train the fitted one
        further (``warm_start``, ``partial_fit``; a failed try restores it); on
        success only, set the fitted attributes."""
        check_keras_not_reloaded()
        keras = import_keras()
        seed = continued_seed(draw_seed(self.random_state), self, incremental)
        with seeded_fit(keras, seed), skseq_keras_calls():
            model, history = self._build_and_train(keras, data, seed, incremental)
        self._set_fitted(data, model, history, 1 if incremental else self.epochs)
        return self

    def _build_and_train(self, keras, data, seed, incremental):
        """The fitted network to train further, or a new one compiled; trained."""
        model = reusable_model(self, incremental)
        if model is not None:
            from ..networks._training import build_for_training

            check_warm_architecture(self, vars(self), data.warm_shapes, incremental)
            build_for_training(model, data.X, data.y)
            history = train_or_restore(
                model,
                self.learning_rate,
                lambda: self._run_training(keras, model, data, seed, incremental),
            )
        else:
            from ..networks._training import compile_for_training

            model = self._new_network(data, seed)
            compile_for_training(
                model, self._make_optimizer(keras), self._make_loss(keras)
            )
            history = self._run_training(keras, model, data, seed, incremental)
        return model, history

    def _run_training(self, keras, model, data, seed, incremental):
        from ..networks._training import finish_training

        if data.batches is None:
            history = self._train(keras, model, data, seed, incremental)
        else:
            history = self._train_on_batches(keras, model, data.batches, seed)
        finish_training(model)
        history = {key: [float(v) for v in vals] for key, vals in history.items()}
        check_training_converged(history, model, self.learning_rate)
        warn_early_epoch_kept(history, self)
        return history

    def _train(self, keras, model, data, seed, incremental):
        """Keras ``fit`` on arrays, in a fresh order every epoch; ``partial_fit``
        trains one epoch, without early stopping."""
        from ..networks._training import fit_arguments

        early_stopping = self.early_stopping and not incremental
        (X, y, weights), validation_data = training_parts(
            data.X,
            data.y,
            data.sample_weight,
            data.factors,
            self.validation_fraction if early_stopping else None,
        )
        return model.fit(
            # PyTorch's DataLoader refuses a NumPy integer (np.int64(8)).
            **fit_arguments(X, y, weights, int(self.batch_size), seed),
            epochs=1 if incremental else self.epochs,
            validation_data=validation_data,
            callbacks=self._training_callbacks(keras, early_stopping),
            verbose=keras_verbose(self.verbose),
        ).history

    def _train_on_batches(self, keras, model, batches, seed):
        raise NotImplementedError(f"{type(self).__name__} trains on arrays only.")

    def _set_fitted(self, data, model, history, max_epochs):
        previous = self.history_ if model is getattr(self, "model_", None) else {}
        self.last_fit_epochs_ = (len(history.get("loss", [])), int(max_epochs))
        set_fitted_attributes(self, data.fitted)
        self.model_ = model
        self.history_ = merge_history(previous, history)
        self._fit_architecture = architecture_params(self)
        store_predict_params(self)

    # -- Keras objects of one fit ------------------------------------------------
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

    # -- inference ---------------------------------------------------------------
    def _run_network(self, X, training=False):
        """Run the network on ``X`` in large chunks, without Keras' predict loop.

        With ``training=True`` dropout is active (Monte Carlo dropout); otherwise
        the model's :class:`~skseq.networks._inference.InferenceRunner` serves the
        call (``predict_on_batch``, or a traced graph once the model is called in a
        loop).
        """
        warn_changed_predict_params(self)
        runner = self._inference_runner()
        if not training:
            with skseq_keras_calls():
                return in_chunks(X, runner.forward)
        keras = import_keras()

        def run_with_dropout(batch):
            # On JAX a predict in another thread replaces the buffers this
            # call reads (the runner's state lock): wait for it.
            with runner.state_lock:
                return keras.ops.convert_to_numpy(self.model_(batch, training=True))

        with skseq_keras_calls():
            return in_chunks(X, run_with_dropout)

    def _inference_runner(self):
        from ..networks._inference import inference_runner

        return inference_runner(self.model_)


def in_chunks(X, run):
    """``run`` over chunks of at most ``_PREDICT_CHUNK`` sequences, concatenated."""
    chunks = range(0, len(X), _PREDICT_CHUNK)
    return np.concatenate([run(X[start : start + _PREDICT_CHUNK]) for start in chunks])
