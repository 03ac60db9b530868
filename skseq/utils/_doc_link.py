"""The "?" icon of the HTML repr: a link to the estimator's page of the API reference.

scikit-learn's HTML repr links each estimator to its documentation through three
attributes of the estimator (``_doc_link_module``, ``_doc_link_template`` and
``_doc_link_url_param_generator``, see ``sklearn.utils._repr_html.base``);
:class:`DocLinkMixin` sets them for skseq's estimators.
"""

import itertools

__all__ = ["DOCS_URL", "DocLinkMixin", "api_name"]

#: Root of the published documentation (the API pages are under ``generated/``).
DOCS_URL = "https://skseq.readthedocs.io/en/stable/"

# Subpackages whose public names the API reference lists from ``skseq`` itself.
_LISTED_AT_TOP = ("skseq.estimators", "skseq.windowing")


def api_name(cls):
    """The dotted name under which the API reference documents ``cls``.

    Parameters
    ----------
    cls : type
        A public class of skseq.

    Returns
    -------
    name : str
        For example ``"skseq.GRUForecaster"`` or
        ``"skseq.forecasting.WindowedForecaster"``.
    """
    parts = cls.__module__.split(".")
    public = ".".join(itertools.takewhile(lambda part: not part.startswith("_"), parts))
    module = "skseq" if public in _LISTED_AT_TOP else public
    return f"{module}.{cls.__name__}"


def _doc_link_params(estimator):
    return {"api_name": api_name(type(estimator))}


class DocLinkMixin:
    """Link the HTML repr's "?" icon to the estimator's API page.

    Stands left of ``BaseEstimator``, whose attributes of the same names point to
    scikit-learn's documentation.
    """

    _doc_link_module = "skseq"
    _doc_link_template = DOCS_URL + "generated/{api_name}.html"
    _doc_link_url_param_generator = _doc_link_params
