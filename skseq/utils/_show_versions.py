"""``skseq.show_versions()``: what to paste into a bug report."""

import platform
import sys
from importlib import metadata

__all__ = ["show_versions"]

_PACKAGES = (
    "skseq",
    "numpy",
    "scipy",
    "pandas",
    "scikit-learn",
    "keras",
    "tensorflow",
    "jax",
    "torch",
    "matplotlib",
)


def _package_versions():
    versions = {}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def _backend_info():
    """Keras' backend, its version and the accelerators it sees (imports Keras)."""
    from ._keras import import_keras

    try:
        keras = import_keras()
        backend = keras.backend.backend()
    except Exception as error:  # a broken install is exactly what to report
        return {"backend": f"unavailable ({type(error).__name__}: {error})"}
    info = {"backend": backend, "backend version": None, "devices": None}
    try:
        if backend == "tensorflow":
            import tensorflow as tf

            info["backend version"] = tf.__version__
            devices = tf.config.list_physical_devices("GPU")
            info["devices"] = [device.name for device in devices]
        elif backend == "jax":
            import jax

            info["backend version"] = jax.__version__
            info["devices"] = [str(device) for device in jax.devices()]
        elif backend == "torch":
            import torch

            info["backend version"] = torch.__version__
            info["devices"] = [
                torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())
            ]
    except Exception as error:
        info["devices"] = f"unknown ({type(error).__name__})"
    return info


def get_versions():
    """The information ``show_versions`` prints, as a dict of dicts."""
    backend = _backend_info()
    devices = backend.pop("devices", None)
    if isinstance(devices, list):
        devices = ", ".join(devices) or "CPU only"
    return {
        "System": {
            "python": sys.version.replace("\n", " "),
            "executable": sys.executable,
            "machine": platform.platform(),
        },
        "Python dependencies": _package_versions(),
        "Keras backend": {**backend, "accelerators": devices},
    }


def show_versions():
    """Print the versions of skseq, Python and its dependencies, for bug reports.

    Shows the platform, the versions of skseq, NumPy, pandas, scikit-learn, Keras,
    matplotlib and the installed backends (``None`` when not installed), the Keras
    backend in use with its version, and the GPUs it sees. Imports Keras and its
    backend, so it takes a few seconds.

    Examples
    --------
    >>> import skseq
    >>> skseq.show_versions()  # doctest: +SKIP
    <BLANKLINE>
    System:
        python: 3.11.7 (main, ...) [GCC 12.2.0]
    ...
    """
    for section, values in get_versions().items():
        print(f"\n{section}:")
        width = max(len(key) for key in values)
        for key, value in values.items():
            print(f"{key:>{width}}: {value}")
