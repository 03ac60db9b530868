"""Lazy access to Keras, so that ``import skseq`` stays light."""

import logging
import os
import re
import sys

__all__ = ["import_keras"]

# Keras' step functions, as TensorFlow names them in its retracing warning.
_KERAS_STEP_FUNCTION = re.compile(r"Trainer\.\w*make_\w*function")


def import_keras():
    """Import and return Keras, with TensorFlow's log level and filters set.

    Called when a model is first built, never at ``import skseq``. The backend is
    never chosen here (Keras reads ``KERAS_BACKEND`` as usual), and stderr is
    left alone: its file descriptor, its lines and ``isatty`` are the user's.

    Before TensorFlow is first imported, ``TF_CPP_MIN_LOG_LEVEL`` is set to 2
    unless the user set it (TensorFlow reads it once, at import), which hides
    its native INFO and WARNING lines after start-up. Keras' retracing warnings,
    which come from fitting many small models in a row (a search, a backtest),
    are dropped from the ``tensorflow`` logger; nothing else is. TensorFlow >=
    2.20 prints a few start-up lines from C++ whatever the level; the opt-in
    :func:`skseq.filter_tensorflow_log` drops those too.
    """
    if "tensorflow" not in sys.modules:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    _drop_keras_retracing_warnings()
    import keras

    return keras


class _KerasRetracingFilter(logging.Filter):
    """Drop TensorFlow's "triggered tf.function retracing" warnings about Keras'
    own train/test/predict functions: each new model traces its own, so a search
    or a backtest triggers them by design. Retracing of the user's functions is
    still reported."""

    def filter(self, record):
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
