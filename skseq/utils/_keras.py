"""Lazy access to Keras, so that ``import skseq`` stays light."""

import contextlib
import importlib.util
import os
import re
import sys
import tempfile

__all__ = ["import_keras"]

# TensorFlow's C++ start-up chatter: absl/glog lines such as
# "I0000 00:00:1795452266.962331    3712 port.cc:153] oneDNN custom operations ...",
# the banner before absl is initialised, and the CPU-instructions hint.
_NATIVE_LOG_LINE = re.compile(
    r"^([IWE]\d{4} \d+:\d+:\d+\.\d+ +\d+ [\w.]+:\d+\]"
    r"|WARNING: All log messages before absl::InitializeLog\(\)"
    r"|To enable the following instructions: )"
)


def import_keras():
    """Import and return Keras, without TensorFlow's C++ start-up log.

    Called when a model is first built, never at ``import skseq``. The backend is
    never chosen here (Keras reads ``KERAS_BACKEND`` as usual).

    TensorFlow >= 2.20 prints its start-up lines (oneDNN, CUDA drivers, CPU
    instructions) from C++ before ``TF_CPP_MIN_LOG_LEVEL`` is read, so on the first
    call the native stderr is captured while Keras imports and its backend looks for
    devices, and everything except those log lines is written back. Set
    ``TF_CPP_MIN_LOG_LEVEL`` yourself (``0`` shows all) to get TensorFlow's log
    untouched.
    """
    keras = sys.modules.get("keras")
    if keras is not None and hasattr(keras, "backend"):
        return keras
    if "TF_CPP_MIN_LOG_LEVEL" in os.environ:  # the user's choice: leave it alone
        import keras

        return keras
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
    with _native_log_filtered():
        import keras

        # On any backend Keras imports TensorFlow when it is installed (its data
        # adapters use it), so the start-up lines would come at the first fit.
        # Looking for GPUs logs a CUDA error on machines without one.
        if importlib.util.find_spec("tensorflow") is not None:
            import tensorflow as tf

            tf.config.list_physical_devices()
    return keras


@contextlib.contextmanager
def _native_log_filtered():
    """Send file descriptor 2 to a temporary file; replay all but native log lines."""
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
