"""``skseq.save`` and ``skseq.load``: fitted estimators in files that hold data only.

A pickle runs code when it is loaded, so a pickle from an untrusted source can do
anything. The files of :func:`save` hold nothing that loading executes: a JSON
document (the estimator's class name, its parameters and fitted attributes, as
plain values), a NumPy ``.npz`` of arrays (read with ``allow_pickle=False``), and
each network as a ``.keras`` file that Keras loads with ``safe_mode=True``
(which refuses ``Lambda`` layers and other serialized code). :func:`load` builds
only skseq's own estimator classes and only skseq's and Keras' registered layers.
"""

import io
import json
import numbers
import os
import re
import sys
import tempfile
import zipfile

import numpy as np

from ._version import __version__
from .estimators._persistence import model_from_bytes, registered_keras
from .utils._keras import tensorflow_left_unloaded

__all__ = ["load", "save"]

FILE_FORMAT = 1
_MANIFEST, _ARRAYS = "estimator.json", "arrays.npz"
_ATTRIBUTE = re.compile(
    r"[a-z][a-z0-9_]*_|_fit_architecture|_column_labels_in|_sequence_columns_in"
    r"|_classes_never_read"
)


def save(estimator, file):
    """Save a fitted skseq estimator to a file that loading cannot run code from.

    Parameters
    ----------
    estimator : skseq estimator
        A Keras-backed forecaster or classifier, or ``NaiveForecaster``. Its
        parameters must be plain values (numbers, strings, tuples, lists,
        dicts): a parameter holding an object, such as a Keras callback or a
        wrapped estimator, is refused with a ``TypeError`` (use pickle, for
        files you trust).
    file : str, os.PathLike or binary file object
        Where to write (a zip archive).

    See Also
    --------
    load : Read it back.

    Examples
    --------
    >>> import io, numpy as np, skseq
    >>> model = skseq.NaiveForecaster().fit(np.ones((3, 4)), [1.0, 1.0, 1.0])
    >>> buffer = io.BytesIO()
    >>> skseq.save(model, buffer)
    >>> skseq.load(buffer).predict(np.ones((1, 4)))
    array([1.])
    """
    cls = _savable_class(estimator)
    arrays, networks = {}, {}
    params = _encode(estimator.get_params(deep=False), arrays, "the parameters")
    attributes = {}
    for name, value in vars(estimator).items():
        if not _ATTRIBUTE.fullmatch(name):
            continue
        if _is_keras_model(value):
            networks[name] = value
        else:
            attributes[name] = _encode(value, arrays, f"attribute {name}")
    manifest = {
        "format": FILE_FORMAT,
        "skseq_version": __version__,
        "class": cls.__name__,
        "params": params,
        "attributes": attributes,
        "networks": {},
    }
    with zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, model in networks.items():
            from .estimators._persistence import optimizer_state
            from .networks._inference import inference_runner

            entry = f"{name}.keras"
            # On JAX, a predict in another thread replaces the buffers: wait.
            with inference_runner(model).state_lock:
                archive.writestr(entry, _network_bytes(model))
                state = optimizer_state(model)
            manifest["networks"][name] = {
                "file": entry,
                "optimizer": _encode(state, arrays, f"the optimizer of {name}"),
            }
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        archive.writestr(_ARRAYS, buffer.getvalue())
        archive.writestr(_MANIFEST, json.dumps(manifest))


def load(file):
    """Load an estimator written by :func:`save`, running no code from the file.

    Parameters
    ----------
    file : str, os.PathLike or binary file object
        A file written by :func:`save`.

    Returns
    -------
    estimator : skseq estimator
        The fitted estimator: same parameters, attributes and networks
        (optimizer state included, so ``warm_start`` and ``partial_fit``
        continue where they stopped).

    Raises
    ------
    ValueError
        If the file names a class that is not one of skseq's estimators, holds
        anything but plain values and arrays, or a network that Keras' safe mode
        refuses (a ``Lambda`` layer, an unknown layer class).
    """
    with zipfile.ZipFile(file) as archive:
        manifest = json.loads(archive.read(_MANIFEST))
        if manifest.get("format") != FILE_FORMAT:
            raise ValueError(
                f"This file has format {manifest.get('format')!r}; skseq "
                f"{__version__} reads format {FILE_FORMAT}."
            )
        cls = _trusted_class(manifest.get("class"))
        with np.load(io.BytesIO(archive.read(_ARRAYS)), allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
        params = _decode(manifest["params"], arrays)
        if not isinstance(params, dict) or set(params) != set(cls().get_params()):
            raise ValueError(f"The file's parameters do not match {cls.__name__}.")
        estimator = cls(**params)
        for name, value in manifest["attributes"].items():
            setattr(estimator, _attribute_name(name), _attribute(name, value, arrays))
        for name, entry in manifest["networks"].items():
            from .estimators._persistence import restore_optimizer_state

            model = _load_network(archive.read(entry["file"]))
            restore_optimizer_state(model, _decode(entry["optimizer"], arrays))
            setattr(estimator, _attribute_name(name), model)
    return estimator


def _savable_class(estimator):
    """The class of ``estimator`` if :func:`save` stores it, else a TypeError
    that says to pickle it (a meta-estimator wraps an object)."""
    try:
        cls = _trusted_class(type(estimator).__name__)
    except ValueError:
        cls = None
    if type(estimator) is not cls:
        raise TypeError(
            "skseq.save stores skseq's Keras-backed forecasters and classifiers "
            f"and NaiveForecaster; got {type(estimator).__name__}, whose "
            "parameters may hold objects (a wrapped estimator). Pickle it instead "
            "(pickle.dump), and load only pickles you trust."
        )
    return cls


def _trusted_class(name):
    """The skseq estimator class called ``name``; anything else is refused."""
    from . import estimators

    concrete = [n for n in estimators.__all__ if not n.startswith("Base")]
    cls = getattr(estimators, name) if name in concrete else None
    if not (isinstance(cls, type) and hasattr(cls, "fit")):
        raise ValueError(
            f"{name!r} is not a skseq estimator that skseq.save/load handle; "
            "refusing to build it."
        )
    return cls


def _attribute(name, value, arrays):
    """A fitted attribute's value; ``feature_names_in_`` is stored as an array of
    str (``.npz`` refuses objects) and comes back with sklearn's object dtype."""
    value = _decode(value, arrays)
    if name == "feature_names_in_" and isinstance(value, np.ndarray):
        return value.astype(object)
    return value


def _attribute_name(name):
    if not isinstance(name, str) or not _ATTRIBUTE.fullmatch(name):
        raise ValueError(f"The file sets an unexpected attribute {name!r}.")
    return name


def _is_keras_model(value):
    import sys

    keras = sys.modules.get("keras")
    return keras is not None and isinstance(value, keras.Model)


def _encode(value, arrays, where):
    """``value`` as JSON, its arrays moved into ``arrays``; refuses objects."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            value = np.asarray(value.tolist())
            if value.dtype == object:
                raise TypeError(f"{where} holds an array of objects.")
        key = f"a{len(arrays)}"
        arrays[key] = value
        return {"ndarray": key}
    if isinstance(value, (list, tuple)):
        items = [_encode(item, arrays, where) for item in value]
        return {"tuple" if isinstance(value, tuple) else "list": items}
    if isinstance(value, dict):
        pairs = [
            [_encode(k, arrays, where), _encode(v, arrays, where)]
            for k, v in value.items()
        ]
        return {"dict": pairs}
    raise TypeError(
        f"skseq.save cannot store {where}: it holds a {type(value).__name__}, "
        "which is not a plain value. Set that parameter to a plain value (a name, "
        "a number) or None, or use pickle for files you trust."
    )


def _decode(value, arrays):
    if value is None or isinstance(value, (bool, str, int, float)):
        return value
    if isinstance(value, dict) and len(value) == 1:
        ((tag, content),) = value.items()
        if tag == "ndarray" and content in arrays:
            return arrays[content]
        if tag in ("list", "tuple") and isinstance(content, list):
            items = [_decode(item, arrays) for item in content]
            return items if tag == "list" else tuple(items)
        if tag == "dict" and isinstance(content, list):
            return {_decode(k, arrays): _decode(v, arrays) for k, v in content}
    raise ValueError(f"The file holds an entry skseq.load does not accept: {value!r}.")


def _network_bytes(model):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "network.keras")
        with tensorflow_left_unloaded(sys.modules["keras"]):
            model.save(path)
        with open(path, "rb") as handle:
            return handle.read()


def _load_network(data):
    registered_keras()  # outside the try: a missing Keras stays an ImportError
    try:
        return model_from_bytes(data)
    except Exception as exc:  # noqa: BLE001 - Keras raises several types
        raise ValueError(
            f"Keras refused the network in this file (safe mode): {exc}"
        ) from exc
