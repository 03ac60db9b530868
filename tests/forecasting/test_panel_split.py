"""PanelSplit: every series of a long panel cut at its own end, by row positions."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.dummy import DummyRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_val_score
from sklearn.utils import _safe_indexing

import skseq
from skseq.forecasting import PanelSplit


def _long_panel(lengths, starts, ids=None, *, interleave=True):
    """A long frame: column "series", a daily DatetimeIndex, a value column.

    Series ``i`` has ``lengths[i]`` days from ``starts[i]``; with ``interleave``
    the rows are sorted by date (then series), so the series interleave.
    """
    ids = list(range(len(lengths))) if ids is None else ids
    frames = [
        pd.DataFrame(
            {"series": [sid] * n, "y": 100.0 * k + np.arange(n)},
            index=pd.date_range(start, periods=n, freq="D", name="date"),
        )
        for k, (sid, n, start) in enumerate(zip(ids, lengths, starts, strict=True))
    ]
    frame = pd.concat(frames)
    if interleave:
        frame = frame.sort_index(kind="stable")
    return frame


def _expected_folds(X, cv):
    """The folds by hand: each series' rows (positions in X), cut from its end."""
    test_size = cv.test_size or cv.horizon
    needed = 1 if cv.lookback is None else cv.lookback + cv.horizon
    positions = {
        sid: np.flatnonzero((X["series"] == sid).to_numpy())
        for sid in X["series"].unique()
    }
    folds = []
    for k in range(cv.n_splits):
        train, test = [], []
        for where in positions.values():
            stop = len(where) - (cv.n_splits - 1 - k) * test_size
            train_stop = stop - test_size - cv.gap
            start = 0
            if cv.max_train_size is not None:
                start = max(0, train_stop - cv.max_train_size)
            if train_stop - start >= needed:
                train.extend(where[start:train_stop])
                test.extend(where[stop - test_size : stop])
        folds.append((sorted(train), sorted(test)))
    return folds


def _assert_folds(X, cv):
    folds = list(cv.split(X))
    expected = _expected_folds(X, cv)
    assert len(folds) == cv.get_n_splits() == len(expected)
    for (train, test), (want_train, want_test) in zip(folds, expected, strict=True):
        assert train.dtype.kind == "i" and test.dtype.kind == "i"
        np.testing.assert_array_equal(train, want_train)
        np.testing.assert_array_equal(test, want_test)
    return folds


def test_each_series_is_cut_at_its_own_end():
    X = _long_panel([10, 7, 12], ["2024-01-01", "2024-01-05", "2023-12-20"])
    cv = PanelSplit("series", n_splits=2, horizon=2)
    folds = _assert_folds(X, cv)
    for k, (train, test) in enumerate(folds):
        for sid, rows in X.groupby("series"):
            series_train = X.iloc[train][X.iloc[train]["series"] == sid]
            series_test = X.iloc[test][X.iloc[test]["series"] == sid]
            # the last fold tests the series' last 2 days, the first the 2 before
            end = len(rows) - (1 - k) * 2
            assert series_test.index.equals(rows.index[end - 2 : end])
            assert series_train.index.equals(rows.index[: end - 2])


def test_rows_interleave_and_positions_index_the_frame():
    X = _long_panel([9, 9, 9], ["2024-01-01"] * 3)
    assert (X["series"].iloc[:3] == [0, 1, 2]).all()  # interleaved rows
    cv = PanelSplit("series", n_splits=3, horizon=1, test_size=2)
    for train, test in _assert_folds(X, cv):
        assert not set(train) & set(test)
        test_rows = _safe_indexing(X, test)
        assert sorted(test_rows["series"].value_counts()) == [2, 2, 2]
        # within each series, every training row comes before every test row
        train_rows = _safe_indexing(X, train)
        for sid, rows in test_rows.groupby("series"):
            trained = train_rows[train_rows["series"] == sid]
            assert trained.index.max() < rows.index.min()


@pytest.mark.parametrize(
    "params",
    [
        {"n_splits": 3, "horizon": 2},
        {"n_splits": 2, "horizon": 3, "test_size": 4, "gap": 2},
        {"n_splits": 1, "horizon": 1, "max_train_size": 3},
        {"n_splits": 2, "horizon": 2, "lookback": 3, "max_train_size": 6},
    ],
)
def test_folds_match_the_definition(params):
    X = _long_panel([20, 15, 18], ["2024-01-01", "2024-01-09", "2023-12-01"])
    _assert_folds(X, PanelSplit("series", **params))


@pytest.mark.parametrize(
    "ids",
    [
        ["north", "south", "east"],
        [30, 10, 20],
        pd.Categorical(["x", "y", "z"], categories=["z", "y", "x", "unused"]),
    ],
    ids=["str", "int", "categorical"],
)
def test_string_int_and_categorical_ids(ids):
    X = _long_panel([8, 6, 7], ["2024-01-01", "2024-01-03", "2024-01-02"], list(ids))
    if isinstance(ids, pd.Categorical):
        X["series"] = pd.Categorical(X["series"], categories=ids.categories)
    _assert_folds(X, PanelSplit("series", n_splits=2, horizon=2))


def test_multiindex_layout_gives_the_same_folds():
    X = _long_panel([8, 6, 7], ["2024-01-01", "2024-01-03", "2024-01-02"])
    cv = PanelSplit("series", n_splits=2, horizon=2)
    by_level = X.set_index("series", append=True).swaplevel()
    for (train, test), (train2, test2) in zip(
        cv.split(X), cv.split(by_level), strict=True
    ):
        np.testing.assert_array_equal(train, train2)
        np.testing.assert_array_equal(test, test2)
    # the level by position too, rows sorted by series (no interleaving)
    by_series = by_level.sort_index(level=0, sort_remaining=False)
    as_column = by_series.reset_index(level=0)
    folds = list(PanelSplit(0, n_splits=2, horizon=2).split(by_series))
    expected = _expected_folds(as_column, cv)
    for (train, test), (want_train, want_test) in zip(folds, expected, strict=True):
        np.testing.assert_array_equal(train, want_train)
        np.testing.assert_array_equal(test, want_test)


def test_integer_and_period_time_indexes():
    X = _long_panel([6, 5], ["2024-01-01", "2024-01-02"], interleave=False)
    X.index = pd.Index(
        [2000, 2001, 2002, 2003, 2004, 2005, 2001, 2002, 2003, 2004, 2005]
    )
    _assert_folds(X, PanelSplit("series", n_splits=2))
    X.index = pd.PeriodIndex(X.index.astype(str), freq="Y")
    _assert_folds(X, PanelSplit("series", n_splits=2))


def test_default_range_index_is_refused_as_no_time():
    # a long frame on row numbers: the series' rows cannot be dated or checked
    X = _long_panel([6, 5], ["2024-01-01", "2024-01-02"]).reset_index(drop=True)
    with pytest.raises(ValueError, match=r"row number \(a default RangeIndex\)"):
        list(PanelSplit("series", n_splits=2).split(X))


def test_short_series_are_left_out_with_one_warning():
    X = _long_panel(
        [12, 6, 4, 12], ["2024-01-01"] * 4, ["long", "mid", "short", "long2"]
    )
    cv = PanelSplit("series", n_splits=3, horizon=2, lookback=2)
    # needs 4 training rows: "mid" (6 rows) only in fold 2, "short" in none
    with pytest.warns(UserWarning) as record:
        folds = _assert_folds(X, cv)
    assert len(record) == 1
    message = str(record[0].message)
    assert "2 of 4 series ('mid', 'short')" in message
    assert "lookback + horizon = 4" in message
    assert "per fold: fold 0: 2, fold 1: 2, fold 2: 1." in message
    for k, (train, test) in enumerate(folds):
        in_fold = set(X.iloc[test]["series"])
        assert in_fold == set(X.iloc[train]["series"])
        assert ("mid" in in_fold) == (k == 2) and "short" not in in_fold


def test_without_lookback_a_series_needs_one_training_row():
    X = _long_panel([2, 6], ["2024-01-01"] * 2, ["tiny", "long"])
    cv = PanelSplit("series", n_splits=2)
    with pytest.warns(UserWarning, match=r"1 of 2 series \('tiny'\) lack a training"):
        folds = _assert_folds(X, cv)
    assert set(X.iloc[folds[1][1]]["series"]) == {"tiny", "long"}
    assert set(X.iloc[folds[0][1]]["series"]) == {"long"}


def test_no_warning_when_every_series_takes_part():
    X = _long_panel([8, 9], ["2024-01-01"] * 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        list(PanelSplit("series", n_splits=2, lookback=3).split(X))


def test_a_fold_without_series_is_refused_before_any_fold():
    X = _long_panel([6, 5], ["2024-01-01"] * 2)
    folds = PanelSplit("series", n_splits=3, horizon=2, lookback=2).split(X)
    with pytest.raises(ValueError, match=r"Fold 0 of PanelSplit has no series with "):
        next(folds)
    with pytest.raises(ValueError, match="max_train_size=3 is fewer than"):
        next(PanelSplit("series", lookback=3, max_train_size=3).split(X))


def test_unsorted_rows_are_refused_naming_the_series():
    X = _long_panel([6, 5], ["2024-01-01"] * 2, ["ok", "shuffled"])
    rows = np.flatnonzero(X["series"] == "shuffled")
    order = np.arange(len(X))
    order[rows[[1, 2]]] = order[rows[[2, 1]]]
    with pytest.raises(ValueError, match=r"Series 'shuffled' of the panel: .*increas"):
        next(PanelSplit("series", n_splits=2).split(X.iloc[order]))
    duplicated = pd.concat([X, X[X["series"] == "ok"].iloc[:1]])
    with pytest.raises(ValueError, match=r"Series 'ok' of the panel: .*duplicate"):
        next(PanelSplit("series", n_splits=2).split(duplicated))
    with_gap = X.iloc[np.delete(np.arange(len(X)), rows[2])]
    with pytest.raises(ValueError, match=r"Series 'shuffled' .*not evenly spaced"):
        next(PanelSplit("series", n_splits=2).split(with_gap))


def test_bad_input_and_parameters():
    X = _long_panel([6, 5], ["2024-01-01"] * 2)
    as_dict = {sid: rows.drop(columns="series") for sid, rows in X.groupby("series")}
    with pytest.raises(TypeError, match="one long DataFrame.*dict"):
        next(PanelSplit("series").split(as_dict))
    with pytest.raises(ValueError, match="not a column of X"):
        next(PanelSplit("store").split(X))
    with pytest.raises(TypeError, match="a long DataFrame"):
        next(PanelSplit("series").split(X.to_numpy()))
    for name, value in [("n_splits", 0), ("horizon", 0), ("test_size", 0)]:
        with pytest.raises(ValueError, match=f"{name} must be >= 1"):
            next(PanelSplit("series", **{name: value}).split(X))
    with pytest.raises(ValueError, match="gap must be >= 0"):
        next(PanelSplit("series", gap=-1).split(X))
    with pytest.raises(TypeError, match="lookback must be an int"):
        next(PanelSplit("series", lookback=2.5).split(X))


def test_is_a_public_cloneable_splitter():
    cv = PanelSplit("series", 4, horizon=2, lookback=3)
    assert skseq.PanelSplit is PanelSplit
    assert "PanelSplit" in skseq.forecasting.__all__ and "PanelSplit" in skseq.__all__
    assert clone(GridSearchCV(Ridge(), {}, cv=cv)).cv.get_n_splits() == 4
    assert "horizon=2" in repr(cv) and "lookback=3" in repr(cv)


def _features(X):
    """A trivial design matrix for row-wise sklearn models: the day number."""
    return pd.DataFrame({"t": (X.index - X.index.min()).days.to_numpy()}, index=X.index)


def test_grid_search_and_cross_val_score_on_a_long_frame():
    X = _long_panel([20, 15, 18], ["2024-01-01", "2024-01-09", "2023-12-01"])
    y = X["y"]
    design = _features(X).reset_index(drop=True)
    cv = PanelSplit("series", n_splits=3, horizon=2)
    # the splitter reads the panel; the estimator sees the design matrix of the
    # same rows: the splits are computed once on X
    splits = list(cv.split(X))
    scores = cross_val_score(
        DummyRegressor(),
        design,
        y.to_numpy(),
        cv=splits,
        scoring="neg_mean_absolute_error",
    )
    by_hand = [
        -np.abs(y.iloc[test] - y.iloc[train].mean()).mean() for train, test in splits
    ]
    np.testing.assert_allclose(scores, by_hand)
    search = GridSearchCV(
        Ridge(), {"alpha": [0.1, 10.0]}, cv=splits, error_score="raise"
    ).fit(design, y.to_numpy())
    assert search.best_params_["alpha"] in (0.1, 10.0)


def test_cross_val_score_with_the_panel_itself_as_x():
    """PanelSplit as cv=, the long frame as X: sklearn calls split(X) itself."""
    X = _long_panel([20, 15, 18], ["2024-01-01", "2024-01-09", "2023-12-01"])
    X["t"] = (X.index - X.index.min()).days
    cv = PanelSplit("series", n_splits=2, horizon=3)
    model = _ColumnRegressor()
    scores = cross_val_score(
        model, X, X["y"], cv=cv, scoring="neg_mean_absolute_error", error_score="raise"
    )
    by_hand = []
    for train, test in cv.split(X):
        fitted = clone(model).fit(_safe_indexing(X, train), X["y"].iloc[train])
        y_pred = fitted.predict(_safe_indexing(X, test))
        by_hand.append(-np.abs(X["y"].iloc[test] - y_pred).mean())
    np.testing.assert_allclose(scores, by_hand)
    search = GridSearchCV(model, {"alpha": [0.1, 10.0]}, cv=cv).fit(X, X["y"])
    assert search.n_splits_ == 2


def test_whole_series_held_out_with_group_k_fold():
    X = _long_panel([10, 8, 9, 7], ["2024-01-01"] * 4, ["a", "b", "c", "d"])
    X["t"] = (X.index - X.index.min()).days
    for train, test in GroupKFold(2).split(X, groups=X["series"]):
        assert not set(X.iloc[train]["series"]) & set(X.iloc[test]["series"])
    scores = cross_val_score(
        _ColumnRegressor(), X, X["y"], groups=X["series"], cv=GroupKFold(2)
    )
    assert len(scores) == 2


class _ColumnRegressor(Ridge):
    """Ridge on the numeric columns of a long frame (drops the id column)."""

    def fit(self, X, y):
        return super().fit(X[["t"]].to_numpy(), np.asarray(y))

    def predict(self, X):
        return super().predict(X[["t"]].to_numpy())


def _panel_model(window=3, horizon=1):
    from sklearn.pipeline import make_pipeline

    from skseq.forecasting import WindowedForecaster

    return WindowedForecaster(
        make_pipeline(skseq.FlattenSequence(), Ridge()),
        window=window,
        horizon=horizon,
        series_id="series",
        difference=None,
    )


def test_default_score_refuses_r2_of_one_test_row_per_series():
    """PanelSplit's default test_size is horizon: with horizon=1 each series
    has one test row, whose R^2 sklearn gives as NaN (and a search ranks)."""
    X = _long_panel([30, 25, 28], ["2024-01-01", "2024-01-09", "2023-12-01"])
    model = _panel_model()
    cv = PanelSplit("series", n_splits=2, horizon=1, lookback=3)
    with pytest.raises(ValueError, match=r"1 row\(s\) to score; R\^2 needs 2"):
        cross_val_score(model, X, X["y"], cv=cv, error_score="raise")
    cv = PanelSplit("series", n_splits=2, horizon=1, test_size=2, lookback=3)
    scores = cross_val_score(model, X, X["y"], cv=cv, error_score="raise")
    assert np.isfinite(scores).all()
    mae = skseq.metrics.get_scorer("neg_mean_absolute_error")
    cv = PanelSplit("series", n_splits=2, horizon=1, lookback=3)
    scores = cross_val_score(model, X, X["y"], cv=cv, scoring=mae, error_score="raise")
    assert np.isfinite(scores).all()


def test_too_short_test_rows_without_y_name_the_panel_fix():
    """Without y, a panel's test rows are scored on their own windows; the
    error names PanelSplit's fix, not SeriesSplit's lookback."""
    X = _long_panel([30, 25, 28], ["2024-01-01", "2024-01-09", "2023-12-01"])
    cv = PanelSplit("series", n_splits=2, horizon=1, lookback=3)
    with pytest.raises(ValueError, match=r"PanelSplit\(test_size >= 4\)") as error:
        cross_val_score(_panel_model(), X, cv=cv, error_score="raise")
    assert "SeriesSplit" not in str(error.value)
    cv = PanelSplit("series", n_splits=2, horizon=1, test_size=5, lookback=3)
    scores = cross_val_score(_panel_model(), X, cv=cv, error_score="raise")
    assert np.isfinite(scores).all()
