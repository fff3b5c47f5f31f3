"""conflictdata: a claim-level dataset of Islamic State-linked incidents, arrests,
weapons transfers and recruitment cases, with its validator and loader."""

__version__ = "0.1.0"

from .models import SCHEMA_VERSION  # noqa: E402

__all__ = ["__version__", "SCHEMA_VERSION"]
