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
from .forecasting import SeriesSplit, WindowedForecaster, backtest
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
    "SeriesSplit",
    "SimpleRNNForecaster",
    "SlidingWindowTransformer",
    "WaveNetForecaster",
    "WindowedForecaster",
    "__version__",
    "backtest",
    "count_windows",
    "make_windows",
]
