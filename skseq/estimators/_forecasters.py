"""Forecasters of the chapter: naive and dense baselines, SimpleRNN, LSTM and GRU.

The recurrent forecasters share their code with ``_rnn_base.py`` and their
docstring template with ``_rnn_docs.py``.
"""

import numpy as np

from ..utils._architecture import layer_sizes
from ..utils._validation import (
    check_choice,
    check_int,
    check_units,
    set_fitted_attributes,
)
from ..utils._weights import check_sample_weight
from ._continuation import check_continuation
from ._docstrings import fill_doc
from ._forecaster_base import BaseKerasForecaster, BaseSequenceForecaster
from ._least_squares import LINEAR_SOLVERS, fit_least_squares, uses_least_squares
from ._rnn_base import _BaseRNNForecaster, _FixedCellRNNForecaster
from ._rnn_docs import CELL_DOC, RNN_DOC, fixed_cell_doc
from ._training import check_training_converged

# The naive forecast is X's own values: nothing to scale.
NAIVE_ALTERNATIVE = "or fit it on X and y unscaled (a naive forecast needs no scaling)."

__all__ = [
    "DenseForecaster",
    "GRUForecaster",
    "LSTMForecaster",
    "NaiveForecaster",
    "RNNForecaster",
    "SimpleRNNForecaster",
]


@fill_doc
class NaiveForecaster(BaseSequenceForecaster):
    """Forecast the last observed value, or the value one season earlier.

    With ``season=1`` every step of the horizon repeats the last value; with
    ``season=7`` on daily data, day ``t + k`` is forecast by day ``t + k - 7`` (the
    last season repeated). It learns nothing, so it is the baseline every model
    must beat. It needs no network, so the forecast holds the values of ``X``
    exactly (float64; float32 input stays exact). %(target_features)s
    They must be in ``y``'s units: on sliding windows of one series cut at
    stride 1, ``fit`` raises a ValueError when ``y``'s first step is not the
    next window's last target values (a ``TransformedTargetRegressor`` or a
    ``Pipeline`` scaler around the forecaster); other ``X`` is not checked.

    Parameters
    ----------
    season : int, default=1
        Seasonal period in time steps; sequences must be at least this long.

    Attributes
    ----------
    season_ : int
        The season used by ``predict`` (``season`` as validated in ``fit``).
    n_features_in_ : int
        Number of features per time step seen in ``fit``.
    n_timesteps_in_ : int
        Sequence length seen in ``fit``.
    feature_names_in_ : ndarray of str of shape (``n_timesteps_in_``,)
        Column names of a 2D DataFrame ``X`` in ``fit``; defined only when they
        are all strings.
    horizon_ : int
        Number of forecast steps.
    n_targets_ : int
        Number of target series.
    y_ndim_ : int
        Number of dimensions of ``y`` in ``fit`` (1, 2 or 3): the shape
        ``predict`` gives its forecasts.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq import NaiveForecaster
    >>> X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    >>> NaiveForecaster().fit(X, [4.0, 7.0]).predict(X)
    array([3., 6.])
    """

    _input_dtype = None  # no network: values are copied exactly, in float64

    @classmethod
    def _get_test_params(cls):
        """Parameters of small instances for the tests; the first is the fast one."""
        return [{}, {"season": 2}]

    def __init__(self, season=1):
        self.season = season

    def fit(self, X, y, sample_weight=None):
        """Record the shapes of ``X`` and ``y``; nothing is learned.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Input sequences, at least ``season`` steps long.
        y : array-like of shape (n_samples,), (n_samples, horizon) or \
                (n_samples, horizon, n_targets)
            The values following each sequence.
        sample_weight : array-like of shape (n_samples,), default=None
            Checked, then ignored: nothing is learned, so weights change nothing.
            Accepted so that meta-estimators (``VotingRegressor``,
            ``StackingRegressor``, ``BaggingRegressor``) and metadata routing can
            pass weights to every member alike.

        Returns
        -------
        self : NaiveForecaster
        """
        season = check_int(self.season, "season", min_value=1)
        X, y, shapes = self._validate_training_data(X, y)
        check_sample_weight(sample_weight, len(X))
        self._check_target_features(X.shape[2], y.shape[2])
        self._check_length(X, season)
        check_continuation(X, y, "NaiveForecaster", NAIVE_ALTERNATIVE)
        set_fitted_attributes(self, {**shapes, "season_": season})
        return self

    def predict(self, X):
        """Repeat the last season of the target features over the horizon.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Input sequences.

        Returns
        -------
        y_pred : ndarray of the shape ``y`` had in ``fit``
        """
        X = self._validate_predict_data(X)
        self._check_length(X, self.season_)
        steps = X.shape[1] - self.season_ + np.arange(self.horizon_) % self.season_
        return self._format_predictions(X[:, steps, : self.n_targets_])

    @staticmethod
    def _check_length(X, season):
        if X.shape[1] < season:
            raise ValueError(
                f"X has sequences of {X.shape[1]} time steps, shorter than "
                f"season={season}."
            )


@fill_doc
class DenseForecaster(BaseKerasForecaster):
    """Fully connected forecaster on a flattened window (the linear baseline).

    ``hidden_units=()`` gives the chapter's linear model (``Flatten`` then
    ``Dense(horizon)``). The window length is fixed by ``fit``. %(target_features)s

    Parameters
    ----------
    hidden_units : tuple of int, default=()
        Sizes of the hidden Dense layers.
    activation : str, default="relu"
        Activation of the hidden layers.
    strategy : {"direct", "recursive"}, default="direct"
        ``"direct"`` predicts all ``horizon`` steps at once; ``"recursive"`` feeds
        one-step forecasts back.
    solver : {"auto", "lstsq", "gradient"}, default="auto"
        How the weights are found. ``"lstsq"``: the exact least-squares solution
        (``numpy.linalg.lstsq`` on the flattened windows and a bias, weighted by
        ``sample_weight``), written into the ``Dense`` layer -- only for a linear
        model (``hidden_units=()``) with ``loss="mse"``; ``epochs``, the
        optimizer and early stopping are then not used, and ``history_`` holds
        the training MSE as one epoch (it warns, ``UnderdeterminedWarning``, where
        windows are no more than weights, ``window * n_features + 1``: it then
        fits them exactly). ``"gradient"``: Keras training for
        ``epochs``, as every other network (the book's linear model was trained
        so). ``"auto"``: ``"lstsq"`` where it applies and the windows come as
        arrays and no ``callbacks`` are given (they watch epochs), else
        ``"gradient"``; ``partial_fit`` and ``warm_start=True`` always train by
        gradient (epochs that add up).
    %(training)s

    Attributes
    ----------
    %(keras_attributes)s
    solver_ : {"lstsq", "gradient"}
        How the last ``fit`` (or ``partial_fit``) found the weights: ``"auto"``
        resolved.

    Examples
    --------
    >>> from skseq import DenseForecaster, make_windows
    >>> from skseq.datasets import make_sine_series
    >>> X, y = make_windows(make_sine_series(1, 300, random_state=0)[0], window=20)
    >>> model = DenseForecaster(epochs=2, random_state=0).fit(X, y)
    >>> model.predict(X[:3]).shape
    (3,)
    """

    _variable_length = False
    _strategies = ("direct", "recursive")
    # Pickled before solver existed: trained (and refits) by gradient.
    _params_before_added = {"solver": "gradient"}

    @classmethod
    def _get_test_params(cls):
        """Parameters of small instances for the tests; the first is the fast one."""
        fast = cls._fast_test_params
        return [fast(hidden_units=(4,)), fast()]

    def __init__(
        self,
        hidden_units=(),
        *,
        activation="relu",
        strategy="direct",
        solver="auto",
        epochs=20,
        batch_size=32,
        optimizer="adam",
        learning_rate=0.001,
        optimizer_params=None,
        loss="mse",
        quantiles=None,
        clipnorm=None,
        clipvalue=None,
        early_stopping=False,
        validation_fraction=0.1,
        patience=10,
        callbacks=None,
        verbose="auto",
        random_state=None,
        warm_start=False,
    ):
        self.hidden_units = hidden_units
        self.activation = activation
        self.strategy = strategy
        self.solver = solver
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.optimizer_params = optimizer_params
        self.loss = loss
        self.quantiles = quantiles
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.callbacks = callbacks
        self.verbose = verbose
        self.random_state = random_state
        self.warm_start = warm_start

    def _check_architecture(self):
        check_units(self.hidden_units, "hidden_units", allow_empty=True)
        if not isinstance(self.activation, str):
            raise TypeError(f"activation must be a str; got {self.activation!r}.")
        check_choice(self.solver, "solver", LINEAR_SOLVERS)

    def _run_training(self, keras, model, data, seed, incremental):
        """Least squares where ``solver`` says so, else gradient training."""
        linear = uses_least_squares(
            self.solver,
            self.hidden_units,
            self.loss,
            data.batches,
            incremental or self.warm_start,
            self.callbacks,
        )
        # fitted as solver_ once the fit succeeds (_set_fitted): a failed fit
        # leaves no fitted attribute behind
        self._solver_used = "lstsq" if linear else "gradient"
        if not linear:
            return super()._run_training(keras, model, data, seed, incremental)
        from ..networks._training import finish_training

        history = fit_least_squares(model, data)
        finish_training(model)
        check_training_converged(history, model, self.learning_rate)
        return history

    def _set_fitted(self, data, model, history, max_epochs):
        super()._set_fitted(data, model, history, max_epochs)
        self.solver_ = self._solver_used

    def _build_network(self, input_shape, n_outputs, sequence_output, seed):
        from ..networks import build_dense

        return build_dense(
            input_shape,
            n_outputs,
            hidden_units=layer_sizes(self.hidden_units),
            activation=self.activation,
            seed=seed,
        )


@fill_doc
class RNNForecaster(_BaseRNNForecaster):
    __doc__ = RNN_DOC % {
        "summary": "Recurrent forecaster: stacked SimpleRNN, LSTM or GRU layers.",
        "cell_doc": CELL_DOC,
        "name": "RNNForecaster",
        "example_args": "units=8",
    }

    @classmethod
    def _get_test_params(cls):
        """Parameters of small instances for the tests; the first is the fast one."""
        fast = cls._fast_test_params
        return [
            fast(units=3, cell="simple", strategy="recursive"),
            fast(units=3, cell="simple", layer_norm=True),
            fast(units=2),
        ]

    def __init__(
        self,
        units=32,
        *,
        cell="lstm",
        dropout=0.0,
        recurrent_dropout=0.0,
        layer_norm=False,
        batch_norm=False,
        output_head="dense",
        mc_samples=100,
        strategy="direct",
        epochs=20,
        batch_size=32,
        optimizer="adam",
        learning_rate=0.001,
        optimizer_params=None,
        loss="mse",
        quantiles=None,
        clipnorm=None,
        clipvalue=None,
        early_stopping=False,
        validation_fraction=0.1,
        patience=10,
        callbacks=None,
        verbose="auto",
        random_state=None,
        warm_start=False,
    ):
        self.units = units
        self.cell = cell
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.layer_norm = layer_norm
        self.batch_norm = batch_norm
        self.output_head = output_head
        self.mc_samples = mc_samples
        self.strategy = strategy
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.optimizer_params = optimizer_params
        self.loss = loss
        self.quantiles = quantiles
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.callbacks = callbacks
        self.verbose = verbose
        self.random_state = random_state
        self.warm_start = warm_start


@fill_doc
class SimpleRNNForecaster(_FixedCellRNNForecaster):
    __doc__ = fixed_cell_doc("SimpleRNN", "SimpleRNNForecaster")
    _cell_name = "simple"

    @classmethod
    def _get_test_params(cls):
        """Parameters of small instances for the tests; the first is the fast one."""
        fast = cls._fast_test_params
        return [fast(units=3)]


@fill_doc
class LSTMForecaster(_FixedCellRNNForecaster):
    __doc__ = fixed_cell_doc("LSTM", "LSTMForecaster")
    _cell_name = "lstm"

    @classmethod
    def _get_test_params(cls):
        """Parameters of small instances for the tests; the first is the fast one."""
        fast = cls._fast_test_params
        return [fast(units=3, strategy="seq2seq"), fast(units=3, dropout=0.2)]


@fill_doc
class GRUForecaster(_FixedCellRNNForecaster):
    __doc__ = fixed_cell_doc("GRU", "GRUForecaster")
    _cell_name = "gru"

    @classmethod
    def _get_test_params(cls):
        """Parameters of small instances for the tests; the first is the fast one."""
        fast = cls._fast_test_params
        # one layer first: sklearn's checks fit it ~50 times, and a stacked
        # network takes twice as long to trace (the variant keeps stacking tested)
        return [fast(units=2), fast(units=(3, 2))]
