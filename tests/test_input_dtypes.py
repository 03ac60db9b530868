"""Input dtypes a notebook user has: each is read right or refused in words.

The conversions NumPy and pandas do silently (a masked array's mask dropped,
complex numbers cut to their real part, dates read as nanoseconds, weights
paired by position against their labels) would give a plausible number
without a word; skseq refuses them with an error that names the argument.
Numeric categories are read as their values, not their codes.
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error
from sklearn.pipeline import make_pipeline

from skseq import (
    FlattenSequence,
    GRUClassifier,
    NaiveForecaster,
    NextStepClassifier,
    SequenceNormalizer,
    SlidingWindowTransformer,
    WindowedForecaster,
    make_windows,
)
from skseq.forecasting import choose_difference, regularize
from skseq.metrics import (
    continuous_ranked_probability_score,
    interval_coverage,
    interval_score,
    mean_absolute_error_per_horizon,
    mean_absolute_scaled_error,
    mean_quantile_loss,
    panel_error,
    symmetric_mean_absolute_percentage_error,
)
from skseq.windowing import window_view

RNG = np.random.default_rng(0)
X = RNG.normal(size=(12, 5, 1))
Y = RNG.normal(size=12)
LAST_MASKED = np.arange(12) == 11


def _masked(values, where):
    return np.ma.masked_array(values, mask=np.broadcast_to(where, values.shape))


# -- metrics ------------------------------------------------------------------------
def _metric_calls(y_true):
    """Each public metric on ``y_true``, with plain float forecasts of its
    shape: ``y_true`` alone is on trial."""
    y = np.arange(float(np.size(y_true))).reshape(np.shape(y_true))
    return {
        "mase": lambda: mean_absolute_scaled_error(y_true, y + 0.5),
        "smape": lambda: symmetric_mean_absolute_percentage_error(y_true, y + 0.5),
        "mae_per_horizon": lambda: mean_absolute_error_per_horizon(y_true, y + 0.5),
        "coverage": lambda: interval_coverage(y_true, y - 1, y + 1),
        "interval_score": lambda: interval_score(y_true, y - 1, y + 1, 0.9),
        "quantile_loss": lambda: mean_quantile_loss(
            y_true, np.stack([y - 1, y + 1], axis=-1), quantiles=[0.1, 0.9]
        ),
        "crps": lambda: continuous_ranked_probability_score(
            y_true, samples=np.stack([y] * 3, axis=-1) + np.arange(3.0)
        ),
    }


METRICS = list(_metric_calls(np.zeros((4, 2))))


@pytest.mark.parametrize("metric", METRICS)
def test_metrics_refuse_complex_y_true(metric):
    # np.asarray(y, float64) keeps the real part with a mere ComplexWarning
    y_true = np.arange(8.0).reshape(4, 2) + 1j
    with pytest.raises(ValueError, match="y_true holds complex numbers"):
        _metric_calls(y_true)[metric]()


@pytest.mark.parametrize("metric", METRICS)
def test_metrics_refuse_masked_y_true(metric):
    # the mask of an invalid reading (999) is dropped: it would be scored
    y_true = _masked(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 999.0]]), 0)
    y_true[3, 1] = np.ma.masked
    with pytest.raises(ValueError, match="y_true is a masked array with 1 masked"):
        _metric_calls(y_true)[metric]()


@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("unit", ["dates", "durations"])
def test_metrics_refuse_dates_and_durations(metric, unit):
    # as float64 they were nanoseconds: an error of ~1e14 "units" per day
    days = pd.date_range("2024-01-01", periods=8).to_numpy().reshape(4, 2)
    y_true = days if unit == "dates" else days - days[0, 0]
    with pytest.raises(TypeError, match=f"y_true holds {unit}, not numbers"):
        _metric_calls(y_true)[metric]()


def test_panel_error_refuses_masked_values():
    y_true = _masked(np.array([1.0, 2.0, 3.0, 999.0]), np.arange(4) == 3)
    with pytest.raises(ValueError, match="y_true is a masked array with 1 masked"):
        panel_error(mean_absolute_error, y_true, [1.0, 2.0, 3.0, 4.0], [0, 0, 1, 1])


def test_metrics_take_a_masked_array_without_masked_values():
    y_true = np.ma.masked_array([1.0, 2.0, 3.0, 4.0])
    assert mean_absolute_scaled_error(y_true, [1.5, 2.5, 3.5, 4.5]) == 0.5


# -- windowing and estimators ------------------------------------------------------
def _masked_input_calls():
    """Entry point -> (the argument's name in the message, the call)."""
    series = _masked(np.arange(12.0), LAST_MASKED)
    X_masked = _masked(X, (np.arange(5) == 4)[:, None])
    labels = _masked(np.array([0, 1] * 6), LAST_MASKED)
    weights = _masked(np.ones(12), LAST_MASKED)
    classifier = GRUClassifier(4, epochs=1, random_state=0)
    return {
        "make_windows": ("series", lambda: make_windows(series, 3)),
        "window_view": ("values", lambda: window_view(series, 3)),
        "transformer": (
            "X",
            lambda: SlidingWindowTransformer(3).fit_transform(series),
        ),
        "forecaster X": ("X", lambda: NaiveForecaster().fit(X_masked, Y)),
        "forecaster y": (
            "y",
            lambda: NaiveForecaster().fit(X, _masked(Y, LAST_MASKED)),
        ),
        "sample_weight": (
            "sample_weight",
            lambda: NaiveForecaster().fit(X, Y, sample_weight=weights),
        ),
        "classifier y": ("y", lambda: classifier.fit(X, labels)),
    }


@pytest.mark.parametrize("entry", list(_masked_input_calls()))
def test_masked_values_are_refused(entry):
    # np.asarray drops the mask: the values under it would be read as numbers
    name, call = _masked_input_calls()[entry]
    with pytest.raises(ValueError, match=rf"^{name} is a masked array with \d+ masked"):
        call()


@pytest.mark.parametrize("ragged", [False, True])
def test_sequence_normalizer_refuses_masked_and_complex(ragged):
    # NaN is left out of its statistics; a masked value was counted in them
    first = np.array([1.0, 2.0, 250.0])
    masked, complex_ = _masked(first, first == 250), first + 1j
    if ragged:
        masked, complex_ = [masked, first[:2]], [complex_, first[:2]]
    else:  # two sequences of 3 steps
        masked, complex_ = np.ma.vstack([masked, first]), np.vstack([complex_, first])
    name = r"X\[0\]" if ragged else "X"
    with pytest.raises(ValueError, match=f"^{name} is a masked array"):
        SequenceNormalizer().fit_transform(masked)
    with pytest.raises(ValueError, match=f"^{name} holds complex numbers"):
        SequenceNormalizer().fit_transform(complex_)


def test_numeric_categories_are_read_as_their_values_not_codes():
    # categories 30, 10, 20 have codes 2, 0, 1: the values are what is meant
    series = pd.Series([30, 10, 20] * 4).astype("category")
    X_windows, y_windows = make_windows(series, 2)
    assert X_windows[0, :, 0].tolist() == [30.0, 10.0]
    assert y_windows[:3].tolist() == [20.0, 30.0, 10.0]
    text = pd.Series(["low", "high"] * 6).astype("category")
    with pytest.raises(ValueError, match="low"):
        make_windows(text, 2)


@pytest.fixture(scope="module")
def text_classifier():
    labels = np.array(["a", "b"] * 6)
    return GRUClassifier(4, epochs=1, random_state=0).fit(X, labels)


@pytest.mark.parametrize("dtype", ["string", "object"])
def test_classifier_score_refuses_missing_labels(text_classifier, dtype):
    # fit says "missing labels"; score said "y mixes strings and numbers"
    labels = pd.Series(["a", "b"] * 5 + [None, "a"], dtype=dtype)
    with pytest.raises(ValueError, match="missing or infinite labels .* \\[10\\]"):
        text_classifier.score(X, labels)


def test_next_step_classifier_names_x_for_fractional_next_values():
    # sklearn said "Unknown label type: continuous", of a y never passed
    with pytest.raises(ValueError, match=r"next value of X.* \[0\.5"):
        NextStepClassifier(4, epochs=1).fit(X[:, :, 0].round() + 0.5)


def test_sample_weight_of_complex_numbers_is_named():
    with pytest.raises(ValueError, match="sample_weight holds complex numbers"):
        NaiveForecaster().fit(X, Y, sample_weight=np.ones(12) + 0j)


def _object_column(lengths):
    column = np.empty(len(lengths), dtype=object)
    column[:] = [np.arange(float(n)) for n in lengths]
    return column


@pytest.mark.parametrize(
    ("X_objects", "message"),
    [
        (_object_column([3, 4] * 6), "sequences of different lengths"),
        (pd.Series(list(_object_column([5] * 12))), "1D array of 12 sequences"),
        (_object_column([5] * 12), r"np.stack\(list\(X\)\)"),
    ],
)
def test_a_column_of_sequences_is_not_told_to_reshape(X_objects, message):
    # NumPy keeps a column of arrays 1D: "X.reshape(1, -1)" was the advice
    for model in (NaiveForecaster(), make_pipeline(FlattenSequence(), Ridge())):
        with pytest.raises(ValueError, match=message):
            model.fit(X_objects, Y)


# -- WindowedForecaster ------------------------------------------------------------
INDEX = pd.date_range("2024-01-01", periods=40, freq="D")
SERIES = pd.Series(np.sin(np.arange(40) / 3) * 10 + 20, index=INDEX, name="y")


def _windowed():
    ridge = make_pipeline(FlattenSequence(), Ridge())
    return WindowedForecaster(ridge, window=4, difference=None)


@pytest.mark.parametrize("column", ["y", "z"])
def test_windowed_refuses_complex_columns(column):
    frame = SERIES.to_frame().assign(z=SERIES.to_numpy() - 20)
    covariates = ["z"] if column == "z" else None
    model = WindowedForecaster(
        NaiveForecaster(), window=4, target="y", past_covariates=covariates
    )
    frame[column] = frame[column] + 1j
    with pytest.raises(
        ValueError, match=rf"complex numbers in the column\(s\) \['{column}'\]"
    ):
        model.fit(frame)


def test_windowed_refuses_a_masked_array():
    series = _masked(SERIES.to_numpy(), np.arange(40) == 39)
    with pytest.raises(ValueError, match="X is a masked array with 1 masked"):
        _windowed().fit(series)


def test_windowed_refuses_weights_indexed_otherwise_than_X():
    # weights for the last 20 days, given newest first: by position they would
    # weigh the first 20 days instead
    weights = pd.Series(np.r_[np.ones(20), np.zeros(20)], index=INDEX[::-1])
    with pytest.raises(ValueError, match="sample_weight's index differs from X's"):
        _windowed().fit(SERIES, sample_weight=weights)
    aligned = _windowed().fit(SERIES, sample_weight=weights.reindex(INDEX))
    by_position = _windowed().fit(SERIES, sample_weight=weights.to_numpy())
    coefs = [model.estimator_[-1].coef_ for model in (aligned, by_position)]
    assert not np.allclose(*coefs)  # the pairing matters


@pytest.mark.parametrize(
    ("series", "message"),
    [
        (np.arange(40.0) + 1j, "y holds complex numbers"),
        (_masked(np.arange(40.0), np.arange(40) == 0), "y is a masked array"),
    ],
)
def test_choose_difference_refuses_complex_and_masked(series, message):
    with pytest.raises(ValueError, match=message):
        choose_difference(series)


def test_regularize_leaves_missing_booleans_to_the_user():
    # pandas counts a nullable boolean as numeric but cannot interpolate it
    days = pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-04"])
    flags = pd.Series([True, False, True], index=days, dtype="boolean")
    regular = regularize(flags, freq="D")
    assert regular.isna().tolist() == [False, False, True, False]
    assert regular.dtype == "boolean"


# -- 64-bit integers beyond 2**53 --------------------------------------------------
# float64 has gaps between its integers beyond 2**53: ids or nanosecond counts
# cast to it are rounded, 2**60 + 1 and 2**60 + 2 become one value
BIG = 2**60 + np.arange(40, dtype=np.int64)


def _big_integer_calls():
    """Entry point -> (what the message names, the call)."""
    frame = SERIES.to_frame().assign(stamp=BIG)
    with_stamp = WindowedForecaster(
        NaiveForecaster(), window=4, target="y", past_covariates=["stamp"]
    )
    windows = BIG[:36].reshape(12, 3, 1)
    return {
        "make_windows": ("series", lambda: make_windows(BIG, 3)),
        "make_windows uint64": ("series", lambda: make_windows(BIG.view("u8"), 3)),
        "make_windows list": ("series", lambda: make_windows(BIG.tolist(), 3)),
        "nullable Int64": (
            "series",
            lambda: make_windows(pd.Series(BIG, dtype="Int64"), 3),
        ),
        "forecaster X": ("X", lambda: NaiveForecaster().fit(windows, Y)),
        "forecaster y": ("y", lambda: NaiveForecaster().fit(X, BIG[:12])),
        "windowed column": ("column 'stamp' of X", lambda: with_stamp.fit(frame)),
        "metric": (
            "y_true",
            lambda: mean_absolute_scaled_error(BIG, BIG.astype(float)),
        ),
    }


@pytest.mark.parametrize("entry", list(_big_integer_calls()))
def test_integers_float64_would_round_are_refused(entry):
    name, call = _big_integer_calls()[entry]
    with pytest.raises(ValueError, match=rf"^{name} holds integers too large"):
        call()


def test_large_integers_float64_holds_exactly_are_read():
    # powers of two beyond 2**53 are float64 values: nothing is rounded
    exact = 2 ** np.arange(54, 62, dtype=np.int64)
    X_windows, _ = make_windows(exact, 3)
    assert X_windows[:, 0, 0].tolist() == [float(v) for v in exact[:5]]
    small = np.arange(12, dtype=np.int64) - 2**53  # the limit itself is exact
    assert make_windows(small, 3)[0].min() == -(2.0**53)


# -- masked arrays inside a list, tuple or dict -------------------------------------
def _masked_container_calls():
    """Entry point -> (the masked item's name in the message, the call)."""
    rows = [X[i] for i in range(12)]
    rows[3] = _masked(X[3], (np.arange(5) == 4)[:, None])
    y_rows = list(Y[:11]) + [np.ma.masked]
    series = _masked(SERIES.to_numpy(), np.arange(40) == 39)
    return {
        "forecaster X rows": (r"X\[3\]", lambda: NaiveForecaster().fit(rows, Y)),
        "forecaster X tuple": (
            r"X\[3\]",
            lambda: NaiveForecaster().fit(tuple(rows), Y),
        ),
        "forecaster y": (r"y\[11\]", lambda: NaiveForecaster().fit(X, y_rows)),
        "metric": (
            r"y_true\[1\]",
            lambda: mean_absolute_error_per_horizon(
                [np.arange(3.0), _masked(np.arange(3.0), np.arange(3) == 0)],
                np.zeros((2, 3)),
            ),
        ),
        "windowed": (r"X\[39\]", lambda: _windowed().fit(list(series))),
        "panel_error": (
            r"y_true\[3\]",
            lambda: panel_error(
                mean_absolute_error,
                [1.0, 2.0, 3.0, np.ma.masked],
                [1.0, 2.0, 3.0, 4.0],
                [0, 0, 1, 1],
            ),
        ),
    }


@pytest.mark.parametrize("entry", list(_masked_container_calls()))
def test_masked_values_inside_a_list_are_refused(entry):
    # np.asarray of a list of masked arrays drops every mask, as of one
    name, call = _masked_container_calls()[entry]
    with pytest.raises(ValueError, match=rf"^{name} is a masked array with 1 masked"):
        call()


def test_rows_of_large_integers_in_a_list_are_refused():
    rows = [BIG[i : i + 3] for i in range(12)]  # X as a list of int64 rows
    with pytest.raises(ValueError, match="^X holds integers too large"):
        NaiveForecaster().fit(rows, Y)


@pytest.mark.parametrize(
    "as_text",
    [
        lambda v: v.astype(str),
        lambda v: v.astype(str).astype(object),
        lambda v: pd.Series(v.ravel().astype(str)).to_numpy().reshape(v.shape),
    ],
    ids=["unicode", "objects", "from-pandas"],
)
def test_a_regressor_refuses_numbers_written_as_text(as_text):
    # check_array(dtype=float) parsed "1.5" without a word; sklearn's
    # convention refuses strings as a regressor's values
    X = RNG.normal(size=(12, 5))
    y = X[:, -1:] + 1.0
    with pytest.raises(TypeError, match=r"^y holds numbers written as text"):
        NaiveForecaster().fit(X, as_text(y))
    with pytest.raises(TypeError, match=r"^X holds numbers written as text"):
        NaiveForecaster().fit(as_text(X).astype(object), y)
    NaiveForecaster().fit(X, y)


@pytest.mark.parametrize(
    "metric",
    [symmetric_mean_absolute_percentage_error, mean_absolute_error_per_horizon],
)
def test_metrics_refuse_numbers_written_as_text(metric):
    # np.asarray(..., float64) parsed "1.5" without a word
    y = RNG.normal(size=(6, 2))
    with pytest.raises(TypeError, match=r"^y_true holds numbers written as text"):
        metric(y.astype(str), y)
    with pytest.raises(TypeError, match=r"^y_pred holds numbers written as text"):
        metric(y, pd.DataFrame(y).astype(str))
    metric(y, y)
