"""Checking records: problems and their codes, the rules, the validator over a tree or
some files, tombstones, runs against a base revision, and the worker pool."""
