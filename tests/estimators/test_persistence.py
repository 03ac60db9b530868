"""Fitted estimators survive pickling into a fresh Python process."""

import pickle
import subprocess
import sys
import tempfile

import joblib
import numpy as np
import pytest
from sklearn.base import clone

import skseq.utils._persistence as persistence
from skseq import (
    ConvClassifier,
    ConvRNNForecaster,
    DenseForecaster,
    GRUClassifier,
    GRUForecaster,
    LSTMForecaster,
    NaiveForecaster,
    NextStepClassifier,
    ResNetClassifier,
    RNNForecaster,
    SimpleRNNForecaster,
    WaveNetForecaster,
    WindowedForecaster,
)

FAST = {"epochs": 1, "batch_size": 8, "random_state": 0}
RNG = np.random.default_rng(0)
X = RNG.normal(size=(16, 8, 1)).astype(np.float32)
Y = X[:, -1, 0]
SERIES = np.sin(np.arange(60) / 3.0)

# Every public estimator, some with custom layers that must be registered when
# the network is unpickled (layer-normalised cells, WaveNet blocks).
SEQUENCE_ESTIMATORS = [
    NaiveForecaster(season=2),
    DenseForecaster(**FAST),
    RNNForecaster(3, cell="simple", layer_norm=True, **FAST),
    SimpleRNNForecaster(3, **FAST),
    LSTMForecaster(3, dropout=0.2, **FAST),
    GRUForecaster(3, **FAST),
    ConvRNNForecaster(3, units=3, **FAST),
    WaveNetForecaster(3, dilation_rates=(1, 2, 4), **FAST),
    WaveNetForecaster(3, dilation_rates=(1, 2, 4), architecture="full", **FAST),
]

LOAD_AND_PREDICT = """
import pickle, sys
import joblib, numpy as np
with open(sys.argv[1], "rb") as file:
    models, X, series, ragged, tokens = pickle.load(file)
windowed = joblib.load(sys.argv[2])
predictions = [model.predict(X) for model in models[:-4]] + [
    windowed.predict(series),
    models[-4].predict_proba(ragged),
    models[-3].predict_proba(ragged),
    models[-2].predict_proba(ragged),
    models[-1].predict_proba(tokens),
]
np.save(sys.argv[3], np.concatenate([np.ravel(p) for p in predictions]))
"""
# Sequences of different lengths (classifiers pad and mask them inside).
RAGGED = [RNG.normal(size=(n, 1)) for n in (3, 8, 5, 8, 2, 6)]
LABELS = np.array(["a", "b", "c"] * 2)
TOKENS = np.tile(np.arange(5), (6, 2))


def _classifiers():
    return [
        GRUClassifier(3, **FAST).fit(RAGGED, LABELS),
        ConvClassifier(3, **FAST).fit(RAGGED, LABELS),
        ResNetClassifier((3, 2), kernel_size=2, **FAST).fit(RAGGED, LABELS),
        NextStepClassifier(3, vocab_size=5, embedding_dim=2, **FAST).fit(TOKENS),
    ]


def _all_predictions(models, windowed):
    predictions = [model.predict(X) for model in models[:-4]] + [
        windowed.predict(SERIES),
        models[-4].predict_proba(RAGGED),
        models[-3].predict_proba(RAGGED),
        models[-2].predict_proba(RAGGED),
        models[-1].predict_proba(TOKENS),
    ]
    return np.concatenate([np.ravel(p) for p in predictions])


def test_every_estimator_round_trips_in_a_fresh_process(tmp_path):
    models = [estimator.fit(X, Y) for estimator in SEQUENCE_ESTIMATORS]
    models += _classifiers()
    windowed = WindowedForecaster(GRUForecaster(2, **FAST), window=8, horizon=2)
    windowed.fit(SERIES)
    with open(tmp_path / "models.pkl", "wb") as file:
        pickle.dump((models, X, SERIES, RAGGED, TOKENS), file)
    joblib.dump(windowed, tmp_path / "windowed.joblib")
    paths = [tmp_path / name for name in ("models.pkl", "windowed.joblib", "p.npy")]
    result = subprocess.run(
        [sys.executable, "-c", LOAD_AND_PREDICT, *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    np.testing.assert_array_equal(np.load(paths[2]), _all_predictions(models, windowed))


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
