"""Checks and Keras pieces of the training parameters every Keras estimator shares:
seeds, optimizer settings, callbacks, and the refusal of a diverged network."""

import contextlib
import copy
import inspect
import numbers
import random
import sys
import warnings

import numpy as np
from sklearn.utils import check_random_state

from ..utils._keras import import_keras
from ..utils._scalars import python_scalars
from ..utils._validation import (
    check_bool,
    check_float,
    check_int,
    check_random_state_param,
)

__all__ = [
    "check_callbacks",
    "check_keras_training_params",
    "check_training_converged",
    "check_verbose",
    "warn_early_epoch_kept",
    "copy_callback",
    "draw_seed",
    "seeded_fit",
    "keras_verbose",
    "optimizer_config",
    "training_callbacks",
]


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


@contextlib.contextmanager
def seeded_fit(keras, seed):
    """Seed Keras' generators for one fit (``keras.utils.set_random_seed``), then
    give Python's and NumPy's global generators back the state they had.

    Keras shuffles and draws default seeds from those global generators, so they
    are seeded while the fit runs; afterwards the user's own draws (a bootstrap
    loop on ``np.random``) go on as if the fit had not run, instead of restarting
    from the same seed after every fit. The backend's global seed stays set.
    """
    if seed is None:
        yield
        return
    python_state, numpy_state = random.getstate(), np.random.get_state()  # noqa: NPY002
    set_random_seed(keras, seed)
    try:
        yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)  # noqa: NPY002


def set_random_seed(keras, seed):
    """``keras.utils.set_random_seed(seed)``, without importing TensorFlow on
    another backend.

    Keras' function also imports TensorFlow, when installed, to seed its
    ``tf.data`` pipelines whatever the backend: seconds and hundreds of MB in a
    JAX or PyTorch session, where Keras shuffles arrays with NumPy. So unless the
    backend is TensorFlow or TensorFlow is already loaded, this does the rest of
    what Keras' function does: Keras' global seed, Python's, NumPy's and
    PyTorch's generators.
    """
    backend = keras.backend.backend()
    if backend == "tensorflow" or "tensorflow" in sys.modules:
        keras.utils.set_random_seed(seed)
        return
    try:  # where keras.utils.set_random_seed keeps the global seed
        from keras.src.backend.common import global_state
        from keras.src.random.seed_generator import GLOBAL_SEED_GENERATOR
        from keras.src.utils.rng_utils import GLOBAL_RANDOM_SEED
    except ImportError:  # moved in a later Keras: seed as Keras does
        keras.utils.set_random_seed(seed)
        return
    global_state.set_global_attribute(GLOBAL_RANDOM_SEED, seed)
    global_state.set_global_attribute(GLOBAL_SEED_GENERATOR, None)
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002
    if backend == "torch":
        import torch

        torch.manual_seed(seed)


def check_keras_training_params(estimator):
    """Validate the training hyperparameters every Keras-backed estimator shares."""
    check_int(estimator.epochs, "epochs", min_value=1)
    check_int(estimator.batch_size, "batch_size", min_value=1)
    check_int(estimator.patience, "patience", min_value=0)
    check_verbose(estimator.verbose)
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


def check_verbose(verbose):
    """``verbose`` must be "auto" or an int >= 0."""
    if not isinstance(verbose, str):
        try:
            check_int(verbose, "verbose", min_value=0)
        except TypeError:  # True, 1.0, None: name the default "auto" too
            raise TypeError(
                f'verbose must be "auto" or an int >= 0; got {verbose!r}.'
            ) from None
    elif verbose != "auto":
        raise ValueError(f'verbose must be "auto" or an int >= 0; got {verbose!r}.')


def keras_verbose(verbose):
    """The ``verbose`` of ``keras.Model.fit`` for the estimator's ``verbose``: 2
    (Keras' line per epoch) for ``verbose >= 2``; else 0, and skseq's own line
    shows the progress (``_fit_progress.py``)."""
    return 2 if verbose != "auto" and verbose >= 2 else 0


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
    """Copies of the user's callbacks, plus the NaN guard, early stopping and
    the progress line."""
    from ..networks._training import StopOnNonFiniteLoss
    from ._fit_progress import fit_progress

    callbacks = [copy_callback(callback) for callback in estimator.callbacks or ()]
    callbacks.append(StopOnNonFiniteLoss())
    progress = fit_progress(
        estimator, early_stopping, estimator._restored_loss(early_stopping)
    )
    if progress is not None:
        callbacks.append(progress)
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


def check_training_converged(history, model, learning_rate):
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


def early_epoch_kept(val_loss, patience):
    """The 1-based epoch early stopping restored, when it is one of the first
    few, else None.

    The rule: the first epoch of a run of 2 or more (the validation loss never
    improved after it), or, when ``patience`` ran out after it (``patience``
    epochs without improvement followed), the second epoch or one within the
    first tenth of the epochs run. A run cut short by ``epochs`` may still have
    improved, so later epochs than the first are only judged when it stopped.
    """
    n_run = len(val_loss)
    if n_run < 2:
        return None
    kept = int(np.argmin(val_loss)) + 1
    if kept == 1:
        return kept
    patience_ran_out = n_run - kept >= max(int(patience), 1)
    return kept if patience_ran_out and kept <= max(2, n_run // 10) else None


def warn_early_epoch_kept(history, estimator):
    """Warn when early stopping restored the network of one of the first epochs
    (see :func:`early_epoch_kept`).

    The validation loss never improved after it, so the model kept is a barely
    trained network: usually a validation set too small or too unlike the rest
    to judge the epochs, or a learning rate so high that the first steps
    overshoot.
    """
    val_loss = np.asarray(history.get("val_loss", []), dtype=float)
    if not getattr(estimator, "restore_best_weights", True):
        return
    kept = early_epoch_kept(val_loss, getattr(estimator, "patience", 1))
    if kept is None:
        return
    # inside WindowedForecaster the fraction is the exact purged split's for
    # the fit (see holding_out): quote the one the user gave
    fraction = getattr(
        estimator, "_given_validation_fraction", estimator.validation_fraction
    )
    warnings.warn(
        f"{type(estimator).__name__}: early stopping kept the network of epoch "
        f"{kept} of {len(val_loss)}: the validation loss ({val_loss[kept - 1]:.4g}) "
        "never improved after it, so the model is barely trained. Try more data "
        "in validation (a larger validation_fraction, now "
        f"{fraction}), a lower learning_rate (now "
        f"{estimator.learning_rate}), or early_stopping=False.",
        UserWarning,
        stacklevel=5,
    )
