"""Scorers by name: sklearn's regression scorers plus forecasting ones, on series."""

import copy
import re

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.metrics import get_scorer as sklearn_get_scorer
from sklearn.metrics import get_scorer_names as sklearn_get_scorer_names
from sklearn.metrics import make_scorer, r2_score
from sklearn.utils.metadata_routing import MetadataRequest

from ..windowing._blocks import row_leads
from ._probabilistic_scorer import (
    PROBABILISTIC_NAMES,
    ProbabilisticScorer,
    probabilistic_scorer,
    series_model,
)
from ._regression import (
    mean_absolute_error_per_horizon,
    mean_absolute_scaled_error,
    symmetric_mean_absolute_percentage_error,
)

__all__ = ["SeriesScorer", "get_scorer", "get_scorer_names"]

_MASE = re.compile(r"neg_mase(?:_(\d+))?")
_OWN = (
    "neg_mase",
    "neg_mase_<season>",
    "neg_smape",
    "neg_mae_per_horizon",
    *PROBABILISTIC_NAMES,
)


def get_scorer_names():
    """Names :func:`get_scorer` knows: sklearn's and skseq's forecasting ones.

    Returns
    -------
    names : list of str
        sklearn's scorer names, then ``"neg_mase"``, ``"neg_mase_<season>"``
        (e.g. ``"neg_mase_7"``), ``"neg_smape"``, ``"neg_mae_per_horizon"``,
        and the scorers of probabilistic forecasts ``"neg_mean_quantile_loss"``,
        ``"neg_crps"``, ``"neg_interval_score_<coverage>"`` and
        ``"interval_coverage_<coverage>"`` (e.g. ``"neg_interval_score_90"``).
    """
    return [*sklearn_get_scorer_names(), *_OWN]


def get_scorer(scoring):
    """A scorer for ``GridSearchCV(scoring=...)``, ``cross_validate`` and
    :func:`~skseq.forecasting.backtest`, by name.

    Besides sklearn's names (``"neg_mean_absolute_error"``,
    ``"neg_root_mean_squared_error"``, ...), skseq knows:

    - ``"neg_mase"``, ``"neg_mase_<season>"``: minus
      :func:`mean_absolute_scaled_error` with ``season=1`` or the given season
      (``"neg_mase_7"`` for daily data with a weekly pattern). Its scale, the
      seasonal naive error, is measured in-sample, as MASE is defined: on the
      targets of the series the model was fitted on (a
      :class:`~skseq.forecasting.WindowedForecaster`'s ``train_targets_``:
      in ``GridSearchCV`` with :class:`~skseq.forecasting.SeriesSplit`, the
      fold's training rows, in either mode; in
      :func:`~skseq.forecasting.backtest`, the rows each model was fitted on).
      Other estimators keep no series: for them it is measured on ``y_true``,
      whose rows must then be consecutive time steps;
    - ``"neg_smape"``: minus :func:`symmetric_mean_absolute_percentage_error`;
    - ``"neg_mae_per_horizon"``: minus the MAE of each forecast step, a dict
      ``{"neg_mae_h1": ..., "neg_mae_h<horizon>": ..., "neg_mae": ...}`` (pass it
      alone as ``scoring``, with ``refit="neg_mae"`` or a step's key).
      ``"neg_mae"`` is the mean of the steps' entries, each step weighing the
      same: in row mode (``predict`` of a ``WindowedForecaster``'s test rows,
      each block of ``horizon`` rows one forecast) the last steps may have
      fewer rows, and it then differs from minus the MAE of all the rows;
    - ``"neg_mean_quantile_loss"``: minus :func:`mean_quantile_loss` of
      ``estimator.predict_quantiles(X)`` at the levels it was fitted on
      (``estimator.quantiles_``);
    - ``"neg_crps"``: minus :func:`continuous_ranked_probability_score`, from
      quantiles (twice their mean pinball loss): a distribution head's at 99
      levels, 0.01 to 0.99; a quantile head's at its learned levels only, close
      to the CRPS only with many evenly spread levels (at 0.05, 0.5, 0.95 a
      standard normal forecast reads 0.40, its CRPS is 0.56). It ranks quantile
      heads of the same levels, not a quantile head against a distribution
      head: compare those with ``"neg_mean_quantile_loss"`` (both read at
      ``quantiles_``);
    - ``"neg_interval_score_<coverage>"``: minus :func:`interval_score` of
      ``estimator.predict_interval(X, coverage=coverage / 100)``, for a
      coverage in percent from 1 to 99 (``"neg_interval_score_90"``);
    - ``"interval_coverage_<coverage>"``: :func:`interval_coverage` of the
      same intervals, a diagnostic to report beside a score (e.g. in
      ``cross_validate``), **not** to select by: the widest intervals cover
      most. Compare it with the nominal coverage.

    The scorers of probabilistic forecasts call those methods by name, on the
    estimator, the final step of a ``Pipeline`` or a search's
    ``best_estimator_`` (a ``TypeError`` names an estimator without them);
    they need ``y``. :func:`~skseq.forecasting.backtest` scores with them the
    quantiles or intervals of the model behind each forecast, per step ahead.

    Every scorer returned is a :class:`SeriesScorer`: it also scores 3D targets
    ``(n_samples, horizon, n_targets)`` (flattened per sample) and a
    :class:`~skseq.forecasting.WindowedForecaster` fitted without ``y``.

    Parameters
    ----------
    scoring : str or callable
        A name from :func:`get_scorer_names`, or a scorer
        ``scorer(estimator, X, y)`` (e.g. from ``sklearn.metrics.make_scorer``),
        wrapped as is.

    Returns
    -------
    scorer : SeriesScorer

    Examples
    --------
    >>> from skseq.metrics import get_scorer
    >>> get_scorer("neg_mase_7")
    SeriesScorer('neg_mase_7')
    """
    if isinstance(scoring, SeriesScorer):
        return scoring
    if callable(scoring):
        return SeriesScorer(scoring, name=getattr(scoring, "__name__", None))
    if not isinstance(scoring, str):
        raise TypeError(f"scoring must be a name or a scorer; got {scoring!r}.")
    match = _MASE.fullmatch(scoring)
    if match:
        season = int(match.group(1) or 1)
        if season < 1:
            raise ValueError(f"{scoring!r}: the season must be at least 1.")
        inner = _NegMASE(season)
    elif scoring == "neg_smape":
        inner = make_scorer(
            symmetric_mean_absolute_percentage_error, greater_is_better=False
        )
    elif scoring == "neg_mae_per_horizon":
        inner = _per_horizon_mae
    elif scoring in sklearn_get_scorer_names():
        inner = sklearn_get_scorer(scoring)
    elif (probabilistic := probabilistic_scorer(scoring)) is not None:
        inner = probabilistic
    else:
        raise ValueError(
            f"{scoring!r} is not a scorer name skseq knows; see "
            "skseq.metrics.get_scorer_names() (sklearn's names and "
            f"{', '.join(_OWN)}), or pass sklearn.metrics.make_scorer(metric)."
        )
    return SeriesScorer(inner, name=scoring)


class SeriesScorer:
    """A scorer ``scorer(estimator, X, y=None)`` for forecasts of series.

    It calls ``scorer`` -- any sklearn scorer -- with two extensions, so that
    the same names work wherever skseq forecasts:

    - 3D targets ``(n_samples, horizon, n_targets)``, which sklearn's metrics
      refuse, are flattened to ``(n_samples, horizon * n_targets)`` together with
      the forecasts (the metric then averages over the outputs, as for 2D
      targets);
    - with ``y=None`` and a :class:`~skseq.forecasting.WindowedForecaster` fitted
      without ``y``, the truths are read from ``X``: every forecast whose
      ``horizon`` steps lie in ``X`` after its first ``window`` rows is scored,
      as ``WindowedForecaster.score`` does;
    - for a model of a panel (``WindowedForecaster(series_id=...)``), the score
      of each series, averaged over the series with equal weight, as the M
      competitions score: MASE with each series' own training scale.
    - a scorer of probabilistic forecasts (``"neg_crps"``,
      ``"neg_interval_score_90"``, ...) gets the fitted estimator itself, whose
      ``predict_quantiles`` or ``predict_interval`` it calls (with ``y``).

    What a forecaster of series keeps (``train_targets_``, ``horizon_``, its
    panel layout) is read from the estimator, or from the final step of a
    ``Pipeline`` or a search's ``best_estimator_``.

    Parameters
    ----------
    scorer : callable
        ``scorer(estimator, X, y) -> float`` (or a dict of floats).
    name : str, default=None
        Shown in the ``repr``.
    """

    def __init__(self, scorer, *, name=None):
        self.scorer = scorer
        self.name = name

    def __call__(self, estimator, X, y=None, **kwargs):
        check_truth = getattr(estimator, "_check_truth", None)
        if y is not None and check_truth is not None:
            check_truth(X, y)  # y must be X's targets, which predict(X) reads
        self._check_weights(kwargs)
        if isinstance(self.scorer, ProbabilisticScorer):
            return _probabilistic_score(self.scorer, estimator, X, y)
        model = series_model(estimator)  # a Pipeline's final step
        if getattr(model, "series_layout_", None) is not None:
            return _panel_score(self, estimator, model, X, y, kwargs)
        if kwargs and y is None:
            raise TypeError(_WEIGHTS_NEED_Y.format(", ".join(kwargs)))
        given_y = y is not None
        if y is None:
            y, y_pred = _truths_from_series(estimator, X)
        else:
            y_pred = estimator.predict(X)
        y_true = np.asarray(y)
        n_steps = getattr(model, "horizon_", None)
        if y_true.ndim == 3:
            n_steps = y_true.shape[1]  # (n_samples, horizon, n_targets)
            y_true = y_true.reshape(len(y_true), -1)
            y_pred = np.asarray(y_pred).reshape(len(y_true), -1)
            y = y_true
        if self.scorer is _per_horizon_mae:
            rows = given_y and hasattr(model, "window_forecasts")
            y, y_pred = np.asarray(y), np.asarray(y_pred)
            return _per_horizon_mae(y, y_pred, rows, n_steps)
        y_train, ends = _training_series(model)
        fixed = FixedForecasts(y_pred, y_train=y_train, train_ends=ends)
        return self.scorer(fixed, X, y, **kwargs)

    def __repr__(self):
        return f"SeriesScorer({self.name!r})"

    def set_score_request(self, **kwargs):
        """Request metadata (``sample_weight``) for scoring, as sklearn's scorers do.

        Under sklearn's metadata routing (``sklearn.set_config(
        enable_metadata_routing=True)``), ``GridSearchCV`` and ``cross_validate``
        pass ``sample_weight`` to the scorer only when it is requested; the
        request is set on a copy of the wrapped sklearn scorer.

        Parameters
        ----------
        **kwargs : bool, None or str
            E.g. ``sample_weight=True``.

        Returns
        -------
        self : SeriesScorer
        """
        if not self._takes_weights():
            raise TypeError(
                f"{self.name} takes no {', '.join(kwargs)}: it weighs every "
                "forecast equally, so there is nothing to request."
            )
        if not hasattr(self.scorer, "set_score_request"):
            raise TypeError(
                f"The wrapped scorer {self.scorer!r} has no set_score_request: "
                "build it with sklearn.metrics.make_scorer to route metadata."
            )
        self.scorer = copy.deepcopy(self.scorer).set_score_request(**kwargs)
        return self

    def get_metadata_routing(self):
        """The metadata requested by the wrapped scorer (none for skseq's own).

        Returns
        -------
        routing : MetadataRequest
        """
        inner = getattr(self.scorer, "get_metadata_routing", None)
        if inner is not None and self._takes_weights():
            return inner()
        return MetadataRequest(owner=repr(self))

    def _takes_weights(self):
        unweighted = self.scorer is _per_horizon_mae or isinstance(
            self.scorer, (_NegMASE, ProbabilisticScorer)
        )
        return not (unweighted or self.name == "neg_smape")

    def _check_weights(self, kwargs):
        """Refuse ``sample_weight`` for the scorers that cannot weigh forecasts
        (their metrics take no weights: a raw ``TypeError`` came from inside)."""
        if kwargs and not self._takes_weights():
            raise TypeError(
                f"{self.name} takes no {', '.join(kwargs)}: it weighs every "
                "forecast equally."
            )


_WEIGHTS_NEED_Y = (
    "{} weigh the rows of X, but without y a series is scored on the forecasts "
    "of its windows: pass y to weigh its rows."
)


class FixedForecasts(RegressorMixin, BaseEstimator):
    """A regressor whose ``predict`` returns forecasts made beforehand, so that
    a scorer ``scorer(estimator, X, y)`` can score them.

    Parameters
    ----------
    forecasts : array-like
        What ``predict`` returns, whatever its input.
    y_train : array-like of shape (n_train,) or (n_train, n_targets), default=None
        The training (in-sample) targets of the model that made the forecasts,
        rows in time order; MASE scorers measure their scale on it.
    train_ends : array-like of int of shape (n_samples,), default=None
        For forecasts of several models fitted on prefixes of one series: the
        number of first rows of ``y_train`` each forecast's model was fitted on
        (``None``: all of them).
    """

    def __init__(self, forecasts, *, y_train=None, train_ends=None):
        self.forecasts = forecasts
        self.y_train = y_train
        self.train_ends = train_ends

    def fit(self, X=None, y=None):
        """Nothing to learn; returns ``self``.

        Parameters
        ----------
        X, y : object, default=None
            Ignored: the forecasts were made beforehand.

        Returns
        -------
        self : FixedForecasts
            This estimator, unchanged.
        """
        return self

    def predict(self, X=None):
        """The forecasts given at construction.

        Parameters
        ----------
        X : object, default=None
            Ignored: the same forecasts are returned whatever ``X`` holds.

        Returns
        -------
        forecasts : array-like
            ``forecasts`` as given, not copied.
        """
        return self.forecasts


def _probabilistic_score(scorer, estimator, X, y):
    if isinstance(estimator, FixedForecasts):
        raise TypeError(
            f"{scorer.name} scores the {scorer.method} of a fitted model, but "
            "got point forecasts made beforehand (FixedForecasts, as backtest "
            "scores them): use it in GridSearchCV or cross_validate, or call "
            "the metric on the model's forecasts."
        )
    return scorer(estimator, X, y)


def _panel_score(scorer, estimator, model, X, y, kwargs):
    """``scorer`` of each series of the panel ``X``, averaged over the series;
    ``model``: the panel model (``estimator`` or its Pipeline's final step)."""
    from ..windowing._panel import panel_rows

    rows = panel_rows(X, model.series_id_)
    positions = rows.positions()
    if y is not None:
        y_pred = np.asarray(estimator.predict(X), dtype=np.float64)
        y_pred = y_pred.reshape(len(rows.codes), -1)
        y_true = np.asarray(y, dtype=np.float64).reshape(len(y_pred), -1)
    scores = []
    for code, rows_of_series in enumerate(positions):
        series_id = rows.ids[code]
        if y is None:
            part = _one_series(X, rows, series_id, rows_of_series)
            truth, forecast = _truths_from_series(estimator, part)
            truth = truth.reshape(len(truth), -1)
            forecast = forecast.reshape(len(truth), -1)
        else:
            truth, forecast = y_true[rows_of_series], y_pred[rows_of_series]
        if truth.shape[1] == 1:
            truth, forecast = truth[:, 0], forecast[:, 0]
        _check_rows_for(scorer, truth, series_id)
        own = _rows_of(kwargs, rows_of_series, len(rows.codes), y is not None)
        try:
            scores.append(
                _series_score(scorer, model, series_id, truth, forecast, y, own)
            )
        except ValueError as error:
            raise ValueError(f"series {series_id!r} of the panel: {error}") from None
    if isinstance(scores[0], dict):
        return {key: float(np.mean([s[key] for s in scores])) for key in scores[0]}
    return float(np.mean(scores))


def _series_score(scorer, model, series_id, truth, forecast, y, kwargs):
    """``scorer`` of one series of a panel (MASE on its own training part)."""
    if scorer.scorer is _per_horizon_mae:
        given_y = y is not None  # forecasts per row, as predict's
        return _per_horizon_mae(truth, forecast, given_y, model.horizon_)
    y_train = model.train_targets_.get(series_id)
    fixed = FixedForecasts(forecast, y_train=y_train)
    return scorer.scorer(fixed, None, truth, **kwargs)


def _rows_of(kwargs, positions, n_rows, given_y):
    """A scorer's per-row arguments (``sample_weight``) for one series' rows."""
    if kwargs and not given_y:
        raise TypeError(_WEIGHTS_NEED_Y.format(", ".join(kwargs)))
    own = {}
    for key, value in kwargs.items():
        if np.ndim(value) == 1 and len(value) == n_rows:
            value = np.asarray(value)[positions]
        own[key] = value
    return own


def _check_rows_for(scorer, truth, series_id):
    """R^2 of one row is undefined (sklearn returns NaN with a warning, and a
    search then ranks NaN scores): refuse it, naming the fix."""
    score_func = getattr(scorer.scorer, "_score_func", None)
    if len(truth) < 2 and (scorer.name == "r2" or score_func is r2_score):
        raise ValueError(
            f"series {series_id!r} of the panel has {len(truth)} row(s) to score; "
            "R^2 needs 2. With PanelSplit, pass test_size >= 2 (its default is "
            "horizon), or score each row: scoring=get_scorer('neg_mase_<season>') "
            "or get_scorer('neg_mean_absolute_error')."
        )


def _one_series(X, rows, series_id, positions):
    """The rows of one series of a panel, as a panel of one."""
    if isinstance(X, dict):
        return {series_id: X[series_id]}
    return X.iloc[positions]


def _training_series(estimator):
    """The in-sample targets behind an estimator's forecasts (duck typing), and
    per forecast how many of their rows its model saw; (None, None) if unknown."""
    if isinstance(estimator, FixedForecasts):
        return estimator.y_train, estimator.train_ends
    return getattr(estimator, "train_targets_", None), None


class _NegMASE:
    """Minus MASE, ``scorer(estimator, X, y_true)``, scaled by the seasonal naive
    error of ``estimator.y_train`` (of its first ``train_ends[i]`` rows for
    forecast ``i``), else of ``y_true``."""

    def __init__(self, season):
        self.season = season

    def __call__(self, estimator, X, y_true):
        y_pred = estimator.predict(X)
        y_train = getattr(estimator, "y_train", None)
        if y_train is None:
            return -mean_absolute_scaled_error(y_true, y_pred, season=self.season)
        y_true = np.asarray(y_true, dtype=np.float64).reshape(len(y_true), -1)
        y_pred = np.asarray(y_pred, dtype=np.float64).reshape(len(y_true), -1)
        reference = _per_output(y_train, y_true.shape[1])
        ends = estimator.train_ends
        if ends is None:
            ends = np.full(len(y_true), len(reference))
        ends = np.asarray(ends)
        total = 0.0
        for end in np.unique(ends):
            rows = ends == end
            mase = mean_absolute_scaled_error(
                y_true[rows], y_pred[rows], season=self.season, y_train=reference[:end]
            )
            total += rows.sum() * mase
        return -total / len(y_true)


def _per_output(y_train, n_outputs):
    """Training targets (n_train, n_targets) repeated for outputs that are
    ``horizon`` steps of each target (flattened (horizon, n_targets))."""
    y_train = np.asarray(y_train, dtype=np.float64).reshape(len(y_train), -1)
    n_targets = y_train.shape[1]
    if n_outputs != n_targets and n_outputs % n_targets == 0:
        return np.tile(y_train, (1, n_outputs // n_targets))
    return y_train


def _truths_from_series(estimator, X):
    # Duck-typed (metrics sit below forecasting): a forecaster of whole series,
    # such as WindowedForecaster, pairs each window's truths and forecasts.
    if not hasattr(estimator, "window_forecasts"):
        raise ValueError(
            f"Scoring {type(estimator).__name__} needs the true values y: pass y "
            "to fit/cross_validate/the search."
        )
    return estimator.window_forecasts(X)


def _per_horizon_mae(y_true, y_pred, rows, n_steps=None):
    """{"neg_mae_h1": ..., "neg_mae": ...} from forecasts per row (``rows``:
    a WindowedForecaster's ``predict``) or per sample, whose ``y_true`` is
    ``(n_samples, n_steps * n_targets)`` (``None``: one column per step)."""
    if rows:
        horizon = n_steps
        if len(y_true) < horizon:
            raise ValueError(
                f"neg_mae_per_horizon scores each of the {horizon} steps ahead, "
                f"but got {len(y_true)} row(s) to score: pass at least horizon "
                "rows (e.g. test_size >= horizon)."
            )
        leads = row_leads(len(y_true), horizon)
        y_true = np.asarray(y_true, dtype=np.float64).reshape(len(y_true), -1)
        y_pred = np.asarray(y_pred, dtype=np.float64).reshape(len(y_true), -1)
        if not (np.isfinite(y_true).all() and np.isfinite(y_pred).all()):
            raise ValueError("y_true and y_pred must not contain NaN or infinity.")
        errors = [np.abs(y_true - y_pred)[leads == k].mean() for k in range(horizon)]
    else:
        if y_true.ndim == 1:
            y_true, y_pred = y_true[:, None], np.asarray(y_pred)[:, None]
        shape = (len(y_true), n_steps or y_true.shape[1], -1)
        errors = mean_absolute_error_per_horizon(
            y_true.reshape(shape), np.reshape(y_pred, shape)
        )
    scores = {f"neg_mae_h{k + 1}": -float(e) for k, e in enumerate(errors)}
    scores["neg_mae"] = float(np.mean(list(scores.values())))
    return scores
