"""Fitted estimators survive pickling into a fresh Python process."""

import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import joblib
import numpy as np
import pytest
from sklearn.base import clone

import skseq.estimators._persistence as persistence
from skseq import GRUForecaster, WaveNetClassifier
from skseq.utils._testing import test_instances

FAST = {"epochs": 1, "batch_size": 8, "random_state": 0}
RNG = np.random.default_rng(0)
X = RNG.normal(size=(16, 8, 1)).astype(np.float32)
Y = X[:, -1, 0]
SERIES = np.sin(np.arange(60) / 3.0)
# Sequences of different lengths (classifiers pad and mask them inside).
RAGGED = [RNG.normal(size=(n, 1)) for n in (3, 8, 5, 8, 2, 6)]
LABELS = np.array(["a", "b", "c"] * 2)
TOKENS = np.tile(np.arange(5), (6, 2))

LOAD_AND_PREDICT = """
import pickle, sys
import joblib, numpy as np
with open(sys.argv[1], "rb") as file:
    cases = pickle.load(file)
cases += joblib.load(sys.argv[2])
predictions = [getattr(model, method)(data) for model, data, method in cases]
np.save(sys.argv[3], np.concatenate([np.ravel(p) for p in predictions]))
"""


def _fit(model):
    """Fit ``model`` on data of its kind; return ``(model, data, method)``: the
    output to compare after unpickling."""
    if "window" in model.get_params():  # takes one series
        model.fit(SERIES)
        return model, SERIES, "transform" if hasattr(model, "transform") else "forecast"
    if hasattr(model, "predict_proba"):
        if not model.__sklearn_tags__().target_tags.required:  # next-step tokens
            return model.fit(TOKENS), TOKENS, "predict_proba"
        return model.fit(RAGGED, LABELS), RAGGED, "predict_proba"
    if hasattr(model, "transform"):
        return model.fit(X), X, "transform"
    return model.fit(X, Y), X, "predict"


def _predictions(cases):
    outputs = [getattr(model, method)(data) for model, data, method in cases]
    return np.concatenate([np.ravel(output) for output in outputs])


@pytest.mark.slow  # long end-to-end check: CI runs it (-m slow)
def test_every_estimator_round_trips_in_a_fresh_process(tmp_path):
    """Every test instance of every public estimator (each class's
    _get_test_params: layer-normalised cells and WaveNet blocks are custom layers
    that must be registered when the network is unpickled), with pickle, and the
    meta-estimators with joblib too."""
    cases = [_fit(model) for _, model in test_instances()]
    meta = [case for case in cases if "estimator" in case[0].get_params()]
    with open(tmp_path / "models.pkl", "wb") as file:
        pickle.dump(cases, file)
    joblib.dump(meta, tmp_path / "meta.joblib")
    paths = [tmp_path / name for name in ("models.pkl", "meta.joblib", "p.npy")]
    result = subprocess.run(
        [sys.executable, "-c", LOAD_AND_PREDICT, *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    np.testing.assert_array_equal(np.load(paths[2]), _predictions(cases + meta))


@pytest.fixture(scope="module")
def fitted_gru():
    return GRUForecaster(2, **FAST).fit(X, Y)


def test_pickle_records_the_skseq_version(fitted_gru):
    state = fitted_gru.__getstate__()
    assert state["_skseq_version"] == persistence.__version__
    assert state["_skseq_pickle_format"] == persistence.PICKLE_FORMAT
    assert isinstance(state["model_"], persistence.SavedKerasNetwork)
    restored = pickle.loads(pickle.dumps(fitted_gru))
    assert "_skseq_version" not in vars(restored)  # the stamp is not an attribute


def test_pickle_of_another_format_is_refused(fitted_gru, monkeypatch):
    monkeypatch.setattr(persistence, "PICKLE_FORMAT", 99)
    data = pickle.dumps(fitted_gru)
    monkeypatch.undo()
    with pytest.raises(ValueError, match=r"pickle format 99.*refit"):
        pickle.loads(data)


def _format_1_state(estimator, tmp_path):
    """The state skseq pickled with format 1: the network as ``.keras`` bytes."""
    state = estimator.__getstate__()
    estimator.model_.save(tmp_path / "model.keras")
    state["model_"] = persistence.SavedKerasModel(
        (tmp_path / "model.keras").read_bytes()
    )
    state["_skseq_pickle_format"] = 1
    # nor did predict read fitted copies of its parameters (strategy_, ...) then
    for name in estimator._predict_params:
        del state[f"{name}_"]
    return state


def test_pickles_of_format_1_still_load(fitted_gru, tmp_path):
    old = GRUForecaster.__new__(GRUForecaster)
    old.__setstate__(_format_1_state(fitted_gru, tmp_path))
    np.testing.assert_array_equal(old.predict(X), fitted_gru.predict(X))


def test_pickles_from_before_a_parameter_existed_get_its_default(fitted_gru, tmp_path):
    state = _format_1_state(fitted_gru, tmp_path)
    del state["warm_start"]  # pickled before warm_start existed
    old = GRUForecaster.__new__(GRUForecaster)
    old.__setstate__(state)
    assert old.get_params()["warm_start"] is False
    assert clone(old).get_params() == fitted_gru.get_params()


def test_pickles_from_before_a_changing_parameter_get_the_old_behaviour():
    """``batch_norm`` came with a default of True; a WaveNetClassifier pickled
    before it was fitted without, and refits without."""
    state = WaveNetClassifier(3).__getstate__()
    del state["batch_norm"]
    old = WaveNetClassifier.__new__(WaveNetClassifier)
    old.__setstate__(state)
    assert old.get_params()["batch_norm"] is False
    assert WaveNetClassifier().batch_norm is True


def test_pickles_from_before_the_stamp_still_load(fitted_gru, tmp_path):
    state = _format_1_state(fitted_gru, tmp_path)
    for key in ("_skseq_version", "_skseq_pickle_format"):
        del state[key]
    state["model_"] = bytes(state["model_"])  # how skseq 0.1.0.dev0 stored it
    old = GRUForecaster.__new__(GRUForecaster)
    old.__setstate__(state)
    np.testing.assert_array_equal(old.predict(X), fitted_gru.predict(X))


def test_pickling_never_touches_the_temporary_disk(fitted_gru, tmp_path, monkeypatch):
    # A full or read-only temporary disk must not break pickle.dumps / loads.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    restored = pickle.loads(pickle.dumps(fitted_gru))
    np.testing.assert_array_equal(restored.predict(X), fitted_gru.predict(X))
    assert (
        restored.model_.get_compile_config() == fitted_gru.model_.get_compile_config()
    )


def test_pickles_of_the_layout_before_the_split_still_load():
    """Pickles made at commit fc09d2e, when every classifier lived in
    ``skseq.estimators._classifiers`` (see data/make_old_pickles.py), load and
    predict what they predicted then, for every estimator class of that time."""
    path = Path(__file__).with_name("data") / "pickles_fc09d2e.pkl"
    with open(path, "rb") as file:
        cases = pickle.load(file)
    names = {type(model).__name__ for model, *_ in cases}
    assert len(names) == 14 and "WaveNetClassifier" in names
    for model, data, method, expected in cases:
        np.testing.assert_allclose(
            getattr(model, method)(data), expected, rtol=1e-5, atol=1e-6
        )


TORCH_ADAM = "keras.src.backend.torch.optimizers.torch_adam"


def test_a_network_pickled_on_torch_loads_and_trains_on_another_backend():
    # On torch, Keras names "adam" by its torch subclass; another backend
    # could not import it (no torch) or built a torch optimizer on its own
    # variables, which failed at the first training step.
    model = GRUForecaster(units=2, warm_start=True, **FAST).fit(X, Y)
    state = model.__getstate__()
    network = state["model_"]
    # as torch writes it: in the compile config and in the model's config
    for compile_config in (
        network["compile_config"],
        network["config"]["compile_config"],
    ):
        compile_config["optimizer"].update(module=TORCH_ADAM, registered_name="Adam")
    restored = GRUForecaster.__new__(GRUForecaster)
    restored.__setstate__(state)
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))
    twin = pickle.loads(pickle.dumps(model))
    restored.fit(X, Y)  # training goes on, from the saved optimizer state
    twin.fit(X, Y)
    np.testing.assert_allclose(restored.predict(X), twin.predict(X), rtol=1e-6)
