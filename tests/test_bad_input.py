"""One bad-input matrix over every public estimator and transformer.

Each bad input gets a ``ValueError`` or ``TypeError`` whose message names the
argument and the problem, raised before any network is built, and a previously
fitted estimator stays usable: same predictions after the failed call.
"""

import subprocess
import sys
import warnings

import numpy as np
import pytest
from sklearn.base import clone, is_classifier

from skseq import (
    ConformalForecaster,
    ConvClassifier,
    ConvRNNForecaster,
    DenseForecaster,
    GRUClassifier,
    GRUForecaster,
    LSTMClassifier,
    LSTMForecaster,
    NaiveForecaster,
    NextStepClassifier,
    RNNClassifier,
    RNNForecaster,
    SequenceScaler,
    SimpleRNNForecaster,
    SlidingWindowTransformer,
    WaveNetClassifier,
    WaveNetForecaster,
    WindowedForecaster,
)
from skseq.utils._testing import test_instances

FAST = {"epochs": 1, "batch_size": 8, "random_state": 0}
RNG = np.random.default_rng(0)
# 24 windows: more than a linear DenseForecaster's 8 * 2 + 1 weights, which
# least squares would otherwise fit exactly (an UnderdeterminedWarning)
X = RNG.normal(size=(24, 8, 2)).astype(np.float32)
Y = X[:, -1, 0]
SERIES = RNG.normal(size=(40, 2))


def _takes_a_series(estimator):
    """Series estimators (a ``window`` parameter) have their own tests below."""
    return "window" in estimator.get_params()


def _self_supervised(estimator):
    return not estimator.__sklearn_tags__().target_tags.required


# Every test instance (each class's _get_test_params) of the public estimators.
SEQUENCE_MODELS = {
    name: model
    for name, model in test_instances("forecaster")
    if not _takes_a_series(model)
}
CLASSIFIERS = {
    name: model
    for name, model in test_instances("classifier")
    if not _self_supervised(model)
}
# Stateless transformers (requires_fit=False) validate in transform only, and
# SequenceNormalizer keeps NaN padding: tests/windowing covers them.
TRANSFORMERS = {
    name: model
    for name, model in test_instances("transformer")
    if not _takes_a_series(model) and model.__sklearn_tags__().requires_fit
}

# A hyperparameter change each class must refuse (default: epochs=0).
REFUSED = {
    NaiveForecaster: {"season": 0},
    ConformalForecaster: {"calibration_fraction": 1.5},
    DenseForecaster: {"hidden_units": (-3,)},
    RNNForecaster: {"units": 0},
    SimpleRNNForecaster: {"epochs": 0},
    LSTMForecaster: {"batch_size": -1},
    GRUForecaster: {"dropout": -0.5},
    ConvRNNForecaster: {"filters": 0},
    WaveNetForecaster: {"kernel_size": 0},
    RNNClassifier: {"units": 0},
    LSTMClassifier: {"epochs": -1},
    GRUClassifier: {"class_weight": "sometimes"},
    ConvClassifier: {"kernel_size": 0},
    WaveNetClassifier: {"filters": 0},
}


def _targets(model):
    """Labels for classifiers; for a forecaster that feeds its forecasts back as
    inputs (strategy="recursive"), every feature of X is a target."""
    if is_classifier(model):
        return LABELS
    if model.get_params().get("strategy") == "recursive":
        return X[:, -1:, :]
    return Y


def _refused_change(model):
    return REFUSED.get(type(model), {"epochs": 0})


def _predict_as_fitted(predict, X):
    """``predict(X)`` of a model whose refit failed after ``set_params``: it
    still holds its old fit, and warns if ``predict`` reads a changed parameter
    (which it does not use until the next fit)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", ".*set after fit")
        return predict(X)


def _with(array, index, value):
    array = np.array(array, dtype=object if isinstance(value, str) else None)
    array[index] = value
    return array


# sklearn's wording in one line, without the array it used to print
ONE_LINE_COMPLEX = r"^%s holds complex numbers \(Complex data not supported\)[^\n]*$"
# (X, y, error type, pattern naming the argument and the problem)
BAD_SEQUENCES = {
    "nan-X": (_with(X, (0, 1, 0), np.nan), Y, ValueError, r"X contains NaN"),
    "inf-X": (_with(X, (0, 1, 0), np.inf), Y, ValueError, r"X contains infinity"),
    "empty-X": (X[:0], Y[:0], ValueError, r"X.*0 sample"),
    "1d-X": (X[:, 0, 0], Y, ValueError, r"X must be 2D .* got a 1D"),
    "4d-X": (X[..., None], Y, ValueError, r"X must be 2D .* got a 4D"),
    "ragged-X": ([[1.0, 2.0], [3.0]], [1.0, 2.0], ValueError, r"X holds sequences of"),
    "string-X": (X.astype(str), Y, ValueError, r"X.*(numeric|number)"),
    "object-X": (_with(X, (0, 0, 0), "a"), Y, ValueError, r"X.*(convert|numeric)"),
    "0-steps-X": (X[:, :0], Y, ValueError, r"X has sequences of 0 time steps"),
    "0-steps-2d-X": (X[:, :0, 0], Y, ValueError, r"X has sequences of 0 time steps"),
    "0-features-X": (X[:, :, :0], Y, ValueError, r"X has 0 features"),
    "complex-X": (
        X.astype(complex),
        Y,
        ValueError,
        ONE_LINE_COMPLEX % "X",
    ),
}
BAD_TARGETS = {
    "nan-y": (X, _with(Y, 3, np.nan), ValueError, r"y contains NaN"),
    "short-y": (
        X,
        Y[:5],
        ValueError,
        r"X and y have different numbers of samples: 24 and 5",
    ),
    "4d-y": (X, np.zeros((24, 2, 2, 2)), ValueError, r"y must be 1D"),
    "no-y": (X, None, ValueError, r"requires y"),
    "string-y": (X, _with(Y, 2, "a"), ValueError, r"y.*(numeric|float)"),
    "inf-y": (X, _with(Y, 3, np.inf), ValueError, r"y contains infinity"),
    "complex-y": (
        X,
        Y.astype(complex),
        ValueError,
        ONE_LINE_COMPLEX % "y",
    ),
}


@pytest.fixture(scope="module")
def fitted_models():
    return {
        name: clone(model).fit(X, _targets(model))
        for name, model in SEQUENCE_MODELS.items()
    }


@pytest.mark.parametrize("name", SEQUENCE_MODELS)
@pytest.mark.parametrize("case", {**BAD_SEQUENCES, **BAD_TARGETS})
def test_bad_training_data_on_a_fitted_forecaster(fitted_models, name, case):
    bad_X, bad_y, error, pattern = {**BAD_SEQUENCES, **BAD_TARGETS}[case]
    model = fitted_models[name]
    before = model.predict(X)
    with pytest.raises(error, match=pattern):
        model.fit(bad_X, bad_y)
    np.testing.assert_array_equal(model.predict(X), before)


def test_zero_time_steps_do_not_kill_the_process():
    # oneDNN aborts the whole process (exit 134) on a Dense layer over 0 inputs:
    # run it where a crash cannot take the test session down.
    code = (
        "import numpy as np; from skseq import DenseForecaster; "
        "DenseForecaster(epochs=1).fit(np.zeros((4, 0, 1)), np.zeros(4))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 1, result.stderr[-2000:]
    assert "ValueError: X has sequences of 0 time steps" in result.stderr


@pytest.mark.parametrize("name", SEQUENCE_MODELS)
def test_bad_data_at_predict(fitted_models, name):
    model = fitted_models[name]
    for case in (
        *("nan-X", "inf-X", "1d-X", "4d-X", "string-X", "ragged-X", "complex-X"),
        *("0-steps-X", "0-steps-2d-X", "0-features-X"),
    ):
        bad_X, _, error, pattern = BAD_SEQUENCES[case]
        with pytest.raises(error, match=pattern):
            model.predict(bad_X)
    with pytest.raises(ValueError, match=r"X has 3 features per time step.*2"):
        model.predict(np.zeros((2, 8, 3)))
    if not getattr(model, "_variable_length", True):  # tied to the fitted length
        with pytest.raises(ValueError, match=r"X has sequences of 5 time steps.*8"):
            model.predict(np.zeros((2, 5, 2)))


# float64 values beyond float32's range became inf in the networks' cast, and a
# classifier then predicted classes_[0] from NaN probabilities.
HUGE_X = _with(X.astype(np.float64), (0, 1, 0), 1e39)


@pytest.mark.parametrize("name", SEQUENCE_MODELS)
def test_values_beyond_float32_are_refused(fitted_models, name):
    model = fitted_models[name]
    huge_y = _with(_targets(model).astype(np.float64), 3, -1e39)
    if model._input_dtype is None:  # NaiveForecaster (wrapped): exact in float64
        assert np.isfinite(clone(model).fit(HUGE_X, huge_y).predict(HUGE_X)).all()
        return
    before = model.predict(X)
    too_large = r"%s holds values too large for float32 \(\|x\| > 3.4e\+38\)"
    with pytest.raises(ValueError, match=too_large % "X"):
        model.predict(HUGE_X)
    with pytest.raises(ValueError, match=too_large % "X"):
        model.fit(HUGE_X, _targets(model))
    with pytest.raises(ValueError, match=too_large % "y"):
        model.fit(X, huge_y)
    np.testing.assert_array_equal(model.predict(X), before)


@pytest.mark.parametrize("name", SEQUENCE_MODELS)
def test_bad_hyperparameter_keeps_the_fitted_model(fitted_models, name):
    # the shared fitted model (no refit of each instance): its parameters are
    # set back afterwards, as the other tests of the fixture expect them
    model = fitted_models[name]
    before, params = model.predict(X), model.get_params(deep=False)
    change = _refused_change(model)
    model.set_params(**change)
    (param,) = change
    try:
        with pytest.raises((ValueError, TypeError), match=param):
            model.fit(X, _targets(model))
        np.testing.assert_array_equal(_predict_as_fitted(model.predict, X), before)
    finally:
        model.set_params(**params)


# The classifiers' variable-length layouts, which some transformers take too:
# NaN padding (those that allow NaN), sequences of different lengths (scaling)
ACCEPTED = {
    "nan-X": lambda transformer: transformer.__sklearn_tags__().input_tags.allow_nan,
    "ragged-X": lambda transformer: isinstance(transformer, SequenceScaler),
}


# (tests/windowing/test_scaling_lengths.py checks what they do with those)
REFUSED_BY_TRANSFORMERS = [
    (name, case)
    for name, transformer in TRANSFORMERS.items()
    for case in BAD_SEQUENCES
    if not (case in ACCEPTED and ACCEPTED[case](transformer))
]


@pytest.mark.parametrize(("name", "case"), REFUSED_BY_TRANSFORMERS)
def test_bad_data_on_sequence_transformers(name, case):
    bad_X, _, error, pattern = BAD_SEQUENCES[case]
    transformer = clone(TRANSFORMERS[name]).fit(X)
    before = transformer.transform(X)
    with pytest.raises(error, match=pattern):
        transformer.fit(bad_X)
    with pytest.raises(error, match=pattern):
        transformer.transform(bad_X)
    np.testing.assert_array_equal(transformer.transform(X), before)


def test_transformers_refuse_another_feature_count():
    for transformer in TRANSFORMERS.values():
        fitted = clone(transformer).fit(X)
        with pytest.raises(ValueError, match=r"X has .*(3 features|\(8, 3\))"):
            fitted.transform(np.zeros((2, 8, 3)))


BAD_SERIES = {
    # in the last rows, which forecast reads (it uses only the last window)
    "nan": (_with(SERIES, (-2, 0), np.nan), ValueError, r"(NaN|missing)"),
    "inf": (_with(SERIES, (-2, 0), np.inf), ValueError, r"(infinity|infinite)"),
    "3d": (SERIES[:, :, None], ValueError, r"1D.*2D"),
    "ragged": ([[1.0, 2.0], [3.0]], ValueError, r"(equal length|inhomogeneous)"),
    "strings": (_with(SERIES, (-1, 1), "a"), ValueError, r"(numeric|number)"),
    "too-short": (SERIES[:5], ValueError, r"too short|5 time steps"),
    "0-features": (SERIES[:, :0], ValueError, r"0 (features|columns)|nothing is left"),
}


@pytest.mark.parametrize("case", BAD_SERIES)
def test_bad_series_on_the_window_transformer(case):
    bad, error, pattern = BAD_SERIES[case]
    transformer = SlidingWindowTransformer(window=39)
    with pytest.raises(error, match=pattern):
        transformer.fit_transform(bad)
    with pytest.raises(ValueError, match="window must be >= 1"):
        SlidingWindowTransformer(window=0).fit_transform(SERIES)


@pytest.fixture(scope="module")
def fitted_windowed():
    return WindowedForecaster(NaiveForecaster(), window=6, horizon=2).fit(SERIES)


@pytest.mark.parametrize("case", BAD_SERIES)
def test_bad_series_on_a_fitted_windowed_forecaster(fitted_windowed, case):
    bad, error, pattern = BAD_SERIES[case]
    before = fitted_windowed.forecast(SERIES)
    with pytest.raises(error, match=pattern):
        fitted_windowed.fit(bad)
    if case != "too-short":
        with pytest.raises(error, match=pattern):
            fitted_windowed.forecast(bad)
    np.testing.assert_array_equal(fitted_windowed.forecast(SERIES), before)


@pytest.mark.parametrize(
    "params, pattern",
    [({"window": 0}, "window must be >= 1"), ({"horizon": -2}, "horizon must be")],
)
def test_windowed_forecaster_hyperparameters(fitted_windowed, params, pattern):
    with pytest.raises(ValueError, match=pattern):
        clone(fitted_windowed).set_params(**params).fit(SERIES)
    with pytest.raises(ValueError, match="window=100 plus horizon=2"):
        clone(fitted_windowed).set_params(window=100).fit(SERIES)


# -- classifiers: NaN marks padding after a sequence's end, so NaN *inside* one is
# the error; labels may be strings.
LABELS = np.array(["up", "down", "flat"] * 8)
BAD_CLASSIFICATION = {
    "nan-inside": (_with(X, (0, 1), np.nan), LABELS, r"X contains NaN inside"),
    "nan-some-features": (_with(X, (0, 1, 0), np.nan), LABELS, r"X has time steps"),
    "inf-X": (_with(X, (0, 1, 0), np.inf), LABELS, r"X contains infinity"),
    "empty-X": (X[:0], LABELS[:0], r"X.*0 sample"),
    "1d-X": (X[:, 0, 0], LABELS, r"X must be 2D .* got a 1D"),
    "4d-X": (X[..., None], LABELS, r"X must be 2D .* got a 4D"),
    "string-X": (X.astype(str), LABELS, r"X.*(numeric|number)"),
    "object-X": (_with(X, (0, 0, 0), "a"), LABELS, r"X.*(convert|numeric)"),
    "0-steps-X": (X[:, :0], LABELS, r"X has sequences of 0 time steps"),
    "0-steps-2d-X": (X[:, :0, 0], LABELS, r"X has sequences of 0 time steps"),
    "0-features-X": (X[:, :, :0], LABELS, r"X has 0 features"),
    "huge-X": (HUGE_X, LABELS, r"X holds values too large for float32"),
    "huge-item": (
        [X[0], np.full((4, 2), -1e39)],
        LABELS[:2],
        r"X\[1\] holds values too large for float32",
    ),
    "complex-X": (
        X.astype(complex),
        LABELS,
        ONE_LINE_COMPLEX % "X",
    ),
    "empty-item": ([X[0], X[1, :0]], LABELS[:2], r"X\[1\] has 0 time steps"),
    "short-y": (X, LABELS[:5], r"X and y have different numbers of samples"),
    "one-class": (X, np.array(["up"] * 24), r"y has 1 class"),
    "no-y": (X, None, r"requires y"),
    "nan-y": (
        X,
        _with(np.arange(24.0), 2, np.nan),
        r"y contains missing or infinite labels",
    ),
    "2d-y": (X, np.zeros((24, 2)), r"y should be a 1d array"),
}


@pytest.fixture(scope="module")
def fitted_classifiers():
    return {name: clone(model).fit(X, LABELS) for name, model in CLASSIFIERS.items()}


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_bad_data_on_a_fitted_classifier(fitted_classifiers, name):
    model = fitted_classifiers[name]
    before = model.predict_proba(X)
    for case, (bad_X, bad_y, pattern) in BAD_CLASSIFICATION.items():
        with pytest.raises(ValueError, match=pattern):
            model.fit(bad_X, bad_y)
        if bad_y is LABELS and case != "empty-X":
            with pytest.raises(ValueError, match=pattern):
                model.predict(bad_X)
    with pytest.raises(ValueError, match=r"X has 3 features per time step.*2"):
        model.predict(np.zeros((2, 8, 3)))
    change = _refused_change(model)
    (param,) = change
    with pytest.raises((ValueError, TypeError), match=param):
        clone(model).set_params(**change).fit(X, LABELS)
    model.set_params(**change)
    with pytest.raises((ValueError, TypeError), match=param):
        model.fit(X, LABELS)
    np.testing.assert_array_equal(_predict_as_fitted(model.predict_proba, X), before)
    model.set_params(**CLASSIFIERS[name].get_params())


def test_bad_data_on_the_next_step_classifier():
    tokens = np.tile(np.arange(6), (10, 2))
    model = NextStepClassifier(4, vocab_size=6, **FAST).fit(tokens)
    before = model.predict_proba(tokens)
    for bad, pattern in [
        (np.full((3, 5), 9), r"token|vocab_size"),
        (tokens + 0.5, r"integer|token"),
        (_with(tokens.astype(float), (0, 3), np.nan), r"X contains NaN inside"),
        (tokens[..., None, None], r"X must be 2D .* got a 4D"),
    ]:
        with pytest.raises(ValueError, match=pattern):
            model.fit(bad)
    with pytest.raises(ValueError, match=r"X holds values too large for float32"):
        NextStepClassifier(2, **FAST).fit([[1.0, 2.0, 1e39], [2.0, 1.0]])
    with pytest.raises(ValueError, match=r"seed_sequence|empty"):
        model.generate(np.array([], dtype=int), 3)
    np.testing.assert_array_equal(model.predict_proba(tokens), before)


def test_next_step_classifier_parameters():
    tokens = np.tile(np.arange(6), (10, 2))
    model = NextStepClassifier(2, conv_filters=(2,), **FAST)
    params = {k: _as_numpy_scalars(v) for k, v in model.get_params().items()}
    params.update(vocab_size=np.int64(6), learning_rate=np.float32(0.01))
    clone(model).set_params(**params).fit(tokens)
    for flag in ("batch_norm", "early_stopping"):
        with pytest.raises(TypeError, match=rf"{flag} must be True or False"):
            clone(model).set_params(**{flag: "no"}).fit(tokens)


# -- hyperparameters: every real number is accepted, every bool is a bool -----------
KERAS_MODELS = {
    name: model
    for name, model in {**SEQUENCE_MODELS, **CLASSIFIERS}.items()
    if "epochs" in model.get_params()
}


def _as_numpy_scalars(value):
    """The value a NumPy grid (``np.logspace``, ``np.arange``) would give."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return np.int64(value)
    if isinstance(value, float):
        return np.float32(value)
    if isinstance(value, tuple):
        return tuple(_as_numpy_scalars(v) for v in value)
    return value


@pytest.mark.parametrize("name", KERAS_MODELS)
def test_numpy_scalars_are_accepted_for_every_number(name):
    model = clone(KERAS_MODELS[name])
    params = {k: _as_numpy_scalars(v) for k, v in model.get_params().items()}
    params.update(
        learning_rate=np.float32(0.01),
        clipnorm=np.float32(1.0),
        optimizer="sgd",
        optimizer_params={"momentum": np.float32(0.9), "nesterov": np.bool_(True)},
        random_state=np.int64(0),
    )
    if "dropout" in params:
        params["dropout"] = np.float32(0.1)
    if "hidden_units" in params:
        params["hidden_units"] = np.int64(2)
    model.set_params(**params).fit(X, _targets(model))
    assert np.isfinite(model.history_["loss"]).all()


@pytest.mark.parametrize("learning_rate", [1, np.int64(1), np.float32(0.01)])
def test_any_real_learning_rate_is_accepted(learning_rate):
    model = DenseForecaster(epochs=1, learning_rate=learning_rate, random_state=0)
    assert np.isfinite(model.fit(X, Y).history_["loss"]).all()


@pytest.mark.parametrize("name", KERAS_MODELS)
def test_every_bool_parameter_must_be_a_bool(name):
    model = KERAS_MODELS[name]
    flags = [k for k, v in model.get_params().items() if isinstance(v, bool)]
    assert "early_stopping" in flags
    for flag in flags:
        # "no" is truthy: taken as a bool it would turn the option on.
        with pytest.raises(TypeError, match=rf"{flag} must be True or False.*'no'"):
            clone(model).set_params(**{flag: "no"}).fit(X, _targets(model))


@pytest.mark.parametrize(
    "random_state, error, pattern",
    [
        (-1, ValueError, r"random_state must be .*\[0, 2\*\*32 - 1\].*-1"),
        (2**40, ValueError, r"random_state must be .*\[0, 2\*\*32 - 1\]"),
        (1.5, TypeError, r"random_state must be None, an int.*1.5"),
        ("0", TypeError, r"random_state must be None, an int"),
    ],
)
@pytest.mark.parametrize("name", ["GRUForecaster", "GRUClassifier"])
def test_bad_random_state_is_named(name, random_state, error, pattern):
    model = clone(KERAS_MODELS[name]).set_params(random_state=random_state)
    with pytest.raises(error, match=pattern):
        model.fit(X, _targets(model))


@pytest.mark.parametrize("name", ["DenseForecaster", "GRUClassifier"])
def test_random_state_reproduces_and_accepts_generators(name):
    model = KERAS_MODELS[name]

    def predict(random_state):
        fitted = clone(model).set_params(random_state=random_state)
        fitted.fit(X, _targets(model))
        return getattr(fitted, "predict_proba", fitted.predict)(X)

    np.testing.assert_array_equal(predict(3), predict(3))
    np.testing.assert_array_equal(
        predict(np.random.default_rng(5)), predict(np.random.default_rng(5))
    )
    np.testing.assert_array_equal(
        predict(np.random.RandomState(5)), predict(np.random.RandomState(5))
    )
    assert not np.array_equal(predict(3), predict(4))


@pytest.mark.parametrize("name", KERAS_MODELS)
def test_bad_callbacks_are_named(name):
    import keras

    model = KERAS_MODELS[name]
    callback = keras.callbacks.Callback()
    for callbacks, pattern in [
        (callback, r"callbacks must be a list .*callbacks=\[callback\]"),
        ("x", r"callbacks must be a list"),
        ([callback, "x"], r"callbacks\[1\] must be a keras.callbacks.Callback"),
    ]:
        with pytest.raises(TypeError, match=pattern):
            clone(model).set_params(callbacks=callbacks).fit(X, _targets(model))
