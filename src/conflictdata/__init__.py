"""conflictdata: a claim-level dataset of Islamic State-linked incidents, arrests,
weapons transfers and recruitment cases, with its validator and loader."""

__version__ = "0.1.0"

from conflictdata.core.metadata import DATA_VERSION  # noqa: E402

__all__ = ["__version__", "DATA_VERSION", "SCHEMA_VERSION", "load", "Dataset", "MovedIdWarning"]


def load(path=None):
    """The dataset: the bundled release, or the checkout or built package at ``path``.
    See :class:`conflictdata.loader.dataset.Dataset`."""
    from conflictdata.loader.dataset import load as _load

    return _load(path)


def __getattr__(name):
    # Imported on first use, so that the command line and load() stay light.
    if name == "SCHEMA_VERSION":
        from conflictdata.model.models import SCHEMA_VERSION

        return SCHEMA_VERSION
    if name == "Dataset":
        from conflictdata.loader.dataset import Dataset

        return Dataset
    if name == "MovedIdWarning":
        from conflictdata.loader.redirects import MovedIdWarning

        return MovedIdWarning
    raise AttributeError(f"module 'conflictdata' has no attribute {name!r}")
