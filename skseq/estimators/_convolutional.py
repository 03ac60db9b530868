"""Convolutional forecasters of the chapter: Conv1D + RNN, and WaveNet."""

import warnings

from ..utils._architecture import (
    CONV_PADDINGS,
    RECURRENT_CELLS,
    WAVENET_ARCHITECTURES,
    conv_window_ends,
    layer_sizes,
    wavenet_receptive_field,
)
from ..utils._validation import check_choice, check_int, check_units
from ._docstrings import fill_doc
from ._forecaster_base import BaseKerasForecaster

__all__ = ["ConvRNNForecaster", "WaveNetForecaster"]


@fill_doc
class ConvRNNForecaster(BaseKerasForecaster):
    """A strided Conv1D front-end that shortens the sequence, then GRU or LSTM layers.

    The chapter's Conv1D + GRU model: the convolution halves the sequence (with
    ``strides=2``), so the recurrent layers run over half as many steps and learn
    longer patterns. With ``strides > 1``, up to ``strides - 1`` of the oldest
    steps are dropped so that the last convolution window ends on the last step.
    Sequences may have any length (at least ``kernel_size`` with
    ``padding="valid"``), at fit and at predict time. %(target_features)s

    Parameters
    ----------
    filters : int, default=20
        Channels of the convolution.
    kernel_size : int, default=4
        Width of the convolution.
    strides : int, default=2
        Step of the convolution.
    padding : {"valid", "causal", "same"}, default="valid"
        Padding of the convolution. ``"same"`` pads after the last step as well.
    cell : {"gru", "lstm", "simple"}, default="gru"
        Recurrent layer: ``GRU``, ``LSTM`` or ``SimpleRNN``.
    units : int or tuple of int, default=(20, 20)
        Units of the recurrent layer, or of each stacked layer bottom to top.
    %(strategy)s
        With ``"seq2seq"`` the convolution emits one output per stride, so the
        per-step targets are taken at the last input step each output sees:
        ``Y[:, 3::2]`` for the chapter's ``kernel_size=4, strides=2`` on 50 steps.
    %(training)s

    Attributes
    ----------
    %(keras_attributes)s
    kernel_size_ : int
        ``kernel_size`` as fitted.
    padding_ : str
        ``padding`` as fitted.

    Examples
    --------
    >>> from skseq import ConvRNNForecaster, make_windows
    >>> from skseq.datasets import make_sine_series
    >>> X, y = make_windows(make_sine_series(1, 200, random_state=0)[0], window=20)
    >>> model = ConvRNNForecaster(4, units=8, epochs=1, random_state=0).fit(X, y)
    >>> model.predict(X[:3]).shape
    (3,)
    """

    _predict_params = ("strategy", "kernel_size", "padding")

    @classmethod
    def _get_test_params(cls):
        """Parameters of small instances for the tests; the first is the fast one."""
        fast = cls._fast_test_params
        return [
            fast(filters=3, kernel_size=2, units=2, padding="causal"),
            fast(filters=2, units=2),
        ]

    def __init__(
        self,
        filters=20,
        *,
        kernel_size=4,
        strides=2,
        padding="valid",
        cell="gru",
        units=(20, 20),
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
        self.filters = filters
        self.kernel_size = kernel_size
        self.strides = strides
        self.padding = padding
        self.cell = cell
        self.units = units
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

    def _check_architecture(self):
        check_int(self.filters, "filters", min_value=1)
        check_int(self.kernel_size, "kernel_size", min_value=1)
        check_int(self.strides, "strides", min_value=1)
        check_choice(self.padding, "padding", CONV_PADDINGS)
        check_choice(self.cell, "cell", RECURRENT_CELLS)
        check_units(self.units)

    def _build_network(self, input_shape, n_outputs, sequence_output, seed):
        from ..networks._conv import build_conv_rnn

        return build_conv_rnn(
            input_shape,
            n_outputs,
            filters=self.filters,
            kernel_size=self.kernel_size,
            strides=self.strides,
            padding=self.padding,
            cell=self.cell,
            units=layer_sizes(self.units),
            sequence_output=sequence_output,
            seed=seed,
        )

    def _align_sequence_targets(self, Y):
        ends = conv_window_ends(
            Y.shape[1], self.kernel_size, self.strides, self.padding
        )
        return Y[:, ends]

    def _check_strategy_data(self, X, y):
        super()._check_strategy_data(X, y)
        _check_conv_length(X.shape[1], self.kernel_size, self.padding)

    def _validate_predict_data(self, X):
        X = super()._validate_predict_data(X)
        _check_conv_length(X.shape[1], self.kernel_size_, self.padding_)
        return X


def _check_conv_length(n_timesteps, kernel_size, padding):
    if padding == "valid" and n_timesteps < kernel_size:
        raise ValueError(
            f"X has sequences of {n_timesteps} time step(s), fewer than "
            f"kernel_size={kernel_size}: padding='valid' leaves the "
            "convolution no output. Use longer sequences or padding='causal'."
        )


@fill_doc
class WaveNetForecaster(BaseKerasForecaster):
    """WaveNet forecaster: stacked causal dilated convolutions.

    ``architecture="simple"`` is the chapter's network (causal Conv1D layers with
    ReLU and a linear 1x1 output convolution); ``"full"`` is the network of van den
    Oord et al. (2016), with gated activations, residual and skip connections.
    Doubling dilations let each output see ``receptive_field_`` steps back at a
    cost linear in the sequence length, so very long sequences (tens of
    thousands of steps) train fine. Sequences may have any length; ``fit`` warns
    when they are longer than the receptive field, since the forecast never sees
    their oldest steps. %(target_features)s

    Parameters
    ----------
    filters : int, default=20
        Channels of each dilated convolution (of each gated activation for
        ``"full"``).
    kernel_size : int, default=2
        Width of each dilated convolution.
    dilation_rates : tuple of int, default=(1, 2, 4, 8, 1, 2, 4, 8)
        Dilation of each layer, bottom to top (the chapter's ``(1, 2, 4, 8) * 2``).
    n_blocks : int, default=1
        Times the ``dilation_rates`` stack is repeated.
    architecture : {"simple", "full"}, default="simple"
        The chapter's simplified WaveNet or the paper's full one.
    residual_channels : int or None, default=None
        ``"full"`` only: width of the residual and skip connections; None uses
        ``filters``.
    skip_channels : int or None, default=None
        ``"full"`` only: channels of the 1x1 convolution on the summed skip
        connections; None uses ``residual_channels``.
    %(strategy)s
    %(training)s

    Attributes
    ----------
    %(keras_attributes)s
    receptive_field_ : int
        Number of input steps each forecast depends on:
        ``1 + (kernel_size - 1) * sum(dilation_rates) * n_blocks``.

    See Also
    --------
    skseq.ConvRNNForecaster : A ``Conv1D`` in front of recurrent layers.
    skseq.networks.build_wavenet : The Keras network it builds.
    skseq.forecasting.WindowedForecaster : Fits it on one long series.

    Examples
    --------
    >>> from skseq import WaveNetForecaster, make_windows
    >>> from skseq.datasets import make_sine_series
    >>> X, y = make_windows(make_sine_series(1, 200, random_state=0)[0], window=20)
    >>> model = WaveNetForecaster(4, epochs=1, random_state=0).fit(X, y)
    >>> model.receptive_field_, model.predict(X[:3]).shape
    (31, (3,))
    """

    @classmethod
    def _get_test_params(cls):
        """Parameters of small instances for the tests; the first is the fast one."""
        fast = cls._fast_test_params
        full = {"architecture": "full", "strategy": "seq2seq"}
        return [
            fast(filters=3, dilation_rates=(1, 2, 4, 8), **full),
            fast(filters=3, dilation_rates=(1, 2, 4)),
            fast(filters=3, dilation_rates=(1, 2, 4), architecture="full"),
        ]

    def __init__(
        self,
        filters=20,
        *,
        kernel_size=2,
        dilation_rates=(1, 2, 4, 8, 1, 2, 4, 8),
        n_blocks=1,
        architecture="simple",
        residual_channels=None,
        skip_channels=None,
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
        self.filters = filters
        self.kernel_size = kernel_size
        self.dilation_rates = dilation_rates
        self.n_blocks = n_blocks
        self.architecture = architecture
        self.residual_channels = residual_channels
        self.skip_channels = skip_channels
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

    def _data_attributes(self, X, incremental):
        """``receptive_field_``; a new fit warns when sequences are longer."""
        receptive_field = self._receptive_field()
        n_unseen = X.shape[1] - receptive_field
        if n_unseen > 0 and not incremental:
            warnings.warn(
                f"X has sequences of {X.shape[1]} time steps but the receptive "
                f"field of this WaveNet is {receptive_field}: its forecasts never "
                f"see the first {n_unseen} step(s) of each sequence. Use windows "
                f"of at most {receptive_field} steps, or raise kernel_size, "
                "dilation_rates or n_blocks.",
                UserWarning,
                stacklevel=5,  # fit's caller (through _training_data, _fit_arrays, fit)
            )
        return {"receptive_field_": receptive_field}

    def _receptive_field(self):
        rates = layer_sizes(self.dilation_rates) * self.n_blocks
        return wavenet_receptive_field(self.kernel_size, rates)

    def _check_architecture(self):
        check_int(self.filters, "filters", min_value=1)
        check_int(self.kernel_size, "kernel_size", min_value=1)
        check_units(self.dilation_rates, "dilation_rates")
        check_int(self.n_blocks, "n_blocks", min_value=1)
        check_choice(self.architecture, "architecture", WAVENET_ARCHITECTURES)
        check_int(
            self.residual_channels, "residual_channels", min_value=1, allow_none=True
        )
        check_int(self.skip_channels, "skip_channels", min_value=1, allow_none=True)

    def _build_network(self, input_shape, n_outputs, sequence_output, seed):
        from ..networks._conv import build_wavenet

        return build_wavenet(
            input_shape,
            n_outputs,
            filters=self.filters,
            kernel_size=self.kernel_size,
            dilation_rates=layer_sizes(self.dilation_rates),
            n_blocks=self.n_blocks,
            architecture=self.architecture,
            residual_channels=self.residual_channels,
            skip_channels=self.skip_channels,
            sequence_output=sequence_output,
            seed=seed,
        )
