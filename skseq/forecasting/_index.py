"""One row per time step, in order: checks of a series' index."""

import datetime

import numpy as np

from ..utils._validation import check_int
from ..windowing._order import check_index_order
from ._calendar import (
    business_day_hint,
    clock_change_hint,
    extra_dates_message,
    has_extra_dates,
    inferred_freq,
    missing_business_days,
)
from ._calendar import on_grid as _on_grid
from ._transforms import lags_text

__all__ = [
    "auto_window",
    "check_index_kind",
    "check_time_index",
    "fitted_season",
    "fitted_window",
    "index_kind",
    "index_step",
    "n_step_features",
    "next_labels",
]

_SPLIT_HINT = (
    " In cross-validation, split with skseq.forecasting.SeriesSplit: a splitter "
    "such as KFold trains on rows that skip the test fold."
)


def check_time_index(index, name, freq=None, step=None):
    """Refuse an index whose rows are not evenly spaced time steps in order.

    A ``DatetimeIndex`` must be free of ``NaT`` and duplicates, increasing, and
    evenly spaced: at ``freq`` (the one seen in ``fit``) when given, else at its
    own ``freq``, else at the frequency pandas infers. A ``PeriodIndex`` must be
    increasing by one period, at ``freq`` when given. A ``TimedeltaIndex`` must be
    increasing by a constant step, ``freq`` when given, and an integer index (a
    ``RangeIndex`` too: ``series.iloc[::-1]`` of a default index steps by -1) by a
    constant step, ``step`` when given. Dates held as objects
    (``datetime.date``, ``Timestamp`` of several UTC offsets) and text are
    refused with the conversion. Other indexes
    (floats), and arrays (``index=None``), carry no time and are not checked.

    Parameters
    ----------
    index : pandas.Index or None
        The index of the series.
    name : str
        Name of the series in error messages.
    freq : pandas.DateOffset, default=None
        Frequency the dates must step by.
    step : int, default=None
        Step an integer index of two labels or more must step by (the one
        seen in ``fit``, :func:`index_step`).

    Returns
    -------
    freq : pandas.DateOffset or None
        The frequency of a ``DatetimeIndex``: ``freq``, its own, or inferred
        (None for fewer than 3 dates without any); that of a ``PeriodIndex``; the
        step of a ``TimedeltaIndex`` as an offset; None for other indexes.
    """
    import pandas as pd

    if isinstance(index, pd.DatetimeIndex):
        return _check_dates(index, name, freq)
    if isinstance(index, pd.MultiIndex):
        _refuse_stacked(index, name)
    if isinstance(index, pd.PeriodIndex):
        _check_even_steps(index, name, "period")
        if freq is not None and index.freq != freq:
            raise ValueError(_other_freq_message(name, index.freq, freq, "periods"))
        return index.freq
    if isinstance(index, pd.TimedeltaIndex):
        _check_even_steps(index, name, "timedelta")
        if len(index) < 2:
            return freq
        own = pd.tseries.frequencies.to_offset(index[1] - index[0])
        if freq is not None and own != freq:
            raise ValueError(_other_freq_message(name, own, freq, "durations"))
        return own
    if isinstance(index, pd.Index) and pd.api.types.is_integer_dtype(index.dtype):
        _check_even_steps(index, name, "integer")
        _check_integer_step(index, name, step)
    elif isinstance(index, pd.Index) and len(index) and not _is_number_index(index):
        _refuse_untimed(index, name)
    return None


_KINDS = {
    "dates": "dates (a DatetimeIndex)",
    "periods": "periods (a PeriodIndex)",
    "durations": "durations (a TimedeltaIndex)",
    "integers": "integers (e.g. years, or a RangeIndex)",
}


def index_kind(index):
    """The kind of time ``index`` holds: ``"dates"``, ``"periods"``,
    ``"durations"`` or ``"integers"``; None for no index (an array) and for
    indexes that carry no time (floats)."""
    import pandas as pd

    if isinstance(index, pd.DatetimeIndex):
        return "dates"
    if isinstance(index, pd.PeriodIndex):
        return "periods"
    if isinstance(index, pd.TimedeltaIndex):
        return "durations"
    if isinstance(index, pd.Index) and pd.api.types.is_integer_dtype(index.dtype):
        return "integers"
    return None


def check_index_kind(index, fitted, name="X"):
    """Refuse an ``index`` of another kind of time than the ``fitted`` one
    (:func:`index_kind` of the series seen in fit; None: not known, or no
    time): the forecast would be labelled in ``index``'s kind at the step of
    fit (days after years). An array (no index) is read by position, as ever.

    A :class:`~skseq.forecasting._columns.CallError`: about the call as a
    whole (every series of a panel shares its index's kind).
    """
    from ._columns import CallError

    kind = index_kind(index)
    if fitted is None or kind is None or kind == fitted:
        return
    raise CallError(
        f"{name}'s index holds {_KINDS[kind]}, but this forecaster was fitted "
        f"on a series indexed by {_KINDS[fitted]}: its forecasts would be "
        f"labelled in {kind} at the step of fit. Pass {name} indexed by "
        f"{fitted}, as in fit, or refit on this series."
    )


def _check_integer_step(index, name, step):
    """Refuse an integer index stepping otherwise than the ``step`` of fit: the
    model would read its rows as consecutive steps of fit's spacing."""
    own = index_step(index)
    if step is not None and own is not None and own != step:
        raise ValueError(
            f"{name}'s integer index steps by {own}, but the series seen in fit "
            f"stepped by {step}: a model of that step would read {name}'s rows "
            f"as consecutive steps (and label its forecasts at the other step). "
            f"Pass the series at a step of {step}, or fit on data at a step of "
            f"{own}."
        )


def _refuse_stacked(index, name):
    """Refuse a ``MultiIndex``, as a ``(series, time)`` panel has: its rows
    would be read as one series, every series' rows back to back."""
    import pandas as pd

    levels = list(index.names)
    timed = (pd.DatetimeIndex, pd.PeriodIndex, pd.TimedeltaIndex)
    untimed = [
        k for k, values in enumerate(index.levels) if not isinstance(values, timed)
    ]
    k = untimed[0] if untimed else 0
    level = k if levels[k] is None else levels[k]
    raise ValueError(
        f"{name}'s index is a MultiIndex (levels {levels}), not one time step per "
        "row: a table indexed by (series, time) is a panel of several series, "
        "which one series' model would read back to back. Fit a global model "
        f"with series_id naming the series level (e.g. series_id={level!r}), "
        f"or select one series first ({name}.xs(id, level=...))."
    )


def _is_number_index(index):
    import pandas as pd

    return pd.api.types.is_numeric_dtype(index.dtype) or pd.api.types.is_bool_dtype(
        index.dtype
    )


def _refuse_untimed(index, name):
    """Refuse an index of strings or mixed objects: dates read from a file
    without ``parse_dates`` (their order and spacing cannot be checked, and
    strings sort differently from dates), or periods of several frequencies."""
    import pandas as pd

    sample = index[0]
    kinds = sorted({type(label).__name__ for label in index[:1000]})
    if isinstance(sample, str):
        looks_like = "dates as text" if _parses_as_dates(index[:5]) else "text"
        raise ValueError(
            f"{name}'s index holds {looks_like} (e.g. {sample!r}), not time: a "
            "forecaster checks the order and spacing of time steps, which text "
            "cannot give. Convert it, e.g. X.index = pd.to_datetime(X.index), or "
            "read the file with pd.read_csv(..., parse_dates=[...], "
            "index_col=...)."
        )
    if isinstance(sample, (datetime.date, datetime.timedelta, np.datetime64)):
        raise ValueError(
            f"{name}'s index holds dates as objects (dtype object, e.g. "
            f"{sample!r}), not a DatetimeIndex: their order and spacing go "
            "unchecked. Convert it, e.g. X.index = pd.to_datetime(X.index) (times "
            "with several UTC offsets, as local times across a DST change: "
            "pd.to_datetime(X.index, utc=True).tz_convert(zone))."
        )
    if isinstance(sample, pd.Period) or len(kinds) > 1:
        raise ValueError(
            f"{name}'s index mixes labels of several kinds or frequencies "
            f"({', '.join(kinds)}): every time step must have one type and "
            "frequency, e.g. one PeriodIndex or one DatetimeIndex."
        )


def _parses_as_dates(labels):
    import warnings

    import pandas as pd

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "could not infer format"
            pd.to_datetime(list(labels))
    except (ValueError, TypeError):
        return False
    return True


def next_labels(index, freq, n_steps, step=None):
    """The labels of the ``n_steps`` rows after a series, of its index's type.

    Dates continue at ``freq`` (a ``DatetimeIndex`` without one is refused),
    periods as periods, timedeltas and integers (years, positions) by their
    step; None for arrays (``index=None``) and other indexes, which carry no
    time.

    Parameters
    ----------
    index : pandas.Index or None
        The index of the series, already checked by :func:`check_time_index`.
    freq : pandas.DateOffset or None
        What :func:`check_time_index` returned for it.
    n_steps : int
        Number of labels.
    step : int, default=None
        The step of the integer index seen in ``fit`` (:func:`index_step`):
        the step of an integer ``index`` of one row, which cannot tell its
        own, and the one a longer ``index`` must step by.

    Returns
    -------
    labels : pandas.Index or None

    Raises
    ------
    ValueError
        If an integer ``index`` steps by another step than ``step``, or has
        one row and no ``step`` is known (a ``RangeIndex`` then steps by its
        own ``step``).
    """
    import pandas as pd

    if isinstance(index, pd.DatetimeIndex):
        if freq is None:
            raise ValueError(
                "Cannot tell the dates of the forecast: X's DatetimeIndex has no "
                "frequency and none can be inferred; set one, e.g. X.asfreq('D')."
            )
        start = index[-1] + freq
        return pd.date_range(start, periods=n_steps, freq=freq, name=index.name)
    if isinstance(index, pd.PeriodIndex):
        return pd.period_range(index[-1] + 1, periods=n_steps, name=index.name)
    if isinstance(index, pd.TimedeltaIndex) and freq is not None:
        start = index[-1] + freq
        return pd.timedelta_range(start, periods=n_steps, freq=freq, name=index.name)
    if _is_integer_index(index) and len(index):
        step = _integer_step(index, step)
        start = index[-1] + step
        if isinstance(index, pd.RangeIndex):
            stop = start + step * n_steps
            return pd.RangeIndex(start, stop, step, name=index.name)
        labels = index[-1] + step * np.arange(1, n_steps + 1)
        return pd.Index(labels, dtype=index.dtype, name=index.name)
    return None


def index_step(index):
    """The step of an integer index of two rows or more, else None."""
    if _is_integer_index(index) and len(index) > 1:
        return int(index[1] - index[0])
    return None


def _integer_step(index, fitted):
    """The step of the integer ``index`` after which a forecast goes: its own,
    or for one row the ``fitted`` step (a lone label cannot tell it)."""
    import pandas as pd

    own = index_step(index)
    if own is None and fitted is None:
        if isinstance(index, pd.RangeIndex):
            return index.step
        raise ValueError(
            f"X has one row, labelled {index[0]}, and this forecaster was not "
            "fitted on an integer index: the step of the forecast's labels "
            "cannot be told. Pass at least two rows of X, or X with a "
            "RangeIndex of the right step."
        )
    if own is not None and fitted is not None and own != fitted:
        raise ValueError(
            f"X's integer index steps by {own}, but the series seen in fit "
            f"stepped by {fitted}: the forecast would be labelled (and made) at "
            "another time step than the model learnt. Pass X at the step of fit."
        )
    return own if own is not None else int(fitted)


def _is_integer_index(index):
    import pandas as pd

    return isinstance(index, pd.Index) and pd.api.types.is_integer_dtype(index.dtype)


# Fallback of window="auto" without a yearly season (the chapter's 8 weeks of
# daily data); the seasons whose double is the auto window: a year of monthly
# and of quarterly data.
DEFAULT_WINDOW = 56
_YEARLY_SEASONS = (12, 4)


def fitted_season(season, index, freq=None):
    """``season_`` of a ``WindowedForecaster``: ``season`` when given, else the
    season :func:`~skseq.forecasting._seasonality.infer_season` reads from a
    ``DatetimeIndex`` or ``PeriodIndex``, else 1 (no season: arrays, other
    indexes, and frequencies whose season is ambiguous or unknown, with a
    warning for the dated ones).

    Parameters
    ----------
    season : int or None
        The ``season`` parameter (an int >= 1, or None).
    index : pandas.Index or None
        The training series' index (None for arrays).
    freq : pandas.DateOffset or None, default=None
        The frequency checked for ``index`` (a panel's, found on all its
        series), read instead of ``index``'s own: a series of one or two
        dates has no frequency pandas can infer.

    Returns
    -------
    season : int
    """
    import pandas as pd

    from ._seasonality import AmbiguousSeasonError, infer_season

    if season is not None:
        return check_int(season, "season", min_value=1)
    if not isinstance(index, pd.DatetimeIndex | pd.PeriodIndex):
        return 1
    try:
        return infer_season(index if freq is None else freq)
    except AmbiguousSeasonError as error:
        _warn_no_season(error.args[0])
    except ValueError:  # no inferable frequency
        pass
    return 1


def _warn_no_season(reason):
    """Warn that a dated series gets no season, which ``difference="auto"``,
    ``window="auto"`` and ``scale="level"`` would have read."""
    import warnings

    reason = reason.split(": pass season")[0]
    warnings.warn(
        f"{reason}. season_ is 1 (no season): difference='auto' considers no "
        "seasonal difference and scale='level' averages 1 step. Pass "
        "season=... (the steps per cycle you mean), or season=1 for none, to "
        "silence this.",
        UserWarning,
        stacklevel=5,
    )


def auto_window(season, n_rows, horizon, n_lags=0, n_features=1):
    """``window="auto"``: twice the season of monthly or quarterly data (a
    ``season`` of 12 or 4: 24, 8), else ``DEFAULT_WINDOW`` (56), capped so that
    the training windows outnumber the weights of a linear model of the window
    and a bias, ``n_windows >= window * n_features + 2``, i.e. ``window <=
    (n_rows - n_lags - horizon - 1) // (n_features + 1)`` (at least 1): a cap
    of ``n_windows >= window`` left the exact linear baseline
    (``DenseForecaster()``) interpolating its training windows on every short
    series, and one counting a single feature did so with covariates.

    Parameters
    ----------
    season : int
        ``season_``: steps per cycle (1 for arrays and integer indexes).
    n_rows : int
        Rows of the training series.
    horizon : int
        Steps forecast after each window.
    n_lags : int, default=0
        ``sum(difference)``: rows the differencing consumes.
    n_features : int, default=1
        Inputs per time step of a window: the targets, the past covariates and
        ``horizon`` values of each future covariate.

    Returns
    -------
    window : int
    """
    base = 2 * season if season in _YEARLY_SEASONS else DEFAULT_WINDOW
    cap = (n_rows - n_lags - horizon - 1) // (n_features + 1)
    return max(1, min(base, cap))


def n_step_features(n_targets, n_past, n_future, horizon):
    """Inputs per time step of a window (see ``_design.design``)."""
    return n_targets + n_past + horizon * n_future


def fitted_window(window, season, n_rows, horizon, lags, chosen=False, n_features=1):
    """``window_`` and the number of training windows, refusing a series too
    short for one.

    Parameters
    ----------
    window : int or "auto"
        The checked ``window`` parameter (see :func:`auto_window`).
    season, n_rows, horizon, n_features :
        As for :func:`auto_window`.
    lags : tuple of int
        ``difference_``, already chosen when ``difference="auto"``.
    chosen : bool, default=False
        Whether ``difference="auto"`` chose ``lags`` (for the message).

    Returns
    -------
    window, n_windows : int
    """
    if isinstance(window, str):
        window = auto_window(season, n_rows, horizon, sum(lags), n_features)
    n_windows = n_rows - sum(lags) - window - horizon + 1
    if n_windows < 1:
        raise ValueError(
            f"X has {n_rows} time steps, too short for window={window} plus "
            f"horizon={horizon}{lags_text(lags, chosen)} (needs at least "
            f"{window + horizon + sum(lags)})."
        )
    return window, n_windows


def _check_dates(index, name, freq):
    try:
        check_index_order(index, name)
    except ValueError as error:  # an hour repeated by a clock change
        raise ValueError(f"{error}{clock_change_hint(index, name)}") from None
    if freq is None:
        own = _own_freq(index)
        if own is not None or len(index) < 3:
            return own
        raise ValueError(_gap_message(index, name, None))
    if _on_grid(index, freq):
        return freq
    own = _own_freq(index)
    if own is not None:
        raise ValueError(_other_freq_message(name, own, freq))
    raise ValueError(_gap_message(index, name, freq))


def _other_freq_message(name, own, freq, kind="dates"):
    return (
        f"{name}'s {kind} step by {own.freqstr!r}, but the series seen in fit "
        f"stepped by {freq.freqstr!r}: a model of that step would read "
        f"{name}'s rows as consecutive steps. Pass the series at "
        f"{freq.freqstr!r}, or fit on data at {own.freqstr!r}."
    )


def _own_freq(index):
    """The index's frequency attribute, or the one inferred (None if none)."""
    if index.freq is not None:
        return index.freq
    return inferred_freq(index)


def _largest_step(index):
    return int(np.argmax(np.diff(index.to_numpy())))


def _guess_freq(index):
    """A likely frequency for a message: that of the rows on either side of the
    largest step, else the smallest step."""
    import pandas as pd

    if missing_business_days(index) is not None:  # holidays: not "D"
        return pd.offsets.BusinessDay()
    row = _largest_step(index)
    guess = _own_freq(index[: row + 1]) or _own_freq(index[row + 1 :])
    if guess is None:
        smallest = np.diff(index.to_numpy()).min()
        guess = pd.tseries.frequencies.to_offset(pd.Timedelta(smallest))
    return guess


def _gap_message(index, name, freq):
    row = _largest_step(index)
    guess = freq or _guess_freq(index)
    at = f" at frequency {freq.freqstr!r}" if freq is not None else ""
    if _one_date_block_missing(index, guess):  # as a cross-validation split
        return (
            f"{name}'s rows skip from {index[row]} to {index[row + 1]}: a block of "
            "rows is missing in the middle, as when a cross-validation splitter "
            "that is not a time-series split (KFold, sklearn's default) trains "
            "on the rows around its test fold. Split with "
            "skseq.forecasting.SeriesSplit, which trains on the rows before each "
            "test fold. If the data has this gap, fill it, e.g. "
            f"skseq.forecasting.regularize({name}, freq={guess.freqstr!r})."
        )
    hint = business_day_hint(index, name) if freq is None else None
    if hint is not None:
        return hint
    if freq is not None and has_extra_dates(index, freq):
        return extra_dates_message(index, name, freq)
    return (
        f"{name}'s DatetimeIndex is not evenly spaced{at}: its largest step runs from "
        f"{index[row]} to {index[row + 1]}, and windows would join the two sides as "
        "if they were consecutive. Fill the gaps, e.g. skseq.forecasting."
        f"regularize({name}, freq={guess.freqstr!r}) (interpolates; or "
        f"{name}.asfreq({guess.freqstr!r}).interpolate()), or keep the rows after "
        f"the gap.{clock_change_hint(index, name)}{_SPLIT_HINT}"
    )


def _one_date_block_missing(index, freq):
    """Whether the dates are on ``freq``'s grid but for one block of at least 2
    missing steps."""
    import pandas as pd

    if freq is None or len(index) < 4:
        return False
    try:
        grid = pd.date_range(index[0], index[-1], freq=freq)
    except (ValueError, TypeError):
        return False
    if len(grid) > 10 * len(index) + 100_000 or not index.isin(grid).all():
        return False
    missing = np.flatnonzero(~grid.isin(index))
    return len(missing) >= 2 and bool((np.diff(missing) == 1).all())


def _one_block_missing(steps):
    """Whether the steps are even but for one jump of several steps."""
    if len(steps) < 3:
        return False
    usual = np.median(steps)
    jumps = np.flatnonzero(steps != usual)
    return len(jumps) == 1 and steps[jumps[0]] >= 3 * usual


def _check_even_steps(index, name, kind):
    """Refuse an integer, period or timedelta index that is not increasing by a
    constant step."""
    check_index_order(index, name)
    if kind == "integer":
        steps = np.diff(index.to_numpy())
        fix = f" (if the index is not time, {name}.reset_index(drop=True))"
    else:  # periods and timedeltas as integers (ordinals, nanoseconds)
        steps = np.diff(index.asi8)
        fix = ""
    if not len(steps):
        return
    # a period index steps by its frequency's multiple (ordinals of '2M' by 2)
    step = index.freq.n if kind == "period" else steps[0]
    if (steps != step).any():
        row = int(np.argmax(steps))
        if _one_block_missing(steps):
            raise ValueError(
                f"{name}'s rows skip from {index[row]} to {index[row + 1]}: a "
                "block of rows is missing in the middle, as when a "
                "cross-validation splitter that is not a time-series split "
                "(KFold, sklearn's default) trains on the rows around its test "
                "fold. Split with skseq.forecasting.SeriesSplit, which trains on "
                "the rows before each test fold; if the data has this gap, pass "
                f"the series without it{fix}."
            )
        raise ValueError(
            f"{name}'s {kind} index is not evenly spaced: it jumps from "
            f"{index[row]} to {index[row + 1]}, and windows would join the two sides "
            f"as if they were consecutive. Pass the series without gaps{fix}."
            f"{_SPLIT_HINT}"
        )
