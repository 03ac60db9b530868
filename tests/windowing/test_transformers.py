import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

from skseq import (
    FlattenSequence,
    SequenceNormalizer,
    SequenceScaler,
    SlidingWindowTransformer,
    make_windows,
)


@pytest.mark.parametrize(
    "transformer",
    [
        FlattenSequence(),
        SequenceScaler(),
        SequenceNormalizer(),
        SlidingWindowTransformer(window=2),
    ],
    ids=lambda transformer: type(transformer).__name__,
)
def test_integer_columns_in_another_order_are_refused(transformer):
    # no feature_names_in_ for integer labels, so sklearn's check let the
    # reordered columns (time steps or features) through
    frame = pd.DataFrame(np.random.default_rng(0).normal(size=(6, 4)))
    transformer.fit(frame)
    transformer.transform(frame)
    with pytest.raises(ValueError, match="in another order"):
        transformer.transform(frame[[3, 2, 1, 0]])


def test_sliding_window_transformer_matches_make_windows():
    series = np.arange(24.0).reshape(12, 2)
    windows = SlidingWindowTransformer(window=5, stride=2).fit_transform(series)
    X, _ = make_windows(series, window=5, horizon=2, stride=2)
    # windows start every 2 steps so that the last one ends at the last row:
    # 1, 3, 5, 7; the transformer also returns the window starting at 7,
    # which has no target after it
    assert windows.shape == (4, 5, 2)
    np.testing.assert_array_equal(windows[: len(X)], X)
    np.testing.assert_array_equal(windows[-1], series[7:12])


def test_sliding_window_transformer_checks_features_and_length():
    transformer = SlidingWindowTransformer(window=5).fit(np.zeros((10, 2)))
    with pytest.raises(ValueError, match="2"):
        transformer.transform(np.zeros((10, 3)))
    with pytest.raises(ValueError, match="fewer than window=5"):
        transformer.transform(np.zeros((4, 2)))


def test_flatten_orders_time_major():
    X = np.arange(24.0).reshape(2, 4, 3)
    flat = FlattenSequence().fit_transform(X)
    np.testing.assert_array_equal(flat[0], X[0].ravel())
    names = FlattenSequence().fit(X).get_feature_names_out(["a", "b", "c"])
    assert list(names[:4]) == ["t0_a", "t0_b", "t0_c", "t1_a"]


def test_flatten_refuses_another_length():
    flatten = FlattenSequence().fit(np.zeros((2, 4, 3)))
    with pytest.raises(ValueError, match="fitted on"):
        flatten.transform(np.zeros((2, 5, 3)))


def test_flatten_ridge_pipeline_is_a_linear_forecaster():
    series = np.sin(np.arange(300) / 5)
    X, y = make_windows(series, window=10)
    model = make_pipeline(FlattenSequence(), Ridge(alpha=1e-6)).fit(X, y)
    assert model.score(X, y) > 0.999


def test_sequence_scaler_scales_each_feature_over_all_steps():
    rng = np.random.default_rng(0)
    X = rng.normal(loc=[5.0, -3.0], scale=[2.0, 0.5], size=(50, 7, 2))
    scaled = SequenceScaler().fit_transform(X)
    flat = scaled.reshape(-1, 2)
    np.testing.assert_allclose(flat.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(flat.std(axis=0), 1, atol=1e-12)
    back = SequenceScaler().fit(X).inverse_transform(scaled)
    np.testing.assert_allclose(back, X)


def test_sequence_scaler_takes_any_scaler_and_any_length():
    X = np.arange(40.0).reshape(4, 10)
    scaler = SequenceScaler(MinMaxScaler()).fit(X)
    out = scaler.transform(X[:, :6])
    assert out.shape == (4, 6)
    assert out.min() == 0.0
    assert scaler.scaler is None or isinstance(scaler.scaler, MinMaxScaler)
    with pytest.raises(ValueError, match="features per time step"):
        scaler.transform(np.zeros((4, 6, 2)))


# -- sklearn's set_output and transform_output config -----------------------------
RNG = np.random.default_rng(0)
X3 = RNG.normal(size=(20, 4, 2))
Y3 = X3[:, -1, 0] + 0.1 * X3[:, 0, 1]
# 3D-output transformers and what they take: sequences, or a series (2D)
THREE_D = [
    (SequenceScaler(), X3),
    (SequenceScaler(MinMaxScaler()), X3),
    (SlidingWindowTransformer(3), X3[:, 0]),
]
THREE_D_IDS = ["standard", "minmax", "sliding"]


def _pipeline():
    return make_pipeline(SequenceScaler(), FlattenSequence(), Ridge())


@pytest.mark.parametrize("transformer, data", THREE_D, ids=THREE_D_IDS)
def test_three_d_output_ignores_the_pandas_config(transformer, data):
    expected = clone(transformer).fit_transform(data)
    with sklearn.config_context(transform_output="pandas"):
        out = clone(transformer).fit_transform(data)
    assert type(out) is np.ndarray
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("transformer, data", THREE_D, ids=THREE_D_IDS)
def test_three_d_set_output_is_accepted_and_has_no_effect(transformer, data):
    fitted = clone(transformer).fit(data)
    expected = fitted.transform(data)
    assert fitted.set_output(transform="pandas") is fitted
    out = fitted.transform(data)
    assert type(out) is np.ndarray
    np.testing.assert_array_equal(out, expected)
    with pytest.raises(ValueError, match="transform must be one of"):
        fitted.set_output(transform="xarray")


def test_flatten_gives_a_frame_named_by_time_step_and_feature():
    flatten = FlattenSequence().set_output(transform="pandas").fit(X3)
    frame = flatten.transform(X3)
    assert list(frame.columns[:3]) == ["t0_x0", "t0_x1", "t1_x0"]
    np.testing.assert_array_equal(frame.to_numpy(), X3.reshape(20, -1))
    with pytest.raises(ValueError, match=r"input_features has 3 names.*2 features"):
        flatten.get_feature_names_out(["a", "b", "c"])


def test_pipeline_set_output_pandas_end_to_end():
    expected = _pipeline().fit(X3, Y3).predict(X3)
    model = _pipeline().set_output(transform="pandas").fit(X3, Y3)
    np.testing.assert_allclose(model.predict(X3), expected)
    features = model[:-1].transform(X3)
    assert list(features.columns) == list(model[-1].feature_names_in_)
    with sklearn.config_context(transform_output="pandas"):
        np.testing.assert_allclose(_pipeline().fit(X3, Y3).predict(X3), expected)


def test_sequence_scaler_before_fit_is_not_fitted():
    for method in ("transform", "inverse_transform"):
        with pytest.raises(NotFittedError):
            getattr(SequenceScaler(), method)(X3)


# -- SequenceNormalizer: each sequence z-normalised on its own ----------------------
def test_sequence_normalizer_z_normalises_each_sequence_and_feature():
    rng = np.random.default_rng(0)
    X = rng.normal(loc=[5.0, -3.0], scale=[2.0, 0.1], size=(4, 30, 2))
    X[1] *= 100  # a sequence's level and amplitude must not leak into another
    Xt = SequenceNormalizer().fit_transform(X)
    np.testing.assert_allclose(Xt.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(Xt.std(axis=1), 1)
    expected = (X[2] - X[2].mean(axis=0)) / X[2].std(axis=0)
    np.testing.assert_allclose(Xt[2], expected)
    # 2D input is univariate sequences, and keeps its shape
    np.testing.assert_allclose(
        SequenceNormalizer().fit_transform(X[:, :, 0]), Xt[:, :, 0]
    )


def test_sequence_normalizer_skips_padding_and_constant_sequences():
    short = np.array([1.0, 2.0, 3.0, np.nan, np.nan])
    full = np.array([2.0, 2.0, 2.0, 2.0, 2.0])
    Xt = SequenceNormalizer().fit_transform(np.stack([short, full]))
    np.testing.assert_allclose(Xt[0, :3], [-1.224745, 0.0, 1.224745], rtol=1e-6)
    assert np.isnan(Xt[0, 3:]).all()
    np.testing.assert_array_equal(Xt[1], 0.0)  # constant: centred, not divided
    ragged = SequenceNormalizer().fit_transform([short[:3], np.arange(6.0)])
    assert isinstance(ragged, list) and [len(x) for x in ragged] == [3, 6]
    np.testing.assert_allclose(ragged[0], Xt[0, :3])
    centred = SequenceNormalizer(with_std=False).fit_transform(short[:3][None])
    np.testing.assert_allclose(centred, [[-1.0, 0.0, 1.0]])


def test_sequence_normalizer_in_a_pipeline_and_errors():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(20, 8)) * rng.uniform(1, 50, size=(20, 1))
    y = X[:, -1] / X.std(axis=1)
    model = make_pipeline(SequenceNormalizer(), Ridge()).fit(X, y)
    assert model.predict(X).shape == (20,)
    normalizer = clone(SequenceNormalizer()).fit(X[:, :, None])
    with pytest.raises(ValueError, match="fitted with 1"):
        normalizer.transform(np.zeros((2, 8, 3)))
    with pytest.raises(TypeError, match="with_std must be True or False"):
        SequenceNormalizer(with_std="yes").fit(X)
    with pytest.raises(ValueError, match="got a 4D array"):
        SequenceNormalizer().fit(np.zeros((2, 3, 4, 5)))


def test_sequence_scaler_refuses_a_scaler_that_changes_the_feature_count():
    # It raised numpy's "cannot reshape array of size 60 into shape (6, 5, 3)".
    from sklearn.decomposition import PCA

    X = np.random.default_rng(0).normal(size=(6, 5, 3))
    with pytest.raises(ValueError, match="PCA.*3 features into 2"):
        SequenceScaler(PCA(2)).fit(X).transform(X)


@pytest.mark.parametrize("scaler", [Ridge(), "standard"])
def test_sequence_scaler_refuses_what_is_not_a_transformer(scaler):
    # Ridge raised "Ridge.fit() missing 1 required positional argument: 'y'".
    X = np.random.default_rng(0).normal(size=(6, 5, 3))
    with pytest.raises(TypeError, match="scaler must be a sklearn transformer"):
        SequenceScaler(scaler).fit(X)


@pytest.mark.parametrize(
    "transformer",
    [FlattenSequence(), SequenceNormalizer(with_mean=False, with_std=False)],
    ids=lambda transformer: type(transformer).__name__,
)
@pytest.mark.parametrize("shape", [(3, 4, 2), (3, 4)])
def test_transform_never_aliases_the_input(transformer, shape):
    # Centring the result in place must not change the caller's X.
    X = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    before = X.copy()
    out = transformer.fit(X).transform(X)
    assert not np.shares_memory(out, X)
    out -= out.mean()
    np.testing.assert_array_equal(X, before)


@pytest.mark.parametrize(
    "transformer",
    [FlattenSequence(), SequenceScaler(), SequenceNormalizer()],
    ids=lambda transformer: type(transformer).__name__,
)
def test_first_step_of_a_pipeline_checks_dataframe_columns(transformer):
    # The later steps get arrays: only the first sees the column names, and the
    # fit's columns in another order would feed them shuffled time steps.
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(30, 6)), columns=[f"t{i}" for i in range(6)])
    y = frame["t5"].to_numpy()
    model = make_pipeline(transformer, FlattenSequence(), Ridge()).fit(frame, y)
    assert list(model[0].feature_names_in_) == list(frame.columns)
    with pytest.raises(ValueError, match="in another order"):
        model.predict(frame[frame.columns[::-1]])
    with pytest.warns(UserWarning, match="other column names"):
        model.predict(frame.set_axis([f"d{i}" for i in range(6)], axis=1))
    model.fit(frame.to_numpy(), y)
    assert not hasattr(model[0], "feature_names_in_")


@pytest.mark.parametrize("transformer", [SequenceScaler(), SequenceNormalizer()])
def test_column_transformer_keeps_the_time_step_names(transformer):
    # Before, the transformers had no get_feature_names_out: ColumnTransformer's
    # names failed, and its pandas output had the columns 0, 1, ... instead.
    from sklearn.compose import ColumnTransformer

    rng = np.random.default_rng(0)
    steps = [f"t{i}" for i in range(5)]
    X = pd.DataFrame(rng.normal(size=(12, 5)), columns=steps)
    X["other"] = 1.0
    ct = ColumnTransformer([("seq", transformer, steps)], remainder="passthrough")
    out = ct.set_output(transform="pandas").fit_transform(X)
    expected = [f"seq__{s}" for s in steps] + ["remainder__other"]
    assert list(out.columns) == expected
    assert list(ct.get_feature_names_out()) == expected
    np.testing.assert_allclose(
        out.iloc[:, :5], clone(transformer).fit_transform(X[steps])
    )
    unnamed = clone(transformer).fit(X[steps].to_numpy()).get_feature_names_out()
    assert list(unnamed) == [f"x{i}" for i in range(5)]
    with pytest.raises(ValueError, match="input_features must name the 5 columns"):
        clone(transformer).fit(X[steps]).get_feature_names_out(["a", "b"])
    # 3D X: each time step keeps its features, which FlattenSequence then names
    pipe = make_pipeline(clone(transformer), FlattenSequence())
    names = pipe.fit(rng.normal(size=(4, 3, 2))).get_feature_names_out(["a", "b"])
    assert list(names) == [f"t{t}_{f}" for t in range(3) for f in "ab"]


def test_a_failed_scaler_refit_keeps_the_fitted_output_names():
    scaler = SequenceScaler().fit(np.arange(20.0).reshape(4, 5))
    names = scaler.get_feature_names_out()
    with pytest.raises(TypeError, match="scaler must be"):
        scaler.set_params(scaler="bad").fit(np.zeros((4, 3, 2)))
    np.testing.assert_array_equal(scaler.get_feature_names_out(), names)


@pytest.mark.parametrize("named", [True, False])
def test_flatten_after_scaler_names_the_columns_of_2d_x(named):
    # 2D X: SequenceScaler passes its column (time step) names on, which
    # FlattenSequence refused as "4 names for 1 feature per time step"
    X = np.random.default_rng(0).normal(size=(6, 4))
    X = pd.DataFrame(X, columns=list("abcd")) if named else X
    pipe = make_pipeline(SequenceScaler(), FlattenSequence()).fit(X)
    expected = list("abcd") if named else [f"x{j}" for j in range(4)]
    assert list(pipe.get_feature_names_out()) == expected
    flatten = pipe[-1]
    assert list(flatten.get_feature_names_out(expected)) == expected
    assert list(flatten.get_feature_names_out(["v"])) == [f"t{t}_v" for t in range(4)]
    with pytest.raises(ValueError, match="3 names.*or the 4 columns of its 2D X"):
        flatten.get_feature_names_out(["a", "b", "c"])
    if named:  # alone, on the DataFrame: its column names
        alone = FlattenSequence().fit(X)
        assert list(alone.get_feature_names_out()) == expected
        with pytest.raises(ValueError, match="columns of X seen in fit"):
            alone.get_feature_names_out(list("dcba"))
    # 3D X: the features of each time step, combined with the steps
    X3d = np.zeros((6, 2, 2))
    names = make_pipeline(SequenceScaler(), FlattenSequence()).fit(X3d)
    assert list(names.get_feature_names_out(["u", "v"])) == [
        "t0_u",
        "t0_v",
        "t1_u",
        "t1_v",
    ]
