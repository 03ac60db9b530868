"""Lazy access to Keras, so that ``import skseq`` stays light."""

import contextlib
import contextvars
import logging
import re
import sys

__all__ = [
    "bind_keras",
    "check_keras_not_reloaded",
    "import_keras",
    "skseq_keras_calls",
    "tensorflow_left_unloaded",
]

# Keras' step functions, as TensorFlow names them in its retracing warning.
_KERAS_STEP_FUNCTION = re.compile(r"Trainer\.\w*make_\w*function")
# Whether the current thread (or task) runs skseq's own fit or predict.
_IN_SKSEQ = contextvars.ContextVar("skseq_keras_call", default=False)
# The Keras module (and its backend) that skseq.networks' layers subclass.
_BOUND = {}


def import_keras():
    """Import and return Keras, with Keras' retracing warnings filtered.

    Called when a model is first built, never at ``import skseq``. The backend is
    never chosen here (Keras reads ``KERAS_BACKEND`` as usual), the environment
    is not touched (``TF_CPP_MIN_LOG_LEVEL`` is the user's: setting it would
    outlive the session's TensorFlow import and reach every subprocess the user
    starts), and stderr is left alone: its file descriptor, its lines and
    ``isatty`` are the user's.

    Keras' retracing warnings, which come from fitting many small models in a
    row (a search, a backtest), are dropped from the ``tensorflow`` logger while
    skseq fits or predicts (:func:`skseq_keras_calls`); nothing else is, and the
    user's own Keras models keep theirs. TensorFlow's native log lines (start-up
    lines from C++ whatever the level) are TensorFlow's; the opt-in
    :func:`skseq.filter_tensorflow_log` drops them.
    """
    _drop_keras_retracing_warnings()
    import keras

    return keras


def bind_keras():
    """Import Keras for ``skseq.networks`` and record which module its layers
    subclass (see :func:`check_keras_not_reloaded`)."""
    keras = import_keras()
    if "module" not in _BOUND:
        _BOUND.update(module=keras, backend=keras.backend.backend())
    return keras


def check_keras_not_reloaded():
    """Refuse to build or load a network when Keras was loaded anew after
    ``skseq.networks`` was imported.

    ``keras.config.set_backend`` removes Keras from ``sys.modules`` and imports
    it again: skseq's layers still subclass the first Keras, and a network that
    mixes the two failed deep in Keras (``'Functional' object has no attribute
    '_dtype_policy'``). Networks fitted before keep working.
    """
    bound, current = _BOUND.get("module"), sys.modules.get("keras")
    if bound is None or current is None or current is bound:
        return
    now = current.backend.backend()
    raise RuntimeError(
        f"Keras was imported again (keras.config.set_backend, now {now!r}) after "
        f"skseq loaded its layers on the {_BOUND['backend']!r} backend; skseq's "
        "layers belong to the first Keras and cannot build or load networks on "
        "the new one. Restart the Python session (kernel) and set the backend "
        f"before Keras is first imported: KERAS_BACKEND={now} in the environment, "
        f'or os.environ["KERAS_BACKEND"] = "{now}" in the first cell. Estimators '
        "fitted before the switch still predict."
    )


@contextlib.contextmanager
def skseq_keras_calls():
    """Mark the Keras calls of one skseq fit or predict, in this thread only.

    Inside, Keras' retracing warnings are dropped; outside (the user's own Keras
    models, after any number of skseq fits, or another thread), they are
    reported as TensorFlow reports them.
    """
    token = _IN_SKSEQ.set(True)
    try:
        yield
    finally:
        _IN_SKSEQ.reset(token)


@contextlib.contextmanager
def tensorflow_left_unloaded(keras):
    """Keep Keras from importing TensorFlow where the session never loaded it.

    Keras' ``serialize_keras_object`` asks whether TensorFlow is installed (to
    recognise ``tf.TensorShape`` objects) and so imports it, whatever the
    backend: pickling a JAX or PyTorch model cost seconds, hundreds of MB, and
    TensorFlow's start-up lines, environment variables and log handler in the
    user's session. Where TensorFlow is not loaded no object can be one of its
    types, so inside this block Keras is told it is not available. Nothing
    changes on the TensorFlow backend or once TensorFlow is loaded.
    """
    try:  # Keras' lazy handle of TensorFlow, as its serialization reads it
        from keras.src.utils.module_utils import tensorflow as lazy_tf
    except ImportError:  # moved in a later Keras: Keras decides
        lazy_tf = None
    skip = (
        lazy_tf is None
        or getattr(lazy_tf, "_available", True) is not None  # already decided
        or keras.backend.backend() == "tensorflow"
        or "tensorflow" in sys.modules
    )
    if skip:
        yield
        return
    lazy_tf._available = False
    try:
        yield
    finally:
        lazy_tf._available = None


class _KerasRetracingFilter(logging.Filter):
    """Drop TensorFlow's "triggered tf.function retracing" warnings about Keras'
    train/test/predict functions while skseq fits or predicts: each new model
    traces its own, so a search or a backtest triggers them by design.
    Retracing of the user's functions, and of the user's own Keras models, is
    still reported."""

    def filter(self, record):
        if not _IN_SKSEQ.get():
            return True
        message = record.getMessage()
        return not (
            "triggered tf.function retracing" in message
            and _KERAS_STEP_FUNCTION.search(message)
        )


def _drop_keras_retracing_warnings():
    # The logger TensorFlow's tf_logging uses; the filter does not need
    # TensorFlow imported, and TensorFlow keeps a logger's filters.
    logger = logging.getLogger("tensorflow")
    if not any(isinstance(f, _KerasRetracingFilter) for f in logger.filters):
        logger.addFilter(_KerasRetracingFilter())
