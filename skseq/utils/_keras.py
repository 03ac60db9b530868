"""Lazy access to Keras, so that ``import skseq`` stays light."""

import os

__all__ = ["import_keras"]


def import_keras():
    """Import and return Keras, quieting TensorFlow's C++ start-up log.

    Called when a model is first built, never at ``import skseq``. The log level is
    only set when the user has not chosen one; the backend is never chosen here
    (Keras reads ``KERAS_BACKEND`` as usual).
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras

    return keras
