"""Bad input and bad hyperparameters get a clear error naming the problem."""

import numpy as np
import pytest

from skseq import (
    DenseForecaster,
    GRUForecaster,
    LSTMForecaster,
    NaiveForecaster,
    RNNForecaster,
)

FAST = {"epochs": 1, "batch_size": 16, "random_state": 0}
# 24 samples: more than the linear DenseForecaster's 6 * 2 + 1 weights
X_OK = np.random.default_rng(0).normal(size=(24, 6, 2)).astype(np.float32)
Y_OK = X_OK[:, -1, 0]


def _with(array, index, value):
    array = array.copy()
    array[index] = value
    return array


NAN_X, INF_X = _with(X_OK, (0, 1, 0), np.nan), _with(X_OK, (0, 1, 0), np.inf)
RAGGED = [[1.0, 2.0], [3.0]]
DATES = np.arange(24 * 6).astype("datetime64[D]").reshape(24, 6)
BAD_FIT_DATA = [
    pytest.param(NAN_X, Y_OK, ValueError, "NaN", id="nan-X"),
    pytest.param(INF_X, Y_OK, ValueError, "infinity", id="inf-X"),
    pytest.param(X_OK, _with(Y_OK, 3, np.nan), ValueError, "NaN", id="nan-y"),
    pytest.param(X_OK[:, 0, 0], Y_OK, ValueError, "1D", id="1d-X"),
    pytest.param(X_OK[..., None], Y_OK, ValueError, "got a 4D array", id="4d-X"),
    pytest.param(X_OK, Y_OK[:5], ValueError, "different numbers of samples", id="len"),
    pytest.param(X_OK[:0], Y_OK[:0], ValueError, "0 sample", id="empty"),
    pytest.param(X_OK, np.zeros((24, 2, 2, 2)), ValueError, "y must be 1D", id="4d-y"),
    pytest.param(X_OK.astype(str), Y_OK, ValueError, "numeric", id="strings"),
    pytest.param(X_OK, None, ValueError, "requires y", id="no-y"),
    pytest.param(RAGGED, [1.0, 2.0], ValueError, "different lengths", id="ragged"),
    # Dates were read as nanoseconds since 1970 (1.6e18), a silently useless input.
    pytest.param(DATES, Y_OK, TypeError, "X holds dates", id="dates-X"),
    pytest.param(X_OK, DATES[:, 0], TypeError, "y holds dates", id="dates-y"),
    pytest.param(X_OK, DATES[:, 0] - DATES[0, 0], TypeError, "durations", id="dt-y"),
]


@pytest.mark.parametrize("estimator", [NaiveForecaster(), GRUForecaster(2, **FAST)])
@pytest.mark.parametrize(("X", "y", "error", "message"), BAD_FIT_DATA)
def test_bad_training_data(estimator, X, y, error, message):
    with pytest.raises(error, match=message):
        estimator.fit(X, y)


@pytest.fixture(scope="module")
def fitted():
    return {
        "naive": NaiveForecaster().fit(X_OK, Y_OK),
        "gru": GRUForecaster(2, **FAST).fit(X_OK, Y_OK),
        "dense": DenseForecaster(**FAST).fit(X_OK, Y_OK),
    }


@pytest.mark.parametrize("name", ["naive", "gru", "dense"])
def test_feature_count_mismatch_at_predict(fitted, name):
    message = "X has 3 features per time step.*fitted with 2"
    with pytest.raises(ValueError, match=message):
        fitted[name].predict(np.zeros((2, 6, 3)))


@pytest.mark.parametrize("name", ["naive", "gru", "dense"])
def test_nan_at_predict(fitted, name):
    with pytest.raises(ValueError, match="NaN"):
        fitted[name].predict(_with(X_OK, (1, 1, 1), np.nan))


def test_unfitted_predict_says_so():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        GRUForecaster().predict(X_OK)


def test_score_with_a_y_of_another_horizon(fitted):
    with pytest.raises(ValueError, match=r"y has shape \(24, 3\).*predictions \(24,\)"):
        fitted["gru"].score(X_OK, np.zeros((24, 3)))


@pytest.mark.parametrize(
    ("estimator", "error", "message"),
    [
        (RNNForecaster(units=-3), ValueError, "units must be >= 1"),
        (RNNForecaster(units=()), ValueError, "at least one layer"),
        (RNNForecaster(units="big"), TypeError, "units must be an int or a tuple"),
        (RNNForecaster(cell="transformer"), ValueError, "cell must be one of"),
        (RNNForecaster(strategy="magic"), ValueError, "strategy must be one of"),
        (DenseForecaster(strategy="seq2seq"), ValueError, "strategy must be one of"),
        (DenseForecaster(hidden_units=(0,)), ValueError, "hidden_units must be >= 1"),
        (GRUForecaster(epochs=0), ValueError, "epochs must be >= 1"),
        (GRUForecaster(batch_size=2.5), TypeError, "batch_size must be an int"),
        (
            GRUForecaster(learning_rate=-1.0),
            ValueError,
            r"learning_rate must be a finite number >= 0; got -1.0",
        ),
        (GRUForecaster(validation_fraction=1.5), ValueError, "validation_fraction"),
        (GRUForecaster(optimizer="nonsense"), ValueError, "Cannot build optimizer"),
        (GRUForecaster(optimizer=object()), TypeError, "name of a Keras optimizer"),
        (GRUForecaster(optimizer_params={"momentum": 0.9}), ValueError, "optimizer"),
        (GRUForecaster(loss="nonsense"), ValueError, "Unknown loss"),
        (GRUForecaster(clipnorm=-1.0), ValueError, "clipnorm must be a finite number"),
        (NaiveForecaster(season=0), ValueError, "season must be >= 1"),
        (GRUForecaster(dropout=1.0), ValueError, "dropout must lie in"),
        (GRUForecaster(recurrent_dropout=-0.1), ValueError, "recurrent_dropout"),
        (GRUForecaster(mc_samples=1), ValueError, "mc_samples must be >= 2"),
        (LSTMForecaster(layer_norm="yes"), TypeError, "layer_norm must be True"),
        (RNNForecaster(batch_norm=1), TypeError, "batch_norm must be True"),
    ],
)
def test_invalid_hyperparameters(estimator, error, message):
    defaults = type(estimator)().get_params()
    params = estimator.get_params()
    estimator.set_params(
        **{k: v for k, v in FAST.items() if k in params and params[k] == defaults[k]}
    )
    with pytest.raises(error, match=message):
        estimator.fit(X_OK, Y_OK)


def test_callbacks_holding_a_lock_and_a_log_file_just_work(tmp_path):
    import threading

    import keras

    class LogEpochs(keras.callbacks.Callback):
        """Holds what deepcopy refuses (a lock, an open file) and per-fit state."""

        def __init__(self, log):
            super().__init__()
            self.log = log
            self.lock = threading.Lock()
            self.seen = []

        def on_epoch_end(self, epoch, logs=None):
            with self.lock:
                self.seen.append(epoch)
                self.log.write(f"{len(self.seen)}\n")

    with open(tmp_path / "epochs.log", "w") as log:
        callback = LogEpochs(log)
        model = GRUForecaster(2, callbacks=[callback], **{**FAST, "epochs": 2})
        model.fit(X_OK, Y_OK).fit(X_OK, Y_OK)
    # each fit worked on its own copy: same file, fresh per-fit state
    assert (tmp_path / "epochs.log").read_text().split() == ["1", "2", "1", "2"]
    assert callback.seen == []
    assert callback.log is log and model.callbacks[0] is callback
