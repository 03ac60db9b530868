"""Architecture choices and alignment arithmetic, free of Keras.

The names estimators validate their parameters against and the integer arithmetic
of the networks (receptive fields, strided-convolution alignment, one width or
rate per layer) live here, so that estimators import them at module top without
importing a backend. :mod:`skseq.networks` builds its layers from the same values.
"""

import math
import numbers

__all__ = [
    "CLASSIFIER_POOLINGS",
    "CONV_CLASSIFIER_PADDINGS",
    "CONV_PADDINGS",
    "GLOBAL_POOLINGS",
    "OUTPUT_HEADS",
    "RECURRENT_CELLS",
    "WAVENET_ARCHITECTURES",
    "FCN_KERNEL_WIDTHS",
    "check_output_head",
    "conv_classifier_widths",
    "conv_dilation_rates",
    "conv_window_ends",
    "end_crop",
    "kernel_widths",
    "layer_sizes",
    "wavenet_receptive_field",
]

RECURRENT_CELLS = ("simple", "lstm", "gru")
"""Recurrent layer types: Keras' ``SimpleRNN``, ``LSTM`` and ``GRU``."""

CONV_PADDINGS = ("valid", "causal", "same")
"""Paddings of the forecasters' strided Conv1D front-end."""

CONV_CLASSIFIER_PADDINGS = ("same", "causal")
"""Paddings of the classifiers' convolutions: both keep the sequence length."""

WAVENET_ARCHITECTURES = ("simple", "full")
"""The chapter's WaveNet and van den Oord et al.'s (gated, residual, skip)."""

OUTPUT_HEADS = ("dense", None)
"""A linear ``Dense`` head on the recurrent layers, or none."""

GLOBAL_POOLINGS = ("max", "average")
"""Pooling over the real time steps of a sequence."""

CLASSIFIER_POOLINGS = (*GLOBAL_POOLINGS, "last")
"""Global pooling, or the output of the last real step."""

FCN_KERNEL_WIDTHS = (8, 5, 3)
"""Widths of the three convolutions of Wang et al.'s (2017) FCN."""

CONV_CLASSIFIER_WIDTH = 5
"""Width of each convolution of ``ConvClassifier(kernel_size="auto")`` when it
does not have three."""


def check_output_head(output_head):
    """Return ``output_head`` after checking it is one of :data:`OUTPUT_HEADS`."""
    if output_head is not None and not (
        isinstance(output_head, str) and output_head == "dense"
    ):
        raise ValueError(f"output_head must be 'dense' or None; got {output_head!r}.")
    return output_head


def layer_sizes(units):
    """``units`` (an int or a sequence of ints, already validated) as a tuple."""
    return (units,) if isinstance(units, numbers.Integral) else tuple(units)


def kernel_widths(kernel_size, filters):
    """One kernel width per convolution, from an int or a tuple of them.

    Parameters
    ----------
    kernel_size : int or sequence of int
        One width for every convolution, or one per convolution.
    filters : sequence of int
        Channels of each convolution.

    Returns
    -------
    widths : tuple of int
        As many as ``filters``.

    Examples
    --------
    >>> from skseq.utils._architecture import kernel_widths
    >>> kernel_widths(3, (8, 8)), kernel_widths((5, 3), (8, 8))
    ((3, 3), (5, 3))
    """
    if isinstance(kernel_size, numbers.Integral):
        return (kernel_size,) * len(filters)
    widths = tuple(kernel_size)
    if len(widths) != len(filters):
        raise ValueError(
            f"kernel_size needs one width per convolution: {len(filters)} layers "
            f"of filters={tuple(filters)!r} but kernel_size={widths!r}. "
            "Pass an int to use one width for all."
        )
    return widths


def conv_classifier_widths(kernel_size, filters):
    """:func:`kernel_widths`, where ``"auto"`` means the FCN's widths.

    Parameters
    ----------
    kernel_size : "auto", int or sequence of int
        ``"auto"``: :data:`FCN_KERNEL_WIDTHS` for three convolutions, else
        :data:`CONV_CLASSIFIER_WIDTH` for each.
    filters : sequence of int
        Channels of each convolution.

    Returns
    -------
    widths : tuple of int
        As many as ``filters``.

    Examples
    --------
    >>> from skseq.utils._architecture import conv_classifier_widths
    >>> conv_classifier_widths("auto", (128, 256, 128))
    (8, 5, 3)
    >>> conv_classifier_widths("auto", (32,)), conv_classifier_widths(3, (8, 8))
    ((5,), (3, 3))
    """
    if isinstance(kernel_size, str) and kernel_size == "auto":
        if len(filters) == len(FCN_KERNEL_WIDTHS):
            return FCN_KERNEL_WIDTHS
        kernel_size = CONV_CLASSIFIER_WIDTH
    return kernel_widths(kernel_size, filters)


def conv_dilation_rates(dilation_rates, n_convs):
    """One dilation rate per convolution; None doubles it layer by layer.

    Examples
    --------
    >>> from skseq.utils._architecture import conv_dilation_rates
    >>> conv_dilation_rates(None, 4), conv_dilation_rates((1, 3), 2)
    ((1, 2, 4, 8), (1, 3))
    """
    if dilation_rates is None:
        return tuple(2**index for index in range(n_convs))
    rates = layer_sizes(dilation_rates)
    if len(rates) != n_convs:
        raise ValueError(
            f"dilation_rates needs one rate per convolution: {n_convs} "
            f"conv_filters but {len(rates)} dilation_rates."
        )
    return rates


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


def end_crop(n_timesteps, kernel_size, strides, padding):
    """Steps to drop at the start so a strided Conv1D's last window ends last.

    Parameters
    ----------
    n_timesteps : int
        Sequence length.
    kernel_size, strides : int
        Of the convolution (dilation 1).
    padding : {"valid", "causal", "same"}
        Its padding.

    Returns
    -------
    n_cropped : int
        Between 0 and ``strides - 1``.
    """
    if padding == "causal":
        return (n_timesteps - 1) % strides
    if padding == "same":
        # The padding reaches past the end unless the last stride holds more
        # steps than the kernel covers (only possible when kernel_size < strides).
        return max((n_timesteps - 1) % strides + 1 - kernel_size, 0)
    return (n_timesteps - kernel_size) % strides


def conv_window_ends(n_timesteps, kernel_size, strides, padding):
    """Last input step seen by each output step of the strided conv front-end.

    The front-end of :func:`skseq.networks.build_conv_rnn` first drops the
    :func:`end_crop` oldest steps so that its last window ends on the last input
    step, then convolves. Per-step (sequence-to-sequence) targets must be taken at
    these steps: output step ``j`` can only forecast what follows the last step it
    has seen.

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
