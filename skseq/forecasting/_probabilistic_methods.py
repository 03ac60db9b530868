"""The probabilistic methods of :class:`WindowedForecaster`: intervals,
quantiles and sample paths in the units of the series.

A mixin so that ``_windowed.py`` keeps the point forecasts; the work is done by
the functions of :mod:`._probabilistic` (one series) and :mod:`._panel_predict`
(panels): ``predict_*`` forecast every row of ``X`` as ``predict`` does,
``forecast_*`` the steps after ``X`` as ``forecast`` does. The host provides
``target_names_``,
``estimator_``, ``_refuse_future`` and ``_format_forecast``.
"""

from sklearn.utils.validation import check_is_fitted

from ..utils._validation import check_coverage, check_int
from . import _panel as panel
from . import _panel_predict as panel_predict
from ._probabilistic import (
    forecast_interval,
    forecast_quantiles,
    forecast_samples,
    format_with_levels,
    interval_rows,
    quantile_rows,
    sample_rows,
)

__all__ = ["ProbabilisticMethodsMixin"]


class ProbabilisticMethodsMixin:
    """``predict_interval``, ``predict_quantiles``, ``predict_samples``, their
    ``forecast_*`` counterparts and ``quantiles_`` of a
    :class:`WindowedForecaster`."""

    def predict_interval(self, X, coverage=0.9, future=None):
        """Interval around :meth:`predict`'s forecast of every row of ``X``.

        The rows are forecast as :meth:`predict` forecasts them (``X`` right
        after the series seen in ``fit``); :meth:`forecast_interval` gives the
        interval of the steps after ``X``, and says where the bounds come from.

        Parameters
        ----------
        X : pandas.Series or pandas.DataFrame
            The rows to forecast, as for :meth:`predict`.
        coverage : float, default=0.9
            Nominal share of true values inside the interval, in (0, 1).
        future : None, default=None
            Must be None (see :meth:`predict`).

        Returns
        -------
        lower, upper : pandas.Series or pandas.DataFrame
            Bounds shaped and indexed like :meth:`predict`'s output.
        """
        check_is_fitted(self)
        coverage = check_coverage(coverage)
        self._refuse_future(future, "predict_interval")
        if panel.is_panel(self):
            return panel_predict.interval_panel_rows(self, X, coverage)
        lower, upper, index = interval_rows(self, X, coverage)
        return self._format_forecast(lower, index), self._format_forecast(upper, index)

    def forecast_interval(self, X, coverage=0.9, future=None):
        """Interval around :meth:`forecast`: the ``horizon`` steps after ``X``,
        from the wrapped estimator's own.

        A wrapped estimator fitted with a probabilistic ``loss`` gives the
        ``(1 - coverage) / 2`` and ``(1 + coverage) / 2`` quantiles of
        :meth:`forecast_quantiles` (with ``difference``, from integrated sample
        paths of a distribution head). Otherwise the wrapped estimator's
        ``predict_interval`` (e.g. a :class:`ConformalForecaster`, calibrated;
        or a Keras forecaster's MC dropout, which is not) is called on the last
        window, and its bounds are mapped back to the units of the series like
        the forecast (scaling and ``target_transform`` undone; both are
        monotone, so the bounds stay bounds).

        With ``difference``, bounds on differences do not add up to bounds on
        levels, so a :class:`ConformalForecaster` (``method="absolute"``) is
        calibrated on the levels instead: each calibration window's signed
        residuals of the differences are integrated to the errors of its
        level forecasts, and the conformal quantile of their absolute values,
        per step and target, is added to and subtracted from the integrated
        forecast (in the units of ``target_transform``, then inverted). Other
        intervals are refused with ``difference`` (CQR, MC dropout):
        ``ConformalForecaster(method="cqr")`` already in ``fit`` when the lags
        are given, at the interval when ``difference="auto"`` chose some.

        Parameters
        ----------
        X : pandas.Series, pandas.DataFrame or array-like
            The series up to the present, as for :meth:`forecast`.
        coverage : float, default=0.9
            Nominal share of true values inside the interval, in (0, 1).
        future : pandas.DataFrame, pandas.Series, array-like or None, default=None
            Future covariates, as for :meth:`forecast`.

        Returns
        -------
        lower, upper : pandas.Series, pandas.DataFrame or ndarray
            Bounds shaped and dated like :meth:`forecast`'s output.
        """
        check_is_fitted(self)
        coverage = check_coverage(coverage)
        if panel.is_panel(self):
            return panel_predict.predict_interval_panel(self, X, coverage, future)
        lower, upper, index = forecast_interval(self, X, coverage, future)
        return self._format_forecast(lower, index), self._format_forecast(upper, index)

    def predict_quantiles(self, X, quantiles=None, future=None):
        """Quantiles of :meth:`predict`'s forecast of every row of ``X`` (so
        that sklearn's scorers compare them with ``y``), in the units of the
        series; :meth:`forecast_quantiles` gives those of the steps after ``X``.

        Parameters
        ----------
        X : pandas.Series or pandas.DataFrame
            The rows to forecast, as for :meth:`predict`.
        quantiles : sequence of float or None, default=None
            Increasing levels in (0, 1); None gives the wrapped estimator's
            ``quantiles_``.
        future : None, default=None
            Must be None (see :meth:`predict`).

        Returns
        -------
        y_quantiles : pandas.DataFrame
            On ``X``'s index, columns the levels (one target) or ``(target,
            level)`` pairs.
        """
        check_is_fitted(self)
        self._refuse_future(future, "predict_quantiles")
        if panel.is_panel(self):
            return panel_predict.quantile_panel_rows(self, X, quantiles)
        values, levels, index = quantile_rows(self, X, quantiles)
        return format_with_levels(values, index, self.target_names_, levels)

    def forecast_quantiles(self, X, quantiles=None, future=None):
        """Quantiles of the forecast of the ``horizon`` steps after ``X``, in
        the units of the series.

        Needs a wrapped estimator fitted with a probabilistic ``loss`` (e.g.
        ``GRUForecaster(loss="quantile")`` or ``loss="student_t"``). Its
        quantiles are mapped back to the series level by level (scaling and an
        increasing ``target_transform`` undone: exact). With ``difference``,
        quantiles of the differences do not add up to quantiles of the series:
        1,000 sample paths of a distribution head are integrated instead (seeded,
        so repeatable), and a quantile head is refused.

        Parameters
        ----------
        X : pandas.Series, pandas.DataFrame or array-like
            The series (or panel) up to the present, as for :meth:`forecast`.
        quantiles : sequence of float or None, default=None
            Increasing levels in (0, 1); None gives the wrapped estimator's
            ``quantiles_``.
        future : pandas.DataFrame, pandas.Series, array-like or None, default=None
            Future covariates, as for :meth:`forecast`.

        Returns
        -------
        y_quantiles : pandas.DataFrame or ndarray
            With a time index, a DataFrame on the forecast's dates whose columns
            are the levels (one target) or ``(target, level)`` pairs; on a panel,
            a long DataFrame laid out like the panel. Without one, an array
            ``(horizon, n_levels)`` (one target) or ``(horizon, n_targets,
            n_levels)``.
        """
        check_is_fitted(self)
        if panel.is_panel(self):
            return panel_predict.quantiles_panel(self, X, quantiles, future)
        values, levels, future_index = forecast_quantiles(self, X, quantiles, future)
        return format_with_levels(values, future_index, self.target_names_, levels)

    def predict_samples(self, X, n_samples=100, random_state=None, future=None):
        """Sample paths of every row of ``X``, one path per block of
        ``horizon`` rows as :meth:`predict` forecasts them, in the units of the
        series; :meth:`forecast_samples` gives paths of the steps after ``X``.

        Parameters
        ----------
        X : pandas.Series or pandas.DataFrame
            The rows to forecast, as for :meth:`predict`.
        n_samples : int, default=100
            Number of paths.
        random_state : int, RandomState instance, Generator or None, default=None
            Seeds the draws.
        future : None, default=None
            Must be None (see :meth:`predict`).

        Returns
        -------
        samples : pandas.DataFrame
            Laid out as :meth:`predict_quantiles`' output, one column per path
            (``0 .. n_samples - 1``) instead of per level.
        """
        check_is_fitted(self)
        n_samples = check_int(n_samples, "n_samples", min_value=1)
        self._refuse_future(future, "predict_samples")
        if panel.is_panel(self):
            return panel_predict.sample_panel_rows(self, X, n_samples, random_state)
        values, index = sample_rows(self, X, n_samples, random_state)
        return format_with_levels(values, index, self.target_names_, range(n_samples))

    def forecast_samples(self, X, n_samples=100, random_state=None, future=None):
        """Sample paths of the ``horizon`` steps after ``X``, in the units of
        the series.

        Each path is a draw of the wrapped estimator's distribution head
        (``loss="gaussian"``, ``"student_t"``, ``"negative_binomial"``) mapped
        back to the series (scaling, differences and ``target_transform``
        undone), so sums and maxima over the horizon can be read from them.

        Parameters
        ----------
        X : pandas.Series, pandas.DataFrame or array-like
            The series (or panel) up to the present, as for :meth:`forecast`.
        n_samples : int, default=100
            Number of paths.
        random_state : int, RandomState instance, Generator or None, default=None
            Seeds the draws.
        future : pandas.DataFrame, pandas.Series, array-like or None, default=None
            Future covariates, as for :meth:`forecast`.

        Returns
        -------
        samples : pandas.DataFrame or ndarray
            Laid out as :meth:`forecast_quantiles`' output, one column per path
            (``0 .. n_samples - 1``) instead of per level.
        """
        check_is_fitted(self)
        n_samples = check_int(n_samples, "n_samples", min_value=1)
        if panel.is_panel(self):
            return panel_predict.samples_panel(self, X, n_samples, random_state, future)
        values, future_index = forecast_samples(
            self, X, n_samples, random_state, future
        )
        labels = range(n_samples)
        return format_with_levels(values, future_index, self.target_names_, labels)

    @property
    def quantiles_(self):
        """The wrapped estimator's ``quantiles_`` (AttributeError if it has
        no probabilistic head, as ``hasattr`` expects)."""
        levels = getattr(self.estimator_, "quantiles_", None)
        if levels is None:
            raise AttributeError(
                "quantiles_: the wrapped estimator has no probabilistic head."
            )
        return levels
