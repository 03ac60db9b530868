"""The frequency of a ``DatetimeIndex`` without one: pandas' inference, and the
calendars it cannot infer (semi-month starts and ends)."""

__all__ = ["inferred_freq", "on_grid"]

# the last day_of_month a semi-month offset takes (pandas refuses 28 and over)
_LAST_SEMI_MONTH_DAY = 27


def inferred_freq(index):
    """The frequency pandas infers for a ``DatetimeIndex`` (at least 3 dates),
    else a semi-month one (``"SMS"``, ``"SME"``, any ``day_of_month``) the
    dates follow exactly, else None.

    ``pandas.infer_freq`` knows no semi-month frequency: the 1st and 15th of
    every month, read back from a file, would be refused as unevenly spaced.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Sorted dates.

    Returns
    -------
    freq : pandas.DateOffset or None
    """
    import pandas as pd

    if len(index) < 3:
        return None
    freq = pd.DatetimeIndex(index, freq="infer").freq
    if freq is not None:
        return freq
    for offset in _semi_month_candidates(index):
        if on_grid(index, offset):
            return offset
    return None


def _semi_month_candidates(index):
    """``SemiMonthBegin`` and ``SemiMonthEnd`` offsets whose mid-month day is
    one of the index's first days (the 1st or month ends are the other)."""
    import pandas as pd

    days = set(index[:3].day)
    middle = sorted(d for d in days if 1 < d <= _LAST_SEMI_MONTH_DAY)
    offsets = [pd.offsets.SemiMonthBegin(day_of_month=d) for d in middle]
    return offsets + [pd.offsets.SemiMonthEnd(day_of_month=d) for d in middle]


def on_grid(index, freq):
    """Whether the dates are ``index[0], index[0] + freq, ...``."""
    # As date_range(index[0], periods=len(index), freq=freq) == index, without
    # generating the grid date by date (slow for calendar offsets such as "MS"):
    # date_range rolls a start that is off the offset forward, so it must be on.
    if not freq.is_on_offset(index[0]):
        return False
    return bool((index[:-1] + freq == index[1:]).all())
