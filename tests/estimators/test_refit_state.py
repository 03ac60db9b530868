"""State carried between calls of the Keras estimators: set_params after fit,
refits, copies."""

import numpy as np
import pytest

from skseq import DenseForecaster

FAST = {"hidden_units": (4,), "epochs": 1, "random_state": 0}


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(24, 5)).astype("float32"), rng.normal(size=24)


def test_a_head_refusal_names_the_fitted_loss_not_one_set_after(data):
    X, y = data
    model = DenseForecaster(loss="mae", **FAST).fit(X, y)
    model.set_params(loss="quantile")  # takes effect at the next fit only
    with pytest.raises(ValueError, match=r"fitted with loss='mae' \(loss='quantile'"):
        model.predict_quantiles(X)
