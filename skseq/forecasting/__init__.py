"""Forecasting whole series: windowing, scaling, covariates, validation, backtests.

:class:`WindowedForecaster` turns any skseq sequence estimator (or a flattener plus
an sklearn regressor) into a forecaster of a series, so that ``window`` and
``horizon`` become hyperparameters; :class:`SeriesSplit` cross-validates it without
scoring a time step it trained on, and :class:`PanelSplit` does so on a panel of
many series, cutting each series at its own end; :class:`SimplestWithinOneSE`, as a
search's ``refit``, keeps the simplest candidate within one standard error of the
best; :func:`backtest` replays a period
day by day; :class:`ConformalForecaster` puts calibrated prediction intervals
around any forecaster; :func:`regularize` fills the gaps and missing values that
``WindowedForecaster`` refuses; :func:`infer_season` and :func:`choose_difference`
read a series' season from its index and the differences that make it stationary.
"""

from ._backtest import backtest
from ._conformal import ConformalForecaster
from ._panel_split import PanelSplit
from ._refit import SimplestWithinOneSE
from ._regularize import regularize
from ._seasonality import choose_difference, infer_season
from ._split import SeriesSplit
from ._windowed import WindowedForecaster

__all__ = [
    "ConformalForecaster",
    "PanelSplit",
    "SeriesSplit",
    "SimplestWithinOneSE",
    "WindowedForecaster",
    "backtest",
    "choose_difference",
    "infer_season",
    "regularize",
]
