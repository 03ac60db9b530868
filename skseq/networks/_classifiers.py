"""Classifier networks: padding masks, token embeddings, softmax heads, and the
recurrent classifiers (the convolutional ones are in :mod:`._conv_classifiers`).

Every classifier builder takes float sequences of shape ``(batch, n_timesteps,
n_features)`` in which padding steps are NaN (all features NaN, after the end of a
sequence). A :class:`PaddingMask` layer turns them into zeros and a boolean mask
that the recurrent layers, batch normalisation and the pooling layers use, so that
padding never changes an output. With ``vocab_size`` set, the one feature holds
token ids (as floats) that an ``Embedding`` layer turns into vectors, zero at
the padding steps as the float values are.

Unlike the forecasting builders, the head is a ``Dense(n_outputs)`` layer with a
softmax activation: the models output class probabilities.
"""

import keras
from keras import ops

from ..utils._architecture import GLOBAL_POOLINGS, conv_dilation_rates
from ..utils._scalars import with_python_scalars
from ._conv import causal_relu_conv
from ._rnn import recurrent_stack
from ._seeding import glorot, layer_seed

__all__ = [
    "LastValidStep",
    "MaskedGlobalPooling1D",
    "PaddingMask",
    "StridedMask",
    "ZeroPadded",
    "build_next_step_classifier",
    "build_rnn_classifier",
]

_PACKAGE = "skseq"
# Layer indices of the front layers, apart from those of the stacked layers.
_EMBEDDING_INDEX = 1000
_FRONT_INDEX = 2000


@keras.saving.register_keras_serializable(package=_PACKAGE)
class PaddingMask(keras.layers.Layer):
    """Split NaN-padded sequences into values and a mask of the real steps.

    A step is padding when its features are NaN. Returns ``(values, mask)``:
    ``values`` with padding steps set to 0, and ``mask`` of shape ``(batch,
    n_timesteps)``, True at real steps.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq.networks import PaddingMask
    >>> values, mask = PaddingMask()(np.array([[[1.0], [np.nan]]], "float32"))
    >>> np.asarray(values)[0, :, 0].tolist(), np.asarray(mask).tolist()
    ([1.0, 0.0], [[True, False]])
    """

    def call(self, inputs):
        missing = ops.isnan(inputs)
        values = ops.where(missing, ops.zeros_like(inputs), inputs)
        return values, ops.logical_not(ops.any(missing, axis=-1))


@keras.saving.register_keras_serializable(package=_PACKAGE)
class ZeroPadded(keras.layers.Layer):
    """Set the padding steps to 0, so that a non-causal convolution that follows
    sees exactly the zeros it would pad a lone sequence with.

    Called as ``ZeroPadded()(inputs, mask=mask)`` with a boolean ``mask`` of shape
    ``(batch, n_timesteps)``.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask):
        return ops.where(ops.expand_dims(mask, -1), inputs, ops.zeros_like(inputs))

    def compute_mask(self, inputs, mask=None):
        # The mask is passed explicitly to the layers that need it; not carrying
        # it keeps Keras from warning that the convolutions ignore it.
        return None


@keras.saving.register_keras_serializable(package=_PACKAGE)
class MaskedGlobalPooling1D(keras.layers.Layer):
    """Maximum or mean over the real time steps: ``(batch, n_timesteps, n) ->
    (batch, n)``.

    Parameters
    ----------
    mode : {"max", "average"}, default="max"
        Pooling function.
    """

    def __init__(self, mode="max", **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        if mode not in GLOBAL_POOLINGS:
            raise ValueError(f"mode must be 'max' or 'average'; got {mode!r}.")
        self.mode = mode

    def call(self, inputs, mask):
        keep = ops.expand_dims(mask, -1)
        if self.mode == "max":
            # Every sequence has a real step, so the maximum is never -inf.
            lowest = ops.full_like(inputs, float("-inf"))
            return ops.max(ops.where(keep, inputs, lowest), axis=1)
        weights = ops.cast(keep, inputs.dtype)
        total = ops.sum(inputs * weights, axis=1)
        return total / ops.maximum(ops.sum(weights, axis=1), 1.0)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[-1])

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self):
        return {**super().get_config(), "mode": self.mode}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class LastValidStep(keras.layers.Layer):
    """Output of each sequence's last real step: ``(batch, n_timesteps, n) ->
    (batch, n)``. The padding must follow the real steps."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def compute_mask(self, inputs, mask=None):
        return None

    def call(self, inputs, mask):
        last = ops.sum(ops.cast(mask, "int32"), axis=1) - 1
        last = ops.maximum(last, 0)
        index = ops.reshape(last, (-1, 1, 1))
        return ops.take_along_axis(inputs, index, axis=1)[:, 0, :]

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[-1])


@keras.saving.register_keras_serializable(package=_PACKAGE)
class StridedMask(keras.layers.Layer):
    """Mask of the output of a causal convolution with ``strides``: output step
    ``j`` reads input steps up to ``j * strides``, so it is real when that step
    is. ``(batch, n_timesteps) -> (batch, ceil(n_timesteps / strides))``.

    Parameters
    ----------
    strides : int
        Stride of the convolution.
    """

    def __init__(self, strides, **kwargs):
        super().__init__(**kwargs)
        self.strides = int(strides)

    def call(self, inputs):
        # (an argument named ``mask`` would be Keras' implicit mask, not an input)
        return inputs[:, :: self.strides]

    def compute_output_shape(self, input_shape):
        steps = input_shape[1]
        steps = None if steps is None else -(-steps // self.strides)
        return (input_shape[0], steps)

    def get_config(self):
        return {**super().get_config(), "strides": self.strides}


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


def _softmax_head(hidden, n_outputs, seed, index):
    return keras.layers.Dense(
        n_outputs,
        activation="softmax",
        kernel_initializer=glorot(seed, index),
        name="output",
    )(hidden)


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
    outputs = _softmax_head(hidden, n_outputs, seed, len(units))
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
    outputs = _softmax_head(hidden, n_outputs, seed, start + len(units))
    return keras.Model(inputs, outputs, name="next_step_classifier")
