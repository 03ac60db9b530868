"""The forecasters' bases: ``fit``/``predict`` of sequences and future values.

``BaseSequenceForecaster`` validates sequences and targets and gives predictions the
shape ``y`` had; it knows nothing of Keras. ``BaseKerasForecaster`` turns the targets
into what the chosen multi-step strategy trains on and hands them to the training
template of :class:`~skseq.estimators._base.BaseKerasEstimator`.
"""

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.metrics import r2_score
from sklearn.utils.validation import check_is_fitted

from ..utils._doc_link import DocLinkMixin
from ..utils._summary import summary_method
from ..utils._validation import (
    as_float,
    check_choice,
    check_coverage,
    check_feature_names,
    check_sequences,
    check_targets,
    column_attributes,
    validation_size,
    warn_float32_rounding,
)
from ..utils._weights import check_sample_weight
from ..windowing import window_view
from ._base import (
    BaseKerasEstimator,
    TrainingData,
    in_chunks,
    warn_changed_predict_params,
)
from ._continuation import check_continuation
from ._heads import ProbabilisticHeadMixin
from ._incremental import reusable_model
from ._persistence import KerasPicklingMixin
from ._probabilistic import (
    check_counts,
    distribution_quantiles,
    interpolate_quantiles,
    n_blocks,
    probabilistic_kind,
)
from ._targets import refuse_per_step_targets
from ._training import check_keras_training_params, keras_verbose

__all__ = [
    "BaseKerasForecaster",
    "BaseSequenceForecaster",
]

STRATEGIES = ("direct", "seq2seq", "recursive")


class BaseSequenceForecaster(
    DocLinkMixin, KerasPicklingMixin, RegressorMixin, BaseEstimator
):
    """Validation and output shapes shared by every forecaster (no Keras here).

    Subclasses set ``_variable_length`` to False when the sequence length at
    predict time must equal the one seen in ``fit``, and list in
    ``_predict_params`` the parameters their predict path reads (frozen by
    :func:`store_predict_params` as ``name_`` attributes).
    """

    _variable_length = True
    summary = summary_method
    _predict_params = ()
    # Dtype of validated X: float32 feeds a network; None keeps float64 (and turns
    # integers into float64) for estimators that compute without Keras.
    _input_dtype = np.float32

    def _validate_training_data(self, X, y):
        """Return 3D ``X``, 3D ``y`` and the shape attributes ``fit`` will set
        (with ``feature_names_in_``, None when ``X`` has no column names)."""
        columns = column_attributes(X)
        X = self._as_input_dtype(check_sequences(X, dtype=None), "X")
        y, y_ndim = check_targets(y, len(X), dtype=None)
        y = self._as_input_dtype(y, "y")
        shapes = {
            "n_timesteps_in_": X.shape[1],
            "n_features_in_": X.shape[2],
            "horizon_": y.shape[1],
            "n_targets_": y.shape[2],
            "y_ndim_": y_ndim,
            **columns,
        }
        return X, y, shapes

    def _as_input_dtype(self, values, input_name):
        """Validated training ``values`` cast to ``_input_dtype``, with a warning
        when float32 rounds them by much of their spread."""
        if self._input_dtype is None:
            return values
        if np.dtype(self._input_dtype) == np.float32:
            warn_float32_rounding(values, input_name)
        return as_float(values, self._input_dtype, input_name)

    def _validate_predict_data(self, X):
        check_is_fitted(self)
        check_feature_names(self, X)
        X = check_sequences(X, dtype=self._input_dtype)
        name = type(self).__name__
        if X.shape[2] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[2]} features per time step, but {name} was fitted "
                f"with {self.n_features_in_}."
            )
        if not self._variable_length and X.shape[1] != self.n_timesteps_in_:
            raise ValueError(
                f"X has sequences of {X.shape[1]} time steps, but {name} was fitted "
                f"on {self.n_timesteps_in_} and needs that length."
            )
        return X

    def _check_target_features(self, n_features, n_targets):
        """The targets must be the first features of ``X`` (see the docstrings)."""
        if n_features < n_targets:
            raise ValueError(
                f"y has {n_targets} target series but X has only {n_features} "
                f"feature(s); {type(self).__name__} reads the targets from the "
                f"first {n_targets} features of X."
            )

    def _format_predictions(self, y_pred):
        """Give a ``(n_samples, horizon, n_targets)`` forecast the shape ``y`` had."""
        y_pred = np.asarray(y_pred, dtype=np.float64)
        if self.y_ndim_ == 1:
            return y_pred[:, 0, 0]
        if self.y_ndim_ == 2:
            return y_pred[:, :, 0]
        return y_pred

    def score(self, X, y, sample_weight=None):
        """Coefficient of determination R^2 over all forecast steps and targets.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Sequences.
        y : array-like of shape (n_samples,), (n_samples, horizon) or \
                (n_samples, horizon, n_targets)
            True future values.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            R^2, averaged uniformly over the ``horizon * n_targets`` outputs.
        """
        y_pred = self.predict(X)
        y_true = np.asarray(y)
        if y_true.shape != y_pred.shape:
            raise ValueError(
                f"y has shape {y_true.shape}, but {type(self).__name__} forecasts "
                f"the shape of the y it was fitted on: predictions {y_pred.shape}."
            )
        return r2_score(
            y_true.reshape(len(y_true), -1),
            y_pred.reshape(len(y_pred), -1),
            sample_weight=sample_weight,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.target_tags.multi_output = True
        # Small networks trained for a few epochs are not expected to reach sklearn's
        # score thresholds on its toy problems.
        tags.regressor_tags.poor_score = True
        return tags


def split_validation(X, y, fraction):
    """Hold out the last ``fraction`` of the samples (the latest windows)."""
    n_val = validation_size(len(X), fraction)
    return (X[:-n_val], y[:-n_val]), (X[-n_val:], y[-n_val:])


def seq2seq_targets(X, y):
    """Targets of a forecast of the next ``horizon`` steps made at every time step.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_timesteps, n_features)
        Inputs whose first ``n_targets`` features are the target series.
    y : ndarray of shape (n_samples, horizon, n_targets)
        The values after each sequence.

    Returns
    -------
    Y : ndarray of shape (n_samples, n_timesteps, horizon * n_targets)
        ``Y[:, t]`` holds the ``horizon`` values after step ``t``; the last step's
        are ``y`` itself.
    """
    n_samples, n_timesteps, _ = X.shape
    horizon, n_targets = y.shape[1:]
    full = np.concatenate([X[:, :, :n_targets], y], axis=1)
    # windows over time: (n_timesteps + 1, horizon, n, n_targets); drop the first,
    # which starts at step 0 and so forecasts nothing after step -1.
    ahead = window_view(np.swapaxes(full, 0, 1), horizon)[1:]
    return ahead.transpose(2, 0, 1, 3).reshape(n_samples, n_timesteps, -1)


class BaseKerasForecaster(
    ProbabilisticHeadMixin, BaseSequenceForecaster, BaseKerasEstimator
):
    """Keras-backed forecasters: multi-step strategies on the shared template.

    Subclasses implement ``_build_network(input_shape, n_outputs, sequence_output,
    seed)`` with a builder of :mod:`skseq.networks` and ``_check_architecture()``
    for their own hyperparameters.
    """

    _strategies = STRATEGIES
    _predict_params = ("strategy",)

    def fit(self, X, y, sample_weight=None):
        """Train the network on sequences and their future values.

        With ``warm_start=True`` and a fitted network, training continues from it
        (weights and optimizer state) for ``epochs`` more epochs.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or \
                (n_samples, n_timesteps, n_features)
            Input sequences; 2D means univariate.
        y : array-like of shape (n_samples,), (n_samples, horizon) or \
                (n_samples, horizon, n_targets)
            The values following each sequence.
        sample_weight : array-like of shape (n_samples,), default=None
            Relative weights of the sequences in the loss (scaled to mean 1 over
            the training samples). A sequence of weight 0 is left out of
            training altogether; nonzero weights scale the loss only (batch
            normalisation counts every such sequence equally). With
            ``"seq2seq"``, a sequence's weight applies to all its time steps.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit_arrays(X, y, sample_weight, incremental=False)

    def partial_fit(self, X, y, sample_weight=None):
        """Train one epoch on ``X, y``, continuing from the fitted network if any.

        For data that arrives in chunks: the first call builds the network, every
        call trains one pass over its data (``early_stopping`` is not used) and
        keeps the optimizer state; ``history_`` grows by one epoch per call.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Input sequences.
        y : array-like of shape (n_samples,), (n_samples, horizon) or \
                (n_samples, horizon, n_targets)
            The values following each sequence.
        sample_weight : array-like of shape (n_samples,), default=None
            Relative weights of the sequences, as in ``fit``.

        Returns
        -------
        self : object
            The estimator, trained one more epoch.
        """
        return self._fit_arrays(X, y, sample_weight, incremental=True)

    def _fit_arrays(self, X, y, sample_weight, incremental):
        if reusable_model(self, incremental) is not None:
            # training the fitted network further on shuffled time steps
            check_feature_names(self, X, stacklevel=4)  # partial_fit's caller
        X, y, shapes = self._validate_fit(X, y)
        sample_weight = check_sample_weight(sample_weight, len(X))
        data = self._training_data(
            X, y, shapes, incremental, sample_weight=sample_weight
        )
        return self._fit_network(data, incremental)

    def _training_data(self, X, y, shapes, incremental, **source):
        """The :class:`TrainingData` of validated ``X, y``: the strategy's targets
        and every attribute ``fit`` sets; ``source`` is ``sample_weight`` or
        ``batches``."""
        # After every input check, so that bad input raises before any warning.
        fitted = {
            **shapes,
            **self._head_attributes(),
            **self._data_attributes(X, incremental),
        }
        X_train, y_train = self._training_arrays(X, y)
        return TrainingData(
            X_train,
            y_train,
            fitted=fitted,
            warm_shapes=self._warm_shapes(shapes),
            **source,
        )

    def predict(self, X, return_std=False):
        """Forecast the ``horizon_`` steps after each sequence.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or \
                (n_samples, n_timesteps, n_features)
            Input sequences with ``n_features_in_`` features.
        return_std : bool, default=False
            If True, also return the standard deviation of the forecast by Monte
            Carlo dropout: ``mc_samples`` stochastic forward passes with dropout on.
            The mean of those passes is then returned as the forecast. The
            standard deviation measures the model's uncertainty, not the noise
            of the data.

        Returns
        -------
        y_pred : ndarray of the shape ``y`` had in ``fit`` \
                ((n_samples,), (n_samples, horizon) or (n_samples, horizon, n_targets))
        y_std : ndarray of the shape of ``y_pred``
            Only when ``return_std`` is True.
        """
        X = self._validate_predict_data(X)
        if not return_std:
            return self._format_predictions(self._forecast(X))
        samples = self._sample_forecasts(X)
        return (
            self._format_predictions(samples.mean(axis=0)),
            self._format_predictions(samples.std(axis=0)),
        )

    def predict_interval(self, X, coverage=0.9):
        """Forecast intervals: from the learned quantiles or distribution, else
        from Monte Carlo dropout.

        A forecaster fitted with a probabilistic ``loss`` returns its forecast
        distribution's ``(1 - coverage) / 2`` and ``(1 + coverage) / 2``
        quantiles (see :meth:`predict_quantiles`; a quantile head must have
        learned levels around them). Any other gives the quantiles of
        ``mc_samples`` forecasts made with dropout on: their spread measures the
        network's own uncertainty, not the noise of the data, so they usually
        hold far less than ``coverage`` of the true values
        (``benchmarks/intervals.py`` measures it). For intervals that hold
        ``coverage`` of the truth on held-out data, wrap the forecaster in
        :class:`~skseq.ConformalForecaster`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Input sequences.
        coverage : float, default=0.9
            Nominal share of the outcomes between the bounds.

        Returns
        -------
        lower, upper : ndarray of the shape ``y`` had in ``fit``
            The ``(1 - coverage) / 2`` and ``(1 + coverage) / 2`` quantiles.
        """
        coverage = check_coverage(coverage)
        levels = ((1 - coverage) / 2, (1 + coverage) / 2)
        if self._head_kind() is not None:
            bounds = self.predict_quantiles(X, quantiles=levels)
            return bounds[..., 0], bounds[..., 1]
        X = self._validate_predict_data(X)
        samples = self._sample_forecasts(X)
        bounds = np.quantile(samples, levels, axis=0)
        return self._format_predictions(bounds[0]), self._format_predictions(bounds[1])

    def _forecast(self, X, training=False):
        """Forecast of shape (n_samples, horizon, n_targets) from validated ``X``:
        the median of a probabilistic head."""
        kind = self._head_kind()
        if kind is not None and self.strategy_ == "recursive":
            return self._median_path(X, training)
        if kind is not None:
            blocks = self._forecast_blocks(X, training)
            if kind == "quantile":
                return interpolate_quantiles(blocks, self.quantiles_, (0.5,))[..., 0]
            return distribution_quantiles(kind, blocks, (0.5,))[..., 0]
        if self.strategy_ == "recursive":
            y_pred = self._predict_recursive(X, training)
        else:
            y_pred = self._run_network(X, training)
            if self.strategy_ == "seq2seq":
                y_pred = y_pred[:, -1]
        return y_pred.reshape(len(X), self.horizon_, self.n_targets_)

    # -- probabilistic heads -----------------------------------------------------
    def _sample_forecasts(self, X):
        """``mc_samples`` forecasts with dropout on: (mc_samples, n, horizon, t)."""
        if not self._has_dropout():
            raise ValueError(self._no_dropout_message())
        samples = [self._forecast(X, training=True) for _ in range(self.mc_samples_)]
        # float64 before the mean, std and quantiles: no rounding beyond the network's
        return np.stack(samples).astype(np.float64)

    def _no_dropout_message(self):
        """Why there is nothing to sample, and what gives intervals instead."""
        name = type(self).__name__
        dropouts = [p for p in ("dropout", "recurrent_dropout") if hasattr(self, p)]
        monte_carlo = (
            f"; or set {' or '.join(dropouts)} > 0 for Monte Carlo dropout "
            "(model uncertainty, not calibrated)"
            if dropouts
            else ""
        )
        kind = self._head_kind()
        if kind is not None:
            # it has a forecast distribution: point there, not to training one
            return (
                f"{name} has no dropout to sample: return_std is the spread of "
                "Monte Carlo dropout forecasts. Its learned forecast "
                f"distribution (loss={kind!r}) gives predict_quantiles(X) and "
                f"predict_interval(X, coverage){monte_carlo}."
            )
        return (
            f"{name} has no dropout to sample. For calibrated intervals, wrap "
            f"it: skseq.ConformalForecaster({name}(...)).predict_interval(X); or "
            "train a forecast distribution, loss='student_t' or "
            f"loss='quantile'{monte_carlo}."
        )

    # -- hooks -------------------------------------------------------------------
    def _build_network(self, input_shape, n_outputs, sequence_output, seed):
        raise NotImplementedError

    def _new_network(self, data, seed):
        kind = probabilistic_kind(self.loss)
        blocks = n_blocks(kind, data.fitted.get("quantiles_"))
        model = self._build_network(
            (self._model_timesteps(data.X), data.X.shape[2]),
            data.y.shape[-1] * blocks,
            self.strategy == "seq2seq",
            seed,
        )
        if kind is None:
            return model
        from ..networks._probabilistic import with_probabilistic_output

        return with_probabilistic_output(model, kind, blocks)

    def _make_loss(self, keras):
        kind = probabilistic_kind(self.loss)
        if kind is None:
            return super()._make_loss(keras)
        from ..networks._probabilistic import DistributionLoss, QuantileLoss

        if kind == "quantile":
            return QuantileLoss(self._head_attributes()["quantiles_"])
        return DistributionLoss(kind)

    def _has_dropout(self):
        """Whether the fitted network has dropout that Monte Carlo sampling can
        use (read from fitted attributes only)."""
        return False

    def _align_sequence_targets(self, Y):
        """Match per-step targets ``(n, n_timesteps, k)`` to the network's output
        steps; networks that shorten the sequence (strided convolutions) crop and
        downsample them here."""
        return Y

    def _model_timesteps(self, X):
        """Sequence length the network is built for; None accepts any length."""
        return None if self._variable_length else X.shape[1]

    # -- steps of fit ------------------------------------------------------------
    def _check_training_params(self):
        check_choice(self.strategy, "strategy", self._strategies)
        check_keras_training_params(self)
        self._check_head_params()

    def _check_strategy_data(self, X, y):
        if self.strategy == "seq2seq":
            refuse_per_step_targets(X, y)
        if self.strategy in ("seq2seq", "recursive"):
            self._check_target_features(X.shape[2], y.shape[2])
        if self.strategy == "recursive" and X.shape[2] != y.shape[2]:
            raise ValueError(
                f"strategy='recursive' feeds forecasts back as inputs, so every "
                f"feature of X must be a target: X has {X.shape[2]} features but y "
                f"has {y.shape[2]} target(s). Use strategy='direct' with covariates."
            )
        if self.strategy in ("seq2seq", "recursive"):
            check_continuation(
                X, y, f"{type(self).__name__}(strategy={self.strategy!r})"
            )
        if probabilistic_kind(self.loss) == "negative_binomial":
            self._check_counts(X, y)

    def _check_counts(self, X, y):
        """Counts in ``y``, and in the target features of ``X`` where the
        strategy trains on them (``"seq2seq"``: else training diverges on a
        negative one) or feeds count forecasts back among them
        (``"recursive"``)."""
        check_counts(y)
        uses = {"seq2seq": "trains on", "recursive": "feeds the forecasts back among"}
        if self.strategy in uses:
            check_counts(
                X[:, :, : y.shape[2]],
                f"the first {y.shape[2]} feature(s) of X, the targets, which "
                f"strategy={self.strategy!r} {uses[self.strategy]},",
            )

    def _training_arrays(self, X, y):
        """Inputs and flat targets the network trains on, per strategy."""
        if self.strategy == "seq2seq":
            return X, self._align_sequence_targets(seq2seq_targets(X, y))
        if self.strategy == "recursive":
            return X, y[:, 0, :]
        return X, y.reshape(len(y), -1)

    def _validate_fit(self, X, y):
        """Check hyperparameters and data before anything is built; return 3D
        ``X`` and ``y`` and the shape attributes ``fit`` sets."""
        self._check_training_params()
        self._check_architecture()
        X, y, shapes = self._validate_training_data(X, y)
        self._check_strategy_data(X, y)
        return X, y, shapes

    def _data_attributes(self, X, incremental):
        """Fitted attributes a subclass derives from the validated training
        ``X``, set with the shapes once training succeeds (it may warn about
        the data here: every input check has passed, nothing is trained yet)."""
        return {}

    def _warm_shapes(self, shapes):
        """What the fitted network must match to be trained on new data."""
        keys = ["n_features_in_", "horizon_", "n_targets_"]
        if not self._variable_length:
            keys.append("n_timesteps_in_")
        return {key: shapes[key] for key in keys}

    # -- training from a batch source (used by skseq.forecasting) -----------------
    def fit_batches(self, batches):
        """Train like ``fit``, from windows cut batch by batch out of a long series.

        The second entry to training, next to ``fit`` (as darts'
        ``fit_from_dataset``): :class:`~skseq.WindowedForecaster` calls it with
        ``feed="batches"``, so that the windows of a long series are never all
        in memory at once.

        Parameters
        ----------
        batches : WindowBatches
            The windows of a series, cut per batch (a ``WindowBatches``, the
            ``keras.utils.PyDataset`` of skseq's windowing): ``peek()`` gives
            ``(X, y)`` with 3D ``y`` to validate shapes, ``replace(...)`` sets
            batch size, shuffling and the per-batch target transform,
            ``split(fraction)`` holds out the latest windows as ``fit``'s early
            stopping does. Window weights travel in ``batches`` (its
            ``sample_weight``).

        Returns
        -------
        self : object
            The fitted forecaster.
        """
        X, y, shapes = self._validate_fit(*batches.peek())
        return self._fit_network(
            self._training_data(X, y, shapes, False, batches=batches)
        )

    def _train_on_batches(self, keras, model, batches, seed):
        source = batches.replace(
            batch_size=self.batch_size,
            shuffle=True,
            seed=seed,
            transform=self._training_arrays,
        )
        validation = None
        if self.early_stopping:
            source, validation = source.split(self.validation_fraction)
        # shuffle=False: the source reshuffles its windows itself, with ``seed``.
        return model.fit(
            source,
            epochs=self.epochs,
            validation_data=validation,
            callbacks=self._training_callbacks(keras, self.early_stopping),
            verbose=keras_verbose(self.verbose),
            shuffle=False,
        ).history

    # -- steps of predict --------------------------------------------------------
    def _predict_recursive(self, X, training=False):
        """Feed one-step forecasts back ``horizon_`` times."""
        if not training:
            # the runner's loop bypasses _run_network, which warns otherwise
            warn_changed_predict_params(self)
            runner = self._inference_runner()
            return in_chunks(X, lambda batch: runner.recursive(batch, self.horizon_))
        from ..networks._inference import feedback_loop

        return feedback_loop(
            lambda window: self._run_network(window, training=True), X, self.horizon_
        )
