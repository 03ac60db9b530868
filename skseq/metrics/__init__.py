"""Forecasting metrics and scorers by name (no Keras needed).

:func:`mean_absolute_scaled_error` (MASE),
:func:`symmetric_mean_absolute_percentage_error` (sMAPE) and
:func:`mean_absolute_error_per_horizon` complete sklearn's regression metrics;
:func:`get_scorer` turns sklearn's scorer names and skseq's (``"neg_mase_7"``,
``"neg_smape"``, ``"neg_mae_per_horizon"``) into scorers for ``GridSearchCV``,
``cross_validate`` and :func:`~skseq.forecasting.backtest`; :func:`panel_error`
scores a panel of many series as the M competitions do, per series then averaged.
"""

from ._panel import panel_error
from ._regression import (
    mean_absolute_error_per_horizon,
    mean_absolute_scaled_error,
    symmetric_mean_absolute_percentage_error,
)
from ._scorer import FixedForecasts, SeriesScorer, get_scorer, get_scorer_names

__all__ = [
    "FixedForecasts",
    "SeriesScorer",
    "get_scorer",
    "get_scorer_names",
    "mean_absolute_error_per_horizon",
    "mean_absolute_scaled_error",
    "panel_error",
    "symmetric_mean_absolute_percentage_error",
]
