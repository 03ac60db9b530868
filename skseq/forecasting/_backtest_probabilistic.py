"""Backtesting probabilistic forecasts: quantiles and intervals at every origin.

A scorer of :mod:`skseq.metrics` (``"neg_crps"``, ``"interval_coverage_80"``,
...) reads a model's forecasts by calling ``predict_quantiles`` or
``predict_interval`` on it, at levels it chooses itself (the learned
``quantiles_``, or 99 levels for the CRPS of a distribution head). Backtest
hands it :class:`WindowForecasts`, the same methods on every window of a
chunk of the series, so the levels are chosen, and the quantiles computed, as
in a search; then it scores each horizon step.
"""

import numpy as np

from ..estimators._probabilistic import probabilistic_kind
from ..metrics._probabilistic_scorer import ProbabilisticScorer
from ._conformal import ConformalForecaster
from ._probabilistic import _unwrapped, window_intervals, window_quantiles
from ._transforms import auto_lags_for, check_difference

__all__ = [
    "WindowForecasts",
    "check_probabilistic",
    "probabilistic_chunk",
    "probabilistic_step_scores",
    "probabilistic_scorers",
]


class WindowForecasts:
    """The probabilistic forecasts of every window of ``X`` by a fitted
    :class:`WindowedForecaster` ``model``, as a scorer reads a model's:
    ``predict_quantiles(X, quantiles=None)``, ``predict_interval(X,
    coverage)`` (their ``X`` is ignored: the windows are ``X``'s), the fitted
    ``quantiles_`` and ``estimator_`` (whose ``distribution_`` is the head).
    Each result is kept: ``"neg_interval_score_80"`` and
    ``"interval_coverage_80"`` read the same intervals."""

    def __init__(self, model, X):
        self.model, self.X = model, X
        self.estimator_ = model.estimator_
        self._kept = {}

    @property
    def quantiles_(self):
        return self.model.quantiles_

    def predict_quantiles(self, X=None, quantiles=None):
        """``(n_windows, horizon, n_targets, n_levels)``, in series units."""
        key = ("quantiles", None if quantiles is None else tuple(quantiles))
        if key not in self._kept:
            self._kept[key] = window_quantiles(self.model, self.X, quantiles)[0]
        return self._kept[key]

    def predict_interval(self, X=None, coverage=0.9):
        """``(lower, upper)``, ``(n_windows, horizon, n_targets)`` each."""
        key = ("interval", coverage)
        if key not in self._kept:
            self._kept[key] = window_intervals(self.model, self.X, coverage)
        return self._kept[key]


def probabilistic_scorers(scorers):
    """The names of the scorers of probabilistic forecasts among ``scorers``
    (``{name: SeriesScorer}``)."""
    return [
        name
        for name, scorer in scorers.items()
        if isinstance(scorer.scorer, ProbabilisticScorer)
    ]


def check_probabilistic(forecaster, scorers, fitted=False):
    """Refuse, before any fit, scorers of quantiles or intervals for a
    forecaster whose wrapped estimator cannot give them; ``fitted``: the
    forecaster is backtested as fitted (``refit=False``), so its fitted
    estimator and differences are checked, whatever ``set_params`` said since."""
    names = probabilistic_scorers(scorers)
    if not names:
        return
    estimator = _unwrapped(forecaster.estimator_) if fitted else forecaster.estimator
    lags = _differences(forecaster, fitted)
    loss = _loss(estimator)
    kind = probabilistic_kind(loss)
    for name in names:
        method = scorers[name].scorer.method
        if kind is not None:
            _refuse_quantile_head_with_difference(lags, kind, name)
            continue
        if method == "predict_interval" and _calibrates(estimator, loss):
            _refuse_interval_with_difference(estimator, lags, name)
            continue
        raise TypeError(_no_output(name, method, estimator, loss))


def probabilistic_chunk(model, rows, scorers):
    """``{name: (arrays, extra)}``: what each probabilistic scorer reads from
    ``model``'s forecasts of every window of ``rows``."""
    names = probabilistic_scorers(scorers)
    if not names:
        return {}
    windows = WindowForecasts(model, rows)
    return {name: scorers[name].scorer.forecasts(windows, None) for name in names}


def probabilistic_step_scores(name, scorer, y_true, chunks):
    """Scores of each horizon step's forecasts, then their mean, by one scorer
    of probabilistic forecasts; ``chunks``: its ``(arrays, extra)`` per chunk
    of forecasts, in the order of ``y_true``'s."""
    extra = chunks[0][1]
    for _, other in chunks[1:]:
        if not np.array_equal(np.asarray(other), np.asarray(extra)):
            raise ValueError(
                f"scoring={name!r}: the refitted models learned different "
                f"quantile levels ({extra} and {other}); a score needs one set."
            )
    arrays = [
        np.concatenate([chunk[0][j] for chunk in chunks])
        for j in range(len(chunks[0][0]))
    ]
    one = y_true.shape[2] == 1
    values = []
    for k in range(y_true.shape[1]):
        truth, parts = y_true[:, k], [array[:, k] for array in arrays]
        if one:
            truth, parts = truth[:, 0], [part[:, 0] for part in parts]
        values.append(scorer.score_forecasts(truth, tuple(parts), extra))
    return [*values, float(np.mean(values))]


def _loss(estimator):
    if not hasattr(estimator, "get_params"):
        return None
    return estimator.get_params(deep=False).get("loss")


def _calibrates(estimator, loss):
    """Whether ``estimator`` gives intervals of its own that are more than
    Monte Carlo dropout: a point-loss Keras forecaster (it has ``loss``) has
    only those, which measure the network's uncertainty, not the data's."""
    return hasattr(estimator, "predict_interval") and loss is None


def _no_output(name, method, estimator, loss):
    what = "quantile" if method == "predict_quantiles" else "interval"
    has = type(estimator).__name__
    if loss is not None:
        has += f" has the point loss {loss!r}"
        if method == "predict_interval":
            has += " (its predict_interval is Monte Carlo dropout: not calibrated)"
    else:
        has += f" has no {method}"
    fix = (
        "a forecaster fitted with a distribution or quantile loss (loss="
        "'gaussian', 'student_t', 'negative_binomial' or 'quantile')"
    )
    if method == "predict_interval":
        fix = (
            f"wrap {fix}, or ConformalForecaster(estimator) for calibrated "
            "intervals around any forecaster"
        )
    elif hasattr(estimator, "predict_interval"):
        fix = (
            "it gives intervals only: score them with "
            "'neg_interval_score_<coverage>' or 'interval_coverage_<coverage>', "
            f"or wrap {fix}"
        )
    else:
        fix = f"wrap {fix}"
    return f"scoring={name!r} scores {what} forecasts, but the wrapped {has}: {fix}."


def _differences(forecaster, fitted=False):
    """The lags of ``difference`` (fitted ones for ``"auto"``, else none);
    ``fitted``: the fitted ones."""
    if fitted:
        return forecaster.difference_
    lags = auto_lags_for(forecaster.estimator, check_difference(forecaster.difference))
    if lags == "auto":
        return getattr(forecaster, "difference_", ())
    return lags


def _refuse_quantile_head_with_difference(lags, kind, name):
    if kind == "quantile" and lags:
        raise ValueError(
            f"scoring={name!r}: quantiles of a differenced series cannot come "
            "from a quantile head (quantiles of a sum are not sums of "
            "quantiles). Use a distribution loss (loss='student_t' or "
            "'gaussian'), whose sample paths are integrated, or no difference."
        )


def _refuse_interval_with_difference(estimator, lags, name):
    """A ConformalForecaster calibrates the integrated level forecasts (CQR
    with explicit differences is refused by the forecaster's own fit)."""
    if isinstance(estimator, ConformalForecaster):
        return
    if lags:
        raise ValueError(
            f"scoring={name!r}: the wrapped estimator's intervals are not "
            "available with difference (bounds of differences do not add up "
            "to bounds of the series). Wrap ConformalForecaster(estimator), "
            "calibrated on the errors of the integrated level forecasts; use "
            "a distribution loss (loss='student_t'); or no difference."
        )
