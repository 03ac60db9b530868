"""Classifier networks: front (padding mask, token embedding), backbone, softmax head.

Every builder here takes float sequences of shape ``(batch, n_timesteps,
n_features)`` in which padding steps are NaN (all features NaN, after the end of a
sequence). A :class:`PaddingMask` layer (with the other masking layers in
:mod:`skseq.networks._masking`) turns them into zeros and a boolean mask
that the recurrent layers, batch normalisation and the pooling layers use, so that
padding never changes an output. With ``vocab_size`` set, the one feature holds
token ids (as floats) that an ``Embedding`` layer turns into vectors.

Unlike the forecasting builders, the head is a ``Dense(n_outputs)`` layer with a
softmax activation (:func:`~skseq.networks._heads.softmax_head`): the models
output class probabilities.
"""

import keras

from ..utils._architecture import (
    conv_dilation_rates,
    kernel_widths,
    layer_sizes,
)
from ..utils._scalars import with_python_scalars
from ._conv import causal_relu_conv, wavenet_stack
from ._heads import softmax_head, wavenet_head
from ._masking import (
    LastValidStep,
    MaskedGlobalPooling1D,
    PaddingMask,
    StridedMask,
    ZeroPadded,
)
from ._rnn import recurrent_stack
from ._seeding import glorot, layer_seed

__all__ = [
    "build_conv_classifier",
    "build_next_step_classifier",
    "build_rnn_classifier",
    "build_wavenet_classifier",
]

# Layer indices of the front layers, apart from those of the stacked layers.
_EMBEDDING_INDEX = 1000
_FRONT_INDEX = 2000


def _strided_front(hidden, mask, conv_filters, kernel_size, strides, seed):
    """Causal strided ReLU convolutions that shorten long sequences before the
    recurrent layers; causal, so the padding never reaches a real step."""
    for index, n_filters in enumerate(conv_filters):
        hidden = causal_relu_conv(
            hidden, n_filters, kernel_size, seed, _FRONT_INDEX + index, strides=strides
        )
        if strides > 1:
            mask = StridedMask(strides)(mask)
        hidden = ZeroPadded()(hidden, mask=mask)
    return hidden, mask


def _front(input_shape, vocab_size, embedding_dim, seed):
    """Input, mask and (for token input) embedding shared by every builder."""
    inputs = keras.Input(shape=tuple(input_shape), name="sequences")
    values, mask = PaddingMask(name="padding_mask")(inputs)
    if vocab_size is None:
        return inputs, values, mask
    if input_shape[-1] != 1:
        raise ValueError(
            "Token input holds one token id per time step: n_features must be 1; "
            f"got input_shape={tuple(input_shape)}."
        )
    tokens = keras.layers.Reshape((-1,), name="token_ids")(values)
    embedded = keras.layers.Embedding(
        vocab_size,
        embedding_dim,
        embeddings_initializer=keras.initializers.RandomUniform(
            -0.05, 0.05, seed=layer_seed(seed, _EMBEDDING_INDEX)
        ),
        name="embedding",
    )(tokens)
    return inputs, embedded, mask


@with_python_scalars
def build_rnn_classifier(
    input_shape,
    n_outputs,
    *,
    cell="lstm",
    units=(32,),
    conv_filters=(),
    kernel_size=8,
    strides=4,
    dropout=0.0,
    recurrent_dropout=0.0,
    vocab_size=None,
    embedding_dim=16,
    seed=None,
):
    """Masked recurrent layers and a softmax head on the last real step.

    Optional causal strided convolutions first shorten the sequences
    ``strides``-fold each, so that the recurrent layers see fewer, richer steps.

    Parameters
    ----------
    input_shape : tuple of int or None
        ``(n_timesteps, n_features)``; ``n_timesteps`` may be None. Padding steps
        of the input are NaN.
    n_outputs : int
        Number of classes.
    cell : {"simple", "lstm", "gru"}, default="lstm"
        Recurrent layer type.
    units : tuple of int, default=(32,)
        Units of each recurrent layer, bottom to top.
    conv_filters : tuple of int, default=()
        Channels of each causal ReLU convolution before the recurrent layers.
    kernel_size : int, default=8
        Width of those convolutions.
    strides : int, default=4
        Stride of those convolutions.
    dropout, recurrent_dropout : float, default=0.0
        Dropout rates on the inputs and on the recurrent state of each layer.
    vocab_size : int or None, default=None
        If set, the one input feature holds token ids in ``[0, vocab_size)``,
        embedded by an ``Embedding`` layer.
    embedding_dim : int, default=16
        Size of the token vectors (with ``vocab_size``).
    seed : int or None, default=None
        Seed of the weight initializers and dropout masks.

    Returns
    -------
    model : keras.Model
        Maps ``(batch, n_timesteps, n_features)`` to class probabilities of shape
        ``(batch, n_outputs)``.

    Examples
    --------
    >>> from skseq.networks import build_rnn_classifier
    >>> build_rnn_classifier((None, 1), 3, units=(8,), vocab_size=10).output_shape
    (None, 3)
    """
    inputs, hidden, mask = _front(input_shape, vocab_size, embedding_dim, seed)
    hidden, mask = _strided_front(
        hidden, mask, conv_filters, kernel_size, strides, seed
    )
    hidden = recurrent_stack(
        hidden,
        cell,
        units,
        dropout=dropout,
        recurrent_dropout=recurrent_dropout,
        mask=mask,
        seed=seed,
    )
    outputs = softmax_head(hidden, n_outputs, index=len(units), seed=seed)
    return keras.Model(inputs, outputs, name=f"{cell}_classifier")


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


@with_python_scalars
def build_next_step_classifier(
    input_shape,
    n_outputs,
    *,
    conv_filters=(),
    kernel_size=2,
    dilation_rates=None,
    batch_norm=False,
    cell="lstm",
    units=(64,),
    dropout=0.0,
    recurrent_dropout=0.0,
    vocab_size=None,
    embedding_dim=16,
    seed=None,
):
    """Causal per-time-step classifier: a probability vector at every step.

    Optional causal dilated Conv1D layers (ReLU, optionally each followed by
    masked batch normalisation), then recurrent layers returning sequences, then
    a softmax ``Dense`` layer applied at every step. The output at step ``t``
    depends on input steps ``<= t`` only, so it can be trained to predict step
    ``t + 1`` and sampled from one step at a time. The chapter's Bach chorales
    model is ``conv_filters=(32, 48, 64, 96)``, ``dilation_rates=(1, 2, 4, 8)``,
    ``batch_norm=True``, ``units=(256,)``, ``vocab_size=47``, ``embedding_dim=5``.

    Parameters
    ----------
    input_shape : tuple of int or None
        ``(n_timesteps, n_features)``; padding steps are NaN.
    n_outputs : int
        Number of classes.
    conv_filters : tuple of int, default=()
        Channels of each causal convolution, bottom to top; empty for none.
    kernel_size : int, default=2
        Width of the convolutions.
    dilation_rates : tuple of int or None, default=None
        Dilation of each convolution; None doubles it layer by layer (1, 2, 4, ...).
    batch_norm : bool, default=False
        Batch normalisation (over the real steps) after each convolution.
    cell : {"simple", "lstm", "gru"}, default="lstm"
        Recurrent layer type.
    units : tuple of int, default=(64,)
        Units of each recurrent layer; empty for a purely convolutional model.
    dropout, recurrent_dropout : float, default=0.0
        Dropout rates of the recurrent layers.
    vocab_size : int or None, default=None
        If set, the one input feature holds token ids, embedded first.
    embedding_dim : int, default=16
        Size of the token vectors.
    seed : int or None, default=None
        Seed of the weight initializers and dropout masks.

    Returns
    -------
    model : keras.Model
        Maps ``(batch, n_timesteps, n_features)`` to ``(batch, n_timesteps,
        n_outputs)`` probabilities.

    Examples
    --------
    >>> from skseq.networks import build_next_step_classifier
    >>> model = build_next_step_classifier(
    ...     (None, 1), 47, conv_filters=(8, 8), units=(16,), vocab_size=47)
    >>> model.output_shape
    (None, None, 47)
    """
    dilation_rates = conv_dilation_rates(dilation_rates, len(conv_filters))
    inputs, hidden, mask = _front(input_shape, vocab_size, embedding_dim, seed)
    for index, (n_filters, rate) in enumerate(
        zip(conv_filters, dilation_rates, strict=True)
    ):
        hidden = causal_relu_conv(
            hidden, n_filters, kernel_size, seed, index, dilation_rate=rate
        )
        if batch_norm:
            hidden = keras.layers.BatchNormalization()(hidden, mask=mask)
            hidden = ZeroPadded()(hidden, mask=mask)
    start = len(conv_filters)
    hidden = recurrent_stack(
        hidden,
        cell,
        units,
        dropout=dropout,
        recurrent_dropout=recurrent_dropout,
        return_sequences=True,
        mask=mask,
        seed=seed,
        start=start,
    )
    outputs = softmax_head(hidden, n_outputs, index=start + len(units), seed=seed)
    return keras.Model(inputs, outputs, name="next_step_classifier")
