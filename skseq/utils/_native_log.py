"""Opt-in filter of TensorFlow's C++ log lines on file descriptor 2 (stderr).

TensorFlow >= 2.20 prints start-up lines (oneDNN, CUDA drivers, CPU instructions)
before it reads ``TF_CPP_MIN_LOG_LEVEL``, and later prints a few ERROR lines that
are not errors (no GPU on a CPU machine; oneDNN falling back to Eigen for booleans).
Python cannot intercept C++ writes, so :func:`filter_tensorflow_log` sends file
descriptor 2 through a pipe (a pseudo-terminal where stderr is a terminal) to a
small child process (this file, run as a script with the standard library only)
that drops those lines and copies everything else to the real stderr as it comes.
A child process, not a thread, so that the last lines before a crash (a fatal
``F`` line, a segfault's trace) still come out.

Nothing in skseq turns it on but the ``skseq`` command: ``fit`` and ``predict``
leave stderr alone. What is dropped, with ``level`` the value of
``TF_CPP_MIN_LOG_LEVEL`` (2 unless the user set it; 0 turns the filter off):

- native (C++) log lines whose severity TensorFlow itself would hide at
  ``level`` (``I`` below 1, ``W`` below 2, ``E`` below 3; ``F`` never);
- the known harmless native lines of ``_HARMLESS`` (whatever their severity);
- the absl banner and the CPU-instructions hint that belong to those lines.

Every other line -- Python warnings, tracebacks, the user's prints to stderr,
absl-py's log lines (their source is a ``.py`` file), unknown TensorFlow errors
-- passes unchanged.
"""

import atexit
import contextlib
import errno
import os
import re
import subprocess
import sys
import threading

__all__ = ["filter_tensorflow_log", "keep_line"]

# "I0000 00:00:1795452266.962331    3712 port.cc:153] oneDNN custom operations ...";
# absl-py writes the same format with a Python file ("W1206 ... train.py:12] ..."),
# which is the user's and always passes.
_NATIVE_LOG_LINE = re.compile(
    r"^([IWEF])\d{4} \d+:\d+:\d+\.\d+ +\d+ ([\w.-]+):\d+\] (.*)"
)
_SEVERITY = {"I": 0, "W": 1, "E": 2, "F": 3}
# Lines TensorFlow prints around its own log lines, outside its log format.
_COMPANION_LINE = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\)"
    r"|To enable the following instructions: )"
)
# Known messages that tell a user nothing they can act on.
_HARMLESS = re.compile(
    r"oneDNN custom operations are on"
    r"|Could not find cuda drivers"
    r"|failed call to cuInit"
    r"|This TensorFlow binary is optimized to use available CPU instructions"
    r"|oneDNN supports DT_\w+ only on platforms with"
    r"|Unable to register cu(DNN|FFT|BLAS) factory"
    r"|computation placer already registered"
)
_installed = []
_lock = threading.Lock()
# A filter that could not start is not tried again.
_failed = []


def keep_line(line, level=2):
    """Whether ``line`` of stderr is shown at ``TF_CPP_MIN_LOG_LEVEL=level``.

    Parameters
    ----------
    line : str
        One line of stderr.
    level : int, default=2
        0 shows everything; 1 hides INFO, 2 also WARNING, 3 also ERROR lines.

    Returns
    -------
    keep : bool

    Examples
    --------
    >>> log = "E0000 00:00:1.5  12 util.cc:131] "
    >>> keep_line(log + "oneDNN supports DT_BOOL only on platforms with AVX-512.")
    False
    >>> keep_line(log + "Out of memory")
    True
    >>> keep_line("UserWarning: yours")
    True
    >>> keep_line("W1206 01:02:03.456789 140246 train.py:12] absl-py: yours")
    True
    """
    if level <= 0:
        return True
    if _COMPANION_LINE.match(line):
        return False
    native = _NATIVE_LOG_LINE.match(line)
    if native is None:
        return True
    severity, source, message = native.groups()
    if severity == "F" or source.endswith(".py"):
        return True
    return _SEVERITY[severity] >= level and not _HARMLESS.search(message)


def min_log_level():
    """``TF_CPP_MIN_LOG_LEVEL`` as an int (2 when unset or not a number)."""
    try:
        return int(os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2"))
    except ValueError:
        return 2


def filter_tensorflow_log():
    """Drop TensorFlow's C++ log lines from stderr for the rest of the process.

    Opt-in: ``fit`` and ``predict`` never touch stderr. TensorFlow >= 2.20
    prints a few start-up lines from C++ (oneDNN, CUDA drivers, CPU
    instructions) whatever ``TF_CPP_MIN_LOG_LEVEL`` says, and some harmless
    ERROR lines (no GPU on a CPU machine). Call this before the first fit to
    route file descriptor 2 through a small filter process that drops those
    lines and the ones ``TF_CPP_MIN_LOG_LEVEL`` (2 unless set) hides. Everything
    else passes as it comes: Python warnings and tracebacks, the user's prints
    and absl-py log lines, unknown native errors. Where stderr is a terminal it
    stays one (``os.isatty(2)``). The ``skseq`` command calls it.

    Returns
    -------
    filtered : bool
        Whether the filter runs. ``False``, and nothing changed, where stderr is
        closed or ``None``, ``TF_CPP_MIN_LOG_LEVEL=0`` or no process can start.

    Examples
    --------
    >>> import skseq
    >>> skseq.filter_tensorflow_log()  # doctest: +SKIP
    True
    """
    with _lock:  # threads calling it at once must not start a filter each
        return _install()


def _install():
    if _installed:
        return True
    level = min_log_level()
    if level <= 0 or _failed or not _stderr_is_open():
        return False
    try:
        read_end, write_end = _channel()
    except OSError:
        _failed.append(True)
        return False
    try:
        child = subprocess.Popen(
            [sys.executable, "-I", "-S", os.path.abspath(__file__), str(level)],
            stdin=read_end,
            stdout=subprocess.DEVNULL,
            # Out of the parent's process group: Jupyter interrupts a kernel with
            # SIGINT to its group, which would end the filter and break stderr.
            start_new_session=True,
        )
    except (OSError, ValueError):
        os.close(read_end)
        os.close(write_end)
        _failed.append(True)
        return False
    os.close(read_end)
    saved = os.dup(2)
    os.dup2(write_end, 2)
    os.close(write_end)
    _installed.append(child)
    atexit.register(_uninstall, child, saved, _identity(2))
    return True


def _stderr_is_open():
    """Whether fd 2 is open, after flushing ``sys.stderr`` (which may be None:
    ``python script.py 2>&-``, ``pythonw``, some daemons)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.flush()
    try:
        os.fstat(2)
    except OSError:
        return False
    return True


def _channel():
    """``(read_end, write_end)``: a pipe, or a pseudo-terminal where stderr is a
    terminal, so that ``os.isatty(2)`` (colours, progress bars) stays true."""
    if not os.isatty(2):
        return os.pipe()
    import termios
    import tty

    master, slave = os.openpty()
    tty.setraw(slave)  # bytes pass unchanged ("\n" is not made "\r\n")
    with contextlib.suppress(OSError, AttributeError):
        size = termios.tcgetwinsize(2)  # Python >= 3.11
        termios.tcsetwinsize(slave, size)
    return master, slave


def _identity(fd):
    status = os.fstat(fd)
    return status.st_dev, status.st_ino


def _uninstall(child, saved, pipe):
    """At exit: give stderr back and let the child copy what is left.

    Only where file descriptor 2 is still the filter's pipe (a test runner may
    have put its own back). The child ends once every process that inherited
    the pipe (a worker of ``n_jobs``) has closed it; it is not waited for longer.
    """
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.flush()
    with contextlib.suppress(OSError):  # fd 2 closed by the user: leave it so
        if _identity(2) == pipe:
            os.dup2(saved, 2)
    os.close(saved)
    with contextlib.suppress(subprocess.TimeoutExpired):
        child.wait(timeout=2)


def _run_filter(level, source=0, target=2):
    """The child's loop: copy ``source`` to ``target`` minus the dropped lines.

    A piece of a line that cannot start a dropped line (a progress bar redrawn
    with ``\\r``, a prompt) is copied at once rather than held until its newline.
    """
    pending, passing = b"", False
    while chunk := _read(source):
        pending += chunk
        while pending:
            end = pending.find(b"\n") + 1
            piece = pending[:end] if end else pending
            if end:
                keep = passing or keep_line(piece.decode("utf-8", "replace"), level)
            elif passing or not _may_be_dropped(piece):
                keep = True
            else:
                break  # wait for the rest of the line
            if keep:
                _write_all(target, piece)
            passing = keep and not end
            pending = pending[len(piece) :]
    _write_all(target, pending)


def _read(fd):
    try:
        return os.read(fd, 65536)
    except OSError as error:
        if error.errno == errno.EIO:  # a pseudo-terminal whose writers all closed
            return b""
        raise


def _write_all(fd, data):
    while data:
        data = data[os.write(fd, data) :]


def _may_be_dropped(start):
    """Whether an unfinished line could still become a dropped line."""
    text = start.decode("utf-8", "replace")
    if re.match(r"[IWEF](\d|$)", text):
        return True
    companions = ("WARNING: All log messages before", "To enable the following")
    return any(c.startswith(text) or text.startswith(c) for c in companions)


if __name__ == "__main__":
    _run_filter(int(sys.argv[1]))
