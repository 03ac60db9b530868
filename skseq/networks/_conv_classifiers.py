"""Convolutional classifier networks: a CNN and a WaveNet, with padding masks.

They share the front (padding mask, token embedding) and the softmax head of the
recurrent classifiers in :mod:`._classifiers`; the convolutions here are
followed by batch normalisation over the real steps only
(:func:`masked_batch_norm`), and the padding steps are set back to zero after
every convolution, so a sequence gets the same output alone or in a NaN-padded
batch. :mod:`._resnet` builds its residual blocks from :func:`conv_bn`.
"""

import keras

from ..utils._architecture import (
    CONV_CLASSIFIER_PADDINGS,
    kernel_widths,
    layer_sizes,
)
from ..utils._scalars import with_python_scalars
from ._classifiers import _front
from ._conv import wavenet_stack
from ._heads import softmax_head, wavenet_head
from ._masking import LastValidStep, MaskedGlobalPooling1D, ZeroPadded
from ._seeding import glorot, layer_seed

__all__ = [
    "build_conv_classifier",
    "build_wavenet_classifier",
    "conv_bn",
    "masked_batch_norm",
]


@with_python_scalars
def build_conv_classifier(
    input_shape,
    n_outputs,
    *,
    filters=(32,),
    kernel_size=3,
    padding="same",
    activation="relu",
    batch_norm=False,
    pooling="max",
    dense_units=(),
    dropout=0.0,
    vocab_size=None,
    embedding_dim=16,
    seed=None,
):
    """Conv1D layers, global pooling over the real steps, and a dense head.

    After each convolution the padding steps are set back to zero, so that the
    outputs at the real steps are those of the sequence alone. With
    ``batch_norm``, each block is convolution, batch normalisation over the real
    steps, then the activation: the fully convolutional network (FCN) of Wang et
    al. (2017) is ``filters=(128, 256, 128)``, ``kernel_size=(8, 5, 3)``,
    ``batch_norm=True``, ``pooling="average"``.

    Parameters
    ----------
    input_shape : tuple of int or None
        ``(n_timesteps, n_features)``; padding steps are NaN.
    n_outputs : int
        Number of classes.
    filters : tuple of int, default=(32,)
        Channels of each convolution, bottom to top.
    kernel_size : int or tuple of int, default=3
        Width of every convolution, or of each one (as many as ``filters``).
    padding : {"same", "causal"}, default="same"
        Padding of the convolutions; both keep the sequence length.
    activation : str, default="relu"
        Activation of the convolutions and of the hidden dense layers.
    batch_norm : bool, default=False
        Batch normalisation (over the real steps) between each convolution and
        its activation.
    pooling : {"max", "average"}, default="max"
        Global pooling over the real time steps.
    dense_units : tuple of int, default=()
        Sizes of hidden Dense layers between the pooling and the head.
    dropout : float, default=0.0
        Dropout rate before each dense layer.
    vocab_size : int or None, default=None
        If set, the one input feature holds token ids, embedded first.
    embedding_dim : int, default=16
        Size of the token vectors.
    seed : int or None, default=None
        Seed of the weight initializers and dropout.

    Returns
    -------
    model : keras.Model
        Maps ``(batch, n_timesteps, n_features)`` to ``(batch, n_outputs)``
        probabilities.

    Examples
    --------
    >>> from skseq.networks import build_conv_classifier
    >>> build_conv_classifier((None, 2), 4, filters=(8, 8)).output_shape
    (None, 4)
    """
    if padding not in CONV_CLASSIFIER_PADDINGS:
        # "valid" shortens the sequence: the mask of the real steps no longer
        # lines up with the convolution's outputs.
        raise ValueError(
            f"padding must be one of {list(CONV_CLASSIFIER_PADDINGS)} (both keep "
            f"the length the padding mask covers); got {padding!r}."
        )
    widths = kernel_widths(kernel_size, filters)
    inputs, hidden, mask = _front(input_shape, vocab_size, embedding_dim, seed)
    for index, (n_filters, width) in enumerate(zip(filters, widths, strict=True)):
        hidden = _conv_block(
            hidden, mask, n_filters, width, padding, activation, batch_norm, seed, index
        )
    hidden = MaskedGlobalPooling1D(pooling, name="pooling")(hidden, mask=mask)
    index = len(filters)
    for n_units in dense_units:
        if dropout:
            hidden = keras.layers.Dropout(dropout, seed=layer_seed(seed, index))(hidden)
        hidden = keras.layers.Dense(
            n_units, activation=activation, kernel_initializer=glorot(seed, index)
        )(hidden)
        index += 1
    if dropout:
        hidden = keras.layers.Dropout(dropout, seed=layer_seed(seed, index))(hidden)
    outputs = softmax_head(hidden, n_outputs, index=index + 1, seed=seed)
    return keras.Model(inputs, outputs, name="conv_classifier")


def _conv_block(
    hidden, mask, n_filters, width, padding, activation, batch_norm, seed, index
):
    """Convolution, optional masked batch normalisation, activation; padding zeroed."""
    if batch_norm:
        hidden = conv_bn(hidden, mask, n_filters, width, seed, index, padding=padding)
        hidden = keras.layers.Activation(activation)(hidden)
    else:
        hidden = keras.layers.Conv1D(
            n_filters,
            width,
            padding=padding,
            activation=activation,
            kernel_initializer=glorot(seed, index),
        )(hidden)
    return ZeroPadded()(hidden, mask=mask)


def conv_bn(hidden, mask, n_filters, width, seed, index, padding="same"):
    """Convolution (no bias: the normalisation shifts) and batch normalisation
    over the real steps only, so that the padding never shifts the moments."""
    hidden = keras.layers.Conv1D(
        n_filters,
        width,
        padding=padding,
        use_bias=False,
        kernel_initializer=glorot(seed, index),
    )(hidden)
    return masked_batch_norm(hidden, mask)


def masked_batch_norm(hidden, mask):
    """Batch normalisation over the real steps, with momentum 0.9.

    Not Keras' 0.99: a small training set gives a few steps per epoch, and the
    convolutions' variance (~1e-3 at initialisation) is far below the moving
    variance's start (1), which at 0.99 still weighs 0.99**400 = 2% after 200
    epochs of 2 steps: inference then sees activations squeezed tenfold
    (ArrowHead: 30% test accuracy, 89% in training mode, measured).
    """
    return keras.layers.BatchNormalization(momentum=0.9)(hidden, mask=mask)


def _padded_batch_norm(mask):
    """:func:`masked_batch_norm` with the padding steps set back to 0, as a
    function of a tensor (the ``normalization`` of WaveNet's layers).

    Glorot-initialised ReLU layers halve the signal's variance each: eight of
    them leave a nearly constant output, whose loss plateau at ln(n_classes)
    makes ReduceLROnPlateau cut the learning rate before training starts
    (WaveNet on ArrowHead: one class predicted). Normalising each layer keeps
    unit scale.
    """
    return lambda hidden: ZeroPadded()(masked_batch_norm(hidden, mask), mask=mask)


@with_python_scalars
def build_wavenet_classifier(
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
    batch_norm=False,
    pooling="max",
    vocab_size=None,
    embedding_dim=16,
    seed=None,
):
    """WaveNet (causal dilated convolutions) with a pooled softmax head.

    The convolutions are causal, so padding after a sequence never reaches its
    real steps; the pooling reads the real steps only. ``architecture`` is as in
    :func:`skseq.networks.build_wavenet`.

    Parameters
    ----------
    input_shape : tuple of int or None
        ``(n_timesteps, n_features)``; padding steps are NaN.
    n_outputs : int
        Number of classes.
    filters, kernel_size, dilation_rates, n_blocks, architecture, \
residual_channels, skip_channels
        As in :func:`skseq.networks.build_wavenet`.
    batch_norm : bool, default=False
        ``"simple"`` only: batch normalisation (over the real steps) between
        each dilated convolution and its ReLU. The ``"full"`` network's residual
        connections keep its signal; there it is ignored.
    pooling : {"max", "average", "last"}, default="max"
        Global pooling over the real steps, or the output of the last real step
        (which sees only the receptive field before it).
    vocab_size : int or None, default=None
        If set, the one input feature holds token ids, embedded first.
    embedding_dim : int, default=16
        Size of the token vectors.
    seed : int or None, default=None
        Seed of the weight initializers.

    Returns
    -------
    model : keras.Model
        Maps ``(batch, n_timesteps, n_features)`` to ``(batch, n_outputs)``
        probabilities.

    Examples
    --------
    >>> from skseq.networks import build_wavenet_classifier
    >>> build_wavenet_classifier((None, 1), 2, dilation_rates=(1, 2)).output_shape
    (None, 2)
    """
    rates = layer_sizes(dilation_rates) * n_blocks
    inputs, hidden, mask = _front(input_shape, vocab_size, embedding_dim, seed)
    hidden = wavenet_stack(
        hidden,
        filters=filters,
        kernel_size=kernel_size,
        rates=rates,
        architecture=architecture,
        residual_channels=residual_channels,
        seed=seed,
        normalization=_padded_batch_norm(mask) if batch_norm else None,
    )
    if pooling == "last":
        hidden = LastValidStep(name="last_step")(hidden, mask=mask)
    else:
        hidden = MaskedGlobalPooling1D(pooling, name="pooling")(hidden, mask=mask)
    outputs = wavenet_head(
        hidden,
        n_outputs,
        architecture=architecture,
        filters=filters,
        residual_channels=residual_channels,
        skip_channels=skip_channels,
        n_layers=len(rates),
        activation="softmax",
        seed=seed,
    )
    return keras.Model(inputs, outputs, name=f"wavenet_{architecture}_classifier")
