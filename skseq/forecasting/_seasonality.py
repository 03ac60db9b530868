"""The season of a time index, and how many differences a series needs.

Pure NumPy/pandas functions, so that a user (and a test) can see what
``difference="auto"`` would choose on a series before fitting anything:

- :func:`infer_season` reads the seasonal period from a pandas index (``MS`` ->
  12, ``QS`` -> 4, ``D`` -> 7, ``h`` -> 24, ``30min`` -> 48, ...);
- :func:`n_differences` counts the first differences that make a series level
  stationary by repeated KPSS tests (Kwiatkowski et al. 1992), as R's
  ``forecast::ndiffs``, ``pmdarima.ndiffs`` and statsforecast do;
- :func:`n_seasonal_differences` takes one seasonal difference when the seasonal
  strength (Wang, Smith & Hyndman 2006) exceeds 0.64, as ``feasts``'
  ``unitroot_nsdiffs`` and statsforecast's ``nsdiffs`` do, and the season is
  significant (X-11's stable-seasonality F test: short series);
- :func:`choose_difference` combines them into the lags that
  ``WindowedForecaster(difference=...)`` takes, e.g. ``(12,)``: for a network,
  the seasonal difference alone when the season is significant (its
  ``rule="network"``), or ARIMA's order (``rule="arima"``).
"""

import numbers

import numpy as np

from ..utils._validation import as_real_float64

__all__ = [
    "choose_difference",
    "infer_season",
    "kpss_statistic",
    "n_differences",
    "n_seasonal_differences",
    "seasonal_strength",
]

# Critical values of the KPSS level-stationarity test (Kwiatkowski et al. 1992,
# table 1, eta_mu), by significance level.
_KPSS_CRITICAL = {0.10: 0.347, 0.05: 0.463, 0.025: 0.574, 0.01: 0.739}
# Seasonal strength above which one seasonal difference is taken (feasts'
# unitroot_nsdiffs, statsforecast's nsdiffs).
SEASONAL_STRENGTH_THRESHOLD = 0.64

# Steps per year of pandas' calendar offsets (by offset class, through its bases:
# BusinessMonthBegin is a MonthOffset); their multiples divide them.
_STEPS_PER_YEAR = {
    "YearOffset": 1,
    "QuarterOffset": 4,
    "MonthOffset": 12,
    "_CustomBusinessMonth": 12,
    "SemiMonthOffset": 24,
    "Week": 52,
    "WeekOfMonthMixin": 12,  # "WOM-3FRI", "LWOM-FRI": a day of each month
    "FY5253Quarter": 4,
    "FY5253": 1,
    "Easter": 1,
}
# DateOffset(months=3) and the like: steps per year of each unit
_RELATIVE_STEPS_PER_YEAR = {"years": 1, "months": 12, "weeks": 52}
_DAY = 24 * 60 * 60
_WEEK = 7 * _DAY
_BUSINESS_DAYS_PER_WEEK = 5


class AmbiguousSeasonError(ValueError):
    """A frequency whose step does not divide its natural cycle, or has none."""


def infer_season(index):
    """The seasonal period of a time index: its number of steps per natural cycle.

    Monthly data (month starts or ends, business months too) -> 12 (a year),
    semi-monthly -> 24, quarterly -> 4, weekly -> 52, daily -> 7 (a week),
    business-daily -> 5 (custom business days: the days of their weekmask),
    hourly -> 24 (a day), half-hourly -> 48, and so on for
    multiples (``"2MS"`` -> 6, ``"15min"`` -> 96, ``"24h"`` -> 7, ``"7D"`` -> 52).
    Yearly data have no season (1).

    Parameters
    ----------
    index : pandas.DatetimeIndex, pandas.PeriodIndex, pandas.DateOffset or str
        A dated index (its ``freq``, or the frequency pandas infers), or a
        frequency itself.

    Returns
    -------
    season : int
        Steps per cycle; 1 when the data have no seasonal cycle (yearly).

    Raises
    ------
    ValueError
        When the index has no frequency that pandas can infer, or its step does
        not divide its natural cycle (``"7min"``, ``"5D"``, ``"3W"``) or has none
        (business hours): pass ``season`` explicitly then.

    Examples
    --------
    >>> import pandas as pd
    >>> infer_season(pd.date_range("2020-01-01", periods=24, freq="MS"))
    12
    >>> infer_season("30min")
    48
    >>> infer_season(pd.period_range("2020Q1", periods=8, freq="Q"))
    4
    """
    import pandas as pd

    offset = _offset_of(index, pd)
    season = _steps_per_cycle(offset, pd)
    if season is None:
        raise AmbiguousSeasonError(
            f"The frequency {offset.freqstr!r} does not divide its natural cycle "
            "(a day, a week or a year) evenly, or has none, so its season is "
            "ambiguous: pass season=... explicitly (e.g. 12 for monthly data)."
        )
    return season


def _offset_of(index, pd):
    """The pandas DateOffset of an index or a frequency (string or offset)."""
    if isinstance(index, pd.offsets.BaseOffset):  # MonthBegin is no DateOffset
        return index
    if isinstance(index, str):
        return pd.tseries.frequencies.to_offset(index)
    if isinstance(index, pd.PeriodIndex):
        return index.freq
    if isinstance(index, pd.DatetimeIndex):
        from ._calendar import inferred_freq

        freq = index.freq if index.freq is not None else inferred_freq(index)
        if freq is None:
            raise ValueError(
                "Cannot infer a season: the index has no frequency and pandas "
                "cannot infer one (too short, or not evenly spaced). Pass "
                "season=... explicitly."
            )
        return pd.tseries.frequencies.to_offset(freq)
    raise TypeError(
        "infer_season needs a DatetimeIndex, a PeriodIndex or a frequency; got "
        f"{type(index).__name__}. Pass season=... explicitly for other indexes."
    )


def _steps_per_cycle(offset, pd):
    """Steps of ``offset`` per natural cycle, or None when ambiguous.

    Calendar offsets (years, quarters, months, semi-months, weeks, a weekday
    of each month, ``DateOffset(months=k)``) count steps per year; business days
    steps per week (the days of a custom ``weekmask``); fixed durations (days,
    hours, minutes, seconds) steps per day when shorter than a day, per week
    when shorter than a week, and a week is weekly data (52).
    """
    bases = {cls.__name__ for cls in type(offset).__mro__}
    n = offset.n
    for base, per_year in _STEPS_PER_YEAR.items():
        if base in bases:
            return _divide(per_year, n)
    if "BusinessDay" in bases:
        return _divide(_business_days_per_week(offset), n)
    if "RelativeDeltaOffset" in bases:
        return _relative_steps(offset)
    if "Tick" in bases or "Day" in bases:
        seconds = pd.Timedelta(offset).total_seconds()
        if seconds == _WEEK:
            return _STEPS_PER_YEAR["Week"]
        cycle = _DAY if seconds < _DAY else _WEEK if seconds < _WEEK else None
        return None if cycle is None or cycle % seconds else int(cycle // seconds)
    return None


def _business_days_per_week(offset):
    """5, or the days of a ``CustomBusinessDay``'s ``weekmask`` (6 for Monday
    to Saturday)."""
    weekmask = getattr(getattr(offset, "calendar", None), "weekmask", None)
    return _BUSINESS_DAYS_PER_WEEK if weekmask is None else int(sum(weekmask))


def _relative_steps(offset):
    """Steps per year of ``DateOffset(months=k)`` (``years``, ``weeks``; days
    per week of ``days``); None for other or several units."""
    kwds = {k: v for k, v in offset.kwds.items() if v}
    if len(kwds) != 1:
        return None
    ((unit, count),) = kwds.items()
    n = offset.n * count
    if not isinstance(count, int):
        return None
    if unit == "days":  # as "7D" and "1D": weekly data, or steps of a week
        return _RELATIVE_STEPS_PER_YEAR["weeks"] if n == 7 else _divide(7, n)
    if unit in _RELATIVE_STEPS_PER_YEAR:
        return _divide(_RELATIVE_STEPS_PER_YEAR[unit], n)
    return None


def _divide(per_cycle, n):
    """``per_cycle / n`` steps when ``n`` divides it, else None."""
    return per_cycle // n if n >= 1 and per_cycle % n == 0 else None


def kpss_statistic(y, n_lags=None):
    """The KPSS statistic of level stationarity (Kwiatkowski et al. 1992).

    Parameters
    ----------
    y : array-like of shape (n_steps,)
        The series (no NaN).
    n_lags : int, default=None
        Lags of the Newey-West long-run variance; ``trunc(4 (n/100)^(1/4))``
        (the "short" rule of R's ``urca``) when None.

    Returns
    -------
    statistic : float
        Large values reject stationarity (5% critical value 0.463).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> kpss_statistic(rng.normal(size=200)) < 0.463
    True
    >>> kpss_statistic(rng.normal(size=200).cumsum()) > 0.463
    True
    """
    y = np.asarray(y, dtype=float)
    n = len(y)
    if n_lags is None:
        n_lags = int(4 * (n / 100) ** 0.25)
    residuals = y - y.mean()
    eta = np.sum(np.cumsum(residuals) ** 2) / n**2
    long_run_variance = np.sum(residuals**2) / n
    for lag in range(1, min(n_lags, n - 1) + 1):
        weight = 1 - lag / (n_lags + 1)
        long_run_variance += 2 * weight * residuals[lag:] @ residuals[:-lag] / n
    if long_run_variance <= 0:  # a constant series is stationary
        return 0.0
    return float(eta / long_run_variance)


def n_differences(y, *, alpha=0.05, max_d=2):
    """The number of first differences after which a KPSS test accepts stationarity.

    Parameters
    ----------
    y : array-like of shape (n_steps,)
        The series.
    alpha : {0.01, 0.025, 0.05, 0.1}, default=0.05
        Significance level of each test.
    max_d : int, default=2
        At most this many differences.

    Returns
    -------
    d : int

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> noise = rng.normal(size=300)
    >>> n_differences(noise), n_differences(noise.cumsum())
    (0, 1)
    """
    alpha, max_d = _check_alpha(alpha), _check_max_d(max_d)
    y = _check_series(y)
    d = 0
    while d < max_d and len(y) > 3 and not _is_constant(y):
        if kpss_statistic(y) <= _KPSS_CRITICAL[alpha]:
            break
        y, d = np.diff(y), d + 1
    return d


def seasonal_strength(y, season):
    """Strength of the seasonal component, in [0, 1] (Wang, Smith & Hyndman 2006).

    ``max(0, 1 - var(remainder) / var(seasonal + remainder))`` of a classical
    additive decomposition: a centred moving average of ``season`` steps as trend,
    the mean detrended value of each position in the cycle as season.

    Parameters
    ----------
    y : array-like of shape (n_steps,)
        The series; at least two full seasons.
    season : int
        Steps per cycle, >= 2.

    Returns
    -------
    strength : float
    """
    y = _check_series(y)
    season = _check_season(season)
    if len(y) < 2 * season:
        raise ValueError(
            f"seasonal_strength needs at least two seasons ({2 * season} steps) of "
            f"the series; got {len(y)}."
        )
    detrended = y - _centred_moving_average(y, season)
    positions = np.arange(len(y)) % season
    means = np.array([np.nanmean(detrended[positions == p]) for p in range(season)])
    seasonal = (means - means.mean())[positions]
    remainder = detrended - seasonal
    keep = ~np.isnan(remainder)
    total = np.var(detrended[keep])
    if total == 0:
        return 0.0
    return float(max(0.0, 1 - np.var(remainder[keep]) / total))


def _centred_moving_average(y, season):
    """The 2 x m moving average for an even season, m for an odd one; NaN at ends."""
    weights = np.ones(season) / season
    if season % 2 == 0:
        weights = np.convolve(weights, [0.5, 0.5])
    half = len(weights) // 2
    trend = np.full(len(y), np.nan)
    trend[half : len(y) - half] = np.convolve(y, weights, mode="valid")
    return trend


def n_seasonal_differences(
    y, season, *, threshold=SEASONAL_STRENGTH_THRESHOLD, alpha=0.05
):
    """1 when the seasonal strength of ``y`` exceeds ``threshold`` and its
    season is significant, else 0.

    On a short series the strength alone is biased upwards: the ``season``
    means of a few cycles fit noise (two seasons of white noise have strength
    1). So the season must also pass the stable-seasonality F test of X-11
    (the means of the detrended values by position in the cycle differ, at
    level ``alpha``). On a long series the F test passes whenever the strength
    does, and the rule is ``feasts``' and statsforecast's.

    Parameters
    ----------
    y : array-like of shape (n_steps,)
        The series.
    season : int
        Steps per cycle; a season of 1, or fewer than two seasons of data, gives 0.
    threshold : float, default=0.64
        The seasonal strength above which a seasonal difference is taken.
    alpha : float, default=0.05
        Significance level of the F test.

    Returns
    -------
    D : int

    Examples
    --------
    >>> import numpy as np
    >>> noise = np.random.default_rng(0).normal(size=24)
    >>> round(seasonal_strength(noise, 12), 2), n_seasonal_differences(noise, 12)
    (1.0, 0)
    """
    season = _check_season(season, allow_one=True)
    y = _check_series(y)
    if season == 1 or len(y) < 2 * season:
        return 0
    if seasonal_strength(y, season) <= threshold:
        return 0
    return int(_stable_seasonality_p_value(y, season) < alpha)


def _stable_seasonality_p_value(y, season):
    """p-value of the F test that the detrended values' means by position in
    the cycle are equal (one-way analysis of variance; 1 when too few values)."""
    from scipy.special import fdtrc

    detrended = y - _centred_moving_average(y, season)
    keep = ~np.isnan(detrended)
    values, positions = detrended[keep], (np.arange(len(y)) % season)[keep]
    counts = np.bincount(positions, minlength=season)
    dof = len(values) - season
    if dof < 1 or (counts == 0).any():
        return 1.0
    means = np.bincount(positions, weights=values, minlength=season) / counts
    within = np.sum((values - means[positions]) ** 2)
    between = np.sum((values - values.mean()) ** 2) - within
    if within <= 0:
        return 0.0 if between > 0 else 1.0
    statistic = (between / (season - 1)) / (within / dof)
    return float(fdtrc(season - 1, dof, statistic))


def choose_difference(
    y, season=1, *, alpha=0.05, max_d=2, rule="network", seasonal_alpha=0.01
):
    """The differences that make ``y`` stationary, as ``difference=`` lags.

    ``rule="network"`` (what ``WindowedForecaster(difference="auto")`` uses):
    one seasonal difference when the season is significant (X-11's
    stable-seasonality F test at ``seasonal_alpha``, whatever its strength), and
    then no first difference; without one, first differences by repeated KPSS
    tests (:func:`n_differences`). A seasonal difference also removes a linear
    trend (it leaves a constant), so a trend plus a season gives ``(season,)``.

    The network rule departs from ARIMA's because a network forecasts from a
    window of the differenced series, and too many differences cannot be
    undone there: the levels are gone, where ARIMA's moving-average terms
    offset an extra difference. Too few can be: a window of seasonal
    differences holds the last one, which a network can carry forward. On the
    last ``horizon`` steps of the training parts of two samples of 25 Tourism
    series of each kind (monthly, quarterly), a default GRU's geometric-mean
    MASE was 1.48-1.78 with this rule against 1.90-2.38 with ``rule="arima"``
    (``benchmarks/defaults.py``; rows in
    ``benchmarks/results/defaults_holdout.csv``).

    ``rule="arima"``: the order of R's ``auto.arima`` and statsforecast: the
    seasonal difference when the seasonal strength exceeds 0.64
    (:func:`n_seasonal_differences`, its F test at ``alpha``), then first
    differences of the result by KPSS.

    Parameters
    ----------
    y : array-like of shape (n_steps,)
        The training part of the series (never its test part).
    season : int, default=1
        Steps per cycle (:func:`infer_season`); 1: no seasonal difference.
    alpha : {0.01, 0.025, 0.05, 0.1}, default=0.05
        Significance level of the KPSS tests (and of the seasonal F test of
        ``rule="arima"``).
    max_d : int, default=2
        At most this many first differences.
    rule : {"network", "arima"}, default="network"
        How the seasonal and the first differences combine (above).
    seasonal_alpha : float, default=0.01
        Significance level of the F test of ``rule="network"``; between 0 and 1.
        At 1%, white noise gets a seasonal difference in under 6% of draws,
        random walks and AR(1) series (coefficient 0.9) in under 10%, from
        one to 20 seasons of data of a season of 4, 7 or 12 (at 5%: up to
        19%, the residuals the test reads not being independent). Longer
        seasons are taken more often: random walks and AR(1) series in
        10-14% of draws for 24 (hourly data) and 15-18% for 52 (weekly).

    Returns
    -------
    lags : tuple of int
        ``()`` (none), ``(1,)``, ``(1, 1)`` or ``(season,)``; with
        ``rule="arima"`` also ``(1, season)``...

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> t = np.arange(240)
    >>> season = 10 * np.sin(2 * np.pi * t / 12)
    >>> quadratic = t**2 / 100 + season + rng.normal(size=240)
    >>> choose_difference(quadratic, season=12)
    (12,)
    >>> choose_difference(quadratic, season=12, rule="arima")
    (1, 12)
    >>> choose_difference(t / 2 + season + rng.normal(size=240), season=12)
    (12,)
    >>> choose_difference(rng.normal(size=240), season=12)
    ()
    >>> choose_difference(rng.normal(size=240).cumsum(), season=12)
    (1,)
    """
    y = _check_series(y)
    # every argument checked, whichever branch the series takes: a bad one is
    # refused for a seasonal series as for a random walk
    rule, alpha = _check_rule(rule), _check_alpha(alpha)
    max_d, seasonal_alpha = _check_max_d(max_d), _check_level(seasonal_alpha)
    if rule == "network":
        if n_seasonal_differences(y, season, threshold=0.0, alpha=seasonal_alpha):
            return (season,)
        return (1,) * n_differences(y, alpha=alpha, max_d=max_d)
    n_seasonal = n_seasonal_differences(y, season, alpha=alpha)
    deseasoned = y[season:] - y[:-season] if n_seasonal else y
    d = n_differences(deseasoned, alpha=alpha, max_d=max_d)
    return (1,) * d + (season,) * n_seasonal


def _check_rule(rule):
    if rule not in ("network", "arima"):
        raise ValueError(f"rule must be 'network' or 'arima'; got {rule!r}.")
    return rule


def _check_alpha(alpha):
    if alpha not in _KPSS_CRITICAL:
        raise ValueError(
            f"alpha must be one of {sorted(_KPSS_CRITICAL)}; got {alpha!r}."
        )
    return alpha


def _check_level(seasonal_alpha):
    valid = isinstance(seasonal_alpha, numbers.Real) and not isinstance(
        seasonal_alpha, bool
    )
    if not (valid and 0 < seasonal_alpha < 1):
        raise ValueError(
            f"seasonal_alpha must be a number in (0, 1); got {seasonal_alpha!r}."
        )
    return float(seasonal_alpha)


def _check_max_d(max_d):
    if isinstance(max_d, bool) or not isinstance(max_d, numbers.Integral) or max_d < 0:
        raise ValueError(f"max_d must be an int >= 0; got {max_d!r}.")
    return int(max_d)


def _check_series(y):
    y = as_real_float64(y, "y")
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"Expected one series of shape (n_steps,); got {y.shape}.")
    if not np.isfinite(y).all():
        # an infinite value gave NaN statistics (a RuntimeWarning) and lags
        raise ValueError(
            "The series holds NaN or infinite values: fill or drop them first."
        )
    # every test here is free of the series' units: computed on values near 1,
    # squares of 1e200 do not overflow nor those of 1e-200 underflow
    size = np.max(np.abs(y)) if y.size else 0.0
    return y / size if np.isfinite(size) and size > 0 else y


def _is_constant(y):
    return np.ptp(y) == 0


def _check_season(season, allow_one=False):
    low = 1 if allow_one else 2
    if (
        isinstance(season, bool)
        or not isinstance(season, numbers.Integral)
        or season < low
    ):
        raise ValueError(f"season must be an int >= {low}; got {season!r}.")
    return int(season)
