"""Convolutional networks: a Conv1D front-end for RNNs, and WaveNet.

Every convolution here either is causal or is followed by an RNN, and every network
accepts sequences of any length: the cost of a forward pass grows linearly with it.
"""

import math

import keras

from ..utils._scalars import with_python_scalars
from ._layers import EndAlignedCropping1D, LastTimeStep, WaveNetResidualBlock, end_crop
from ._rnn import RNN_CELLS
from ._seeding import glorot, layer_seed, orthogonal

__all__ = [
    "CONV_PADDINGS",
    "WAVENET_ARCHITECTURES",
    "build_conv_rnn",
    "build_wavenet",
    "conv_window_ends",
    "wavenet_receptive_field",
]

CONV_PADDINGS = ("valid", "causal", "same")
WAVENET_ARCHITECTURES = ("simple", "full")


def conv_window_ends(n_timesteps, kernel_size, strides, padding):
    """Last input step seen by each output step of :func:`build_conv_rnn`'s conv.

    The front-end first drops the ``end_crop`` oldest steps so that its last window
    ends on the last input step, then convolves. Per-step (sequence-to-sequence)
    targets must be taken at these steps: output step ``j`` can only forecast what
    follows the last step it has seen.

    Parameters
    ----------
    n_timesteps : int
        Length of the input sequences.
    kernel_size, strides : int
        Of the convolution.
    padding : {"valid", "causal", "same"}
        Its padding.

    Returns
    -------
    ends : list of int
        One input step index per output step, increasing, the last one
        ``n_timesteps - 1``. For ``kernel_size=4, strides=2, padding="valid"`` and
        50 steps: ``3, 5, ..., 49`` (the chapter's ``Y[:, 3::2]``).

    Examples
    --------
    >>> from skseq.networks import conv_window_ends
    >>> conv_window_ends(10, 4, 2, "valid")
    [3, 5, 7, 9]
    """
    start = end_crop(n_timesteps, kernel_size, strides, padding)
    length = n_timesteps - start
    if padding == "valid":
        n_out = (length - kernel_size) // strides + 1 if length >= kernel_size else 0
        return [start + j * strides + kernel_size - 1 for j in range(n_out)]
    if padding == "causal":
        return [start + j * strides for j in range((length - 1) // strides + 1)]
    # "same", as TensorFlow and JAX pad: the smaller half of the padding on the left.
    n_out = math.ceil(length / strides)
    pad_left = max((n_out - 1) * strides + kernel_size - length, 0) // 2
    return [
        start + min(j * strides - pad_left + kernel_size - 1, length - 1)
        for j in range(n_out)
    ]


def _head(hidden, n_outputs, sequence_output, seed, index):
    """Linear output layer at the last time step, or at every step."""
    if not sequence_output:
        hidden = LastTimeStep(name="last_step")(hidden)
    return keras.layers.Dense(
        n_outputs, kernel_initializer=glorot(seed, index), name="output"
    )(hidden)


@with_python_scalars
def build_conv_rnn(
    input_shape,
    n_outputs,
    *,
    filters=20,
    kernel_size=4,
    strides=2,
    padding="valid",
    cell="gru",
    units=(20, 20),
    sequence_output=False,
    seed=None,
):
    """A strided Conv1D that shortens the sequence, then stacked recurrent layers.

    The chapter's Conv1D + GRU network. The convolution is linear, as in the
    chapter. With ``strides > 1``, up to ``strides - 1`` of the oldest steps are
    dropped first, so that the last convolution window always ends on the last
    input step (see :func:`conv_window_ends`).

    Parameters
    ----------
    input_shape : tuple of int or None
        ``(n_timesteps, n_features)``; ``n_timesteps`` may be None.
    n_outputs : int
        Size of the linear output layer.
    filters : int, default=20
        Channels of the convolution.
    kernel_size : int, default=4
        Its width.
    strides : int, default=2
        Its step: the recurrent layers see ``1 / strides`` as many steps.
    padding : {"valid", "causal", "same"}, default="valid"
        Its padding. ``"same"`` lets the last window see zeros after the end.
    cell : {"simple", "lstm", "gru"}, default="gru"
        Recurrent layer type.
    units : int or tuple of int, default=(20, 20)
        Units of each recurrent layer, bottom to top.
    sequence_output : bool, default=False
        If True, the head is applied at every output step of the convolution.
    seed : int or None, default=None
        Seed of the weight initializers.

    Returns
    -------
    model : keras.Model
        Maps ``(batch, n_timesteps, n_features)`` to ``(batch, n_outputs)``, or to
        ``(batch, n_conv_steps, n_outputs)`` when ``sequence_output`` is True, with
        ``n_conv_steps = len(conv_window_ends(n_timesteps, ...))``.

    Examples
    --------
    >>> from skseq.networks import build_conv_rnn
    >>> model = build_conv_rnn((50, 1), 10, units=(8,), sequence_output=True)
    >>> model.output_shape
    (None, 24, 10)
    """
    inputs = keras.Input(shape=tuple(input_shape))
    hidden = inputs
    if strides > 1:
        hidden = EndAlignedCropping1D(kernel_size, strides, padding, name="align")(
            hidden
        )
    hidden = keras.layers.Conv1D(
        filters,
        kernel_size,
        strides=strides,
        padding=padding,
        kernel_initializer=glorot(seed, 0),
        name="conv",
    )(hidden)
    layer_type = RNN_CELLS[cell]
    units = (units,) if isinstance(units, int) else tuple(units)
    for index, n_units in enumerate(units, start=1):
        hidden = layer_type(
            n_units,
            return_sequences=sequence_output or index < len(units),
            kernel_initializer=glorot(seed, index),
            recurrent_initializer=orthogonal(seed, index),
        )(hidden)
    outputs = keras.layers.Dense(
        n_outputs, kernel_initializer=glorot(seed, len(units) + 1), name="output"
    )(hidden)
    return keras.Model(inputs, outputs, name=f"conv_{cell}")


def wavenet_receptive_field(kernel_size, dilation_rates):
    """Number of input steps one output step of a WaveNet depends on.

    Parameters
    ----------
    kernel_size : int
        Width of every dilated convolution.
    dilation_rates : sequence of int
        Dilation of each convolution, bottom to top.

    Returns
    -------
    receptive_field : int
        ``1 + sum((kernel_size - 1) * d for d in dilation_rates)``.

    Examples
    --------
    >>> from skseq.networks import wavenet_receptive_field
    >>> wavenet_receptive_field(2, (1, 2, 4, 8) * 2)
    31
    """
    return 1 + sum((kernel_size - 1) * rate for rate in dilation_rates)


@with_python_scalars
def build_wavenet(
    input_shape,
    n_outputs,
    *,
    filters=20,
    kernel_size=2,
    dilation_rates=(1, 2, 4, 8) * 2,
    n_blocks=1,
    architecture="simple",
    residual_channels=None,
    skip_channels=None,
    sequence_output=False,
    seed=None,
):
    """WaveNet: stacked causal dilated convolutions and a pointwise linear head.

    ``"simple"`` is the chapter's network: causal Conv1D layers with ReLU, one per
    dilation rate, then a linear 1x1 convolution. ``"full"`` is the network of van
    den Oord et al. (2016): a 1x1 convolution to ``residual_channels``, one
    :class:`WaveNetResidualBlock` (gated activation, residual and skip
    connections) per dilation rate, the sum of the skip outputs, ReLU, 1x1
    convolution to ``skip_channels``, ReLU, and the linear 1x1 output layer.
    Output step ``t`` depends only on the :func:`wavenet_receptive_field` input
    steps up to ``t``. The head is a ``Dense`` layer: a 1x1 convolution over time.

    Parameters
    ----------
    input_shape : tuple of int or None
        ``(n_timesteps, n_features)``; ``n_timesteps`` may be None.
    n_outputs : int
        Size of the linear output layer.
    filters : int, default=20
        Channels of each dilated convolution (of each gated activation for
        ``"full"``).
    kernel_size : int, default=2
        Width of each dilated convolution.
    dilation_rates : sequence of int, default=(1, 2, 4, 8, 1, 2, 4, 8)
        Dilation of each layer, bottom to top.
    n_blocks : int, default=1
        Times the ``dilation_rates`` stack is repeated (the paper repeats
        ``1, 2, ..., 512`` several times).
    architecture : {"simple", "full"}, default="simple"
        The chapter's network or the paper's.
    residual_channels : int or None, default=None
        ``"full"`` only: width of the residual and skip connections; None uses
        ``filters``.
    skip_channels : int or None, default=None
        ``"full"`` only: channels of the 1x1 convolution on the summed skips;
        None uses ``residual_channels``.
    sequence_output : bool, default=False
        If True, the head is applied at every time step.
    seed : int or None, default=None
        Seed of the weight initializers.

    Returns
    -------
    model : keras.Model
        Maps ``(batch, n_timesteps, n_features)`` to ``(batch, n_outputs)``, or to
        ``(batch, n_timesteps, n_outputs)`` when ``sequence_output`` is True.

    Examples
    --------
    >>> from skseq.networks import build_wavenet
    >>> build_wavenet((None, 1), 10, sequence_output=True).output_shape
    (None, None, 10)
    """
    rates = tuple(dilation_rates) * n_blocks
    inputs = keras.Input(shape=tuple(input_shape))
    hidden = wavenet_stack(
        inputs,
        filters=filters,
        kernel_size=kernel_size,
        rates=rates,
        architecture=architecture,
        residual_channels=residual_channels,
        seed=seed,
    )
    if architecture == "simple":
        outputs = _head(hidden, n_outputs, sequence_output, seed, len(rates))
        return keras.Model(inputs, outputs, name="wavenet")
    skip_channels = skip_channels or residual_channels or filters
    if not sequence_output:
        # The rest is pointwise in time: keep only the step that is forecast from.
        hidden = LastTimeStep(name="last_step")(hidden)
    hidden = keras.layers.Dense(
        skip_channels,
        activation="relu",
        kernel_initializer=glorot(seed, len(rates) + 1),
        name="skip_conv",
    )(hidden)
    outputs = keras.layers.Dense(
        n_outputs, kernel_initializer=glorot(seed, len(rates) + 2), name="output"
    )(hidden)
    return keras.Model(inputs, outputs, name="wavenet_full")


def wavenet_stack(
    hidden, *, filters, kernel_size, rates, architecture, residual_channels, seed
):
    """The WaveNet body shared by the forecaster and classifier builders.

    ``"simple"``: causal dilated ReLU convolutions, one per rate (initializer seeds
    0 .. len(rates) - 1). ``"full"``: a 1x1 input convolution to
    ``residual_channels`` (default ``filters``), gated residual blocks, and the
    ReLU of the sum of their skip outputs (seeds 0 .. len(rates)). Heads use the
    seeds after those.
    """
    if architecture not in WAVENET_ARCHITECTURES:
        raise ValueError(
            f"architecture must be one of {list(WAVENET_ARCHITECTURES)}; "
            f"got {architecture!r}."
        )
    if architecture == "simple":
        for index, rate in enumerate(rates):
            hidden = keras.layers.Conv1D(
                filters,
                kernel_size,
                padding="causal",
                dilation_rate=rate,
                activation="relu",
                kernel_initializer=glorot(seed, index),
            )(hidden)
        return hidden
    hidden = keras.layers.Conv1D(
        residual_channels or filters,
        1,
        kernel_initializer=glorot(seed, 0),
        name="input_conv",
    )(hidden)
    skips = []
    for index, rate in enumerate(rates, start=1):
        hidden, skip = WaveNetResidualBlock(
            filters, kernel_size, rate, seed=layer_seed(seed, index)
        )(hidden)
        skips.append(skip)
    # The last block's residual output is left unused: its 1x1 convolution still
    # learns through the skip, which is the same tensor.
    total = keras.layers.Add(name="skip_sum")(skips) if len(skips) > 1 else skips[0]
    return keras.layers.Activation("relu")(total)
