"""Pure Keras network builders, free of scikit-learn.

Each ``build_<architecture>(input_shape, n_outputs, *, ..., seed=None)`` returns an
uncompiled ``keras.Model`` whose last layer is a linear ``Dense(n_outputs)``: applied
to the last time step (``sequence_output=False``) or to every time step.
Importing this module imports Keras.
"""

from ._conv import (
    CONV_PADDINGS,
    WAVENET_ARCHITECTURES,
    build_conv_rnn,
    build_wavenet,
    conv_window_ends,
    wavenet_receptive_field,
)
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
from ._rnn import RNN_CELLS, build_rnn

__all__ = [
    "CONV_PADDINGS",
    "RNN_CELLS",
    "WAVENET_ARCHITECTURES",
    "EndAlignedCropping1D",
    "GatedActivationUnit",
    "LastTimeStep",
    "LayerNormGRUCell",
    "LayerNormLSTMCell",
    "LayerNormSimpleRNNCell",
    "WaveNetResidualBlock",
    "build_conv_rnn",
    "build_dense",
    "build_rnn",
    "build_wavenet",
    "conv_window_ends",
    "wavenet_receptive_field",
]
