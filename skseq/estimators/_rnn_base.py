"""Shared code of the recurrent forecasters: checks of the architecture and the
network builder (``_BaseRNNForecaster``), and the parameters of the forecasters
whose cell is fixed by their class (``_FixedCellRNNForecaster``).

The public classes (:class:`RNNForecaster`, :class:`SimpleRNNForecaster`,
:class:`LSTMForecaster`, :class:`GRUForecaster`) stay in ``_forecasters.py``,
where pickles of fitted models find them.
"""

import os
import sys
import warnings

import numpy as np

from ..utils._architecture import RECURRENT_CELLS, check_output_head, layer_sizes
from ..utils._validation import (
    check_bool,
    check_choice,
    check_float,
    check_int,
    check_units,
)
from ._forecaster_base import BaseKerasForecaster
from ._probabilistic import probabilistic_kind

__all__ = ["_BaseRNNForecaster", "_FixedCellRNNForecaster"]


def _outside_skseq():
    """The ``stacklevel`` that names, for the function calling this one, the
    first caller outside skseq: ``fit``'s, ``partial_fit``'s or a
    ``WindowedForecaster``'s caller alike, however deep skseq's own calls."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename.startswith(package):
        frame, level = frame.f_back, level + 1
    return level


class _BaseRNNForecaster(BaseKerasForecaster):
    """Shared network building of the recurrent forecasters."""

    _predict_params = ("strategy", "dropout", "recurrent_dropout", "mc_samples")

    def _cell(self):
        return self.cell

    def _check_architecture(self):
        check_choice(self._cell(), "cell", RECURRENT_CELLS)
        check_units(self.units)
        check_float(self.dropout, "dropout", low=0, high=1, high_inclusive=False)
        check_float(
            self.recurrent_dropout,
            "recurrent_dropout",
            low=0,
            high=1,
            high_inclusive=False,
        )
        check_bool(self.layer_norm, "layer_norm")
        check_bool(self.batch_norm, "batch_norm")
        check_int(self.mc_samples, "mc_samples", min_value=2)
        self._check_output_head()

    def _check_output_head(self):
        if (
            check_output_head(self.output_head) is None
            and self.dropout > 0
            and len(self._units()) == 1
        ):
            raise ValueError(
                f"dropout={self.dropout} has nothing to drop with output_head=None "
                "and a single recurrent layer (the raw inputs and the forecast are "
                "never dropped). Use recurrent_dropout, stack layers, or use "
                "output_head='dense'."
            )

    def _check_strategy_data(self, X, y):
        super()._check_strategy_data(X, y)
        self._warn_bounded_forecast(X, y)

    def _warn_bounded_forecast(self, X, y):
        """Warn when ``output_head=None`` (forecasts in (-1, 1), the range of
        the last layer's tanh) must reproduce targets outside that range:
        the fit then returns forecasts clipped there, without error."""
        if self.output_head is not None or probabilistic_kind(self.loss):
            return
        targets = [y, X[:, :, : y.shape[2]]] if self.strategy == "seq2seq" else [y]
        peak = max(float(np.max(np.abs(values))) for values in targets)
        # 1 itself is the edge of data scaled into [-1, 1] (MinMaxScaler((-1,
        # 1)), the remedy named below), which tanh approaches: no warning
        if peak <= 1 + 1e-6:
            return
        warnings.warn(
            f"output_head=None forecasts with the last recurrent layer, whose "
            f"tanh output lies in (-1, 1), but the targets reach {peak:.4g} in "
            "absolute value: the forecasts cannot reach them. Scale the "
            "targets into [-1, 1] with MinMaxScaler(feature_range=(-1, 1)), "
            "e.g. WindowedForecaster(scale=MinMaxScaler((-1, 1))), which "
            "scales y and X's target features alike (a StandardScaler, "
            "WindowedForecaster's default scale, leaves values beyond 1; "
            "skseq.SequenceScaler scales X, not y), or use output_head='dense'.",
            UserWarning,
            stacklevel=_outside_skseq(),
        )

    def _units(self):
        """``units`` as a tuple (validated by ``_check_architecture``)."""
        return layer_sizes(self.units)

    def _has_dropout(self):
        return self.dropout_ > 0 or self.recurrent_dropout_ > 0

    def _check_head_size(self, n_outputs):
        """Without a head, the last layer's units are the forecast's size."""
        units = self._units()
        if self.output_head is None and units[-1] != n_outputs:
            raise ValueError(
                f"output_head=None uses the last recurrent layer as the forecast, so "
                f"its units must equal the number of values forecast at once: "
                f"{n_outputs} (horizon x targets, or the targets alone with "
                f"strategy='recursive'); got units={self.units!r}. Set the last "
                f"layer's units to {n_outputs} or use output_head='dense'."
            )

    def _build_network(self, input_shape, n_outputs, sequence_output, seed):
        from ..networks import build_rnn

        self._check_head_size(n_outputs)
        return build_rnn(
            input_shape,
            n_outputs,
            cell=self._cell(),
            units=self._units(),
            dropout=self.dropout,
            recurrent_dropout=self.recurrent_dropout,
            layer_norm=self.layer_norm,
            batch_norm=self.batch_norm,
            sequence_output=sequence_output,
            output_head=self.output_head,
            seed=seed,
        )


class _FixedCellRNNForecaster(_BaseRNNForecaster):
    """A recurrent forecaster whose cell is fixed by its class."""

    _cell_name = None

    def __init__(
        self,
        units=32,
        *,
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

    def _cell(self):
        return self._cell_name
