"""Residual network classifier (Wang et al. 2017), with padding masks.

Each residual block is three convolutions, each followed by batch
normalisation (over the real steps) and ReLU, the last ReLU applied after the
shortcut is added; the shortcut is a 1x1 convolution and batch normalisation
when the number of channels changes, else batch normalisation alone. Global
average pooling over the real steps and a softmax head follow the blocks. As in
:func:`skseq.networks.build_conv_classifier`, padding steps are set back to
zero after every convolution, so a sequence gets the same output alone or in a
NaN-padded batch.
"""

import numbers

import keras

from ..utils._scalars import with_python_scalars
from ._classifiers import _front
from ._conv_classifiers import conv_bn, masked_batch_norm
from ._heads import softmax_head
from ._masking import MaskedGlobalPooling1D, ZeroPadded

__all__ = ["build_resnet_classifier"]


@with_python_scalars
def build_resnet_classifier(
    input_shape,
    n_outputs,
    *,
    filters=(64, 128, 128),
    kernel_size=(8, 5, 3),
    vocab_size=None,
    embedding_dim=16,
    seed=None,
):
    """Residual blocks of convolutions, global average pooling, softmax head.

    The ResNet of Wang et al. (2017), one of the strongest deep baselines for
    time series classification (Ismail Fawaz et al., 2019), is the default:
    three blocks of 64, 128 and 128 channels, each of three convolutions of
    widths 8, 5 and 3.

    Parameters
    ----------
    input_shape : tuple of int or None
        ``(n_timesteps, n_features)``; padding steps are NaN.
    n_outputs : int
        Number of classes.
    filters : tuple of int, default=(64, 128, 128)
        Channels of each residual block, bottom to top.
    kernel_size : int or tuple of int, default=(8, 5, 3)
        Width of every convolution of a block, or of each of its convolutions
        (one width per convolution; a block has as many convolutions as widths,
        three for an int).
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
    >>> from skseq.networks import build_resnet_classifier
    >>> build_resnet_classifier((None, 2), 3, filters=(8, 8)).output_shape
    (None, 3)
    """
    widths = _block_widths(kernel_size)
    inputs, hidden, mask = _front(input_shape, vocab_size, embedding_dim, seed)
    index = 0
    for n_filters in filters:
        hidden = _residual_block(hidden, mask, n_filters, widths, seed, index)
        index += len(widths) + 1
    hidden = MaskedGlobalPooling1D("average", name="pooling")(hidden, mask=mask)
    outputs = softmax_head(hidden, n_outputs, index=index, seed=seed)
    return keras.Model(inputs, outputs, name="resnet_classifier")


def _block_widths(kernel_size):
    """Widths of the convolutions of a block: three for an int."""
    if isinstance(kernel_size, numbers.Integral):
        return (int(kernel_size),) * 3
    widths = tuple(kernel_size)
    if not widths:
        raise ValueError("kernel_size needs at least one width; got ().")
    return widths


def _residual_block(hidden, mask, n_filters, widths, seed, start):
    """Convolutions with batch norm and ReLU, plus the shortcut; padding zeroed."""
    shortcut = hidden
    for offset, width in enumerate(widths):
        hidden = conv_bn(hidden, mask, n_filters, width, seed, start + offset)
        if offset < len(widths) - 1:
            hidden = keras.layers.Activation("relu")(hidden)
            hidden = ZeroPadded()(hidden, mask=mask)
    if shortcut.shape[-1] == n_filters:
        shortcut = masked_batch_norm(shortcut, mask)
    else:
        shortcut = conv_bn(shortcut, mask, n_filters, 1, seed, start + len(widths))
    hidden = keras.layers.Activation("relu")(keras.layers.Add()([hidden, shortcut]))
    return ZeroPadded()(hidden, mask=mask)
