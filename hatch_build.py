"""Wheel build hook: the project's citation and changelog travel with the bundled
release (``conflictdata/_release/``), each when the checkout has it. The citation also
goes in as ``CITATION.json``, read at build time with PyYAML (a build requirement), so
that ``conflictdata cite`` needs nothing beyond the package's own dependencies."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SHIPPED = ("CITATION.cff", "CHANGELOG.md")
TARGET = "conflictdata/_release"


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version, build_data):
        if self.target_name != "wheel":
            return
        for name in SHIPPED:
            path = Path(self.root) / name
            if path.is_file():
                build_data["force_include"][str(path)] = f"{TARGET}/{name}"
        cff = Path(self.root) / "CITATION.cff"
        if cff.is_file():
            import yaml

            data = yaml.safe_load(cff.read_text(encoding="utf-8"))
            self._tmp = tempfile.TemporaryDirectory()
            out = Path(self._tmp.name) / "CITATION.json"
            out.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
            build_data["force_include"][str(out)] = f"{TARGET}/CITATION.json"

    def finalize(self, version, build_data, artifact_path):
        tmp = getattr(self, "_tmp", None)
        if tmp is not None:
            tmp.cleanup()
