"""Forecasting metrics and scorers by name (no Keras needed).

:func:`mean_absolute_scaled_error` (MASE),
:func:`symmetric_mean_absolute_percentage_error` (sMAPE) and
:func:`mean_absolute_error_per_horizon` complete sklearn's regression metrics;
:func:`get_scorer` turns sklearn's scorer names and skseq's (``"neg_mase_7"``,
``"neg_smape"``, ``"neg_mae_per_horizon"``) into scorers for ``GridSearchCV``,
``cross_validate`` and :func:`~skseq.forecasting.backtest`; :func:`panel_error`
scores a panel of many series as the M competitions do, per series then averaged.

Probabilistic forecasts have proper scoring rules of their own:
:func:`mean_quantile_loss` (pinball loss over several quantile levels),
:func:`continuous_ranked_probability_score` (CRPS, from samples or quantiles),
:func:`interval_score` and the diagnostic :func:`interval_coverage`, with
scorers ``"neg_mean_quantile_loss"``, ``"neg_crps"``,
``"neg_interval_score_<coverage>"`` and ``"interval_coverage_<coverage>"``.
"""

from ._panel import panel_error
from ._probabilistic import (
    continuous_ranked_probability_score,
    interval_coverage,
    interval_score,
    mean_quantile_loss,
)
from ._regression import (
    mean_absolute_error_per_horizon,
    mean_absolute_scaled_error,
    symmetric_mean_absolute_percentage_error,
)
from ._scorer import FixedForecasts, SeriesScorer, get_scorer, get_scorer_names

__all__ = [
    "FixedForecasts",
    "SeriesScorer",
    "continuous_ranked_probability_score",
    "get_scorer",
    "get_scorer_names",
    "interval_coverage",
    "interval_score",
    "mean_absolute_error_per_horizon",
    "mean_absolute_scaled_error",
    "mean_quantile_loss",
    "panel_error",
    "symmetric_mean_absolute_percentage_error",
]
