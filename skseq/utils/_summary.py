"""A short text summary of a fitted estimator, for notebooks (``est.summary()``)."""

import math

from sklearn.utils.validation import check_is_fitted

__all__ = ["EstimatorSummary", "summarize", "summary_method"]


class EstimatorSummary:
    """What ``summary()`` returns: the facts as attributes, the text as its repr.

    Attributes
    ----------
    name : str
        The estimator's class (``"WindowedForecaster(GRUForecaster)"`` for a
        wrapper).
    layers : list of tuple (str, str, str, int)
        Name, class, output shape and parameter count of each top-level layer
        after the input; empty without a network.
    n_params : int or None
        Parameters of the network (trainable or not); None without one.
    receptive_field : int, str or None
        Time steps one output sees: an int for convolutional networks, ``"whole
        window"`` when a recurrent or dense layer reads every step; None without
        a network.
    epochs : int or None
        Epochs in ``history_``: every epoch since the network was built (warm
        starts and ``partial_fit`` add to them; the text also gives the
        epochs of the last fit, of its ``epochs`` then -- early stopping may
        end before).
    best_val_loss : float or None
        Lowest validation loss, when a validation set was used.
    best_epoch : int or None
        Epoch (from 1) of ``best_val_loss``.
    final_loss : float or None
        Training loss of the last epoch.
    solver : str or None
        ``"lstsq"`` when the weights were solved by least squares (a linear
        :class:`~skseq.DenseForecaster`): there were no epochs.
    extra : list of str
        Lines about a wrapper (window, horizon, targets).
    """

    def __init__(
        self,
        name,
        model=None,
        history=None,
        last_fit_epochs=None,
        extra=(),
        solver=None,
    ):
        self.name = name
        self.solver = solver
        self.extra = list(extra)
        self.layers = [] if model is None else _layer_rows(model)
        self.n_params = None if model is None else int(model.count_params())
        self.receptive_field = None if model is None else receptive_field(model)
        self._last_fit_epochs = last_fit_epochs
        history = history or {}
        losses, val = history.get("loss", []), history.get("val_loss", [])
        self.epochs = len(losses) or None
        self.final_loss = float(losses[-1]) if losses else None
        finite = [(v, i) for i, v in enumerate(val, 1) if math.isfinite(v)]
        best = min(finite) if finite else (None, None)
        self.best_val_loss, self.best_epoch = best

    def __repr__(self):
        return "\n".join(self._lines())

    __str__ = __repr__

    def _lines(self):
        lines = [self.name, *self.extra]
        if self.n_params is None:
            return [*lines, "No network (nothing trained)."]
        n_layers = len(self.layers)
        lines.append(f"Network: {n_layers} layers, {self.n_params:,} parameters")
        width = max(len(f"{name} ({kind})") for name, kind, _, _ in self.layers)
        for name, kind, shape, count in self.layers:
            lines.append(f"  {f'{name} ({kind})':<{width}}  {shape:<16} {count:>8,}")
        field = self.receptive_field
        lines.append(
            f"Receptive field: {field} steps"
            if isinstance(field, int)
            else f"Receptive field: {field}"
        )
        lines.append(self._training_line())
        return lines

    def _training_line(self):
        if self.epochs is None:
            return "Training: no history"
        if self.solver == "lstsq":
            return (
                "Training: exact least squares (no epochs), training loss "
                f"{self.final_loss:.4g}"
            )
        line = f"Training: {self._epochs_text()}, final loss {self.final_loss:.4g}"
        if self.best_val_loss is not None:
            best, epoch = self.best_val_loss, self.best_epoch
            line += f", best val_loss {best:.4g} (epoch {epoch})"
        return line

    def _epochs_text(self):
        """Epochs trained: ``2 of 3 epochs`` for one fit, ``2 of 2 epochs in the
        last fit, 4 in all`` after warm starts or partial fits."""
        if self._last_fit_epochs is None:
            return f"{self.epochs} epochs"
        run, most = self._last_fit_epochs
        if run == self.epochs:
            return f"{run} of {most} epochs"
        return f"{run} of {most} epochs in the last fit, {self.epochs} in all"


def summarize(estimator):
    """The :class:`EstimatorSummary` of a fitted skseq estimator.

    Parameters
    ----------
    estimator : fitted skseq estimator or WindowedForecaster
        Keras-backed estimators show their network; a wrapper (a
        :class:`~skseq.forecasting.WindowedForecaster`, a
        :class:`~skseq.forecasting.ConformalForecaster`, a fitted ``Pipeline``
        or search inside them) shows the network of the estimator it wraps,
        with its own fitted facts: window, horizon and columns, season and
        differences, calibration samples.

    Returns
    -------
    summary : EstimatorSummary
        Prints (and shows in a notebook) as a few lines of text.
    """
    check_is_fitted(estimator)
    chain = _fitted_chain(estimator)
    name = type(chain[-1]).__name__
    for wrapper in reversed(chain[:-1]):
        name = f"{type(wrapper).__name__}({name})"
    extra = [line for wrapper in chain[:-1] for line in _wrapper_lines(wrapper)]
    return _summary_of(chain[-1], name, extra)


def _fitted_chain(estimator):
    """``estimator`` and the fitted estimators it wraps, down to the last one
    (duck typing: ``estimator_``, ``best_estimator_``, ``regressor_``, a
    Pipeline's last step), outermost first."""
    chain = [estimator]
    while True:
        inner = None
        for name in ("estimator_", "best_estimator_", "regressor_"):
            inner = getattr(estimator, name, None)
            if inner is not None:
                break
        if inner is None and hasattr(estimator, "steps") and estimator.steps:
            inner = estimator.steps[-1][1]
        if inner is None or not hasattr(inner, "fit"):
            return chain
        chain.append(inner)
        estimator = inner


def _wrapper_lines(wrapper):
    """A wrapper's own fitted facts (window and columns, calibration)."""
    lines = []
    if hasattr(wrapper, "window_") and hasattr(wrapper, "target_names_"):
        lines += [
            f"window={wrapper.window_}, horizon={wrapper.horizon_}, "
            f"targets={list(wrapper.target_names_)}",
            f"past covariates={list(wrapper.past_covariate_names_)}, "
            f"future covariates={list(wrapper.future_covariate_names_)}",
        ]
    if getattr(wrapper, "series_layout_", None) is not None:
        lines.append(_panel_line(wrapper))
    if hasattr(wrapper, "difference_") and hasattr(wrapper, "season_"):
        auto = getattr(wrapper, "difference", None)
        chosen = "'auto' -> " if isinstance(auto, str) and auto == "auto" else ""
        lines.append(
            f"season={wrapper.season_}, difference={chosen}"
            f"{_lags_text(wrapper.difference_)}"
        )
    residuals = getattr(wrapper, "residuals_", None)
    if residuals is not None:
        method = getattr(wrapper, "method_", None)
        how = " (conformalized quantiles)" if method == "cqr" else ""
        lines.append(f"Intervals: calibrated on {len(residuals)} samples{how}")
    return lines


def _head_lines(estimator):
    """The probabilistic head of a fitted forecaster, if it has one."""
    kind = getattr(estimator, "distribution_", None)
    if kind is None:
        return []
    if kind == "quantile":
        return [f"Output: quantiles {list(estimator.quantiles_)} (pinball loss)"]
    return [f"Output: {kind} distribution (negative log-likelihood)"]


def _panel_line(wrapper):
    """A panel model's series: how many, and how many too short to train on."""
    states = wrapper.series_state_
    left_out = sum(state.n_windows == 0 for state in states)
    line = (
        f"Panel: {len(states)} series (series_id={wrapper.series_id!r}), "
        f"{wrapper.n_windows_} training windows"
    )
    return line + (f", {left_out} series too short to train on" if left_out else "")


def _lags_text(lags):
    """The lags, or for a panel's per-series lags how many series got each."""
    if not isinstance(lags, dict):
        return str(lags)
    counts = {}
    for chosen in lags.values():
        counts[chosen] = counts.get(chosen, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    return "per series: " + ", ".join(f"{lag} x{n}" for lag, n in ranked)


def summary_method(self):
    """A short summary of the fitted estimator for a notebook.

    Network layers (name, class, output shape, parameters), the parameter count,
    the receptive field where it applies, the epochs trained and the best
    validation loss.

    Returns
    -------
    summary : EstimatorSummary
        Shows as a few lines of text (``print(est.summary())`` or the last line
        of a notebook cell); its facts are attributes (``n_params``,
        ``receptive_field``, ``epochs``, ``best_val_loss``, ...).
    """
    return summarize(self)


def _summary_of(estimator, name, extra=()):
    return EstimatorSummary(
        name,
        model=getattr(estimator, "model_", None),
        history=getattr(estimator, "history_", None),
        last_fit_epochs=getattr(estimator, "last_fit_epochs_", None),
        extra=[*extra, *_head_lines(estimator)],
        solver=getattr(estimator, "solver_", None),
    )


def _layer_rows(model):
    rows = []
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        try:
            shape = str(tuple(layer.output.shape))
        except (AttributeError, ValueError):  # a layer called more than once
            shape = "?"
        rows.append((layer.name, type(layer).__name__, shape, layer.count_params()))
    return rows


def _is_recurrent(layer):
    return any(cls.__name__ == "RNN" for cls in type(layer).__mro__)


def _dilation(layer):
    """``(kernel_size, dilation_rate, strides)`` of a temporal convolution, else
    None (WaveNet's residual blocks hold their convolution)."""
    layer = getattr(layer, "dilated_conv", layer)
    if not type(layer).__name__.startswith("Conv1D"):
        return None
    return layer.kernel_size[0], layer.dilation_rate[0], layer.strides[0]


def receptive_field(model):
    """Steps of input one output step depends on.

    An int for networks of temporal convolutions, ``"whole window (recurrent)"``
    when a recurrent layer carries state over every step, and ``"whole window"``
    when a layer flattens or pools over time, or without convolutions (dense
    layers read the flattened window).

    Examples
    --------
    >>> from skseq.networks import build_wavenet
    >>> receptive_field(build_wavenet((64, 1), 1, dilation_rates=(1, 2, 4, 8)))
    16
    """
    field, jump, convolutional = 1, 1, False
    for layer in model.layers:
        if _is_recurrent(layer):
            return "whole window (recurrent)"
        if type(layer).__name__.startswith(("Flatten", "Global")):
            return "whole window"
        conv = _dilation(layer)
        if conv is not None:
            kernel, rate, stride = conv
            field += (kernel - 1) * rate * jump
            jump *= stride
            convolutional = True
    return field if convolutional else "whole window"
