"""Imports Keras through :func:`skseq.utils._keras.import_keras`.

``skseq.networks`` imports this module before its builders, whose modules import
Keras at the top: the first import of Keras then goes through ``import_keras``,
which installs the filter of Keras' retracing warnings (active only while skseq
fits or predicts).
"""

from ..utils._keras import bind_keras, import_keras  # noqa: F401 (re-exported)

bind_keras()
