"""Inputs a notebook user gives the array-level forecasters that once gave a
wrong answer or a misleading error."""

import numpy as np
import pytest

from skseq import GRUForecaster

KW = {"epochs": 1, "random_state": 0, "verbose": 0}


def _counts(n=20, timesteps=6, horizon=2, seed=0):
    rng = np.random.default_rng(seed)
    return (
        rng.poisson(3, size=(n, timesteps, 1)).astype(float),
        rng.poisson(3, size=(n, horizon)).astype(float),
    )


@pytest.mark.parametrize("strategy", ["seq2seq", "recursive"])
@pytest.mark.parametrize("shift", [-10.0, 0.5])
def test_negative_binomial_refuses_target_features_of_X_not_counts(strategy, shift):
    # seq2seq trains on the target features of X too: a negative one made
    # training diverge ("lower the learning rate"), a fraction was trained on
    # silently; recursive feeds count forecasts back among them.
    X, y = _counts()
    X[0, 0, 0] += shift
    model = GRUForecaster(4, loss="negative_binomial", strategy=strategy, **KW)
    with pytest.raises(ValueError, match="feature.*of X.*targets"):
        model.fit(X, y)


def test_negative_binomial_direct_takes_any_covariates():
    X, y = _counts()
    X[:, :, 0] -= 10.0  # inputs only: direct never trains on them
    model = GRUForecaster(4, loss="negative_binomial", **KW).fit(X, y)
    assert model.predict(X[:2]).shape == (2, 2)


def test_least_squares_network_saves_and_loads_without_keras_warning(tmp_path):
    # solver="lstsq" wrote the weights and left the optimizer unbuilt: the
    # .keras file then held 2 optimizer variables where loading builds 6, and
    # Keras warned "Skipping variable loading for optimizer" (an error under
    # warnings-as-errors, which skseq.load reported as a refused file).
    import skseq
    from skseq import DenseForecaster

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 5, 1)), rng.normal(size=(30, 2))
    model = DenseForecaster(random_state=0, verbose=0).fit(X, y)
    assert model.solver_ == "lstsq"
    skseq.save(model, tmp_path / "model.skseq")
    loaded = skseq.load(tmp_path / "model.skseq")  # warnings are errors here
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


@pytest.mark.parametrize("strategy", ["direct", "seq2seq", "recursive"])
def test_output_head_none_warns_when_targets_lie_beyond_tanh(strategy):
    # Without a Dense head the forecast is the last layer's tanh output: on
    # targets of about +-50 it fitted silently, every forecast inside (-1, 1).
    from skseq import SimpleRNNForecaster

    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 6, 1)) * 0.3
    y = rng.normal(size=(20, 2)) * 50
    units = 1 if strategy == "recursive" else 2
    model = SimpleRNNForecaster(units, output_head=None, strategy=strategy, **KW)
    with pytest.warns(UserWarning, match=r"tanh output lies in \(-1, 1\)"):
        model.fit(X, y)
    assert np.abs(model.predict(X)).max() < 1 < np.abs(y).max()
    # seq2seq also trains on the target feature of X
    if strategy == "seq2seq":
        with pytest.warns(UserWarning, match="reach 5"):
            model.fit(X * 0 + 5, y * 0)
    model.fit(X, y / 200)  # within (-1, 1): no warning (warnings are errors)


@pytest.mark.parametrize("estimator", ["gru", "dense"])
def test_recursive_predict_warns_of_strategy_set_after_fit(estimator):
    # predict keeps the fitted strategy_ and warns that a changed strategy
    # waits for the next fit; the recursive loop skipped the warning.
    from skseq import DenseForecaster

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 5, 1)), rng.normal(size=(20, 2))
    model = (
        GRUForecaster(4, strategy="recursive", **KW)
        if estimator == "gru"
        else DenseForecaster(strategy="recursive", verbose=0)
    ).fit(X, y)
    before = model.predict(X)
    model.set_params(strategy="direct")
    with pytest.warns(UserWarning, match="strategy='direct' was set after fit"):
        after = model.predict(X)
    np.testing.assert_array_equal(after, before)


@pytest.mark.parametrize("n_features", [1, 3])
def test_seq2seq_refuses_the_books_per_step_targets(n_features):
    # The chapter trains seq2seq on Y[:, t] = the horizon values after step t,
    # of shape (n, n_timesteps, horizon). skseq builds Y itself; given the
    # book's Y it read (n_timesteps, horizon) as steps and targets: with one
    # feature "y has 3 target series but X has only 1 feature(s)", with as
    # many features as the horizon a silently wrong model.
    rng = np.random.default_rng(0)
    n, timesteps, horizon = 20, 6, 3
    series = rng.normal(size=(n, timesteps + horizon, n_features))
    X = series[:, :timesteps]
    Y = np.stack(
        [series[:, t + 1 : t + 1 + horizon, 0] for t in range(timesteps)], axis=1
    )
    model = GRUForecaster(4, strategy="seq2seq", **KW)
    with pytest.raises(ValueError, match=r"per-step targets.*pass y\[:, -1\]"):
        model.fit(X, Y)
    assert model.fit(X, Y[:, -1]).predict(X).shape == (n, horizon)


def test_seq2seq_takes_targets_of_a_periodic_series():
    # A period dividing n_timesteps - 1 makes the first target repeat X one
    # step on; the other targets do not, so this y is no per-step Y.
    n, timesteps = 10, 5
    period = np.tile([0.0, 1.0, 0.0, -1.0], 4)[: timesteps + timesteps]
    X = np.tile(period[:timesteps], (n, 1))[:, :, None]
    y = np.stack([np.tile(period[timesteps:], (n, 1)), np.zeros((n, 5))], axis=2)
    y += np.random.default_rng(0).normal(size=y.shape) * [0, 1]
    X = np.concatenate([X, y[:, :, 1:]], axis=2)  # second target as feature 1
    model = GRUForecaster(4, strategy="seq2seq", **KW).fit(X, y)
    assert model.predict(X).shape == y.shape


def test_seq2seq_takes_two_targets_of_a_constant_series_at_horizon_n_timesteps():
    # horizon == n_timesteps with 2 targets is the shape of the book's Y, and a
    # constant target repeats X at every shift: it was refused as per-step Y
    from skseq import make_windows

    series = np.full((30, 2), 3.0)
    X, y = make_windows(series, window=4, horizon=4)
    assert y.shape == (23, 4, 2)
    model = GRUForecaster(4, strategy="seq2seq", **KW).fit(X, y)
    assert model.predict(X[:2]).shape == (2, 4, 2)


@pytest.mark.parametrize("loss", ["gaussian", "quantile"])
def test_return_std_of_a_probabilistic_forecaster_points_to_its_quantiles(loss):
    # Without dropout, return_std told a forecaster fitted with loss="gaussian"
    # to "train a forecast distribution, loss='student_t' or loss='quantile'".
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 5, 1)), rng.normal(size=(20, 2))
    model = GRUForecaster(4, loss=loss, **KW).fit(X, y)
    with pytest.raises(ValueError, match="no dropout") as error:
        model.predict(X, return_std=True)
    assert "train a forecast distribution" not in str(error.value)
    assert f"loss={loss!r}" in str(error.value) and "predict_quantiles" in str(
        error.value
    )
    model.predict_interval(X, 0.8)  # what the message points to works


def test_output_head_none_takes_targets_scaled_into_minus_one_one():
    # MinMaxScaler(feature_range=(-1, 1)), the scaling the warning names, puts
    # the extremes at exactly -1 and 1: that warned that the targets "reach 1",
    # beyond tanh's range (warnings are errors here).
    from sklearn.preprocessing import MinMaxScaler

    from skseq import SimpleRNNForecaster

    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 6, 1)) * 0.3
    y = MinMaxScaler((-1, 1)).fit_transform(rng.normal(size=(20, 2)) * 50)
    assert np.abs(y).max() == 1.0
    model = SimpleRNNForecaster(2, output_head=None, **KW).fit(X, y)
    assert model.predict(X).shape == (20, 2)


def test_output_head_none_warning_names_a_scaler_into_tanh_range():
    # WindowedForecaster's default scale standardizes: its values pass 1, and
    # the warning then named that same scale as the remedy.
    import pandas as pd

    from skseq import SimpleRNNForecaster, WindowedForecaster

    series = pd.Series(np.sin(np.arange(60) / 4) * 50 + 100)
    model = WindowedForecaster(
        SimpleRNNForecaster(1, output_head=None, **KW), window=6, difference=None
    )
    with pytest.warns(UserWarning, match=r"MinMaxScaler\(feature_range=\(-1, 1\)\)"):
        model.fit(series)


@pytest.mark.parametrize("call", ["fit", "partial_fit", "windowed"])
def test_tanh_range_warning_points_at_the_users_line(call):
    # stacklevel=5 named skseq's own _forecaster_base.py for every call (fit
    # goes one frame deeper than counted; partial_fit and WindowedForecaster
    # deeper still), so the warning showed a line of skseq, not the user's
    from skseq import SimpleRNNForecaster, WindowedForecaster

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 6, 1)), rng.normal(size=20) * 50
    model = SimpleRNNForecaster(1, output_head=None, **KW)
    with pytest.warns(UserWarning, match="tanh output") as record:
        if call == "windowed":
            WindowedForecaster(model, window=4, difference=None).fit(y)
        else:
            getattr(model, call)(X, y)
    assert [w.filename for w in record if "tanh" in str(w.message)] == [__file__]


@pytest.mark.parametrize("kind", ["forecaster", "classifier"])
def test_other_column_names_at_partial_fit_warn_at_the_users_line(kind):
    # stacklevel=5 pointed one frame above partial_fit's caller ("sys", line 1)
    import pandas as pd

    from skseq import GRUClassifier

    rng = np.random.default_rng(0)
    if kind == "forecaster":
        X = pd.DataFrame(rng.normal(size=(10, 5)), columns=list("abcde"))
        other = X.set_axis(list("vwxyz"), axis=1)
        model, y = GRUForecaster(4, **KW), rng.normal(size=10)
    else:  # sequences as DataFrames, whose columns are checked alike
        X = [pd.DataFrame(rng.normal(size=(5, 2)), columns=["a", "b"])] * 10
        other = [frame.set_axis(["a", "c"], axis=1) for frame in X]
        model, y = GRUClassifier(4, **KW), np.array([0, 1] * 5)
    model.fit(X, y)
    with pytest.warns(UserWarning, match="other column") as record:
        model.partial_fit(other, y)
    assert {w.filename for w in record if "other column" in str(w.message)} == {
        __file__
    }
