"""One line of progress per fit, for the fits a user waits on.

``verbose="auto"`` (the estimators' default) shows the line once a fit has run
``SLOW_FIT_SECONDS``, and only where someone watches it (standard output is a
terminal or a notebook's), so quick fits (most of a search's fits) print
nothing, and neither do logs, pipes, doctests and built documentation, whose
output must not change with the machine's speed; ``verbose=1`` shows it from
the first epoch; ``verbose=0`` never; ``verbose=2`` leaves the screen to Keras'
own line per epoch. The line is never shown in a worker of a parallel run
(joblib's processes or threads, as ``GridSearchCV(n_jobs=2)`` uses, a Dask
worker, any child process): workers writing one line each would garble it, and
a notebook never sees their output.

The line is rewritten in place with a carriage return, in a terminal and in a
notebook alike (Jupyter's output area honours ``\\r``, as Keras' and tqdm's text
bars rely on); a stream that is neither (a log file, a pipe) gets whole lines:
one every ``_LOG_SECONDS`` during the fit, and the last one. It is written at
the end of an epoch, never per batch, so that a fit's batches stay
asynchronous (see ``_training.py`` in :mod:`skseq.networks`).

This module imports Keras: import it inside ``fit`` only.
"""

import math
import multiprocessing
import sys
import time

import numpy as np

from ..utils._keras import import_keras

keras = import_keras()

__all__ = ["FitProgress", "fit_progress", "in_parallel_worker"]

# With verbose="auto", a fit shows its line once it has run this long.
SLOW_FIT_SECONDS = 5.0
# Shortest time between two redraws of the line: keeps a notebook's saved output
# short when epochs take milliseconds.
_REDRAW_SECONDS = 0.5
# A stream that cannot redraw (a log file) gets a new line at most this often.
_LOG_SECONDS = 30.0


def in_parallel_worker():
    """Whether this code runs in a worker of a parallel run.

    True inside joblib's workers (processes or threads: joblib sets a nesting
    level above 0 for the code they run), in a Dask worker, and in any child
    process of ``multiprocessing``.
    """
    try:
        from joblib.parallel import get_active_backend

        backend, _ = get_active_backend()
        if (getattr(backend, "nesting_level", None) or 0) > 0:
            return True
    except (ImportError, AttributeError, TypeError, ValueError):
        pass  # joblib (sklearn's) changed: the checks below still hold
    if multiprocessing.parent_process() is not None:
        return True
    distributed = sys.modules.get("distributed")
    if distributed is not None:
        try:
            distributed.get_worker()
            return True
        except ValueError:
            pass
    return False


def fit_progress(estimator, early_stopping, kept):
    """The progress callback of one fit of ``estimator``, or None to show nothing.

    ``kept`` names the loss whose best epoch the fit ends with ("val_loss",
    "loss"), or is None when the fit keeps its last epoch.
    """
    verbose = estimator.verbose
    if verbose == "auto":
        if not is_interactive(sys.stdout):
            return None
        after = SLOW_FIT_SECONDS
    elif verbose == 1:
        after = 0.0
    else:
        return None
    if in_parallel_worker():
        return None
    return FitProgress(
        type(estimator).__name__,
        after=after,
        early_stopping=early_stopping,
        kept=kept,
    )


def format_seconds(seconds):
    """``"4.2 s"``, ``"38 s"``, ``"2 min 05 s"``, ``"1 h 02 min"``."""
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, seconds = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _losses(logs):
    names = [name for name in ("loss", "val_loss") if name in logs]
    return "  ".join(f"{name} {float(logs[name]):.4g}" for name in names)


def is_interactive(stream):
    """Whether ``stream`` can redraw a line: a terminal or a Jupyter kernel's."""
    if any(cls.__module__.startswith("ipykernel") for cls in type(stream).__mro__):
        return True
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class FitProgress(keras.callbacks.Callback):
    """One line of training progress: epoch, losses, elapsed and time left.

    Parameters
    ----------
    label : str
        What is fitted, at the start of the line (the estimator's class name).
    after : float, default=0.0
        Seconds a fit must have run before the line shows; a fit that ends
        sooner prints nothing.
    early_stopping : bool, default=False
        Whether the fit may stop before its last epoch (the time left is then
        an upper bound).
    kept : {"val_loss", "loss"} or None, default=None
        The loss whose best epoch's weights the fit ends with (the last line
        names that epoch); None: the last epoch's.
    stream : file-like or None, default=None
        Where to write; None: ``sys.stdout`` when the fit starts.
    clock : callable, default=time.monotonic
        Seconds, for the elapsed and estimated times.
    """

    def __init__(
        self,
        label,
        *,
        after=0.0,
        early_stopping=False,
        kept=None,
        stream=None,
        clock=time.monotonic,
    ):
        super().__init__()
        self.label = label
        self.after = after
        self.early_stopping = early_stopping
        self.kept = kept
        self.stream = stream
        self.clock = clock

    def on_train_begin(self, logs=None):
        self._out = self.stream if self.stream is not None else sys.stdout
        self._redraw = is_interactive(self._out)
        self._start = self._last_write = self.clock()
        self._epoch_ends = []
        self._history = {"loss": [], "val_loss": []}
        self._logs = {}
        self._width = 0
        self._shown = False

    def on_epoch_end(self, epoch, logs=None):
        now = self.clock()
        self._epoch_ends.append(now)
        self._logs = dict(logs or {})
        for name, values in self._history.items():
            if name in self._logs:
                values.append(float(self._logs[name]))
        elapsed = now - self._start
        if elapsed < self.after or not self._due(now):
            return
        self._shown = True
        self._last_write = now
        self._write(self._epoch_line(epoch + 1, elapsed))

    def on_train_end(self, logs=None):
        if not self._epoch_ends:
            return
        elapsed = self._epoch_ends[-1] - self._start
        if elapsed < self.after and not self._shown:
            return
        self._write(self._final_line(elapsed), end="\n")

    def _due(self, now):
        if self._redraw:
            return not self._shown or now - self._last_write >= _REDRAW_SECONDS
        # A log gets the last line of every fit it shows, and a line every
        # _LOG_SECONDS only for the long ones: one line for most fits.
        return now - self._last_write >= _LOG_SECONDS

    def _epoch_line(self, done, elapsed):
        total = self.params.get("epochs") or done
        line = (
            f"{self.label}  epoch {done}/{total}  {_losses(self._logs)}  "
            f"{format_seconds(elapsed)}"
        )
        # The first epoch also builds and traces the step function (seconds,
        # against milliseconds for a small network's later epochs): the time
        # left is estimated from the later epochs only.
        ends = self._epoch_ends
        if len(ends) < 2 or done == total:
            return line
        left = (ends[-1] - ends[0]) / (len(ends) - 1) * (total - done)
        bound = "at most" if self.early_stopping else "about"
        return f"{line}, {bound} {format_seconds(left)} left"

    def _final_line(self, elapsed):
        done = len(self._epoch_ends)
        total = self.params.get("epochs") or done
        loss = float(self._logs.get("loss", np.nan))
        if not math.isfinite(loss):
            return (
                f"{self.label}: stopped after {done} of {total} epochs "
                f"({format_seconds(elapsed)}): the loss is {loss}"
            )
        unit = "epoch" if total == 1 else "epochs"
        epochs = f"{done} {unit}" if done == total else f"{done} of {total} {unit}"
        line = f"{self.label}: fitted in {format_seconds(elapsed)}, {epochs}"
        history = self._history.get(self.kept)
        if not history:
            return f"{line}, {_losses(self._logs)}"
        best = int(np.argmin(history))
        return f"{line}, kept epoch {best + 1} ({self.kept} {history[best]:.4g})"

    def _write(self, line, end=""):
        if self._redraw:
            padding = " " * max(0, self._width - len(line))
            self._out.write(f"\r{line}{padding}{end}")
            # what is on screen now, for the next redraw to cover
            self._width = 0 if end else len(line) + len(padding)
        else:
            self._out.write(f"{line}\n")
        self._out.flush()
