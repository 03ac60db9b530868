"""Pickling skseq estimators: Keras networks as ``.keras`` bytes, version stamps.

A Keras model does not pickle portably (its custom layers and its backend state
do not), so every fitted ``keras.Model`` attribute of an estimator is pickled as
the bytes of a ``.keras`` file and loaded back with skseq's layers registered.
Each pickle also records skseq's version and the layout of the pickled state
(``PICKLE_FORMAT``); loading a pickle of another layout fails with a clear error
instead of an estimator that breaks later.
"""

import os
import sys
import tempfile

from .._version import __version__

__all__ = ["PICKLE_FORMAT", "KerasPicklingMixin"]

# Bump when the pickled state of an estimator changes in a way older or newer
# skseq cannot read (renamed fitted attributes, another model encoding).
PICKLE_FORMAT = 1
_FORMAT_KEY, _VERSION_KEY = "_skseq_pickle_format", "_skseq_version"


class SavedKerasModel(bytes):
    """The bytes of a ``.keras`` file standing for a network inside a pickle."""


def model_to_bytes(model):
    """Serialize a Keras model to the bytes of a ``.keras`` file."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.keras")
        model.save(path)
        with open(path, "rb") as file:
            return SavedKerasModel(file.read())


def model_from_bytes(data):
    """Load a network pickled by :func:`model_to_bytes`, skseq's layers registered."""
    from .. import networks  # noqa: F401  (registers the custom layers)
    from ._keras import import_keras

    keras = import_keras()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.keras")
        with open(path, "wb") as file:
            file.write(data)
        return keras.saving.load_model(path)


def _is_keras_model(value):
    # No Keras in sys.modules means no model can exist: never import it here.
    keras = sys.modules.get("keras")
    return keras is not None and isinstance(value, keras.Model)


def check_pickle_format(state, class_name):
    """Raise a clear error for a pickle written with an incompatible skseq."""
    saved_format = state.get(_FORMAT_KEY, PICKLE_FORMAT)
    if saved_format != PICKLE_FORMAT:
        saved_version = state.get(_VERSION_KEY, "unknown")
        raise ValueError(
            f"Cannot load this {class_name}: it was pickled by skseq {saved_version} "
            f"(pickle format {saved_format}), and skseq {__version__} reads pickle "
            f"format {PICKLE_FORMAT}. Load it with skseq {saved_version}, or refit it."
        )


class KerasPicklingMixin:
    """Pickle Keras networks as ``.keras`` bytes and stamp skseq's version.

    Put it left of ``BaseEstimator``: it wraps sklearn's own ``__getstate__`` and
    ``__setstate__`` (which record and check sklearn's version).
    """

    def __getstate__(self):
        state = super().__getstate__()
        state = {
            key: model_to_bytes(value) if _is_keras_model(value) else value
            for key, value in state.items()
        }
        return {**state, _FORMAT_KEY: PICKLE_FORMAT, _VERSION_KEY: __version__}

    def __setstate__(self, state):
        check_pickle_format(state, type(self).__name__)
        state = {
            key: model_from_bytes(value) if _is_saved_model(key, value) else value
            for key, value in state.items()
            if key not in (_FORMAT_KEY, _VERSION_KEY)
        }
        super().__setstate__(state)


def _is_saved_model(key, value):
    # Pickles of skseq 0.1.0.dev0 before the stamp held model_ as plain bytes.
    return isinstance(value, SavedKerasModel) or (
        key == "model_" and isinstance(value, bytes)
    )
