"""Convolutional networks: a Conv1D front-end for RNNs, and WaveNet.

Every convolution here either is causal or is followed by an RNN, and every network
accepts sequences of any length: the cost of a forward pass grows linearly with it.
"""

import keras

from ..utils._architecture import WAVENET_ARCHITECTURES, layer_sizes
from ..utils._scalars import with_python_scalars
from ._heads import dense_head, wavenet_head
from ._layers import EndAlignedCropping1D, LastTimeStep, WaveNetResidualBlock
from ._rnn import recurrent_stack
from ._seeding import glorot, layer_seed

__all__ = [
    "build_conv_rnn",
    "build_wavenet",
    "causal_relu_conv",
    "wavenet_stack",
]


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
    dropout=0.0,
    recurrent_dropout=0.0,
    layer_norm=False,
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
    dropout : float, default=0.0
        Dropout rate on the inputs of every recurrent layer (the first one reads
        the convolution's features).
    recurrent_dropout : float, default=0.0
        Dropout rate on the recurrent state of each layer.
    layer_norm : bool, default=False
        Layer-normalised recurrent cells, as in :func:`build_rnn`.
    sequence_output : bool, default=False
        If True, the head is applied at every output step of the convolution.
    seed : int or None, default=None
        Seed of the weight initializers and dropout masks.

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
    units = layer_sizes(units)
    hidden = recurrent_stack(
        hidden,
        cell,
        units,
        dropout=dropout,
        recurrent_dropout=recurrent_dropout,
        layer_norm=layer_norm,
        return_sequences=sequence_output,
        seed=seed,
        start=1,
    )
    outputs = dense_head(
        hidden, n_outputs, index=len(units) + 1, seed=seed, name="output"
    )
    return keras.Model(inputs, outputs, name=f"conv_{cell}")


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
    rates = layer_sizes(dilation_rates) * n_blocks
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
    if not sequence_output:
        # The head is pointwise in time: keep only the step that is forecast from.
        hidden = LastTimeStep(name="last_step")(hidden)
    outputs = wavenet_head(
        hidden,
        n_outputs,
        architecture=architecture,
        filters=filters,
        residual_channels=residual_channels,
        skip_channels=skip_channels,
        n_layers=len(rates),
        seed=seed,
    )
    name = "wavenet" if architecture == "simple" else "wavenet_full"
    return keras.Model(inputs, outputs, name=name)


def wavenet_stack(
    hidden,
    *,
    filters,
    kernel_size,
    rates,
    architecture,
    residual_channels,
    seed,
    normalization=None,
):
    """The WaveNet body shared by the forecaster and classifier builders.

    ``"simple"``: causal dilated ReLU convolutions, one per rate (initializer seeds
    0 .. len(rates) - 1); with ``normalization``, a function of a tensor, each
    convolution's output goes through it before the ReLU (and the convolution
    has no bias: a normalisation's shift replaces it). ``"full"``: a 1x1 input
    convolution to ``residual_channels`` (default ``filters``), gated residual
    blocks, and the ReLU of the sum of their skip outputs (seeds 0 ..
    len(rates)); its residual connections carry the signal and
    ``normalization`` does not apply. Heads use the seeds after those.
    """
    if architecture not in WAVENET_ARCHITECTURES:
        raise ValueError(
            f"architecture must be one of {list(WAVENET_ARCHITECTURES)}; "
            f"got {architecture!r}."
        )
    if architecture == "simple":
        for index, rate in enumerate(rates):
            hidden = causal_relu_conv(
                hidden,
                filters,
                kernel_size,
                seed,
                index,
                dilation_rate=rate,
                normalization=normalization,
            )
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


def causal_relu_conv(
    hidden,
    n_filters,
    kernel_size,
    seed,
    index,
    *,
    dilation_rate=1,
    strides=1,
    normalization=None,
):
    """A causal ReLU ``Conv1D`` seeded by layer ``index``: output step ``t`` reads
    input steps up to ``t`` only (WaveNet's layers, the classifiers' fronts).
    ``normalization`` (a function of a tensor), if given, goes between the
    convolution (then without bias: the normalisation shifts) and the ReLU."""
    hidden = keras.layers.Conv1D(
        n_filters,
        kernel_size,
        strides=strides,
        padding="causal",
        dilation_rate=dilation_rate,
        activation="relu" if normalization is None else None,
        use_bias=normalization is None,
        kernel_initializer=glorot(seed, index),
    )(hidden)
    if normalization is None:
        return hidden
    return keras.layers.Activation("relu")(normalization(hidden))
