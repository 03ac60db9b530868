"""skseq: the sequence models of "Processing Sequences Using RNNs and CNNs" as
scikit-learn estimators.

Data layout: ``X`` of shape ``(n_samples, n_timesteps, n_features)``; a 2D ``X`` holds
univariate sequences. Importing skseq loads neither Keras nor a backend: they are
imported when a model is first built.
"""

from ._version import __version__
from .estimators import (
    ConvRNNForecaster,
    DenseForecaster,
    GRUForecaster,
    LSTMForecaster,
    NaiveForecaster,
    RNNForecaster,
    SimpleRNNForecaster,
    WaveNetForecaster,
)
from .windowing import (
    FlattenSequence,
    SequenceScaler,
    SlidingWindowTransformer,
    count_windows,
    make_windows,
)

__all__ = [
    "ConvRNNForecaster",
    "DenseForecaster",
    "FlattenSequence",
    "GRUForecaster",
    "LSTMForecaster",
    "NaiveForecaster",
    "RNNForecaster",
    "SequenceScaler",
    "SimpleRNNForecaster",
    "SlidingWindowTransformer",
    "WaveNetForecaster",
    "__version__",
    "count_windows",
    "make_windows",
]
