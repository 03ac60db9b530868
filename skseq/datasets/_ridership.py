"""The Chicago Transit Authority's daily ridership, shipped with skseq."""

from importlib import resources

from ..utils._validation import check_bool

__all__ = ["load_ridership"]

_FILENAME = "cta_ridership_daily.csv"
# sha256 of data/cta_ridership_daily.csv as published in shared/data/README.md.
RIDERSHIP_SHA256 = "34faaba085ca21434b7dd3e0abcbaf8cde5be3a4f170dda1c8caef72c5c4bd06"


def ridership_path():
    """Return a traversable path to the CSV file shipped inside the package."""
    return resources.files("skseq.datasets") / "data" / _FILENAME


def load_ridership(*, include_total=False):
    """Load the Chicago Transit Authority's daily boardings, 2001-01-01 to 2021-11-30.

    The chapter's third-edition example series: daily bus and rail boardings of the
    CTA, read from a CSV file shipped inside skseq (no network access). Rows that
    the published file holds twice (all of 2011-10 and 2014-07) are dropped, and
    the rows are sorted by date; the result is one row per calendar day, with no
    gaps and no missing values.

    Parameters
    ----------
    include_total : bool, default=False
        Keep the published ``total_rides`` column as ``total``. It always equals
        ``bus + rail``, so it is dropped by default, as in the chapter.

    Returns
    -------
    frame : pandas.DataFrame of shape (7639, 3)
        Indexed by a daily ``DatetimeIndex`` named ``date`` (frequency ``"D"``),
        with columns:

        - ``day_type`` (str): ``"W"`` weekday, ``"A"`` Saturday, ``"U"`` Sunday or
          holiday;
        - ``bus`` (int64): boardings on all bus routes that day;
        - ``rail`` (int64): rail station entries that day (``rail_boardings`` in
          the published file);
        - ``total`` (int64): ``bus + rail``, only with ``include_total=True``.

    Notes
    -----
    Source: "CTA - Ridership - Daily Boarding Totals", published by the Chicago
    Transit Authority on the City of Chicago data portal (data.cityofchicago.org),
    as used by the chapter "Processing Sequences Using RNNs and CNNs" of Géron's
    *Hands-On Machine Learning* (3rd edition). The chapter works with
    ``rail / 1e6`` from 2016-01 to 2018-12 (training), 2019-01 to 2019-05
    (validation) and 2019-06 onward (test).

    Examples
    --------
    >>> from skseq.datasets import load_ridership
    >>> ridership = load_ridership()
    >>> ridership.shape
    (7639, 3)
    >>> day = ridership.loc["2019-03-01"]
    >>> day["day_type"], int(day["bus"]), int(day["rail"])
    ('W', 812238, 682969)
    """
    import pandas as pd

    include_total = check_bool(include_total, "include_total")
    with ridership_path().open("rb") as file:
        frame = pd.read_csv(file, dtype={"day_type": str})
    frame["service_date"] = pd.to_datetime(frame["service_date"], format="%m/%d/%Y")
    frame = frame.rename(
        columns={
            "service_date": "date",
            "rail_boardings": "rail",
            "total_rides": "total",
        }
    )
    frame = frame.drop_duplicates().sort_values("date", kind="stable")
    frame = frame.set_index(pd.DatetimeIndex(frame.pop("date"), freq="infer"))
    columns = ["day_type", "bus", "rail"] + (["total"] if include_total else [])
    return frame[columns]
