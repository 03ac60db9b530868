"""WindowedForecaster matches columns by label whenever the series has labels."""

import numpy as np
import pandas as pd
import pytest

from skseq import NaiveForecaster
from skseq.forecasting import WindowedForecaster, backtest

RNG = np.random.default_rng(0)


def naive(**params):
    return WindowedForecaster(NaiveForecaster(), window=4, scale=False, **params)


@pytest.fixture(scope="module")
def int_frame():
    """Integer column labels; column 1 lives around 100, column 0 around 0."""
    values = RNG.normal(size=(40, 2)) + [0.0, 100.0]
    return pd.DataFrame(values)


@pytest.mark.parametrize("columns", [[0, 1], ["a", "b"], [("x", 1), ("x", 2)]])
def test_reordered_columns_are_matched_by_label(columns):
    values = RNG.normal(size=(30, 3)) + [0.0, 100.0, -50.0]
    frame = pd.DataFrame(values[:, :2], columns=columns)
    model = naive(target=columns[1]).fit(frame)
    expected = frame[columns[1]].iloc[-1]
    np.testing.assert_allclose(model.forecast(frame), [expected])
    np.testing.assert_allclose(model.forecast(frame[columns[::-1]]), [expected])
    extra = frame.assign(other=values[:, 2])[[columns[1], "other", columns[0]]]
    np.testing.assert_allclose(model.forecast(extra), [expected])  # extra ignored


def test_numpy_made_frame_counts_as_labels(int_frame):
    model = naive(target=1, past_covariates=0).fit(int_frame)
    assert model.target_names_ == [1] and model.past_covariate_names_ == [0]
    swapped = int_frame[[1, 0]]
    np.testing.assert_allclose(model.forecast(swapped), model.forecast(int_frame))
    assert model.score(swapped) == model.score(int_frame)
    before = naive(target=1, past_covariates=0).fit(int_frame[:30])  # not in-sample
    errors, _ = backtest(before, swapped, start=30)
    expected, _ = backtest(before, int_frame, start=30)
    pd.testing.assert_frame_equal(errors, expected)


def test_unlabeled_data_after_a_labeled_fit_is_refused(int_frame):
    model = naive(target=1).fit(int_frame)
    pattern = r"X has no column labels .* fitted on .* columns \[1\].* DataFrame"
    with pytest.raises(ValueError, match=pattern):
        model.forecast(int_frame.to_numpy())
    with pytest.raises(ValueError, match=pattern):
        model.score(int_frame.to_numpy())
    with pytest.raises(ValueError, match=pattern):
        backtest(model, int_frame.to_numpy(), start=30)
    named = naive().fit(pd.Series(np.arange(20.0), name="rail"))
    with pytest.raises(ValueError, match=r"no column labels .*\['rail'\]"):
        named.forecast(np.arange(20.0))


def test_arrays_and_unnamed_series_are_positional():
    values = RNG.normal(size=(30, 2))
    model = naive(target=1).fit(values)
    frame = pd.DataFrame(values, columns=["a", "b"])
    # as sklearn does, labels after a fit without them warn: they are not matched
    with pytest.warns(UserWarning, match="fitted on an array.*by position"):
        np.testing.assert_allclose(model.forecast(frame), values[-1, 1])
    with pytest.warns(UserWarning, match="fitted on an array.*by position"):
        np.testing.assert_allclose(model.forecast(frame[["b", "a"]]), values[-1, 0])
    unnamed = naive().fit(pd.Series(values[:, 0]))
    forecast = unnamed.forecast(pd.Series(values[:, 0], name="rail"))
    np.testing.assert_allclose(forecast, values[-1, 0])


def test_labels_not_positions_name_the_columns_of_a_frame():
    frame = pd.DataFrame(RNG.normal(size=(30, 2)), columns=["bus", "rail"])
    with pytest.raises(ValueError, match=r"target: 1 is not a column label"):
        naive(target=1).fit(frame)
    with pytest.raises(ValueError, match=r"past_covariates: 'trams' is not a column"):
        naive(past_covariates=["trams"]).fit(frame)
    with pytest.raises(ValueError, match="no column labels.*position"):
        naive(target="rail").fit(frame.to_numpy())
    with pytest.raises(TypeError, match="target: True"):
        naive(target=True).fit(frame)


@pytest.mark.parametrize(
    "params",
    [{}, {"target": "rail"}, {"target": "bus", "past_covariates": "rail"}],
)
def test_duplicate_column_labels_are_refused(params):
    frame = pd.DataFrame(RNG.normal(size=(30, 3)), columns=["bus", "rail", "rail"])
    with pytest.raises(ValueError, match=r"column 'rail' appears 2 times"):
        naive(**params).fit(frame)


def test_duplicates_refused_at_predict_and_in_future():
    frame = pd.DataFrame(RNG.normal(size=(30, 2)), columns=["rail", "weekend"])
    model = naive(target="rail", future_covariates="weekend").fit(frame)
    doubled = pd.concat([frame, frame[["rail"]]], axis=1)
    future = pd.DataFrame({"weekend": [1.0]})
    with pytest.raises(ValueError, match=r"column 'rail' appears 2 times"):
        model.forecast(doubled, future=future)
    with pytest.raises(ValueError, match=r"column 'weekend' appears 2 times"):
        model.forecast(frame, future=pd.concat([future, future], axis=1))
    # future is matched by label too; an array is read in future_covariates order.
    wide = pd.DataFrame({"other": [5.0], "weekend": [1.0]})
    np.testing.assert_allclose(
        model.forecast(frame, future=wide), model.forecast(frame, future=[1.0])
    )


def test_empty_target_is_refused():
    frame = pd.DataFrame(RNG.normal(size=(30, 2)), columns=["bus", "rail"])
    with pytest.raises(ValueError, match=r"target=\[\] names no column.*None"):
        naive(target=[]).fit(frame)
    # Empty covariate lists mean no covariates.
    model = naive(target="rail", past_covariates=[], future_covariates=()).fit(frame)
    assert model.past_covariate_names_ == model.future_covariate_names_ == []


def test_future_frame_after_an_array_fit_warns_that_it_is_positional():
    values = RNG.normal(size=(30, 3))
    model = naive(target=0, future_covariates=[1, 2], horizon=2).fit(values)
    future = pd.DataFrame(values[:2, 1:], columns=["c", "d"])
    expected = model.forecast(values, future=future.to_numpy())
    with pytest.warns(UserWarning, match="future has column labels.*by position"):
        np.testing.assert_allclose(model.forecast(values, future=future), expected)


@pytest.mark.parametrize(
    ("series", "label"),
    [
        (pd.Series([1.0, np.nan, 3.0, 4.0, 5.0]), "column 0 at 1 "),
        (pd.DataFrame({"rail": [1.0, np.nan, 3.0, 4.0, 5.0]}), "column 'rail' at 1 "),
        (pd.DataFrame({7: [1.0, 2.0, np.inf, 4.0, 5.0]}), "column 7 at 2 "),
    ],
)
def test_missing_values_name_their_column_plainly(series, label):
    with pytest.raises(ValueError, match="missing or infinite") as refused:
        naive().fit(series)
    assert label in str(refused.value) and "np." not in str(refused.value)


def test_numpy_scalar_targets_are_named_plainly():
    frame = pd.DataFrame({"a": np.arange(8.0), "b": np.arange(8.0)})
    with pytest.raises(ValueError, match=r"target: 5 is not a column label"):
        naive(target=np.int64(5)).fit(frame)
