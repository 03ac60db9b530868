"""``summary()`` of fitted estimators: layers, parameters, receptive field, training."""

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError

from skseq import (
    DenseForecaster,
    GRUClassifier,
    GRUForecaster,
    NaiveForecaster,
    WaveNetForecaster,
)
from skseq.forecasting import WindowedForecaster
from skseq.networks import wavenet_receptive_field


@pytest.fixture(scope="module")
def data():
    X = np.random.default_rng(0).normal(size=(48, 12)).astype("float32")
    return X, X[:, -1]


def test_summary_of_a_recurrent_forecaster_with_early_stopping(data):
    model = GRUForecaster(3, epochs=3, early_stopping=True, random_state=0)
    summary = model.fit(*data).summary()
    assert summary.n_params == model.model_.count_params()
    assert sum(row[3] for row in summary.layers) == summary.n_params
    assert [row[1] for row in summary.layers] == ["GRU", "Dense"]
    assert summary.receptive_field == "whole window (recurrent)"
    val = model.history_["val_loss"]
    assert summary.epochs == len(model.history_["loss"])
    assert summary.best_val_loss == min(val)
    assert summary.best_epoch == int(np.argmin(val)) + 1
    text = repr(summary)
    assert text.startswith("GRUForecaster\n")
    assert f"{summary.n_params:,} parameters" in text
    assert f"best val_loss {min(val):.4g} (epoch {summary.best_epoch})" in text
    assert str(summary) == text


def test_summary_of_wavenet_gives_its_receptive_field(data):
    rates = (1, 2, 4, 4)  # 12 steps: the whole window
    model = WaveNetForecaster(
        filters=2, dilation_rates=rates, epochs=1, random_state=0
    ).fit(*data)
    summary = model.summary()
    assert summary.receptive_field == wavenet_receptive_field(2, rates)
    assert f"Receptive field: {summary.receptive_field} steps" in repr(summary)
    assert summary.best_val_loss is None
    assert "val_loss" not in repr(summary)


def test_summary_of_a_classifier_and_a_model_without_network(data):
    X, y = data
    summary = GRUClassifier(2, epochs=1, random_state=0).fit(X, y > 0).summary()
    assert summary.n_params > 0 and summary.epochs == 1
    naive = NaiveForecaster().fit(X, y).summary()
    assert naive.n_params is None and "No network" in repr(naive)


def test_summary_of_a_windowed_forecaster_names_its_columns():
    dates = pd.date_range("2019-01-01", periods=60, freq="D")
    frame = pd.DataFrame({"rail": np.arange(60.0), "bus": np.ones(60)}, index=dates)
    model = WindowedForecaster(
        GRUForecaster(2, epochs=1, random_state=0),
        window=7,
        horizon=2,
        target="rail",
        past_covariates=["bus"],
    ).fit(frame)
    text = repr(model.summary())
    assert text.startswith("WindowedForecaster(GRUForecaster)\n")
    assert "window=7, horizon=2, targets=['rail']" in text
    assert "past covariates=['bus']" in text
    assert model.summary().n_params == model.estimator_.model_.count_params()


def test_summary_needs_a_fitted_estimator():
    with pytest.raises(NotFittedError):
        GRUForecaster().summary()


def test_summary_shows_the_fitted_window_not_the_parameters():
    series = pd.Series(np.sin(np.arange(40) / 3))
    model = WindowedForecaster(NaiveForecaster(), window=10, horizon=2).fit(series)
    model.set_params(window=30, horizon=5)  # effective at the next fit only
    text = repr(model.summary())
    assert "window=10, horizon=2" in text


def test_summary_counts_the_epochs_of_the_last_fit(data):
    model = GRUForecaster(2, epochs=2, warm_start=True, random_state=0)
    model.fit(*data).fit(*data)
    summary = model.summary()
    assert model.last_fit_epochs_ == (2, 2)
    assert summary.epochs == 4  # every epoch since the network was built
    model.set_params(epochs=5)  # a parameter, not what was trained
    text = repr(model.summary())
    assert "Training: 2 of 2 epochs in the last fit, 4 in all" in text
    assert "4 of 2" not in text and "of 5" not in text
    model.partial_fit(*data)
    assert "1 of 1 epochs in the last fit, 5 in all" in repr(model.summary())


def test_summary_of_conformal_forecasters_shows_the_inner_network(data):
    from skseq import ConformalForecaster

    X, y = data
    gru = GRUForecaster(2, epochs=1, random_state=0)
    conformal = ConformalForecaster(gru).fit(X, y)
    summary = conformal.summary()
    assert summary.name == "ConformalForecaster(GRUForecaster)"
    assert summary.n_params == conformal.estimator_.model_.count_params()
    assert "calibrated on 10 samples" in repr(summary)
    series = pd.Series(np.sin(np.arange(60) / 3))
    windowed = WindowedForecaster(ConformalForecaster(gru), window=8).fit(series)
    summary = windowed.summary()
    assert summary.name == "WindowedForecaster(ConformalForecaster(GRUForecaster))"
    assert summary.n_params == windowed.estimator_.estimator_.model_.count_params()
    assert "No network" not in repr(summary)
    assert "window=8, horizon=1" in repr(summary)


def test_a_least_squares_fit_says_so_not_one_epoch():
    X = np.random.default_rng(0).normal(size=(40, 5, 1))
    y = X[:, -1, 0]
    exact = DenseForecaster(epochs=5).fit(X, y)
    assert exact.solver_ == "lstsq"
    assert "Training: exact least squares (no epochs)" in str(exact.summary())
    trained = DenseForecaster(epochs=2, solver="gradient").fit(X, y)
    assert trained.solver_ == "gradient"
    assert "Training: 2 of 2 epochs" in str(trained.summary())
