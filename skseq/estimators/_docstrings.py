"""Parameter documentation shared by the estimators, written once."""

__all__ = ["CALLBACKS", "CLIPPING", "OPTIMIZER", "fill_doc"]

# Fragments shared by the forecasters' and the classifiers' training parameters.
OPTIMIZER = """epochs : int, default=20
        Number of passes over the training data.
    batch_size : int, default=32
        Number of sequences per gradient step.
    optimizer : str, default="adam"
        Name of a Keras optimizer ("adam", "nadam", "sgd", "rmsprop", ...).
    learning_rate : float, default=0.001
        Learning rate of the optimizer.
    optimizer_params : dict or None, default=None
        Further keyword arguments of the optimizer, e.g. ``{"momentum": 0.9}``."""
CLIPPING = """    clipnorm : float or None, default=None
        Clip each gradient to this norm (a remedy for unstable gradients).
    clipvalue : float or None, default=None
        Clip each gradient element to ``[-clipvalue, clipvalue]``."""
CALLBACKS = """    patience : int, default=10
        Epochs without improvement before early stopping.
    callbacks : list of keras.callbacks.Callback or None, default=None
        Extra Keras callbacks. Each ``fit`` works on deep copies, so no state
        leaks from one fit to the next; attributes that cannot be deep-copied
        (an open log file, a lock) are shared with the callback you passed.
        So the objects you pass are never called themselves: what a callback
        writes out (``ModelCheckpoint``'s and ``CSVLogger``'s files) is
        written, but what it keeps in memory (a ``History``, a list it appends
        to) stays empty. Read the losses from ``history_``.
    verbose : "auto" or int, default="auto"
        Training progress, as one line rewritten in place (in a terminal and a
        notebook): epoch, ``loss`` and ``val_loss``, elapsed and estimated time
        left, then a last line with the time, the epochs and the epoch early
        stopping kept. ``"auto"``: only for a fit that runs longer than 5 s, in
        a terminal or a notebook (not into a log, a pipe or a doctest), so
        quick fits print nothing. 1: from the first epoch. 0: silent. 2: Keras'
        own line per epoch instead. Nothing is printed in the workers of a
        parallel search (``GridSearchCV(n_jobs=2)``) except with 2."""

_DOCS = {
    "strategy": """strategy : {"direct", "seq2seq", "recursive"}, default="direct"
        How several steps are forecast. ``"direct"``: a sequence-to-vector head
        predicts all ``horizon`` steps from the last time step. ``"seq2seq"``: the
        network forecasts the next ``horizon`` steps at every time step and is trained
        on all of them (targets built inside ``fit`` from the target features of
        ``X`` followed by ``y``); ``predict`` returns the last step's forecast.
        ``"recursive"``: a one-step model is fed its own forecasts ``horizon`` times;
        every feature of ``X`` must then be a target. Both read the target
        features of ``X`` as values in ``y``'s units: a
        ``TransformedTargetRegressor`` around the forecaster, or a ``Pipeline``
        scaler before it, changes one and not the other (use
        ``WindowedForecaster``'s ``target_transform`` and ``scale``, which
        change both, or ``"direct"``). ``WindowedForecaster`` refuses such
        wrappers; on arrays, ``fit`` raises a ValueError when ``X`` holds
        sliding windows of one series cut at stride 1 (as :func:`make_windows`
        cuts them; several series stacked too) and ``y``'s first step is not
        the next window's last target values. Windows cut at a larger stride,
        of 2 steps, shuffled or drawn at random are not checked.""",
    "target_features": """Which features of ``X`` are the targets: the first
    ``n_targets`` features, in the order of the last axis of ``y``. ``"seq2seq"``
    and ``"recursive"`` read them; ``"direct"`` never does, so covariates may sit
    anywhere there.""",
    "training": OPTIMIZER
    + """
    loss : str or keras.losses.Loss, default="mse"
        Training loss: "mse", "mae", "huber" or any Keras loss give a point
        forecast. Probabilistic ones give a forecast distribution
        (:meth:`predict_quantiles`, :meth:`predict_interval`; ``predict``
        returns its median): ``"quantile"`` learns the ``quantiles`` levels by
        the pinball loss, never crossing; ``"gaussian"``, ``"student_t"`` and
        ``"negative_binomial"`` (counts: whole numbers ``>= 0``) learn the
        distribution's parameters by maximum likelihood and can draw sample
        paths (:meth:`predict_samples`).
    quantiles : sequence of float or None, default=None
        Increasing levels in (0, 1). With ``loss="quantile"``, the levels learned
        (None: ``(0.05, 0.5, 0.95)``, which hold ``predict_interval``'s default
        90%); with a distribution loss, the levels :meth:`predict_quantiles`
        returns by default. Must be None with a point loss.
"""
    + CLIPPING
    + """
    early_stopping : bool, default=False
        Stop when the loss on a validation set stops improving and restore the best
        weights. The validation set is the last ``validation_fraction`` of the
        training samples (the latest windows, in time order), never shuffled in.
    validation_fraction : float, default=0.1
        Share of the training samples, taken from the end, held out for early
        stopping. Only used when ``early_stopping`` is True. Fewer than 2
        validation samples are warned about (one forecast's loss picks the epoch
        by chance; hold out a few dozen where the data allows), and so is a
        training that keeps one of its first epochs (the model kept would be
        barely trained): the first of 2 or more, or, once ``patience`` ran out
        after it, the second or one within the first tenth of the epochs run.
        Windows cut at stride 1 share target rows with their neighbours:
        :class:`~skseq.WindowedForecaster` leaves the ``horizon - 1`` windows
        before each series' validation windows out of training (``window +
        horizon - 2`` with ``strategy="seq2seq"``, whose targets span the
        window; none with ``"recursive"``, trained one step ahead). On windows
        you cut yourself, leave such a gap before the last
        ``validation_fraction`` yourself, or early stopping validates partly on
        rows it trained on.
"""
    + CALLBACKS
    + """
    random_state : int, RandomState instance, Generator or None, default=None
        An int in ``[0, 2**32 - 1]``, or a NumPy generator that ``fit`` draws a
        seed from. Seeds the weight initializers and the shuffling of the
        training data (a fresh order every epoch, and every ``partial_fit``
        call), so that the same int gives the same model on the same backend
        and device. When set, ``fit`` also seeds Python's, NumPy's and the
        backend's global generators (``keras.utils.set_random_seed``) while it
        runs, and gives Python's and NumPy's back their state when it ends.
    warm_start : bool, default=False
        If True and the estimator is fitted, ``fit`` continues training the
        fitted network (weights and optimizer state) for ``epochs`` more epochs
        instead of building a new one, and ``history_`` grows. Only the training
        parameters (``epochs``, ``batch_size``, ``learning_rate``, early
        stopping, ``callbacks``, ``verbose``, ``random_state``) may change
        between warm fits; any other change is refused.""",
    "keras_attributes": """model_ : keras.Model
        The trained network.
    history_ : dict of str to list of float
        Per-epoch training loss (``"loss"``) and, with early stopping, validation
        loss (``"val_loss"``).
    last_fit_epochs_ : tuple of (int, int)
        Epochs trained by the last ``fit`` (or ``partial_fit``) call, and the
        most it could train (``epochs`` then, 1 for ``partial_fit``); with
        ``warm_start``, ``history_`` holds the epochs of every call.
    n_features_in_ : int
        Number of features per time step seen in ``fit``.
    n_timesteps_in_ : int
        Sequence length seen in ``fit``.
    feature_names_in_ : ndarray of str of shape (``n_timesteps_in_``,)
        Column names of the 2D DataFrame ``X`` of ``fit`` (one time step per
        column); defined only when they are all strings. ``predict`` refuses
        them in another order and warns about other names.
    horizon_ : int
        Number of forecast steps (the second axis of ``y``; 1 for a 1D ``y``).
    n_targets_ : int
        Number of target series (the third axis of ``y``; 1 for 1D or 2D ``y``).
    y_ndim_ : int
        Number of dimensions of ``y`` in ``fit`` (1, 2 or 3): the shape
        ``predict`` gives its forecasts.
    distribution_ : str or None
        The probabilistic head fitted (``"quantile"``, ``"gaussian"``,
        ``"student_t"``, ``"negative_binomial"``), None for a point loss.
    quantiles_ : tuple of float or None
        The quantile levels learned (``loss="quantile"``) or returned by default
        (a distribution loss); None for a point loss.
    strategy_ : str
        ``strategy`` as fitted. Like every ``name_`` copy of a parameter, it is
        what ``predict`` reads, so ``set_params`` takes effect at the next
        ``fit``.""",
    # -- the classifiers
    "tokens": """vocab_size : int or None, default=None
        If set, ``X`` holds one token id per time step, an integer in
        ``[0, vocab_size)``, embedded by an ``Embedding`` layer (text-like data).
        At most ``2**24``, the float32 inputs' limit of exact integers.
    embedding_dim : int, default=16
        Size of the token vectors; only used with ``vocab_size``.""",
    "class_weight": """class_weight : dict, "balanced" or None, default=None
        Weights of the classes in the loss, as ``{label: weight}`` (finite, >= 0;
        classes left out weigh 1; labels not in ``y`` are ignored where the
        dict weighs every class of ``y``, as in a cross-validation fold without
        a rare class, else refused, as sklearn does);
        ``"balanced"`` weights them inversely to their frequency in ``y``,
        counted with ``sample_weight`` as sklearn's classifiers do.""",
    "classifier_training": OPTIMIZER
    + """
    loss : str or keras.losses.Loss, default="sparse_categorical_crossentropy"
        Training loss on the softmax output and the encoded labels.
"""
    + CLIPPING
    + """
    early_stopping : bool, default=False
        Stop when the validation loss stops improving and restore the best
        weights. The validation set is the last ``validation_fraction`` of the
        samples in the order given (shuffle sorted data first).
    validation_fraction : float, default=0.1
        Share of the samples, taken from the end, held out for early stopping.
        Fewer than 2 validation samples, and a kept epoch among the first (the
        first; once ``patience`` ran out after it, the second or one within the
        first tenth of the epochs run: barely trained), are warned about.
"""
    + CALLBACKS.split("\n    callbacks :")[0]
    + """
    reduce_lr_patience : int or None, default=10
        Halve the learning rate when the training loss has not improved for this
        many epochs, down to ``learning_rate / 10`` (Keras'
        ``ReduceLROnPlateau``, as in Wang et al.'s FCN); None keeps it constant.
        Every ``fit`` starts again from ``learning_rate``.
    restore_best_weights : bool, default=True
        End training with the weights of the best epoch: the lowest validation
        loss with early stopping, else the lowest training loss.
    callbacks :"""
    + CALLBACKS.split("\n    callbacks :")[1]
    + """
    random_state : int, RandomState instance, Generator or None, default=None
        An int in ``[0, 2**32 - 1]``, or a NumPy generator that ``fit`` draws a
        seed from. Seeds the weight initializers and the shuffling of the
        training data (a fresh order every epoch, and every ``partial_fit``
        call); when set, ``fit`` also seeds the global generators
        (``keras.utils.set_random_seed``) while it runs, and gives Python's and
        NumPy's back their state when it ends.
    warm_start : bool, default=False
        If True and the estimator is fitted, ``fit`` continues training the
        fitted network (weights and optimizer state) for ``epochs`` more epochs
        instead of building a new one, and ``history_`` grows. Only the training
        parameters (``epochs``, ``batch_size``, ``learning_rate``, early
        stopping and ``restore_best_weights``, ``reduce_lr_patience``,
        ``callbacks``, ``verbose``, ``random_state``, ``class_weight``) may
        change between warm fits; any other change is refused.""",
    "classifier_attributes": """classes_ : ndarray of shape (n_classes,)
        The class labels.
    model_ : keras.Model
        The trained network (softmax output).
    history_ : dict of str to list of float
        Per-epoch ``"loss"``, with early stopping ``"val_loss"``, and with
        ``reduce_lr_patience`` the ``"learning_rate"`` of each epoch.
    last_fit_epochs_ : tuple of (int, int)
        Epochs trained by the last ``fit`` (or ``partial_fit``) call, and the
        most it could train (``epochs`` then, 1 for ``partial_fit``); with
        ``warm_start``, ``history_`` holds the epochs of every call.
    n_features_in_ : int
        Number of features per time step seen in ``fit``.
    n_timesteps_in_ : int
        Length of the longest sequence seen in ``fit``.
    feature_names_in_ : ndarray of str of shape (n_timesteps,)
        Column names of the 2D DataFrame ``X`` of ``fit`` (one time step per
        column); defined only when they are all strings. ``predict`` refuses
        them in another order and warns about other names.
    vocab_size_ : int or None
        ``vocab_size`` as fitted: ``predict`` checks tokens against it, so
        ``set_params`` takes effect at the next ``fit``.""",
    "variable_length": """Sequences may differ in length: pass a list of arrays
    of shape ``(n_timesteps_i, n_features)`` (or ``(n_timesteps_i,)``), or an
    array padded with NaN after the end of each sequence. The network masks the
    padding, so a sequence gets the same prediction alone or in a padded batch.""",
}


def fill_doc(obj):
    """Substitute ``%(name)s`` placeholders in ``obj.__doc__`` with shared text."""
    if obj.__doc__:
        obj.__doc__ = obj.__doc__ % _DOCS
    return obj
