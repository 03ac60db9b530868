"""Scikit-learn estimators backed by Keras networks (Keras loads on first ``fit``)."""

from ._base import BaseKerasForecaster, BaseSequenceForecaster
from ._classifiers import (
    BaseKerasClassifier,
    ConvClassifier,
    GRUClassifier,
    LSTMClassifier,
    NextStepClassifier,
    RNNClassifier,
    WaveNetClassifier,
    check_padded_sequences,
)
from ._convolutional import ConvRNNForecaster, WaveNetForecaster
from ._forecasters import (
    DenseForecaster,
    GRUForecaster,
    LSTMForecaster,
    NaiveForecaster,
    RNNForecaster,
    SimpleRNNForecaster,
)
from ._resnet import ResNetClassifier

__all__ = [
    "BaseKerasClassifier",
    "BaseKerasForecaster",
    "BaseSequenceForecaster",
    "ConvClassifier",
    "ConvRNNForecaster",
    "DenseForecaster",
    "GRUClassifier",
    "GRUForecaster",
    "LSTMClassifier",
    "LSTMForecaster",
    "NaiveForecaster",
    "NextStepClassifier",
    "RNNClassifier",
    "RNNForecaster",
    "ResNetClassifier",
    "SimpleRNNForecaster",
    "WaveNetClassifier",
    "WaveNetForecaster",
    "check_padded_sequences",
]
