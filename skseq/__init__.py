"""skseq: the sequence models of "Processing Sequences Using RNNs and CNNs" as
scikit-learn estimators.

Data layout: ``X`` of shape ``(n_samples, n_timesteps, n_features)``; a 2D ``X`` holds
univariate sequences. Importing skseq loads neither Keras nor a backend: they are
imported when a model is first built.
"""

from ._safe_io import load, save
from ._version import __version__
from .estimators import (
    ConvClassifier,
    ConvRNNForecaster,
    DenseForecaster,
    GRUClassifier,
    GRUForecaster,
    LSTMClassifier,
    LSTMForecaster,
    NaiveForecaster,
    NextStepClassifier,
    ResNetClassifier,
    RNNClassifier,
    RNNForecaster,
    SimpleRNNForecaster,
    WaveNetClassifier,
    WaveNetForecaster,
)
from .forecasting import (
    ConformalForecaster,
    PanelSplit,
    SeriesSplit,
    WindowedForecaster,
    backtest,
    regularize,
)
from .utils._native_log import filter_tensorflow_log
from .utils._show_versions import show_versions
from .windowing import (
    FlattenSequence,
    SequenceNormalizer,
    SequenceScaler,
    SlidingWindowTransformer,
    count_windows,
    make_windows,
)

__all__ = [
    "load",
    "save",
    "ConformalForecaster",
    "ConvClassifier",
    "ConvRNNForecaster",
    "DenseForecaster",
    "FlattenSequence",
    "GRUClassifier",
    "GRUForecaster",
    "LSTMClassifier",
    "LSTMForecaster",
    "NaiveForecaster",
    "NextStepClassifier",
    "PanelSplit",
    "RNNClassifier",
    "RNNForecaster",
    "ResNetClassifier",
    "SequenceNormalizer",
    "SequenceScaler",
    "SeriesSplit",
    "SimpleRNNForecaster",
    "SlidingWindowTransformer",
    "WaveNetClassifier",
    "WaveNetForecaster",
    "WindowedForecaster",
    "__version__",
    "backtest",
    "count_windows",
    "filter_tensorflow_log",
    "make_windows",
    "regularize",
    "show_versions",
]
