"""Serializable Keras layers of the chapter's networks, written with ``keras.ops``.

Layer-normalised recurrent cells (run one step; wrap them in ``keras.layers.RNN``),
the WaveNet gated activation unit and residual block, and two small helpers of the
convolutional builders. Every class is registered under the ``"skseq"`` package, so
models using them save to and load from ``.keras`` files once ``skseq.networks`` is
imported. They run on any Keras 3 backend.
"""

import keras
from keras import ops

# Keras' RNN layer draws the dropout masks of a cell *before* its time loop (so the
# loop stays stateless, as JAX needs) only for cells deriving from this mixin; it is
# what keras.layers.LSTMCell and GRUCell use, and Keras 3 does not export it.
from keras.src.layers.rnn.dropout_rnn_cell import DropoutRNNCell

from ..utils._architecture import end_crop
from ._seeding import sub_seed

__all__ = [
    "EndAlignedCropping1D",
    "GatedActivationUnit",
    "LastTimeStep",
    "LayerNormGRUCell",
    "LayerNormLSTMCell",
    "LayerNormSimpleRNNCell",
    "WaveNetResidualBlock",
    "end_crop",
]

_PACKAGE = "skseq"


def _layer_norm(x, gamma, beta, epsilon):
    """Normalise ``x`` over its last axis, then scale and shift it."""
    mean = ops.mean(x, axis=-1, keepdims=True)
    variance = ops.var(x, axis=-1, keepdims=True)
    return (x - mean) * ops.rsqrt(variance + epsilon) * gamma + beta


class _LayerNormCell(keras.layers.Layer, DropoutRNNCell):
    """Arguments, weights, dropout and config shared by the layer-normalised cells."""

    def __init__(
        self,
        units,
        activation="tanh",
        epsilon=1e-3,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if int(units) != units or units < 1:
            raise ValueError(f"units must be a positive int; got {units!r}.")
        for name, rate in (
            ("dropout", dropout),
            ("recurrent_dropout", recurrent_dropout),
        ):
            if not 0 <= rate < 1:
                raise ValueError(f"{name} must be in [0, 1); got {rate!r}.")
        self.units = int(units)
        self.activation = keras.activations.get(activation)
        self.epsilon = epsilon
        self.dropout = float(dropout)
        self.recurrent_dropout = float(recurrent_dropout)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        # One state of ``units`` (the LSTM cell adds its carry state).
        self.state_size = self.units
        self.output_size = self.units

    def _dropped(self, inputs, h_prev, training):
        """Inputs and previous output times the masks Keras drew for this batch.

        As in Keras' own cells, one mask per sequence is shared by every time
        step (variational dropout, Gal and Ghahramani 2016)."""
        if training and self.dropout > 0:
            inputs = inputs * self.get_dropout_mask(inputs)
        if training and self.recurrent_dropout > 0:
            h_prev = h_prev * self.get_recurrent_dropout_mask(h_prev)
        return inputs, h_prev

    def _add_kernels(self, n_features, n_gates):
        self.kernel = self.add_weight(
            shape=(n_features, n_gates * self.units),
            initializer=keras.initializers.GlorotUniform(sub_seed(self.seed, 0)),
            name="kernel",
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, n_gates * self.units),
            initializer=keras.initializers.Orthogonal(seed=sub_seed(self.seed, 1)),
            name="recurrent_kernel",
        )

    def _add_norm(self, name, size):
        gamma = self.add_weight(shape=(size,), initializer="ones", name=f"{name}_gamma")
        beta = self.add_weight(shape=(size,), initializer="zeros", name=f"{name}_beta")
        return gamma, beta

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": keras.activations.serialize(self.activation),
            "epsilon": self.epsilon,
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }


class _GatedLayerNormCell(_LayerNormCell):
    """A layer-normalised cell with sigmoid-like gates (LSTM, GRU)."""

    def __init__(self, units, recurrent_activation="sigmoid", **kwargs):
        super().__init__(units, **kwargs)
        self.recurrent_activation = keras.activations.get(recurrent_activation)

    def get_config(self):
        return {
            **super().get_config(),
            "recurrent_activation": keras.activations.serialize(
                self.recurrent_activation
            ),
        }


@keras.saving.register_keras_serializable(package=_PACKAGE)
class LayerNormSimpleRNNCell(_LayerNormCell):
    """SimpleRNN cell with layer normalisation before its activation.

    Computes ``h_t = activation(LN(x_t @ W + h_{t-1} @ U + b))``: the chapter's
    ``LNSimpleRNNCell`` (a ``SimpleRNNCell`` without activation, then a
    ``LayerNormalization``), normalising over the units at each time step. The
    bias ``b`` is not redundant with the norm's shift ``beta``: the
    normalisation removes only its mean over the units.

    Parameters
    ----------
    units : int
        Size of the state and of the output.
    activation : str or callable, default="tanh"
        Applied after the normalisation.
    use_bias : bool, default=True
        Whether the linear combination has a bias ``b``. A configuration saved
        without this key (skseq before the bias was added) loads as False.
    epsilon : float, default=1e-3
        Added to the variance before the square root.
    dropout : float, default=0.0
        Dropout rate on the inputs, one mask per sequence (as Keras' cells).
    recurrent_dropout : float, default=0.0
        Dropout rate on the previous output, one mask per sequence.
    seed : int or None, default=None
        Seed of the kernel initializers and of the dropout masks.

    Examples
    --------
    >>> import numpy as np, keras
    >>> from skseq.networks import LayerNormSimpleRNNCell
    >>> layer = keras.layers.RNN(LayerNormSimpleRNNCell(4, seed=0))
    >>> tuple(layer(np.zeros((2, 5, 3), "float32")).shape)
    (2, 4)
    """

    def __init__(self, units, use_bias=True, **kwargs):
        super().__init__(units, **kwargs)
        self.use_bias = bool(use_bias)

    def build(self, input_shape):
        self._add_kernels(input_shape[-1], 1)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self.units,), initializer="zeros", name="bias"
            )
        self.gamma, self.beta = self._add_norm("norm", self.units)

    def call(self, inputs, states, training=False):
        inputs, h_prev = self._dropped(inputs, states[0], training)
        z = ops.matmul(inputs, self.kernel) + ops.matmul(h_prev, self.recurrent_kernel)
        if self.bias is not None:
            z = z + self.bias
        h = self.activation(_layer_norm(z, self.gamma, self.beta, self.epsilon))
        return h, [h]

    def get_config(self):
        return {**super().get_config(), "use_bias": self.use_bias}

    @classmethod
    def from_config(cls, config):
        """The cell of ``config``; a config saved before ``use_bias`` existed
        (no such key, weights without a bias) gives a cell without a bias.

        Parameters
        ----------
        config : dict
            What :meth:`get_config` returned.

        Returns
        -------
        cell : LayerNormSimpleRNNCell
        """
        return super().from_config({"use_bias": False, **config})


@keras.saving.register_keras_serializable(package=_PACKAGE)
class LayerNormLSTMCell(_GatedLayerNormCell):
    """LSTM cell with layer normalisation (Ba, Kiros and Hinton, 2016).

    The input and recurrent projections of the four gates are normalised
    separately, and so is the cell state before the output activation::

        i, f, g, o = split(LN(x_t @ W) + LN(h_{t-1} @ U) + b)
        c_t = sigmoid(f) * c_{t-1} + sigmoid(i) * tanh(g)
        h_t = sigmoid(o) * tanh(LN(c_t))

    The carried state ``c_t`` itself is not normalised. The forget-gate bias
    starts at 1, as in Keras' ``LSTMCell``.

    Parameters
    ----------
    units : int
        Size of the states and of the output.
    activation : str or callable, default="tanh"
        Activation of the candidate and of the output.
    recurrent_activation : str or callable, default="sigmoid"
        Activation of the gates.
    epsilon : float, default=1e-3
        Added to the variance before the square root.
    dropout : float, default=0.0
        Dropout rate on the inputs, one mask per sequence (as Keras' cells).
    recurrent_dropout : float, default=0.0
        Dropout rate on the previous output, one mask per sequence.
    seed : int or None, default=None
        Seed of the kernel initializers and of the dropout masks.

    Examples
    --------
    >>> import numpy as np, keras
    >>> from skseq.networks import LayerNormLSTMCell
    >>> layer = keras.layers.RNN(LayerNormLSTMCell(4, seed=0))
    >>> tuple(layer(np.zeros((2, 5, 3), "float32")).shape)
    (2, 4)
    """

    def __init__(self, units, **kwargs):
        super().__init__(units, **kwargs)
        self.state_size = [self.units, self.units]

    def build(self, input_shape):
        units = self.units
        self._add_kernels(input_shape[-1], 4)
        self.input_gamma, self.input_beta = self._add_norm("input_norm", 4 * units)
        self.state_gamma, self.state_beta = self._add_norm("recurrent_norm", 4 * units)
        self.cell_gamma, self.cell_beta = self._add_norm("cell_norm", units)
        # Gate order i, f, g, o: the forget gate starts open (unit_forget_bias).
        bias = [0.0] * units + [1.0] * units + [0.0] * (2 * units)
        self.bias = self.add_weight(
            shape=(4 * units,),
            initializer=keras.initializers.Constant(bias),
            name="bias",
        )

    def call(self, inputs, states, training=False):
        h_prev, c_prev = states
        inputs, h_prev = self._dropped(inputs, h_prev, training)
        z = (
            _layer_norm(
                ops.matmul(inputs, self.kernel),
                self.input_gamma,
                self.input_beta,
                self.epsilon,
            )
            + _layer_norm(
                ops.matmul(h_prev, self.recurrent_kernel),
                self.state_gamma,
                self.state_beta,
                self.epsilon,
            )
            + self.bias
        )
        i, f, g, o = ops.split(z, 4, axis=-1)
        c = self.recurrent_activation(f) * c_prev + self.recurrent_activation(
            i
        ) * self.activation(g)
        c_norm = _layer_norm(c, self.cell_gamma, self.cell_beta, self.epsilon)
        h = self.recurrent_activation(o) * self.activation(c_norm)
        return h, [h, c]


@keras.saving.register_keras_serializable(package=_PACKAGE)
class LayerNormGRUCell(_GatedLayerNormCell):
    """GRU cell with layer normalisation of its input and recurrent projections.

    With Keras' gate order (update ``z``, reset ``r``, candidate) and its default
    ``reset_after=True`` form::

        xz, xr, xh = split(LN(x_t @ W) + b)
        hz, hr, hh = split(LN(h_{t-1} @ U))
        z = sigmoid(xz + hz);  r = sigmoid(xr + hr)
        h_t = z * h_{t-1} + (1 - z) * tanh(xh + r * hh)

    Parameters
    ----------
    units : int
        Size of the state and of the output.
    activation : str or callable, default="tanh"
        Activation of the candidate state.
    recurrent_activation : str or callable, default="sigmoid"
        Activation of the update and reset gates.
    epsilon : float, default=1e-3
        Added to the variance before the square root.
    dropout : float, default=0.0
        Dropout rate on the inputs, one mask per sequence (as Keras' cells).
    recurrent_dropout : float, default=0.0
        Dropout rate on the previous output, one mask per sequence.
    seed : int or None, default=None
        Seed of the kernel initializers and of the dropout masks.

    Examples
    --------
    >>> import numpy as np, keras
    >>> from skseq.networks import LayerNormGRUCell
    >>> layer = keras.layers.RNN(LayerNormGRUCell(4, seed=0))
    >>> tuple(layer(np.zeros((2, 5, 3), "float32")).shape)
    (2, 4)
    """

    def build(self, input_shape):
        units = self.units
        self._add_kernels(input_shape[-1], 3)
        self.input_gamma, self.input_beta = self._add_norm("input_norm", 3 * units)
        self.state_gamma, self.state_beta = self._add_norm("recurrent_norm", 3 * units)
        self.bias = self.add_weight(
            shape=(3 * units,), initializer="zeros", name="bias"
        )

    def call(self, inputs, states, training=False):
        h_prev = states[0]
        inputs, h_dropped = self._dropped(inputs, h_prev, training)
        x_proj = (
            _layer_norm(
                ops.matmul(inputs, self.kernel),
                self.input_gamma,
                self.input_beta,
                self.epsilon,
            )
            + self.bias
        )
        h_proj = _layer_norm(
            ops.matmul(h_dropped, self.recurrent_kernel),
            self.state_gamma,
            self.state_beta,
            self.epsilon,
        )
        x_z, x_r, x_h = ops.split(x_proj, 3, axis=-1)
        h_z, h_r, h_h = ops.split(h_proj, 3, axis=-1)
        z = self.recurrent_activation(x_z + h_z)
        r = self.recurrent_activation(x_r + h_r)
        candidate = self.activation(x_h + r * h_h)
        h = z * h_prev + (1.0 - z) * candidate
        return h, [h]


@keras.saving.register_keras_serializable(package=_PACKAGE)
class GatedActivationUnit(keras.layers.Layer):
    """WaveNet's gated activation ``tanh(filter) * sigmoid(gate)``.

    Takes one tensor whose last axis holds the filter half then the gate half, so
    that a single convolution with ``2 * filters`` channels computes both (one
    kernel read instead of two).

    Parameters
    ----------
    **kwargs
        Base ``keras.layers.Layer`` arguments (``name``, ``dtype``, ...).

    Examples
    --------
    >>> import numpy as np
    >>> from skseq.networks import GatedActivationUnit
    >>> tuple(GatedActivationUnit()(np.zeros((2, 7, 6), "float32")).shape)
    (2, 7, 3)
    """

    def build(self, input_shape):
        channels = input_shape[-1]
        if channels is not None and channels % 2:
            raise ValueError(
                "GatedActivationUnit needs an even number of channels (filter "
                f"half then gate half); got {channels}."
            )

    def call(self, inputs):
        filters, gates = ops.split(inputs, 2, axis=-1)
        return ops.tanh(filters) * ops.sigmoid(gates)

    def compute_output_shape(self, input_shape):
        channels = input_shape[-1]
        return (*input_shape[:-1], None if channels is None else channels // 2)


@keras.saving.register_keras_serializable(package=_PACKAGE)
class WaveNetResidualBlock(keras.layers.Layer):
    """One layer of the full WaveNet: gated dilated causal conv, residual and skip.

    ``inputs -> causal Conv1D(2 * filters, kernel_size, dilation_rate) -> gated
    activation -> Conv1D(n_channels, 1) = z``; returns ``(inputs + z, z)``: the
    residual output fed to the next block and the skip output summed by the
    network head. The 1x1 convolution maps back to the ``n_channels`` of the
    input, so blocks chain and their skips add up (Figure 4 of van den Oord et
    al., 2016: one 1x1 convolution feeds both connections). Step ``t`` of both
    outputs depends only on input steps ``<= t``.

    Parameters
    ----------
    filters : int
        Channels of the gated activation (the dilated convolution has twice as many).
    kernel_size : int, default=2
        Width of the dilated convolution.
    dilation_rate : int, default=1
        Spacing of its taps.
    seed : int or None, default=None
        Seed of the convolutions' initializers.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq.networks import WaveNetResidualBlock
    >>> block = WaveNetResidualBlock(4, kernel_size=2, dilation_rate=4, seed=0)
    >>> residual, skip = block(np.zeros((2, 16, 8), "float32"))
    >>> tuple(residual.shape), tuple(skip.shape)
    ((2, 16, 8), (2, 16, 8))
    """

    def __init__(self, filters, kernel_size=2, dilation_rate=1, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.kernel_size = kernel_size
        self.dilation_rate = dilation_rate
        self.seed = seed
        self.dilated_conv = keras.layers.Conv1D(
            2 * filters,
            kernel_size,
            padding="causal",
            dilation_rate=dilation_rate,
            kernel_initializer=keras.initializers.GlorotUniform(sub_seed(seed, 0)),
            name="dilated_conv",
        )
        self.gate = GatedActivationUnit(name="gate")
        self.output_conv = None

    def build(self, input_shape):
        n_channels = input_shape[-1]
        self.output_conv = keras.layers.Conv1D(
            n_channels,
            1,
            kernel_initializer=keras.initializers.GlorotUniform(sub_seed(self.seed, 1)),
            name="output_conv",
        )
        self.dilated_conv.build(input_shape)
        gated_shape = (*input_shape[:-1], self.filters)
        self.output_conv.build(gated_shape)

    def call(self, inputs):
        z = self.output_conv(self.gate(self.dilated_conv(inputs)))
        return inputs + z, z

    def compute_output_shape(self, input_shape):
        return tuple(input_shape), tuple(input_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "dilation_rate": self.dilation_rate,
            "seed": self.seed,
        }


@keras.saving.register_keras_serializable(package=_PACKAGE)
class LastTimeStep(keras.layers.Layer):
    """Keep the last time step: ``(batch, n_timesteps, n) -> (batch, n)``."""

    def call(self, inputs):
        return inputs[:, -1, :]

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[-1])


@keras.saving.register_keras_serializable(package=_PACKAGE)
class EndAlignedCropping1D(keras.layers.Layer):
    """Drop the first few steps so a strided Conv1D's last window ends last.

    A convolution with ``strides > 1`` skips the last steps of a sequence whose
    length does not fit its stride; for forecasting, the latest steps matter most,
    so this layer drops up to ``strides - 1`` of the *oldest* steps instead (see
    :func:`end_crop`). The number dropped is computed from each batch's length,
    so sequences of any length are accepted.

    Parameters
    ----------
    kernel_size, strides : int
        Of the convolution that follows.
    padding : {"valid", "causal", "same"}, default="valid"
        Its padding.
    """

    def __init__(self, kernel_size, strides, padding="valid", **kwargs):
        super().__init__(**kwargs)
        self.kernel_size = kernel_size
        self.strides = strides
        self.padding = padding

    def call(self, inputs):
        n_timesteps = ops.shape(inputs)[1]
        if isinstance(n_timesteps, int):
            start = end_crop(n_timesteps, self.kernel_size, self.strides, self.padding)
        else:
            start = self._symbolic_crop(n_timesteps)
        return inputs[:, start:, :]

    def _symbolic_crop(self, n_timesteps):
        """:func:`end_crop` of a length known only when the graph runs (a traced
        model called on another length): ``"same"``'s Python ``max`` would ask
        for the tensor's truth value, which a graph cannot give."""
        if self.padding != "same":
            return end_crop(n_timesteps, self.kernel_size, self.strides, self.padding)
        last_stride = (n_timesteps - 1) % self.strides + 1
        return ops.maximum(last_stride - self.kernel_size, 0)

    def compute_output_shape(self, input_shape):
        n_timesteps = input_shape[1]
        if n_timesteps is not None:
            n_timesteps -= end_crop(
                n_timesteps, self.kernel_size, self.strides, self.padding
            )
        return (input_shape[0], n_timesteps, *input_shape[2:])

    def get_config(self):
        return {
            **super().get_config(),
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
        }
