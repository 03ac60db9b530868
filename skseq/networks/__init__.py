"""Pure Keras network builders, free of scikit-learn.

Each ``build_<architecture>(input_shape, n_outputs, *, ..., seed=None)`` returns an
uncompiled ``keras.Model`` whose last layer is a linear ``Dense(n_outputs)``: applied
to the last time step (``sequence_output=False``) or to every time step.
Importing this module imports Keras.
"""

from ._dense import build_dense
from ._rnn import RNN_CELLS, build_rnn

__all__ = ["RNN_CELLS", "build_dense", "build_rnn"]
