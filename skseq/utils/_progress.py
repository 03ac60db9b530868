"""Progress bars for long loops: tqdm when installed, else Keras' Progbar."""

__all__ = ["progress"]


def progress(total, verbose=0, desc=None):
    """A progress bar of ``total`` steps with ``update(n=1)`` and ``close()``.

    ``verbose=0`` shows nothing. Otherwise tqdm's bar (``tqdm.auto``: a widget in
    notebooks, text in terminals) when tqdm is installed (``pip install
    "skseq[progress]"``), else Keras' ``Progbar``, which skseq always has.

    Parameters
    ----------
    total : int
        Number of steps.
    verbose : int, default=0
        Show the bar when above 0.
    desc : str, default=None
        Label of the bar.

    Returns
    -------
    bar : object with ``update(n=1)`` and ``close()``
    """
    if not verbose:
        return _Silent()
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return _KerasBar(total)
    return tqdm(total=total, desc=desc)


class _Silent:
    def update(self, n=1):
        pass

    def close(self):
        pass


class _KerasBar:
    def __init__(self, total):
        from keras.utils import Progbar

        self.bar = Progbar(total)

    def update(self, n=1):
        self.bar.add(n)

    def close(self):
        pass
