"""The class docstrings of the recurrent forecasters, written once.

``RNN_DOC`` is a template: ``%(summary)s``, ``%(cell_doc)s``, ``%(name)s`` and
``%(example_args)s`` are filled per class (``CELL_DOC`` documents the ``cell``
parameter of :class:`RNNForecaster` only); its ``%%(...)s`` placeholders become
the shared fragments that ``@fill_doc`` then substitutes.
"""

__all__ = ["CELL_DOC", "RNN_DOC", "fixed_cell_doc"]

RNN_DOC = """%(summary)s

    Sequences may have any length, at fit and at predict time. %%(target_features)s

    Parameters
    ----------
    units : int or tuple of int, default=32
        Units of the recurrent layer, or of each stacked layer bottom to top
        (``(20, 20)`` is the chapter's deep RNN).%(cell_doc)s
    dropout : float, default=0.0
        Dropout rate on the hidden states: between stacked recurrent layers and
        before the head. The raw inputs are not dropped (with one feature a
        per-sequence input mask keeps or zeroes the whole window).
    recurrent_dropout : float, default=0.0
        Dropout rate on the recurrent state of each layer.
    layer_norm : bool, default=False
        Layer-normalised cells (the chapter's ``LNSimpleRNNCell``, and LSTM/GRU
        versions): normalisation over the units inside the recurrence, at every
        time step. Steadier on long sequences; slower, as Keras' fused kernels
        are not used.
    batch_norm : bool, default=False
        Batch normalisation between stacked recurrent layers (no effect with one
        layer).
    output_head : {"dense", None}, default="dense"
        ``"dense"`` puts a linear ``Dense`` layer on the last recurrent layer.
        None uses the last recurrent layer itself as the forecast, as the
        chapter's first model ``SimpleRNN(1)`` does: its units must equal the
        number of values forecast at once (``horizon * n_targets``; the targets
        alone with ``strategy="recursive"``), and its tanh activation bounds the
        forecast to (-1, 1), so scale the data (``fit`` warns when the
        targets reach beyond it).
    mc_samples : int, default=100
        Stochastic forward passes behind ``predict(X, return_std=True)`` and
        ``predict_interval`` (Monte Carlo dropout; needs some dropout). Their
        spread measures the model's uncertainty, not the noise of the data: it
        is not a calibrated interval (see :class:`~skseq.ConformalForecaster`).
        Read by ``fit`` (``mc_samples_``), as every parameter:
        ``set_params(mc_samples=...)`` on a fitted forecaster takes effect at
        the next ``fit``; a prediction made before it warns that it used the
        fitted value.
    %%(strategy)s
    %%(training)s

    Attributes
    ----------
    %%(keras_attributes)s
    dropout_, recurrent_dropout_ : float
        Dropout rates as fitted (whether Monte Carlo dropout can sample).
    mc_samples_ : int
        ``mc_samples`` as fitted.

    See Also
    --------
    skseq.forecasting.WindowedForecaster : Fits it on one long series (windows,
        scaling, covariates, dates).
    skseq.ConvRNNForecaster : A ``Conv1D`` in front of the recurrent layers.
    skseq.WaveNetForecaster : Causal dilated convolutions, for long windows.
    sklearn.model_selection.GridSearchCV : Searches its parameters.

    Examples
    --------
    >>> from skseq import %(name)s, make_windows
    >>> from skseq.datasets import make_sine_series
    >>> X, y = make_windows(make_sine_series(1, 200, random_state=0)[0], window=20)
    >>> model = %(name)s(%(example_args)s, epochs=1, random_state=0).fit(X, y)
    >>> model.predict(X[:3]).shape
    (3,)
"""

CELL_DOC = """
    cell : {"simple", "lstm", "gru"}, default="lstm"
        Recurrent layer: ``SimpleRNN``, ``LSTM`` or ``GRU``."""


def fixed_cell_doc(layer, name):
    """``RNN_DOC`` for the forecaster ``name`` built of ``layer`` layers."""
    return RNN_DOC % {
        "summary": f"Recurrent forecaster built of stacked ``{layer}`` layers.",
        "cell_doc": "",
        "name": name,
        "example_args": "units=8",
    }
