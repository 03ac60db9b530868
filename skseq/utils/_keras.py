"""Lazy access to Keras, so that ``import skseq`` stays light."""

import contextlib
import importlib.util
import logging
import os
import re
import sys
import tempfile

from . import _native_log

__all__ = ["import_keras"]

# Keras' step functions, as TensorFlow names them in its retracing warning.
_KERAS_STEP_FUNCTION = re.compile(r"Trainer\.\w*make_\w*function")

# TensorFlow's C++ start-up chatter (the fallback's filter): absl/glog lines as
# "I0000 00:00:1795452266.962331    3712 port.cc:153] oneDNN custom operations ...",
# the banner before absl is initialised, and the CPU-instructions hint.
_NATIVE_LOG_LINE = re.compile(
    r"^([IWE]\d{4} \d+:\d+:\d+\.\d+ +\d+ [\w.]+:\d+\]"
    r"|WARNING: All log messages before absl::InitializeLog\(\)"
    r"|To enable the following instructions: )"
)


def import_keras():
    """Import and return Keras, without TensorFlow's harmless log lines.

    Called when a model is first built, never at ``import skseq``. The backend is
    never chosen here (Keras reads ``KERAS_BACKEND`` as usual).

    TensorFlow >= 2.20 prints start-up lines (oneDNN, CUDA drivers, CPU
    instructions) from C++ before it reads ``TF_CPP_MIN_LOG_LEVEL``, and a few
    harmless ERROR lines later on. On the first call, stderr's file descriptor is
    routed through :mod:`skseq.utils._native_log`, which drops those lines and the
    ones ``TF_CPP_MIN_LOG_LEVEL`` (2 unless set) hides, for the rest of the
    process; everything else passes. ``TF_CPP_MIN_LOG_LEVEL=0`` turns the filter
    off. Keras' retracing warnings, which come from fitting many small models in
    a row (a search, a backtest), are dropped from the ``tensorflow`` logger.
    When the user imported Keras first, only what TensorFlow prints later is
    filtered.
    """
    keras = sys.modules.get("keras")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    filtered = _native_log.install()
    if keras is not None and hasattr(keras, "backend"):
        # Imported by the user first: TensorFlow's start-up lines are out, but
        # its later ERROR lines (GPU search, masks) and the retracing warnings
        # of a search are still to come.
        if "tensorflow" in sys.modules:
            _drop_keras_retracing_warnings()
        return keras
    with contextlib.nullcontext() if filtered else _native_log_filtered():
        import keras

        # On any backend Keras imports TensorFlow when it is installed (its data
        # adapters use it), so the start-up lines would come at the first fit.
        # Looking for GPUs logs a CUDA error on machines without one.
        if importlib.util.find_spec("tensorflow") is not None:
            import tensorflow as tf

            tf.config.list_physical_devices()
            _drop_keras_retracing_warnings()
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
    logger = logging.getLogger("tensorflow")
    if not any(isinstance(f, _KerasRetracingFilter) for f in logger.filters):
        logger.addFilter(_KerasRetracingFilter())


@contextlib.contextmanager
def _native_log_filtered():
    """Send file descriptor 2 to a temporary file; replay all but native log lines.

    The fallback of :func:`import_keras` where no filter process can start.
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real stderr (some embedded interpreters)
        yield
        return
    with tempfile.TemporaryFile(mode="w+b") as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            text = capture.read().decode("utf-8", errors="replace")
            kept = [
                line
                for line in text.splitlines(keepends=True)
                if not _NATIVE_LOG_LINE.match(line)
            ]
            if kept:
                sys.stderr.write("".join(kept))
                sys.stderr.flush()
