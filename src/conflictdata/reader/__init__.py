"""Reading record files: the strict YAML reader."""

#: What to do when PyYAML was built without libyaml, whose parser the reader uses.
LIBYAML_FIX = (
    "PyYAML is installed without libyaml, whose fast C parser conflictdata reads records "
    "with; reinstall PyYAML from a binary wheel: "
    "pip install --force-reinstall --only-binary=PyYAML PyYAML "
    "(or install libyaml, for example 'apt install libyaml-dev', and then "
    "pip install --force-reinstall --no-binary=PyYAML PyYAML)"
)
