"""Panel inputs that once gave a plausible but wrong answer, or an unhelpful
error, found by trying to break the panel path."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline

from skseq import FlattenSequence
from skseq.forecasting import PanelSplit, WindowedForecaster, backtest
from skseq.windowing._panel import panel_rows


def linear(**params):
    return WindowedForecaster(
        make_pipeline(FlattenSequence(), LinearRegression()),
        window=6,
        horizon=2,
        series_id="id",
        difference=None,
        **params,
    )


def monthly(series_id, n, level, start="2015-01-01", seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = level * (10 + np.sin(2 * np.pi * t / 12) + 0.2 * rng.normal(size=n))
    dates = pd.date_range(start, periods=n, freq="MS", name="t")
    return pd.DataFrame({"y": values, "id": series_id}, index=dates)


def test_integer_categories_order_the_series_whatever_the_rows_order():
    # categorical ids are ordered by their categories, also when their
    # categories are integers and each series' rows come together
    panel = pd.concat(
        [monthly(k, 20, level, seed=k) for k, level in [(3, 1), (1, 100), (2, 1e3)]]
    )
    panel["id"] = pd.Categorical(panel["id"], categories=[3, 1, 2])
    by_date = panel.reset_index().sort_values("t", kind="stable").set_index("t")
    assert panel_rows(panel, "id").ids.tolist() == [3, 1, 2]
    assert panel_rows(by_date, "id").ids.tolist() == [3, 1, 2]
    forecast = linear().fit(panel).forecast(panel)
    pd.testing.assert_frame_equal(linear().fit(by_date).forecast(by_date), forecast)


def gappy_first_series():
    """Series 'a' (first by id) has 3 monthly rows with two months missing
    between each, so that alone they look quarterly; 'b' is monthly."""
    dates = pd.DatetimeIndex(["2016-01-01", "2016-04-01", "2016-07-01"], name="t")
    gappy = pd.DataFrame({"y": [1.0, 2.0, 3.0], "id": "a"}, index=dates)
    return pd.concat([gappy, monthly("b", 30, 10.0)])


@pytest.mark.parametrize("call", ["fit", "backtest"])
def test_a_short_gappy_series_is_named_not_the_monthly_one(call):
    # the panel's step is read from its longest series: the error names the
    # short series whose dates skip months, not a monthly series
    panel = gappy_first_series()
    with pytest.raises(ValueError, match="^series 'a' of the panel") as caught:
        if call == "fit":
            linear().fit(panel)
        else:
            backtest(linear(), panel, start="2016-12-01")
    assert "series 'b'" not in str(caught.value)


@pytest.mark.parametrize("names", [["store", "product"], ("store", "product")])
def test_several_id_columns_are_refused_saying_to_combine_them(names):
    # each name is a column: "is not a column of X" would contradict the
    # columns the message lists
    panel = pd.concat(
        [
            monthly("s1", 20, 1.0).assign(store="s1", product="p1"),
            monthly("s1", 20, 5.0).assign(store="s1", product="p2"),
        ]
    ).drop(columns="id")
    model = WindowedForecaster(
        make_pipeline(FlattenSequence(), LinearRegression()),
        window=6,
        series_id=names,
        target="y",
    )
    with pytest.raises(ValueError, match="one column.*combine") as caught:
        model.fit(panel)
    assert "is not a column" not in str(caught.value)
    with pytest.raises(ValueError, match="one column.*combine"):
        list(PanelSplit(names).split(panel))


@pytest.mark.parametrize(
    "role", ["static_covariates", "target", "past_covariates", "future_covariates"]
)
def test_the_id_column_in_another_role_is_refused_naming_series_id(role):
    # the id column is dropped from the series' columns: "not a column of the
    # panel" would contradict the panel the user holds
    panel = pd.concat([monthly("a", 20, 1.0), monthly("b", 20, 5.0)])
    params = {"target": "y", role: ["id"]}
    with pytest.raises(ValueError, match="series_id") as caught:
        linear(**params).fit(panel)
    assert "not a column" not in str(caught.value)
    assert "series_encoding='onehot'" in str(caught.value)


@pytest.fixture(scope="module")
def static_model():
    panel = pd.concat(
        [
            monthly("a", 30, 1.0).assign(size=1.0, region="north"),
            monthly("b", 30, 5.0, seed=1).assign(size=3.0, region="south"),
        ]
    )
    return linear(static_covariates=["size", "region"]).fit(panel)


@pytest.mark.parametrize(
    "size, region, message",
    [
        (np.nan, "north", "'size' is missing in series 'new'"),
        (2.0, None, "'region' is missing in series 'new'"),
        (np.r_[np.full(19, 2.0), 9.0], "north", "'size' varies within series 'new'"),
        ("big", "north", "'size' of series 'new' is 'big', not a number"),
    ],
    ids=["missing-number", "missing-category", "varying", "text-for-number"],
)
def test_static_covariates_of_a_new_series_are_checked_as_in_fit(
    static_model, size, region, message
):
    # fit refuses these; a series first seen at forecast time got the value of
    # its first row, or an error naming neither the series nor the covariate
    new = monthly("new", 20, 3.0, start="2016-01-01").assign(size=size, region=region)
    with pytest.raises(ValueError, match=message):
        static_model.forecast(new)


def test_a_future_panel_on_row_numbers_is_named_future():
    # the error was about "the long panel" and X.set_index: X was right
    panel = pd.concat([monthly("a", 20, 1.0), monthly("b", 20, 5.0)])
    panel["promo"] = np.arange(len(panel)) % 2.0
    model = linear(target="y", future_covariates="promo").fit(panel)
    future = pd.DataFrame({"promo": [1.0] * 4, "id": ["a", "a", "b", "b"]})
    with pytest.raises(ValueError, match=r"panel future's index.*future\.set_index"):
        model.forecast(panel, future=future)


def test_a_one_series_model_refuses_a_series_time_multiindex():
    # the (series, time) panel was read as one series: the rows of every
    # series back to back, as consecutive steps, and forecast as one
    panel = pd.concat([monthly("a", 20, 1.0), monthly("b", 20, 5.0)])
    stacked = panel.set_index("id", append=True).swaplevel()
    model = WindowedForecaster(
        make_pipeline(FlattenSequence(), LinearRegression()), window=6
    )
    with pytest.raises(ValueError, match="MultiIndex.*series_id='id'"):
        model.fit(stacked)
    model.fit(panel[panel["id"] == "a"].drop(columns="id"))
    with pytest.raises(ValueError, match="MultiIndex.*series_id='id'"):
        model.forecast(stacked.loc[["a"]])


def test_a_one_series_model_on_a_long_panel_points_to_series_id():
    # the error suggested X.groupby(level=0).mean(), which averages the series
    panel = pd.concat([monthly(1, 20, 1.0), monthly(2, 20, 5.0)])
    model = WindowedForecaster(
        make_pipeline(FlattenSequence(), LinearRegression()), window=6, target="y"
    )
    with pytest.raises(ValueError, match="duplicate.*panel.*series_id"):
        model.fit(panel)


def read_from_csv():
    """A long panel as read from a file, then filtered: the dates in a column,
    the index row numbers that are no longer the default RangeIndex."""
    panel = pd.concat(
        [monthly("x", 20, 2.0), monthly("a", 20, 1.0), monthly("b", 20, 5.0)]
    )
    flat = panel.reset_index().rename(columns={"t": "date"})
    return flat[flat["id"] != "x"]


def test_a_date_column_is_not_forecast_as_a_number():
    # the dates were read as nanoseconds and forecast as a target (1.5e18)
    panel = pd.concat([monthly("a", 20, 1.0), monthly("b", 20, 5.0)])
    panel["launch"] = pd.Timestamp("2014-06-01")
    with pytest.raises(ValueError, match="dates or times in the column.*'launch'"):
        linear().fit(panel)
    one = read_from_csv()
    one = one[one["id"] == "a"].drop(columns="id")
    model = WindowedForecaster(
        make_pipeline(FlattenSequence(), LinearRegression()), window=6
    )
    with pytest.raises(ValueError, match="dates or times in the column.*'date'"):
        model.fit(one)


def test_ids_as_the_index_are_told_to_become_a_column():
    # "not a column of X ... name the column (or the index level)": the user
    # had named the index; the time was in a column
    flat = read_from_csv().set_index("id")
    with pytest.raises(ValueError, match="index is the series id.*reset_index"):
        linear(target="y").fit(flat)


def test_row_numbers_beside_a_date_column_are_not_taken_for_the_time():
    # a panel read from a file and filtered: its index (row numbers 20..59)
    # passed as integer time, and the forecasts were labelled 40, 41, 60, 61
    flat = read_from_csv()
    with pytest.raises(ValueError, match="integers.*'date'.*set_index"):
        linear(target="y").fit(flat)
    model = linear(target="y").fit(flat.set_index("date"))
    assert isinstance(model.forecast(flat.set_index("date")).index, pd.DatetimeIndex)


def test_integer_years_beside_an_unused_date_column_still_fit():
    # integer time labels repeat across the series (years), unlike row numbers:
    # a date column the model does not read is no reason to refuse
    panel = pd.concat([monthly("a", 20, 1.0), monthly("b", 20, 5.0)])
    panel.index = np.tile(np.arange(2000, 2020), 2)
    panel["when"] = pd.Timestamp("2014-06-01")
    model = linear(target="y").fit(panel)
    assert model.forecast(panel).index.tolist() == [2020, 2021] * 2


def test_a_duration_column_is_told_to_become_a_number():
    # durations were refused with the advice for dates (set_index)
    panel = pd.concat([monthly("a", 20, 1.0), monthly("b", 20, 5.0)])
    panel["wait"] = pd.to_timedelta(np.arange(40), unit="min")
    with pytest.raises(ValueError, match=r"durations.*total_seconds\(\)"):
        linear(target="y", past_covariates="wait").fit(panel)
    panel["wait"] = panel["wait"].dt.total_seconds()
    linear(target="y", past_covariates="wait").fit(panel)


def covariate_panel():
    panel = pd.concat([monthly("a", 20, 1.0), monthly("b", 20, 5.0, seed=1)])
    return panel.assign(x=np.arange(40.0), f=np.arange(40.0) % 7)


@pytest.mark.parametrize(
    "value", [pd.Timestamp("2015-01-01"), pd.Timedelta("1s"), 1j], ids=str
)
def test_a_column_of_the_wrong_kind_is_not_blamed_on_the_first_series(value):
    # a column's type is the whole panel's: "series 'a': X has dates ..." sent
    # the user looking at series 'a' alone
    panel = covariate_panel()
    model = linear(target="y", past_covariates="x")
    with pytest.raises(ValueError, match=r"^X has .* \['x'\]"):
        model.fit(panel.assign(x=value))
    model.fit(panel)
    with pytest.raises(ValueError, match=r"^X has .* \['x'\]"):
        model.forecast(panel.assign(x=value))


def test_a_future_without_the_covariate_column_is_not_blamed_on_one_series():
    panel = covariate_panel()
    model = linear(target="y", future_covariates="f").fit(panel)
    steps = pd.DatetimeIndex(["2016-09-01", "2016-10-01"] * 2, name="t")
    future = pd.DataFrame({"id": ["a", "a", "b", "b"], "g": 1.0}, index=steps)
    with pytest.raises(ValueError, match=r"^future lacks .* \['f'\]"):
        model.forecast(panel, future=future)
    model.forecast(panel, future=future.rename(columns={"g": "f"}))


def one_series_model():
    return WindowedForecaster(
        make_pipeline(FlattenSequence(), LinearRegression()),
        window=6,
        horizon=2,
        target="y",
        difference=None,
    )


@pytest.mark.parametrize("rows", ["contiguous", "gappy"])
def test_one_series_on_row_numbers_beside_a_date_column_is_refused(rows):
    # as a panel is: one series cut from a file kept its row numbers (20..39),
    # and its forecasts were labelled 40, 41 (gappy rows: "reset_index")
    one = read_from_csv()
    one = one[one["id"] == "a"].drop(columns="id")
    if rows == "gappy":
        one = one.drop(index=one.index[8:10])
    with pytest.raises(
        ValueError, match=r"^X's index holds integers.*set_index\('date'\)"
    ):
        one_series_model().fit(one)
    if rows == "contiguous":
        model = one_series_model().fit(one.set_index("date"))
        forecast = model.forecast(one.set_index("date"))
        assert isinstance(forecast.index, pd.DatetimeIndex)


def test_one_series_on_integer_years_beside_an_unused_date_column_still_fits():
    one = monthly("a", 20, 1.0).drop(columns="id")
    one.index = np.arange(2000, 2020)
    one["when"] = pd.Timestamp("2014-06-01")
    assert one_series_model().fit(one).forecast(one).index.tolist() == [2020, 2021]
    # and a default RangeIndex stays positions, as an array's
    flat = one.reset_index(drop=True).assign(when=pd.date_range("2015", periods=20))
    assert one_series_model().fit(flat).forecast(flat).index.tolist() == [20, 21]


def as_text(values):
    return values.map(lambda v: f"{v:.3f}")


@pytest.mark.parametrize("column", ["y", "x"])
@pytest.mark.parametrize("dtype", [object, "string", "category"])
def test_numbers_written_as_text_are_refused_naming_to_numeric(column, dtype):
    # "1.5" strings (a csv read without dtypes) were parsed and fitted without
    # a word; sklearn refuses strings as a regressor's values (and categories
    # of text, as read_csv(dtype="category") gives, were still parsed)
    one = covariate_panel().query("id == 'a'").drop(columns="id")
    text = one.assign(**{column: as_text(one[column]).astype(dtype)})
    pattern = rf"^X holds numbers written as text in the column '{column}'.*to_numeric"
    model = one_series_model().set_params(past_covariates="x")
    with pytest.raises(TypeError, match=pattern):
        model.fit(text)
    model.fit(one)
    with pytest.raises(TypeError, match=pattern):
        model.forecast(text)
    if column == "y":
        with pytest.raises(TypeError, match=pattern):
            one_series_model().set_params(target=None).fit(text["y"])
        with pytest.raises(TypeError, match="^y holds numbers written as text"):
            model.fit(one, as_text(one["y"]))


@pytest.mark.parametrize("column", ["y", "x"])
def test_a_panel_column_of_numbers_as_text_is_refused_for_the_whole_panel(column):
    panel = covariate_panel()
    text = panel.assign(**{column: as_text(panel[column])})
    pattern = rf"^X holds numbers written as text in the column '{column}'"
    model = linear(target="y", past_covariates="x")
    with pytest.raises(TypeError, match=pattern):
        model.fit(text)
    model.fit(panel)
    with pytest.raises(TypeError, match=pattern):
        model.forecast(text)
    with pytest.raises(TypeError, match="^y holds numbers written as text"):
        model.fit(panel, as_text(panel["y"]))


def test_text_ids_and_text_static_categories_still_fit():
    # ids and static covariates of text are categories, one-hot encoded: "1"
    # and "2" are two categories, not numbers to refuse
    panel = covariate_panel()
    panel["size"] = np.where(panel["id"] == "a", "1", "2")
    model = linear(target="y", static_covariates="size", series_encoding="onehot")
    assert len(model.fit(panel).forecast(panel)) == 4
    assert model.static_encoder_.categories["size"].tolist() == ["1", "2"]


def test_one_series_on_years_beside_each_years_date_still_fits():
    # a yearly series on integer years beside the date each figure was
    # published (one increasing date per row, in the index's years) was
    # refused as row numbers beside a time column
    one = monthly("a", 20, 1.0).drop(columns="id")
    one.index = pd.Index(np.arange(2000, 2020), name="year")
    one["published"] = pd.to_datetime([f"{year}-03-15" for year in one.index])
    assert one_series_model().fit(one).forecast(one).index.tolist() == [2020, 2021]
    # row numbers beside such dates are still refused
    one.index = np.arange(100, 120)
    with pytest.raises(ValueError, match=r"^X's index holds integers"):
        one_series_model().fit(one)


@pytest.mark.parametrize(
    "static",
    [
        lambda names: pd.Index(names),
        lambda names: np.array(names),
        lambda names: dict.fromkeys(names).keys(),
    ],
)
def test_static_covariates_listed_as_the_time_roles_may_be(static):
    # target and covariates take a pandas Index, an array or dict keys; as
    # static_covariates they were read as one name: "unhashable type"
    panel = covariate_panel()
    panel["size"] = np.where(panel["id"] == "a", 1.0, 2.0)
    panel["region"] = np.where(panel["id"] == "a", "n", "s")
    names = ["size", "region"]
    model = linear(target="y", static_covariates=static(names))
    expected = linear(target="y", static_covariates=names).fit(panel).forecast(panel)
    pd.testing.assert_frame_equal(model.fit(panel).forecast(panel), expected)


def test_a_set_of_static_covariates_is_refused_as_a_set_of_targets_is():
    # a set failed with TypeError: unhashable type: 'set'
    panel = covariate_panel()
    panel["size"] = np.where(panel["id"] == "a", 1.0, 2.0)
    model = linear(target="y", static_covariates={"size"})
    with pytest.raises(TypeError, match=r"static_covariates is a set.*\['size'\]"):
        model.fit(panel)
