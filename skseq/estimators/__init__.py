"""Scikit-learn estimators backed by Keras networks (Keras loads on first ``fit``)."""

from ._base import BaseKerasForecaster, BaseSequenceForecaster
from ._convolutional import ConvRNNForecaster, WaveNetForecaster
from ._forecasters import (
    DenseForecaster,
    GRUForecaster,
    LSTMForecaster,
    NaiveForecaster,
    RNNForecaster,
    SimpleRNNForecaster,
)

__all__ = [
    "BaseKerasForecaster",
    "BaseSequenceForecaster",
    "ConvRNNForecaster",
    "DenseForecaster",
    "GRUForecaster",
    "LSTMForecaster",
    "NaiveForecaster",
    "RNNForecaster",
    "SimpleRNNForecaster",
    "WaveNetForecaster",
]
