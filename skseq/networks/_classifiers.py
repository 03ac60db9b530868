"""Classifier networks: front (padding mask, token embedding), backbone, softmax
head; the recurrent classifiers (the convolutional ones are in
:mod:`._conv_classifiers`).

Every classifier builder takes float sequences of shape ``(batch, n_timesteps,
n_features)`` in which padding steps are NaN (all features NaN, after the end of a
sequence). A :class:`PaddingMask` layer (with the other masking layers in
:mod:`skseq.networks._masking`) turns them into zeros and a boolean mask
that the recurrent layers, batch normalisation and the pooling layers use, so that
padding never changes an output. With ``vocab_size`` set, the one feature holds
token ids (as floats) that an ``Embedding`` layer turns into vectors, zero at
the padding steps as the float values are.

Unlike the forecasting builders, the head is a ``Dense(n_outputs)`` layer with a
softmax activation (:func:`~skseq.networks._heads.softmax_head`): the models
output class probabilities.
"""

import keras

from ..utils._architecture import (
    conv_dilation_rates,
)
from ..utils._scalars import with_python_scalars
from ._conv import causal_relu_conv
from ._heads import softmax_head
from ._masking import (
    PaddingMask,
    StridedMask,
    ZeroPadded,
)
from ._rnn import recurrent_stack
from ._seeding import layer_seed

__all__ = [
    "build_next_step_classifier",
    "build_rnn_classifier",
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
    # Padding steps hold token 0 here, embedded as a real token; zeroed, they are
    # the zeros that a non-causal convolution pads a lone sequence with.
    embedded = ZeroPadded(name="embedded_padding")(embedded, mask=mask)
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
