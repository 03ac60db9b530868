"""A linear DenseForecaster reaches its least-squares solution by default."""

import pickle

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression

from skseq import DenseForecaster


@pytest.fixture(scope="module")
def windows():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 6, 2))
    coef = rng.normal(size=(12, 3))
    y = X.reshape(40, -1) @ coef + 0.5 + 0.1 * rng.normal(size=(40, 3))
    return X, y[:, :, None]  # horizon 3, one target


def _exact(X, y, sample_weight=None):
    flat = X.reshape(len(X), -1)
    return LinearRegression().fit(flat, y.reshape(len(y), -1), sample_weight)


def test_default_linear_model_is_the_least_squares_fit(windows):
    # 20 Adam epochs left it far from the solution (MASE 1.24 vs 0.32 on a
    # trended monthly series); now it is the solution itself.
    X, y = windows
    model = DenseForecaster(random_state=0).fit(X, y)
    expected = _exact(X, y).predict(X.reshape(len(X), -1))
    np.testing.assert_allclose(model.predict(X)[..., 0], expected, atol=1e-4)
    assert len(model.history_["loss"]) == 1
    assert model.history_["loss"][0] == pytest.approx(
        np.mean((expected - y[..., 0]) ** 2), rel=1e-5
    )


def test_least_squares_honours_sample_weight(windows):
    X, y = windows
    w = np.r_[np.full(20, 5.0), np.ones(20)]
    model = DenseForecaster(random_state=0).fit(X, y, sample_weight=w)
    expected = _exact(X, y, w).predict(X.reshape(len(X), -1))
    np.testing.assert_allclose(model.predict(X)[..., 0], expected, atol=1e-4)


def test_recursive_strategy_solves_the_one_step_model(windows):
    X, y = windows
    model = DenseForecaster(strategy="recursive", random_state=0).fit(X[..., :1], y)
    flat = X[..., 0]
    one_step = LinearRegression().fit(flat, y[:, 0, 0])
    np.testing.assert_allclose(
        model.predict(X[..., :1])[:, 0, 0], one_step.predict(flat), atol=1e-4
    )


def test_the_solved_model_pickles_and_trains_on(windows):
    X, y = windows
    model = DenseForecaster(random_state=0).fit(X, y)
    clone = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(clone.predict(X), model.predict(X))
    model.set_params(warm_start=True, epochs=1).fit(X, y)  # gradient from there
    assert len(model.history_["loss"]) == 2


@pytest.mark.parametrize(
    ("params", "gradient"),
    [
        ({"solver": "gradient"}, True),
        ({"loss": "mae"}, True),
        ({"hidden_units": (3,)}, True),
        ({"hidden_units": 3}, True),
        ({"warm_start": True}, True),
        ({"solver": "lstsq"}, False),
    ],
)
def test_solver_choice(windows, params, gradient):
    X, y = windows
    model = DenseForecaster(epochs=2, batch_size=16, random_state=0, **params)
    model.fit(X, y)
    assert len(model.history_["loss"]) == (2 if gradient else 1)


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"hidden_units": (3,)}, "hidden_units=.3,. makes the network non-linear"),
        ({"loss": "mae"}, "loss='mae' is not the MSE"),
    ],
)
def test_lstsq_refuses_what_it_cannot_solve(windows, params, match):
    X, y = windows
    with pytest.raises(ValueError, match=match):
        DenseForecaster(solver="lstsq", **params).fit(X, y)
    with pytest.raises(ValueError, match="solver"):
        DenseForecaster(solver="normal").fit(X, y)


def test_no_more_windows_than_weights_warns(windows):
    # 13 windows for 13 weights (6 steps x 2 features + 1) were solved without a
    # word: training MSE ~1e-29, a forecast fitted to the noise
    from skseq.exceptions import UnderdeterminedWarning

    X, y = windows
    with pytest.warns(UnderdeterminedWarning, match="13 training windows for 13"):
        model = DenseForecaster(random_state=0).fit(X[:13], y[:13])
    assert model.history_["loss"][0] < 1e-12
    assert issubclass(UnderdeterminedWarning, UserWarning)
    # windows of weight 0 are left out, so they do not count
    weights = np.r_[np.ones(13), np.zeros(27)]
    with pytest.warns(UnderdeterminedWarning, match="13 training windows"):
        DenseForecaster(random_state=0).fit(X, y, sample_weight=weights)
    DenseForecaster(random_state=0).fit(X[:14], y[:14])  # one more: determined
    # gradient training does not solve the system: no warning
    DenseForecaster(solver="gradient", epochs=1, random_state=0).fit(X[:13], y[:13])
