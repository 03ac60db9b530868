"""A gap filler: a series put on a regular time grid, its missing values filled."""

import numbers

from ..utils._validation import check_choice
from ..windowing._order import check_index_order
from ._index import _guess_freq, _own_freq

__all__ = ["regularize"]

_FILLS = ("interpolate", "ffill")


def regularize(series, freq=None, *, fill="interpolate"):
    """Put a series on a regular time grid, filling missing steps and values.

    :class:`WindowedForecaster` refuses a ``DatetimeIndex`` with gaps and
    missing values; this puts the series on the grid ``series.index[0],
    series.index[0] + freq, ...`` up to its last date (a row of missing values
    for each date not in the series) and fills the missing values.

    Parameters
    ----------
    series : pandas.Series or pandas.DataFrame
        A series with a ``DatetimeIndex``, sorted and without duplicate dates.
    freq : str or pandas.DateOffset, default=None
        The time step, e.g. ``"D"``. ``None`` means the index's own frequency, or
        the one pandas infers, which a series with gaps rarely has: then pass it.
    fill : {"interpolate", "ffill"} or None, default="interpolate"
        ``"interpolate"``: linearly between the known values around each missing
        one (numeric columns; values before the first or after the last known one
        stay missing). ``"ffill"``: the latest known value. ``None``: leave
        missing values, e.g. to fill them another way.

    Returns
    -------
    regular : pandas.Series or pandas.DataFrame
        A new series indexed by a ``DatetimeIndex`` with ``freq`` set.

    Examples
    --------
    >>> import pandas as pd
    >>> from skseq.forecasting import regularize
    >>> days = pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-05"])
    >>> regularize(pd.Series([1.0, 2.0, 5.0], index=days), freq="D").tolist()
    [1.0, 2.0, 3.0, 4.0, 5.0]
    """
    import pandas as pd

    if not isinstance(series, (pd.Series, pd.DataFrame)) or not isinstance(
        series.index, pd.DatetimeIndex
    ):
        raise TypeError(
            "regularize needs a pandas Series or DataFrame with a DatetimeIndex; "
            f"got {type(series).__name__}."
        )
    if fill is not None:
        check_choice(fill, "fill", _FILLS)
    index = series.index
    check_index_order(index, "series")
    step = _regular_step(index, freq)
    grid = pd.date_range(index[0], index[-1], freq=step, name=index.name)
    off_grid = index.difference(grid)
    if len(off_grid):
        raise ValueError(
            f"series has {len(off_grid)} date(s) off the {step.freqstr!r} grid "
            f"that starts at {index[0]}, e.g. {off_grid[0]}: aggregate them to "
            f"that frequency instead, e.g. series.resample({step.freqstr!r}).mean()."
        )
    return _filled(series.reindex(grid), fill)


def _regular_step(index, freq):
    import pandas as pd

    if freq is None:
        step = _own_freq(index)
        if step is None:
            guess = _guess_freq(index).freqstr if len(index) > 1 else "D"
            raise ValueError(
                "Cannot infer the frequency of series' index (it has gaps, or "
                f"fewer than 3 dates): pass it, e.g. regularize(series, "
                f"freq={guess!r})."
            )
        return step
    if isinstance(freq, numbers.Number):
        raise TypeError(f"freq must be a string or a DateOffset; got {freq!r}.")
    try:
        return pd.tseries.frequencies.to_offset(freq)
    except ValueError as exc:
        raise ValueError(f"freq={freq!r} is not a frequency pandas knows.") from exc


def _filled(series, fill):
    import pandas as pd

    if fill == "ffill":
        return series.ffill()
    if fill is None:
        return series
    if isinstance(series, pd.Series):
        # pandas counts booleans as numbers, but cannot interpolate them
        numeric = pd.api.types.is_numeric_dtype(
            series.dtype
        ) and not pd.api.types.is_bool_dtype(series.dtype)
        return series.interpolate(limit_area="inside") if numeric else series
    numeric = series.select_dtypes("number").columns
    series[numeric] = series[numeric].interpolate(limit_area="inside")
    return series
