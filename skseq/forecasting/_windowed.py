"""A meta-estimator that owns the windowing of a whole series.

``WindowedForecaster`` orchestrates; the steps are plain functions elsewhere:
fitting one series in :mod:`._fit` (columns :mod:`._columns`, transform and
differences :mod:`._transforms`, scalers and design :mod:`._design`), a panel
in :mod:`._panel`, forecasting in :mod:`._prediction` and :mod:`._output`.
The class docstring lives in :mod:`._windowed_docs`.
"""

from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.metrics import r2_score
from sklearn.utils.validation import check_is_fitted

from ..utils._doc_link import DocLinkMixin
from ..utils._summary import summary_method
from . import _panel as panel
from . import _panel_predict as panel_predict
from ._conformal_levels import refuse_cqr_with_difference
from ._design import check_design_params
from ._fit import fit_one_series
from ._output import format_forecast, future_index
from ._prediction import (
    check_truth,
    forecast_inputs,
    forecast_windows,
    predict_rows,
    predict_windows,
    window_forecasts,
)
from ._probabilistic_methods import ProbabilisticMethodsMixin
from ._transforms import to_series_units
from ._windowed_docs import WINDOWED_FORECASTER_DOC

__all__ = ["WindowedForecaster"]


# Above this many input values (n_windows * window * n_features), feed="auto" cuts
# the windows batch by batch instead of handing Keras every window at once.
FEED_THRESHOLD = 2**24


class WindowedForecaster(
    ProbabilisticMethodsMixin, DocLinkMixin, RegressorMixin, BaseEstimator
):
    __doc__ = WINDOWED_FORECASTER_DOC

    @classmethod
    def _get_test_params(cls):
        """Parameters of small instances for the tests; the first is the fast one."""
        from ..estimators import GRUForecaster, NaiveForecaster

        gru = GRUForecaster(2, **GRUForecaster._fast_test_params())
        return [
            {"estimator": NaiveForecaster(), "window": 4},
            {"estimator": gru, "window": 8, "horizon": 2},
        ]

    def __init__(
        self,
        estimator,
        *,
        window="auto",
        horizon=1,
        target=None,
        past_covariates=None,
        future_covariates=None,
        target_transform=None,
        difference="auto",
        season=None,
        scale=True,
        feed="auto",
        series_id=None,
        static_covariates=None,
        series_encoding=None,
        sampling="window",
    ):
        self.estimator = estimator
        self.window = window
        self.horizon = horizon
        self.target = target
        self.past_covariates = past_covariates
        self.future_covariates = future_covariates
        self.target_transform = target_transform
        self.difference = difference
        self.season = season
        self.scale = scale
        self.feed = feed
        self.series_id = series_id
        self.static_covariates = static_covariates
        self.series_encoding = series_encoding
        self.sampling = sampling

    # -- public API ---------------------------------------------------------------
    summary = summary_method

    def fit(self, X, y=None, sample_weight=None):
        """Train the wrapped estimator on every window of a series.

        Parameters
        ----------
        X : pandas.Series, pandas.DataFrame or array-like of shape (n_steps,) or \
                (n_steps, n_columns)
            The series; rows are time steps, in order and evenly spaced, without
            missing values in the columns used (see :func:`regularize`).
        y : pandas.Series, pandas.DataFrame, array-like or None, default=None
            ``None``: the targets are columns of ``X`` (see ``target``). Given,
            ``y`` must be those target columns again, row for row (e.g.
            ``fit(series, series)``, ``fit(frame, frame["rail"])``; with
            ``target=None`` the targets are then ``y``'s columns), as sklearn's
            searches pass it; the model is the same either way, and
            ``predict(X)`` forecasts every row of ``X`` (see ``predict``), so
            that sklearn's scorers
            (``GridSearchCV(scoring="neg_mean_absolute_error")``) can compare
            its forecasts with ``y``. Always cross-validate with a time-ordered
            splitter such as :class:`SeriesSplit`: the default ``KFold`` trains
            on the future, and its training rows skip the test fold, so windows
            would join rows that are not consecutive (refused for a pandas
            index, which then has a gap; undetectable for arrays).
        sample_weight : array-like of shape (n_steps,), default=None
            Weight of each time step (row of ``X``), e.g. 0 for holidays. A
            window is weighted by the mean weight of the ``horizon`` steps it
            forecasts (``"recursive"``: of the one it trains on), and the
            wrapped estimator's ``fit`` (or the batch feeder) gets them: as
            ``sample_weight`` when its ``fit`` takes it or under sklearn's
            metadata routing (``sklearn.set_config(enable_metadata_routing=True)``
            and e.g. ``Ridge().set_fit_request(sample_weight=True)``), else as
            ``<last step>__sample_weight`` for a ``Pipeline`` whose last step
            takes it.

        Returns
        -------
        self : WindowedForecaster
            The fitted forecaster.
        """
        window, horizon = self._check_params()
        refuse_cqr_with_difference(self)
        shape = sample_weight, window, horizon, FEED_THRESHOLD
        if self.series_id is not None:
            return panel.fit_panel(self, X, y, *shape)
        return fit_one_series(self, X, y, *shape)

    def predict(self, X, future=None):
        """Forecast every row of ``X``, each from the actual rows before it.

        sklearn's meaning: one forecast per row of ``X``, which scorers compare
        with ``X``'s targets (``mean_absolute_error(test["y"],
        model.predict(test))``), whether or not ``fit`` got ``y``. The rows are
        forecast in blocks of ``horizon`` rows ending at ``X``'s last row (the
        first block may be shorter), each from the ``window`` rows before it,
        those before ``X`` being the last rows of the series seen in ``fit``.
        ``X`` must therefore directly follow that series, as the test rows of a
        :class:`SeriesSplit` fold (``gap=0``) follow its training rows; pandas
        data is required (an index that tells). The future after a series is
        :meth:`forecast`'s.

        Parameters
        ----------
        X : pandas.Series or pandas.DataFrame of shape (n_steps,) or \
                (n_steps, n_columns)
            The rows to forecast, right after the series seen in ``fit``, with
            its columns (future covariates included: they are read from ``X``,
            which then needs at least ``horizon`` rows).
        future : None, default=None
            Must be None: row forecasts read the future covariates from ``X``.
            Known future values are for :meth:`forecast`.

        Returns
        -------
        y_pred : pandas.Series or pandas.DataFrame
            Shape ``(n_steps,)`` for one target or ``(n_steps, n_targets)``,
            indexed like ``X``.

        Raises
        ------
        ValueError
            If ``X`` does not start right after the series seen in ``fit``
            (e.g. ``predict(series)`` on the training series itself: use
            ``forecast(series)`` for the steps after it), or has no index that
            tells.
        """
        check_is_fitted(self)
        self._refuse_future(future, "predict")
        if panel.is_panel(self):
            return panel_predict.predict_panel_rows(self, X)
        return predict_rows(self, X)

    @property
    def predicts_rows_(self):
        """Deprecated, always True: ``predict(X)`` forecasts every row of ``X``
        whether or not ``fit`` got ``y`` (kept for code and pickles that read
        it)."""
        check_is_fitted(self)
        return True

    @predicts_rows_.setter
    def predicts_rows_(self, value):
        # files saved before it was deprecated restore it: ignored
        pass

    def forecast(self, X, future=None):
        """Forecast the ``horizon`` steps after the end of a series.

        Parameters
        ----------
        X : pandas.Series, pandas.DataFrame or array-like of shape (n_steps,) or \
                (n_steps, n_columns)
            The series up to the present, with the columns seen in ``fit`` (found
            by label when ``fit`` saw labels: then ``X`` must have them too), in
            order and evenly spaced at the frequency seen in ``fit``; only its
            last ``window_`` rows (``window_ + sum(difference_)`` when
            differencing) are forecast from.
        future : pandas.DataFrame, pandas.Series or array-like of shape \
                (horizon,) or (horizon, n_future_covariates), default=None
            Values of the future covariates for the ``horizon_`` steps after the
            last row of ``X``, required when ``future_covariates`` is set (columns
            by label for pandas data with labels, else in the order of
            ``future_covariates``). An index (but ``0 .. horizon - 1``) must be
            the forecast's steps: text and other labels are refused.

        Returns
        -------
        y_pred : pandas.Series, pandas.DataFrame or ndarray
            The forecast, of shape ``(horizon,)`` for one target or ``(horizon,
            n_targets)``. When ``X`` has a time index, a ``Series`` (named
            after the target) or a ``DataFrame`` (columns = targets) indexed by the
            ``horizon_`` steps after ``X``'s last one, of the index's type: dates
            of a ``DatetimeIndex`` at the frequency seen in ``fit`` (for a model
            fitted on arrays: ``index.freq``, else inferred), periods of a
            ``PeriodIndex``, timedeltas, or integers continuing an integer index
            (years, a ``RangeIndex``) by its step. An array gives an ndarray.
        """
        check_is_fitted(self)
        if panel.is_panel(self):
            return panel_predict.forecast_panel(self, X, future)
        inputs, targets, future_index = forecast_inputs(self, X, future)
        y_pred = predict_windows(self, inputs, 1)
        y_pred = self._to_series_units(y_pred, targets[None])[0]
        return self._format_forecast(y_pred, future_index)

    def score(self, X, y=None):
        """R^2 of the forecasts of every window of a series (or, with ``y``, of
        ``predict``).

        With ``y`` (``X``'s target columns, else a ``ValueError``), sklearn's
        R^2 of ``y`` and ``predict(X)``, averaged over the targets. Without it:
        the first ``window`` rows of ``X`` are history only; every forecast
        whose ``horizon`` targets lie in ``X`` is scored (R^2 needs 2), so with
        :class:`SeriesSplit` never training targets. On a panel: the R^2 of
        each series, averaged over the series (a pooled R^2 would mostly
        measure how different the series' levels are).

        Parameters
        ----------
        X : pandas.Series, pandas.DataFrame or array-like of shape (n_steps,) or \
                (n_steps, n_columns)
            The series to evaluate on, with the columns seen in ``fit`` (future
            covariates included: they are read from ``X``).
        y : array-like or None, default=None
            The target columns of ``X`` (checked), compared with ``predict(X)``.

        Returns
        -------
        score : float
            R^2 averaged uniformly over the ``horizon * n_targets`` outputs (with
            ``y``: over the targets), in the units of the series.
        """
        check_is_fitted(self)
        if panel.is_panel(self) or y is not None:
            from ..metrics import get_scorer

            return get_scorer("r2")(self, X, y)
        y_true, y_pred = self._window_forecasts(X, 2, "R^2 of 2 forecasts")
        return float(
            r2_score(y_true.reshape(len(y_true), -1), y_pred.reshape(len(y_pred), -1))
        )

    _check_truth = check_truth  # scorers: refuse a y that is not X's targets

    # -- steps of fit -------------------------------------------------------------
    def _refuse_future(self, future, method):
        """Row forecasts read the future covariates from ``X``."""
        if future is not None:
            name = method.replace("predict", "forecast")
            raise ValueError(
                f"{method}(X) forecasts every row of X and reads the future "
                f"covariates from X; future=... is for the steps after X: "
                f"{name}(X, future=...)."
            )

    def _check_params(self):
        params = self.window, self.horizon, self.feed, self.estimator, self.scale
        return check_design_params(*params)

    def _scalers(self):
        return self.target_scaler_, self.past_scaler_, self.future_scaler_

    # -- steps of predict and score ----------------------------------------------
    def _n_history(self):
        """Rows of history each forecast needs: ``window_ + sum(difference_)``."""
        return self.window_ + sum(self.difference_)

    def _to_series_units(self, y_pred, history):
        """Forecasts ``(n_forecasts, horizon, n_targets)`` of the network, scaler
        inverted, in the series' units: differences integrated from ``history``
        (the targets up to the step before each forecast, ``(n_forecasts,
        n_rows >= sum(difference_), n_targets)``), then the target transform
        inverted. Every output path goes through here."""
        return to_series_units(
            self.target_transform_, self.difference_, y_pred, history
        )

    def window_forecasts(self, X):
        """True values and forecasts of every window of a series, for scoring.

        Each window of ``window`` rows of ``X`` is forecast and paired with the
        ``horizon`` rows that follow it: the forecasts of a rolling-origin
        backtest without refitting. :func:`~skseq.forecasting.backtest` and the
        scorers of :mod:`skseq.metrics` read forecasts through this method.

        Parameters
        ----------
        X : pandas.Series, pandas.DataFrame or array-like of shape (n_steps,) or \
                (n_steps, n_columns)
            A series with the columns seen in ``fit``, at least ``window +
            sum(difference) + horizon`` rows long.

        Returns
        -------
        y_true : ndarray of shape (n_windows, horizon, n_targets)
            The targets after each window, in the units of the series.
        y_pred : ndarray of shape (n_windows, horizon, n_targets)
            Their forecasts, in the same units.
        """
        return self._window_forecasts(X)

    def _window_forecasts(self, X, min_windows=1, purpose="forecasting"):
        """``window_forecasts``, with fewer than ``min_windows`` refused for
        ``purpose``."""
        check_is_fitted(self)
        if panel.is_panel(self):
            return panel_predict.panel_window_forecasts(self, X, min_windows, purpose)
        return window_forecasts(self, X, min_windows, purpose)

    def _forecast_windows(self, windows):
        """Forecasts of windows (n, window, n_features), target scaling undone."""
        return forecast_windows(self, windows)

    def _future_index(self, index):
        """The labels of the ``horizon`` steps after ``X``'s index (dates,
        periods, timedeltas or integers, as it came), or None for arrays."""
        step = getattr(self, "index_step_", None)  # None: unpickled from an older skseq
        return future_index(index, self.freq_, self.horizon_, step)

    def _format_forecast(self, y_pred, future_index):
        """(horizon, n_targets) -> Series/DataFrame on the future dates, or ndarray."""
        return format_forecast(y_pred, future_index, self.target_names_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False
        return tags
