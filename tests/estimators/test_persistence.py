"""Fitted estimators survive pickling into a fresh Python process."""

import pickle
import subprocess
import sys

import numpy as np
import pytest

from skseq import GRUForecaster, WaveNetForecaster

FAST = {"epochs": 1, "batch_size": 8, "random_state": 0}

LOAD_AND_PREDICT = """
import pickle, sys
import numpy as np
with open(sys.argv[1], "rb") as file:
    model, X = pickle.load(file)
np.save(sys.argv[2], model.predict(X))
"""


@pytest.mark.parametrize(
    "estimator",
    [
        GRUForecaster(3, **FAST),
        # custom layers: they must be registered when the model is unpickled
        WaveNetForecaster(3, dilation_rates=(1, 2, 4), architecture="full", **FAST),
    ],
    ids=["gru", "wavenet-full"],
)
def test_pickle_round_trip_in_a_fresh_process(estimator, tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(16, 8, 1)).astype(np.float32)
    model = estimator.fit(X, X[:, -1, 0])
    with open(tmp_path / "model.pkl", "wb") as file:
        pickle.dump((model, X), file)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            LOAD_AND_PREDICT,
            str(tmp_path / "model.pkl"),
            str(tmp_path / "pred.npy"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    np.testing.assert_array_equal(np.load(tmp_path / "pred.npy"), model.predict(X))
