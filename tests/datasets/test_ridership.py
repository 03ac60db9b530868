"""The CTA ridership series shipped inside the package."""

import hashlib

import pandas as pd
import pytest

from skseq.datasets._ridership import (
    RIDERSHIP_SHA256,
    load_ridership,
    ridership_path,
)

# The checksum published with the data (shared/data/README.md).
README_SHA256 = "34faaba085ca21434b7dd3e0abcbaf8cde5be3a4f170dda1c8caef72c5c4bd06"


@pytest.fixture(scope="module")
def ridership():
    return load_ridership()


def test_shipped_file_is_the_published_one():
    data = ridership_path().read_bytes()
    assert hashlib.sha256(data).hexdigest() == README_SHA256 == RIDERSHIP_SHA256
    assert data.count(b"\n") == 7701 + 1  # header and 7,701 rows, as published


def test_one_row_per_day_indexed_by_date(ridership):
    index = ridership.index
    assert isinstance(index, pd.DatetimeIndex) and index.name == "date"
    assert index.freq == "D" and index.is_monotonic_increasing and index.is_unique
    assert index[0] == pd.Timestamp("2001-01-01")
    assert index[-1] == pd.Timestamp("2021-11-30")
    # 7,701 published rows less the 62 duplicated ones (2011-10 and 2014-07).
    assert len(ridership) == 7639 == len(pd.date_range(index[0], index[-1]))


def test_columns_values_and_no_missing_data(ridership):
    assert list(ridership.columns) == ["day_type", "bus", "rail"]
    assert set(ridership["day_type"]) == {"W", "A", "U"}
    assert all(dtype.kind == "i" for dtype in ridership[["bus", "rail"]].dtypes)
    assert not ridership.isna().any().any()
    assert ridership.loc["2019-03-01"].tolist() == ["W", 812238, 682969]
    # The chapter's naive baseline: MAE 42,143 for rail, value 7 days earlier.
    diff = ridership["rail"].diff(7)["2019-03":"2019-05"]
    assert round(diff.abs().mean()) == 42143


def test_total_is_bus_plus_rail():
    frame = load_ridership(include_total=True)
    assert list(frame.columns) == ["day_type", "bus", "rail", "total"]
    assert (frame["total"] == frame["bus"] + frame["rail"]).all()


def test_loading_twice_gives_independent_equal_frames(ridership):
    other = load_ridership()
    pd.testing.assert_frame_equal(ridership, other)
    other.iloc[0, 1] = -1
    assert ridership.iloc[0, 1] != -1


@pytest.mark.parametrize("flag", ["no", "False", 0, None])
def test_include_total_takes_only_a_bool(flag):
    # "no" and "False" are truthy: they added the total column
    with pytest.raises(TypeError, match="include_total must be True or False"):
        load_ridership(include_total=flag)
