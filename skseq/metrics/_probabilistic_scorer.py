"""Scorers of probabilistic forecasts, read from a fitted model by method name.

Metrics sit below estimators and forecasting, so these scorers duck-type: they
call ``predict_quantiles(X)`` (levels in ``quantiles_``) or
``predict_interval(X, coverage=...)`` on the model, on the final step of a
``Pipeline`` (after its transforms), or on a search's ``best_estimator_``.
"""

import re

import numpy as np

from ._probabilistic import (
    continuous_ranked_probability_score,
    interval_coverage,
    interval_score,
    mean_quantile_loss,
)

__all__ = [
    "PROBABILISTIC_NAMES",
    "ProbabilisticScorer",
    "probabilistic_scorer",
    "series_model",
]

PROBABILISTIC_NAMES = (
    "neg_mean_quantile_loss",
    "neg_crps",
    "neg_interval_score_<coverage>",
    "interval_coverage_<coverage>",
)
_INTERVAL = re.compile(r"(neg_interval_score|interval_coverage)_(\d+)")
_HINTS = {
    "predict_quantiles": "fit a forecaster with loss='quantile'",
    "predict_interval": (
        "wrap it, e.g. skseq.forecasting.ConformalForecaster(estimator), for "
        "calibrated intervals"
    ),
}


def probabilistic_scorer(name):
    """The :class:`ProbabilisticScorer` called ``name``, or None if ``name`` is
    not one of :data:`PROBABILISTIC_NAMES`."""
    if name in ("neg_mean_quantile_loss", "neg_crps"):
        return QuantileScorer(name)
    match = _INTERVAL.fullmatch(name)
    if match is None:
        return None
    percent = int(match.group(2))
    if not 1 <= percent <= 99:
        raise ValueError(
            f"{name!r}: the coverage is a percent from 1 to 99, e.g. "
            f"'{match.group(1)}_90' for 90% intervals."
        )
    return IntervalScorer(name, percent / 100)


class ProbabilisticScorer:
    """``scorer(estimator, X, y)``: a score (greater is better) of the
    estimator's probabilistic forecasts of ``X`` against ``y``; for a model of
    a panel, the score of each series averaged over the series.

    Subclasses set ``method`` and define ``forecasts`` and ``_score``.
    :func:`~skseq.forecasting.backtest` calls the two halves itself:
    :meth:`forecasts` on the forecasts of every origin, then
    :meth:`score_forecasts` on those of each horizon step.
    """

    method = None

    def __init__(self, name):
        self.name = name

    def __call__(self, estimator, X, y):
        if y is None:
            raise ValueError(
                f"{self.name} scores {self.method}(X) against the true values: "
                "pass y (for a WindowedForecaster: search.fit(series, series))."
            )
        arrays, extra = self.forecasts(estimator, X)
        y_true = np.asarray(y, dtype=np.float64)
        model = series_model(estimator)
        if getattr(model, "series_layout_", None) is None:
            return self.score_forecasts(y_true, arrays, extra)
        return self._panel_score(model, X, y_true, arrays, extra)

    def forecasts(self, estimator, X):
        """``(arrays, extra)``: the forecasts of ``X`` this scorer reads from
        ``estimator`` (quantiles, or an interval's bounds, each with ``y``'s
        shape plus any last axis of levels) and what scoring them needs
        besides (the levels)."""
        raise NotImplementedError

    def score_forecasts(self, y_true, arrays, extra):
        """The score (greater is better) of ``forecasts``' output against
        ``y_true``, of the same first axes."""
        try:
            return float(self._score(y_true, arrays, extra))
        except ValueError as error:
            raise ValueError(f"{self.name}, from {self.method}(X): {error}") from None

    def _panel_score(self, estimator, X, y_true, arrays, extra):
        from ..windowing._panel import panel_rows

        rows = panel_rows(X, estimator.series_id_)
        scores = []
        for code, positions in enumerate(rows.positions()):
            parts = tuple(array[positions] for array in arrays)
            try:
                scores.append(self.score_forecasts(y_true[positions], parts, extra))
            except ValueError as error:
                raise ValueError(
                    f"series {rows.ids[code]!r} of the panel: {error}"
                ) from None
        return float(np.mean(scores))

    def _find(self, estimator):
        """``estimator.<method>`` as ``callable(X, **kwargs)``, and its owner."""
        return _find_method(estimator, self.method, self.name)

    def __repr__(self):
        return f"{type(self).__name__}({self.name!r})"


# Levels at which neg_crps reads a distribution head: 2 x their mean pinball
# loss is within about 1% of the exact CRPS of a Gaussian forecast.
CRPS_LEVELS = tuple(np.round(np.linspace(0.01, 0.99, 99), 2))


class QuantileScorer(ProbabilisticScorer):
    """Minus :func:`mean_quantile_loss` or minus the CRPS (from quantiles) of
    ``predict_quantiles(X)`` at the fitted levels ``quantiles_``.

    ``neg_crps`` of a distribution head (``distribution_`` other than
    ``"quantile"``) reads 99 levels, 0.01 to 0.99, whatever its
    ``quantiles_``: the CRPS of its distribution, comparable between heads.
    A quantile head has its learned levels only, so its CRPS (and every
    ``neg_mean_quantile_loss``) depends on them: compare quantile heads that
    learned the same levels.
    """

    method = "predict_quantiles"

    def forecasts(self, estimator, X):
        predict_quantiles, owner = self._find(estimator)
        levels = getattr(owner, "quantiles_", None)
        if levels is None:
            raise TypeError(
                f"{self.name} needs the quantile levels the model was fitted on, "
                f"in quantiles_; {type(owner).__name__} has none."
            )
        if self.name == "neg_crps" and _distribution(owner) not in (None, "quantile"):
            levels = CRPS_LEVELS
            y_quantiles = predict_quantiles(X, quantiles=levels)
        else:
            y_quantiles = predict_quantiles(X)
        return (_levels_last(y_quantiles),), levels

    def _score(self, y_true, arrays, levels):
        if self.name == "neg_crps":
            return -continuous_ranked_probability_score(
                y_true, y_quantiles=arrays[0], quantiles=levels
            )
        return -mean_quantile_loss(y_true, arrays[0], levels)


class IntervalScorer(ProbabilisticScorer):
    """Minus :func:`interval_score`, or :func:`interval_coverage`, of
    ``predict_interval(X, coverage=coverage)``."""

    method = "predict_interval"

    def __init__(self, name, coverage):
        super().__init__(name)
        self.coverage = coverage

    def forecasts(self, estimator, X):
        predict_interval, _ = self._find(estimator)
        bounds = predict_interval(X, coverage=self.coverage)
        lower, upper = (np.asarray(bound, dtype=np.float64) for bound in bounds)
        return (lower, upper), None

    def _score(self, y_true, arrays, _):
        if self.name.startswith("interval_coverage"):
            return interval_coverage(y_true, *arrays)
        return -interval_score(y_true, *arrays, self.coverage)


def _levels_last(y_quantiles):
    """Quantile forecasts as an array whose last axis is the levels: a frame of
    several targets (columns ``(target, level)``, as a WindowedForecaster's
    ``predict_quantiles`` returns them) becomes ``(n, n_targets, n_levels)``."""
    columns = getattr(y_quantiles, "columns", None)
    values = np.asarray(y_quantiles, dtype=np.float64)
    if getattr(columns, "nlevels", 1) != 2:
        return values
    targets = columns.get_level_values(0).unique()
    return values.reshape(len(values), len(targets), -1)


def _distribution(owner):
    """The head of ``owner`` (``distribution_``), read through a
    WindowedForecaster's ``estimator_``."""
    kind = getattr(owner, "distribution_", None)
    if kind is None:
        kind = getattr(getattr(owner, "estimator_", None), "distribution_", None)
    return kind


def _find_method(estimator, method, scorer_name):
    """``(callable(X, **kwargs), owner)``: ``estimator.<method>``, else that of a
    search's ``best_estimator_`` or of a Pipeline's final step after its
    transforms; TypeError when none has it."""
    if hasattr(estimator, method):
        return getattr(estimator, method), estimator
    best = getattr(estimator, "best_estimator_", None)
    if best is not None:
        return _find_method(best, method, scorer_name)
    steps = getattr(estimator, "steps", None)
    if isinstance(steps, list) and steps:
        final, owner = _find_method(steps[-1][1], method, scorer_name)
        transforms = [step for _, step in steps[:-1] if not _is_passthrough(step)]

        def through_pipeline(X, **kwargs):
            for step in transforms:
                X = step.transform(X)
            return final(X, **kwargs)

        return through_pipeline, owner
    raise TypeError(
        f"{scorer_name} needs an estimator with {method}; "
        f"{type(estimator).__name__} has none: {_HINTS[method]}."
    )


def series_model(estimator):
    """The model behind ``estimator`` that holds what a series scorer reads
    (``train_targets_``, ``horizon_``, ``series_layout_``): a search's
    ``best_estimator_``, a Pipeline's final step, else ``estimator`` itself."""
    best = getattr(estimator, "best_estimator_", None)
    if best is not None:
        return series_model(best)
    steps = getattr(estimator, "steps", None)
    if isinstance(steps, list) and steps:
        return series_model(steps[-1][1])
    return estimator


def _is_passthrough(step):
    return step is None or (isinstance(step, str) and step == "passthrough")
