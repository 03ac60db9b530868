"""Masking layers: NaN padding in, a mask of the real steps out, and the layers
that read that mask (padding zeroed, pooling and last step over real steps only).

The classifier builders take NaN-padded sequences of different lengths; these
layers keep padding from changing any output. Every class is registered under the
``"skseq"`` package, as those of :mod:`skseq.networks._layers`.
"""

import keras
from keras import ops

from ..utils._architecture import GLOBAL_POOLINGS

__all__ = [
    "LastValidStep",
    "MaskedGlobalPooling1D",
    "PaddingMask",
    "StridedMask",
    "ZeroPadded",
]

_PACKAGE = "skseq"


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
