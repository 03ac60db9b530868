"""Other Keras backends, checked in subprocesses (the backend is fixed at import).

Data-parallel training through Keras' distribution API needs the JAX backend; two
CPU devices are simulated with ``--xla_force_host_platform_device_count``. The
estimator needs no parameter for it: it builds its network inside ``fit``, so a
``keras.distribution`` scope (or ``set_distribution``) around ``fit`` applies.
"""

import importlib.util
import json
import os
import subprocess
import sys
import textwrap

import pytest

DATA_PARALLEL = textwrap.dedent(
    """
    import json

    import jax
    import keras
    import numpy as np

    from skseq import GRUForecaster, make_windows
    from skseq.datasets import make_sine_series

    # 190 windows, last batch of 14: Keras' DataParallel needs every batch, the
    # last included, to split evenly over the devices (15 raises IndivisibleError)
    X, y = make_windows(make_sine_series(1, 200, random_state=0)[0], window=10)
    params = dict(units=4, epochs=2, batch_size=16, random_state=0)
    single = GRUForecaster(**params).fit(X, y)
    devices = jax.devices()
    with keras.distribution.DataParallel(devices=devices).scope():
        parallel = GRUForecaster(**params).fit(X, y)
        y_parallel = parallel.predict(X[:3])
    kernel = parallel.model_.trainable_variables[0].value
    print(json.dumps({
        "devices": len(devices),
        "mesh": dict(kernel.sharding.mesh.shape),
        "loss_single": single.history_["loss"],
        "loss_parallel": parallel.history_["loss"],
        "max_abs_diff": float(np.max(np.abs(single.predict(X[:3]) - y_parallel))),
    }))
    """
)


@pytest.mark.skipif(
    importlib.util.find_spec("jax") is None,
    reason="jax is not installed: pip install jax to test data-parallel training",
)
def test_gru_forecaster_fits_data_parallel_on_two_jax_cpu_devices():
    report = _report_on_jax_cpu(
        DATA_PARALLEL, XLA_FLAGS="--xla_force_host_platform_device_count=2"
    )
    assert report["devices"] == 2
    assert report["mesh"] == {"batch": 2}
    # the same global batches and seed: data parallelism changes only summation order
    assert report["loss_parallel"] == pytest.approx(report["loss_single"], rel=1e-4)
    assert report["max_abs_diff"] < 1e-4


SEEDED_FIT_ON_JAX = textwrap.dedent(
    """
    import json
    import sys

    import numpy as np

    from skseq import GRUForecaster

    X = np.random.default_rng(0).normal(size=(24, 5, 1)).astype("float32")
    y = X[:, -1, 0]
    params = dict(units=4, epochs=1, batch_size=8, random_state=3)
    first = GRUForecaster(**params).fit(X, y).predict(X)
    second = GRUForecaster(**params).fit(X, y).predict(X)
    print(json.dumps({
        "tensorflow_imported": "tensorflow" in sys.modules,
        "same": bool(np.array_equal(first, second)),
    }))
    """
)


needs_jax = pytest.mark.skipif(
    importlib.util.find_spec("jax") is None,
    reason="jax is not installed: pip install jax to test the JAX backend",
)


@needs_jax
def test_a_seeded_fit_on_jax_does_not_import_tensorflow():
    # keras.utils.set_random_seed imports TensorFlow (when installed) to seed it,
    # whatever the backend: seconds and hundreds of MB in a JAX session, for a
    # seed that JAX's training never reads.
    report = _report_on_jax_cpu(SEEDED_FIT_ON_JAX)
    assert not report["tensorflow_imported"]
    assert report["same"]  # the seed still makes the fit reproducible


def _report_on_jax_cpu(script, **env):
    """Run ``script`` in a fresh Python on JAX's CPU backend (with ``env`` set
    too) and return the JSON report it prints last."""
    env = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu", **env}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


PERSISTENCE_ON_JAX = textwrap.dedent(
    """
    import json
    import os
    import pickle
    import sys
    import tempfile

    import numpy as np

    import skseq

    X = np.random.default_rng(0).normal(size=(16, 3)).astype("float32")
    model = skseq.DenseForecaster((4,), epochs=1, random_state=0, verbose=0)
    model.fit(X, X[:, 0])
    expected = model.predict(X)
    unpickled = pickle.loads(pickle.dumps(model))
    path = os.path.join(tempfile.mkdtemp(), "model.skseq")
    skseq.save(model, path)
    loaded = skseq.load(path)
    print(json.dumps({
        "tensorflow_imported": "tensorflow" in sys.modules,
        "same": bool(
            np.allclose(unpickled.predict(X), expected)
            and np.allclose(loaded.predict(X), expected)
        ),
    }))
    """
)


@needs_jax
def test_pickle_and_save_on_jax_do_not_import_tensorflow():
    # Keras' serialize_keras_object imports TensorFlow (when installed) to check
    # for tf.TensorShape, whatever the backend: pickling a JAX model loaded it,
    # with its start-up lines, environment variables and log handler.
    report = _report_on_jax_cpu(PERSISTENCE_ON_JAX)
    assert not report["tensorflow_imported"]
    assert report["same"]


SWITCHED_AFTER_A_FIT = textwrap.dedent(
    """
    import json
    import warnings

    import keras
    import numpy as np

    from skseq import GRUForecaster

    X = np.random.default_rng(0).normal(size=(16, 4, 1)).astype("float32")
    y = X[:, -1, 0]
    before = GRUForecaster(2, epochs=1, random_state=0).fit(X, y)
    expected = before.predict(X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras' own warning about set_backend
        keras.config.set_backend(keras.backend.backend())  # Keras imported anew
    try:
        GRUForecaster(2, epochs=1, random_state=0).fit(X, y)
        error = None
    except Exception as exc:
        error = [type(exc).__name__, str(exc)]
    print(json.dumps({
        "error": error,
        "still_predicts": bool(np.allclose(before.predict(X), expected)),
    }))
    """
)


def test_fitting_after_keras_set_backend_says_to_restart():
    # keras.config.set_backend imports Keras anew, but skseq's layers subclass
    # the first Keras: a fit failed deep in Keras with "'Functional' object has
    # no attribute '_dtype_policy'".
    result = subprocess.run(
        [sys.executable, "-c", SWITCHED_AFTER_A_FIT],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    kind, message = report["error"]
    assert kind == "RuntimeError"
    assert "set_backend" in message and "Restart the Python session" in message
    assert report["still_predicts"]
