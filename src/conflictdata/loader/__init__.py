"""Reading a release: ``conflictdata.load()`` and the :class:`Dataset` it returns."""
