"""The season read from an index, and the differences chosen by established tests."""

import numpy as np
import pandas as pd
import pytest

from skseq.forecasting import choose_difference, infer_season
from skseq.forecasting._seasonality import (
    kpss_statistic,
    n_differences,
    n_seasonal_differences,
    seasonal_strength,
)

SEEDS = range(5)
T = np.arange(240)
SEASON = 10 * np.sin(2 * np.pi * T / 12)


@pytest.mark.parametrize(
    ("freq", "season"),
    [
        ("MS", 12),
        ("ME", 12),
        ("QS", 4),
        ("QE-DEC", 4),
        ("QS-JAN", 4),
        ("YS", 1),
        ("YE", 1),
        ("W", 52),
        ("W-MON", 52),
        ("D", 7),
        ("B", 5),
        ("h", 24),
        ("30min", 48),
        ("15min", 96),
        ("min", 1440),
        ("2MS", 6),
        ("6h", 4),
    ],
)
def test_season_from_every_common_frequency(freq, season):
    index = pd.date_range("2021-01-01", periods=30, freq=freq)
    assert infer_season(index) == season
    assert infer_season(freq) == season
    assert infer_season(index.freq) == season  # an offset (MonthBegin, ...)


def test_season_of_an_index_without_freq_is_inferred():
    index = pd.DatetimeIndex(pd.date_range("2021-01-01", periods=30, freq="MS").values)
    assert index.freq is None
    assert infer_season(index) == 12


@pytest.mark.parametrize(("freq", "season"), [("M", 12), ("Q", 4), ("Y", 1), ("D", 7)])
def test_season_of_a_period_index(freq, season):
    assert infer_season(pd.period_range("2000-01-01", periods=10, freq=freq)) == season


@pytest.mark.parametrize("freq", ["7min", "5D", "7h", "2D", "14D", "3W", "5MS", "bh"])
def test_ambiguous_season_is_refused(freq):
    with pytest.raises(ValueError, match="ambiguous: pass season"):
        infer_season(pd.date_range("2021-01-01", periods=30, freq=freq))


def test_season_of_an_uneven_index_is_refused():
    index = pd.DatetimeIndex(["2021-01-01", "2021-01-02", "2021-01-05", "2021-01-09"])
    with pytest.raises(ValueError, match="no frequency"):
        infer_season(index)
    with pytest.raises(TypeError, match="Pass season"):
        infer_season(pd.RangeIndex(10))


def test_kpss_statistic_matches_statsmodels():
    stattools = pytest.importorskip("statsmodels.tsa.stattools")  # a test extra
    x = np.random.default_rng(0).normal(size=150).cumsum()
    with pytest.warns(Warning):  # statsmodels: statistic beyond its p-value table
        expected = stattools.kpss(x, "c", nlags=4)[0]
    assert kpss_statistic(x, 4) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_random_walk_needs_one_difference(seed):
    walk = np.random.default_rng(seed).normal(size=240).cumsum()
    assert n_differences(walk) == 1
    assert choose_difference(walk, season=12) == (1,)


@pytest.mark.parametrize("seed", SEEDS)
def test_white_noise_needs_none(seed):
    noise = np.random.default_rng(seed).normal(size=240)
    assert choose_difference(noise, season=12) == ()


@pytest.mark.parametrize("seed", SEEDS)
def test_season_plus_trend(seed):
    noise = np.random.default_rng(seed).normal(size=240)
    # A seasonal difference removes a linear trend too (a constant is left) ...
    assert choose_difference(T / 2 + SEASON + noise, season=12) == (12,)
    # ... but not a quadratic one: ARIMA's order adds a first difference, a
    # network's rule leaves the trend of the seasonal differences to the window
    quadratic = T**2 / 100 + SEASON + noise
    assert choose_difference(quadratic, season=12, rule="arima") == (1, 12)
    assert choose_difference(quadratic, season=12) == (12,)


def test_seasonal_strength_of_a_pure_season_and_of_noise():
    assert seasonal_strength(SEASON + 0.01, 12) > 0.99
    noise = np.random.default_rng(0).normal(size=240)
    assert seasonal_strength(noise, 12) < 0.2
    assert n_seasonal_differences(noise, 12) == 0


def test_too_short_for_a_seasonal_test_takes_no_seasonal_difference():
    assert n_seasonal_differences(SEASON[:20], 12) == 0
    with pytest.raises(ValueError, match="two seasons"):
        seasonal_strength(SEASON[:20], 12)


@pytest.mark.parametrize(
    ("season", "n_steps"), [(12, 24), (12, 25), (12, 30), (4, 9), (7, 14), (52, 110)]
)
def test_short_white_noise_rarely_gets_a_seasonal_difference(season, n_steps):
    # two to 2.5 seasons of noise: the season means fit the noise (strength 1 at
    # exactly two seasons), so the strength alone differenced 55-100% of them
    rng = np.random.default_rng(0)
    draws = [rng.normal(size=n_steps) for _ in range(200)]
    assert np.mean([seasonal_strength(y, season) > 0.64 for y in draws]) > 0.5
    taken = np.mean([n_seasonal_differences(y, season) for y in draws])
    assert taken <= 0.12


@pytest.mark.parametrize(("season", "n_steps"), [(12, 30), (4, 12), (52, 130)])
def test_a_clear_season_on_a_short_series_is_still_differenced(season, n_steps):
    rng = np.random.default_rng(1)
    t = np.arange(n_steps)
    draws = [4 * np.sin(2 * np.pi * t / season) + rng.normal(size=n_steps)]
    draws += [4 * np.sin(2 * np.pi * t / season) + rng.normal(size=n_steps)]
    assert [n_seasonal_differences(y, season) for y in draws] == [1, 1]


@pytest.mark.parametrize("units", [1e-300, 1e-150, 1e150, 1e300])
def test_the_choice_does_not_depend_on_the_series_units(units):
    # a season on a random walk; in tiny units its squares underflowed to 0
    # (no season found), in huge ones they overflowed
    y = np.random.default_rng(0).normal(size=48).cumsum() + SEASON[:48] / 3
    for rule, expected in [("network", (12,)), ("arima", (1, 12))]:
        assert choose_difference(y, season=12, rule=rule) == expected
        assert choose_difference(y * units, season=12, rule=rule) == expected


def test_constant_series_needs_no_difference():
    assert choose_difference(np.full(50, 3.0), season=12) == ()


@pytest.mark.parametrize(
    "bad",
    [
        np.array([1.0, np.nan, 2.0]),
        np.zeros((5, 2)),
        # an infinite value gave lags from NaN statistics, with a RuntimeWarning
        np.append(SEASON, np.inf),
    ],
)
def test_bad_series_are_refused(bad):
    with pytest.raises(ValueError, match="NaN or infinite|one series"):
        choose_difference(bad, season=12)


@pytest.mark.parametrize("season", [0, 1.5, True])
def test_bad_season_is_refused(season):
    with pytest.raises(ValueError, match="season must be an int"):
        choose_difference(np.arange(30.0), season=season)


# -- the network's rule against ARIMA's -----------------------------------------
@pytest.mark.parametrize("kind", ["noise", "walk"])
@pytest.mark.parametrize(
    ("season", "n_steps"), [(12, 30), (12, 48), (12, 240), (4, 40), (7, 200)]
)
def test_the_network_rule_rarely_differences_a_season_that_is_not_there(
    kind, season, n_steps
):
    # the F test's residuals are not independent: at 5% it took 10-19% of these
    rng = np.random.default_rng(0)
    draws = [rng.normal(size=n_steps) for _ in range(200)]
    if kind == "walk":
        draws = [y.cumsum() for y in draws]
    taken = np.mean([season in choose_difference(y, season) for y in draws])
    assert taken <= 0.1


def weak_season_on_a_walk(seed, n_steps=240):
    # a season too weak for ARIMA's strength rule (Tourism's series are many
    # such), on a wandering level: ARIMA takes a first difference only
    rng = np.random.default_rng(seed)
    level = rng.normal(scale=0.5, size=n_steps).cumsum()
    return level + SEASON[:n_steps] / 10 + rng.normal(size=n_steps)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_significant_weak_season_is_differenced_for_a_network(seed):
    y = weak_season_on_a_walk(seed)
    assert seasonal_strength(y, 12) < 0.64  # ARIMA's rule does not see it
    assert choose_difference(y, season=12, rule="arima") == (1,)
    assert choose_difference(y, season=12) == (12,)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"rule": "ARIMA"}, "rule must be 'network' or 'arima'"),
        ({"seasonal_alpha": 0.0}, "seasonal_alpha must be a number in"),
        ({"seasonal_alpha": 1.5}, "seasonal_alpha must be a number in"),
        # refused whichever branch the series takes: SEASON's is significant,
        # so the KPSS tests that checked alpha and max_d are never run
        ({"alpha": 0.07}, "alpha must be one of"),
        ({"max_d": -1}, "max_d must be an int >= 0"),
        ({"max_d": None}, "max_d must be an int >= 0"),
        ({"seasonal_alpha": "0.01"}, "seasonal_alpha must be a number in"),
        ({"rule": "arima", "seasonal_alpha": 5}, "seasonal_alpha must be"),
    ],
)
def test_bad_rule_arguments_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        choose_difference(SEASON, season=12, **kwargs)
