"""Pickling skseq estimators: Keras networks as config and weights, version stamps.

A Keras model does not pickle portably (its custom layers and its backend state
do not), so every fitted ``keras.Model`` attribute of an estimator is pickled as
its Keras config, compile config and weight arrays, and rebuilt from them with
skseq's layers registered. All of it stays in memory: Keras' own ``.keras``
writer needs a temporary folder even for an in-memory file, and a pickle must not
fail because the temporary disk is full or read-only. Each pickle also records
skseq's version and the layout of the pickled state (``PICKLE_FORMAT``); loading a
pickle of another layout fails with a clear error instead of an estimator that
breaks later. Pickles of format 1 (networks as ``.keras`` bytes) still load.
"""

import inspect
import io
import json
import os
import sys
import tempfile
import zipfile

from .._version import __version__
from ..utils._keras import tensorflow_left_unloaded

__all__ = ["PICKLE_FORMAT", "KerasPicklingMixin"]

# Bump when the pickled state of an estimator changes in a way older or newer
# skseq cannot read (renamed fitted attributes, another model encoding).
# 2: networks as SavedKerasNetwork (in memory); 1: as .keras bytes.
PICKLE_FORMAT = 2
_READABLE_FORMATS = (1, 2)
_FORMAT_KEY, _VERSION_KEY = "_skseq_pickle_format", "_skseq_version"
# Keras' backend-specific subclasses of its optimizers live under this module.
_BACKEND_MODULES = "keras.src.backend."
_KERAS_CONFIG = "config.json"


class SavedKerasNetwork(dict):
    """A network inside a pickle: ``config`` (its Keras config), ``weights``
    (arrays), ``compile_config`` (None if it was not compiled) and
    ``optimizer`` (the optimizer's variables -- iteration count, moments --
    as arrays, or None), so that training continues where it stopped."""


class SavedKerasModel(bytes):
    """The bytes of a ``.keras`` file standing for a network inside a pickle of
    format 1 (read only)."""


def model_to_state(model):
    """A network as a :class:`SavedKerasNetwork`, without touching the disk."""
    from ..networks._inference import inference_runner

    keras = sys.modules["keras"]
    # On JAX, a predict in another thread replaces the weights' buffers: wait.
    with inference_runner(model).state_lock, tensorflow_left_unloaded(keras):
        return SavedKerasNetwork(
            config=keras.saving.serialize_keras_object(model),
            weights=model.get_weights(),
            compile_config=model.get_compile_config() if model.compiled else None,
            optimizer=optimizer_state(model),
        )


def optimizer_state(model):
    """The values of ``model``'s optimizer variables, or None if it has none
    built (never trained)."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not optimizer.built:
        return None
    return [variable.numpy() for variable in optimizer.variables]


def restore_optimizer_state(model, values):
    """Build ``model``'s optimizer on its trainable variables and set its
    variables to ``values`` (from :func:`optimizer_state`)."""
    if values is None:
        return
    optimizer = model.optimizer
    if not optimizer.built:
        optimizer.build(model.trainable_variables)
    variables = optimizer.variables
    if len(variables) != len(values):
        raise ValueError(
            f"The saved optimizer state has {len(values)} variables but the "
            f"rebuilt optimizer has {len(variables)}; the file is damaged or "
            "comes from another Keras version."
        )
    for variable, value in zip(variables, values, strict=True):
        variable.assign(value)


def model_from_state(state):
    """Rebuild a network saved by :func:`model_to_state`, skseq's layers
    registered: same config, weights and compile settings."""
    keras = registered_keras()
    config = state["config"]
    if isinstance(config, dict) and "compile_config" in config:
        # Keras compiles the model from this copy of the compile config first
        compile_config = portable_compile_config(config["compile_config"])
        config = {**config, "compile_config": compile_config}
    model = keras.saving.deserialize_keras_object(config)
    model.set_weights(state["weights"])
    if state["compile_config"] is not None:
        model.compile_from_config(portable_compile_config(state["compile_config"]))
        restore_optimizer_state(model, state.get("optimizer"))
    return model


def registered_keras():
    """Import Keras, with skseq's custom layers registered for deserialization."""
    from .. import networks  # noqa: F401  (registers the custom layers)
    from ..utils._keras import check_keras_not_reloaded, import_keras

    check_keras_not_reloaded()
    return import_keras()


def model_from_bytes(data):
    """Load a network saved as ``.keras`` bytes (pickle format 1, ``skseq.save``
    files), in Keras' safe mode."""
    keras = registered_keras()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.keras")
        with open(path, "wb") as file:
            file.write(_portable_keras_file(data))
        return keras.saving.load_model(path, safe_mode=True)


def portable_compile_config(config):
    """``config`` (a model's compile config) with its optimizer named as
    ``keras.optimizers`` names it.

    On the torch backend Keras serializes ``"adam"`` (and every built-in
    optimizer) as its torch subclass, module
    ``keras.src.backend.torch.optimizers.torch_adam``: another backend cannot
    import that without torch, and with torch it builds a torch optimizer on
    TensorFlow or JAX variables, which fails at the first step. The class name
    is the same in ``keras.optimizers``, which gives each backend its own.
    """
    optimizer = config.get("optimizer") if isinstance(config, dict) else None
    module = optimizer.get("module") if isinstance(optimizer, dict) else None
    if not (isinstance(module, str) and module.startswith(_BACKEND_MODULES)):
        return config
    portable = {**optimizer, "module": "keras.optimizers", "registered_name": None}
    return {**config, "optimizer": portable}


def _portable_keras_file(data):
    """The ``.keras`` file ``data`` with :func:`portable_compile_config`
    applied to the compile config in its ``config.json``."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        config = json.loads(archive.read(_KERAS_CONFIG))
    except (zipfile.BadZipFile, KeyError, ValueError):
        return data  # not a .keras file: Keras says what is wrong with it
    with archive:
        if not isinstance(config, dict):
            return data
        compile_config = config.get("compile_config")
        portable = portable_compile_config(compile_config)
        if portable is compile_config:
            return data
        config["compile_config"] = portable
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy:
            for entry in archive.infolist():
                content = archive.read(entry)
                if entry.filename == _KERAS_CONFIG:
                    content = json.dumps(config)
                copy.writestr(entry, content)
    return buffer.getvalue()


def _is_keras_model(value):
    # No Keras in sys.modules means no model can exist: never import it here.
    keras = sys.modules.get("keras")
    return keras is not None and isinstance(value, keras.Model)


def check_pickle_format(state, class_name):
    """Raise a clear error for a pickle written with an incompatible skseq."""
    saved_format = state.get(_FORMAT_KEY, 1)
    if saved_format not in _READABLE_FORMATS:
        saved_version = state.get(_VERSION_KEY, "unknown")
        raise ValueError(
            f"Cannot load this {class_name}: it was pickled by skseq {saved_version} "
            f"(pickle format {saved_format}), and skseq {__version__} reads pickle "
            f"formats {_READABLE_FORMATS}. Load it with skseq {saved_version}, or "
            "refit it."
        )


class KerasPicklingMixin:
    """Pickle Keras networks in memory and stamp skseq's version.

    Put it left of ``BaseEstimator``: it wraps sklearn's own ``__getstate__`` and
    ``__setstate__`` (which record and check sklearn's version).
    """

    def __getstate__(self):
        state = super().__getstate__()
        state = {
            key: model_to_state(value) if _is_keras_model(value) else value
            for key, value in state.items()
        }
        return {**state, _FORMAT_KEY: PICKLE_FORMAT, _VERSION_KEY: __version__}

    def __setstate__(self, state):
        check_pickle_format(state, type(self).__name__)
        state = {
            key: _loaded(key, value)
            for key, value in state.items()
            if key not in (_FORMAT_KEY, _VERSION_KEY)
        }
        super().__setstate__(state)
        _add_new_params(self, state)
        _add_predict_params(self, state)


def _add_new_params(estimator, state):
    """Give an estimator pickled before a parameter existed (``warm_start``,
    ``output_head``, ...) the value that reproduces how it was fitted, so that
    ``get_params`` and ``clone`` work on it: the default, unless the class's
    ``_params_before_added`` names another (a parameter added with a default
    that changed the behaviour, such as ``WaveNetClassifier``'s ``batch_norm``).
    """
    before = getattr(type(estimator), "_params_before_added", {})
    for name, parameter in inspect.signature(
        type(estimator).__init__
    ).parameters.items():
        if name not in state and parameter.default is not parameter.empty:
            setattr(estimator, name, before.get(name, parameter.default))


def _add_predict_params(estimator, state):
    """Give a fitted estimator pickled before ``predict`` read only fitted
    attributes the ``name_`` copies of its parameters that it now reads (the
    values it was fitted with, as nothing else was kept)."""
    fitted = any(k.endswith("_") and not k.startswith("__") for k in state)
    for name in getattr(estimator, "_predict_params", ()) if fitted else ():
        if f"{name}_" not in state and name in state:
            setattr(estimator, f"{name}_", state[name])


def _loaded(key, value):
    if isinstance(value, SavedKerasNetwork):
        return model_from_state(value)
    return model_from_bytes(value) if _is_saved_model(key, value) else value


def _is_saved_model(key, value):
    # Pickles of skseq 0.1.0.dev0 before the stamp held model_ as plain bytes.
    return isinstance(value, SavedKerasModel) or (
        key == "model_" and isinstance(value, bytes)
    )
