"""skseq.save / skseq.load: round trips, and tampered files are refused."""

import io
import json
import pickle
import zipfile

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

import skseq
from skseq import DenseForecaster, GRUClassifier, NaiveForecaster

FAST = {"epochs": 1, "batch_size": 64, "random_state": 0}


@pytest.fixture(scope="module")
def data(next_step_data):
    X, y = next_step_data
    return X[:30], y[:30]


@pytest.fixture(scope="module")
def saved(data):
    X, y = data
    model = DenseForecaster(4, warm_start=True, **FAST).fit(X, y)
    buffer = io.BytesIO()
    skseq.save(model, buffer)
    return model, buffer.getvalue()


def rewrite(data, **entries):
    """A copy of the archive ``data`` with some entries replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as dest:
        for name in source.namelist():
            dest.writestr(name, entries.get(name, source.read(name)))
    return out.getvalue()


def manifest(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return json.loads(archive.read("estimator.json"))


def test_round_trip_and_training_continues(saved, data):
    X, y = data
    model, blob = saved
    loaded = skseq.load(io.BytesIO(blob))
    assert loaded.get_params() == model.get_params()
    assert loaded.history_ == model.history_
    assert_array_equal(loaded.predict(X), model.predict(X))
    # optimizer state kept: the next warm step is the one the original takes
    twin = pickle.loads(pickle.dumps(model))
    loaded.fit(X, y)
    twin.fit(X, y)
    pairs = zip(loaded.model_.get_weights(), twin.model_.get_weights(), strict=True)
    for left, right in pairs:
        assert_array_equal(left, right)


def test_column_names_come_back_as_sklearn_has_them(data):
    X, y = data
    frame = pd.DataFrame(X[:, :, 0], columns=[f"t{i}" for i in range(X.shape[1])])
    model = NaiveForecaster().fit(frame, y)
    buffer = io.BytesIO()
    skseq.save(model, buffer)
    loaded = skseq.load(io.BytesIO(buffer.getvalue()))
    assert loaded.feature_names_in_.dtype == object
    assert_array_equal(loaded.feature_names_in_, model.feature_names_in_)
    with pytest.raises(ValueError, match="in another order"):
        loaded.predict(frame[frame.columns[::-1]])


def test_integer_column_labels_come_back(data):
    X, y = data
    frame = pd.DataFrame(X[:, :, 0])
    buffer = io.BytesIO()
    skseq.save(NaiveForecaster().fit(frame, y), buffer)
    loaded = skseq.load(io.BytesIO(buffer.getvalue()))
    with pytest.raises(ValueError, match="in another order"):
        loaded.predict(frame[frame.columns[::-1]])
    dated = frame.set_axis(pd.date_range("2020", periods=X.shape[1]), axis=1)
    skseq.save(NaiveForecaster().fit(dated, y), io.BytesIO())  # dates stored too


def test_classifier_round_trip(tmp_path, data):
    X, _ = data
    y = np.where(X[:, -1, 0] > 0, "up", "down")
    model = GRUClassifier(2, class_weight={"up": 2.0}, **FAST).fit(X, y)
    skseq.save(model, tmp_path / "model.skseq")
    loaded = skseq.load(tmp_path / "model.skseq")
    assert loaded.class_weight == {"up": 2.0}
    assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
    assert_array_equal(loaded.predict(X), model.predict(X))


def test_objects_in_parameters_are_refused(data):
    keras = pytest.importorskip("keras")
    model = NaiveForecaster().fit(*data)
    model.season = keras.callbacks.History()  # not a plain value
    with pytest.raises(TypeError, match="not a plain value"):
        skseq.save(model, io.BytesIO())


def test_a_meta_estimator_is_refused_naming_pickle(data):
    # the docstring's TypeError, pointing to pickle, not load's "refusing to
    # build it"
    from skseq.forecasting import WindowedForecaster

    model = WindowedForecaster(NaiveForecaster(), window=3)
    with pytest.raises(TypeError, match="got WindowedForecaster.*Pickle it"):
        skseq.save(model, io.BytesIO())


def test_untrusted_class_is_refused(saved):
    _, blob = saved
    for name in ("Pipeline", "system", "BaseKerasForecaster", ["GRUForecaster"]):
        content = {**manifest(blob), "class": name}
        tampered = rewrite(blob, **{"estimator.json": json.dumps(content)})
        with pytest.raises(ValueError, match="not a skseq estimator"):
            skseq.load(io.BytesIO(tampered))


def test_unknown_entries_and_attribute_names_are_refused(saved):
    _, blob = saved
    content = manifest(blob)
    content["attributes"]["history_"] = {"__reduce__": ["os.system", ["ls"]]}
    tampered = rewrite(blob, **{"estimator.json": json.dumps(content)})
    with pytest.raises(ValueError, match="does not accept"):
        skseq.load(io.BytesIO(tampered))
    content = manifest(blob)
    content["attributes"]["__class__"] = 1
    tampered = rewrite(blob, **{"estimator.json": json.dumps(content)})
    with pytest.raises(ValueError, match="unexpected attribute"):
        skseq.load(io.BytesIO(tampered))


def test_pickled_arrays_are_refused(saved):
    _, blob = saved
    buffer = io.BytesIO()
    np.savez(buffer, a0=np.array([object()], dtype=object))
    tampered = rewrite(blob, **{"arrays.npz": buffer.getvalue()})
    with pytest.raises(ValueError, match="allow_pickle"):
        skseq.load(io.BytesIO(tampered))


def test_network_with_code_is_refused(saved, tmp_path):
    keras = pytest.importorskip("keras")
    _, blob = saved
    inputs = keras.Input((20, 1))
    outputs = keras.layers.Lambda(lambda x: x[:, -1])(inputs)  # serialized code
    keras.Model(inputs, outputs).save(tmp_path / "evil.keras")
    evil = (tmp_path / "evil.keras").read_bytes()
    tampered = rewrite(blob, **{"model_.keras": evil})
    with pytest.raises(ValueError, match="safe mode"):
        skseq.load(io.BytesIO(tampered))


def test_a_file_saved_on_torch_loads_and_trains_on_another_backend(saved, data):
    # On torch, Keras names "adam" by its torch subclass in the network's
    # config.json; another backend could not import it ("Keras refused the
    # network in this file (safe mode)", as if the file were unsafe).
    X, y = data
    model, blob = saved
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        network = archive.read("model_.keras")
    with zipfile.ZipFile(io.BytesIO(network)) as keras_file:
        config = json.loads(keras_file.read("config.json"))
    config["compile_config"]["optimizer"].update(
        module="keras.src.backend.torch.optimizers.torch_adam", registered_name="Adam"
    )
    network = rewrite(network, **{"config.json": json.dumps(config)})
    loaded = skseq.load(io.BytesIO(rewrite(blob, **{"model_.keras": network})))
    assert_array_equal(loaded.predict(X), model.predict(X))
    twin = skseq.load(io.BytesIO(blob))
    loaded.fit(X, y)  # warm_start: training goes on from the saved state
    twin.fit(X, y)
    np.testing.assert_allclose(loaded.predict(X), twin.predict(X), rtol=1e-6)
