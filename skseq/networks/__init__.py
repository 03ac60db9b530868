"""Pure Keras network builders, free of scikit-learn.

Each ``build_<architecture>(input_shape, n_outputs, *, ..., seed=None)`` returns an
uncompiled ``keras.Model`` whose last layer is a linear ``Dense(n_outputs)``: applied
to the last time step (``sequence_output=False``) or to every time step. The
classifier builders (``build_*_classifier``) end in a softmax ``Dense`` layer instead
and take NaN-padded sequences of different lengths.
Importing this module imports Keras.
"""

from ..utils._architecture import (  # Keras-free: choices and arithmetic
    CLASSIFIER_POOLINGS,
    CONV_PADDINGS,
    WAVENET_ARCHITECTURES,
    conv_window_ends,
    wavenet_receptive_field,
)

# Before the Keras modules (isort keeps it so): TensorFlow's start-up log is filtered.
from . import _backend  # noqa: F401
from ._classifiers import (
    build_next_step_classifier,
    build_rnn_classifier,
)
from ._conv import build_conv_rnn, build_wavenet
from ._conv_classifiers import build_conv_classifier, build_wavenet_classifier
from ._dense import build_dense
from ._layers import (
    EndAlignedCropping1D,
    GatedActivationUnit,
    LastTimeStep,
    LayerNormGRUCell,
    LayerNormLSTMCell,
    LayerNormSimpleRNNCell,
    WaveNetResidualBlock,
)
from ._masking import (
    LastValidStep,
    MaskedGlobalPooling1D,
    PaddingMask,
    StridedMask,
    ZeroPadded,
)
from ._probabilistic import DistributionLoss, ProbabilisticOutput, QuantileLoss
from ._resnet import build_resnet_classifier
from ._rnn import RNN_CELLS, build_rnn

__all__ = [
    "CLASSIFIER_POOLINGS",
    "CONV_PADDINGS",
    "RNN_CELLS",
    "WAVENET_ARCHITECTURES",
    "DistributionLoss",
    "EndAlignedCropping1D",
    "GatedActivationUnit",
    "LastTimeStep",
    "LastValidStep",
    "LayerNormGRUCell",
    "LayerNormLSTMCell",
    "LayerNormSimpleRNNCell",
    "MaskedGlobalPooling1D",
    "PaddingMask",
    "ProbabilisticOutput",
    "QuantileLoss",
    "StridedMask",
    "WaveNetResidualBlock",
    "ZeroPadded",
    "build_conv_classifier",
    "build_conv_rnn",
    "build_dense",
    "build_next_step_classifier",
    "build_resnet_classifier",
    "build_rnn",
    "build_rnn_classifier",
    "build_wavenet",
    "build_wavenet_classifier",
    "conv_window_ends",
    "wavenet_receptive_field",
]
