"""Lazy access to Keras, so that ``import skseq`` stays light."""

import contextlib
import contextvars
import logging
import re

__all__ = ["import_keras", "skseq_keras_calls"]

# Keras' step functions, as TensorFlow names them in its retracing warning.
_KERAS_STEP_FUNCTION = re.compile(r"Trainer\.\w*make_\w*function")
# Whether the current thread (or task) runs skseq's own fit or predict.
_IN_SKSEQ = contextvars.ContextVar("skseq_keras_call", default=False)


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
