"""Git plumbing for comparing the working tree with a base revision.

``validate --changed`` asks which files under ``records/`` differ from a base (committed,
uncommitted and untracked changes alike), and ``validate --base`` asks which record
files the base holds. Every question is one ``git`` call; nothing here writes to the
repository.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from conflictdata.core.paths import entry_id

#: Bases tried in order when none is given.
DEFAULT_BASES = ("origin/main", "main", "HEAD")


class GitError(Exception):
    """Git is missing, the folder is not a repository, or a revision does not exist."""


class ShallowHistory(GitError):
    """The history is too shallow to find where the branch started (a shallow clone)."""


def _git(root: Path, *args: str, ok_codes: tuple[int, ...] = (0,)) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",  # file names that are not UTF-8, as os.fsdecode holds them
            check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if done.returncode not in ok_codes:
        message = done.stderr.strip().splitlines()
        raise GitError(message[-1] if message else f"git {' '.join(args)} failed")
    return done.stdout


def is_revision(root: Path, ref: str) -> bool:
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except GitError:
        return False
    return True


def resolve_base(root: Path, ref: str | None) -> str:
    """The base to compare with: ``ref``, or the first of :data:`DEFAULT_BASES` that exists."""
    if ref is not None:
        if not is_revision(root, ref):
            if not is_revision(root, "HEAD") and not (Path(root) / ".git").exists():
                raise GitError(f"{root} is not a git repository")
            raise GitError(
                f"{ref!r} is not a commit, branch or tag in this repository (fetch it first, with full history)"
            )
        return ref
    for candidate in DEFAULT_BASES:
        if is_revision(root, candidate):
            return candidate
    raise GitError(
        f"no base to compare with: none of {', '.join(DEFAULT_BASES)} exists; pass --base REF"
    )


def fork_point(root: Path, base: str) -> str:
    """The commit the current branch started from: the merge base of ``base`` and HEAD.

    Comparing with it, rather than with the tip of ``base``, keeps records that were
    added to ``base`` after the branch started from looking deleted on the branch.
    """
    try:
        out = _git(root, "merge-base", base, "HEAD").strip()
    except GitError:
        out = ""
    if out:
        return out
    if is_shallow(root):
        raise ShallowHistory(
            f"the history is too shallow to find where this branch left {base}: this is a "
            f"shallow clone and the commit they share was not fetched. Fetch more history, "
            f"for example 'git fetch --unshallow' (or 'git fetch --deepen=200 origin main'), "
            f"or check out with full history (actions/checkout: fetch-depth: 0), then run "
            f"again"
        )
    raise GitError(
        f"this branch and {base} share no commit, so there is nothing to compare with; "
        f"pass the branch it started from as --base REF"
    )


def is_shallow(root: Path) -> bool:
    """True in a shallow clone (``git clone --depth N``), whose early history is missing."""
    try:
        return _git(root, "rev-parse", "--is-shallow-repository").strip() == "true"
    except GitError:
        return False


@dataclass(frozen=True)
class Changes:
    """Paths under ``records/`` (relative to it) that differ from the base."""

    base: str
    changed: tuple[str, ...]  # added, modified or untracked: they exist now
    deleted: tuple[str, ...]  # in the base, gone now


def changes(root: Path, base: str, records_dir: str = "records") -> Changes:
    """What differs under ``records/`` between ``base`` and the working tree, including
    uncommitted and untracked files (ignored files are left out)."""
    root = Path(root)
    prefix = records_dir.rstrip("/") + "/"
    diff = _git(root, "diff", "--name-status", "--no-renames", "-z", base, "--", prefix)
    changed: set[str] = set()
    deleted: set[str] = set()
    fields = diff.split("\0")
    i = 0
    while i + 1 < len(fields):
        status, path = fields[i], fields[i + 1]
        i += 2
        if not path.startswith(prefix):
            continue
        rel = path[len(prefix) :]
        (deleted if status.startswith("D") else changed).add(rel)
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", prefix)
    for path in untracked.split("\0"):
        if path.startswith(prefix):
            changed.add(path[len(prefix) :])
    return Changes(base, tuple(sorted(changed)), tuple(sorted(deleted - changed)))


def files_at(root: Path, base: str, records_dir: str = "records") -> list[str]:
    """Every file under ``records/`` at ``base``, relative to ``records/``."""
    prefix = records_dir.rstrip("/") + "/"
    out = _git(Path(root), "ls-tree", "-r", "--name-only", "-z", base, "--", prefix)
    return sorted(p[len(prefix) :] for p in out.split("\0") if p.startswith(prefix))


def show_many(root: Path, base: str, paths: list[str]) -> dict[str, bytes | None]:
    """The bytes of each of ``paths`` at ``base`` (None where missing), in one git call."""
    # a name with a line break cannot be asked for (the request is one name a line):
    # it is reported missing at the base, and its file is checked as a new one
    out: dict[str, bytes | None] = {p: None for p in paths if "\n" in p or "\r" in p}
    paths = [p for p in paths if p not in out]
    if not paths:
        return out
    request = "".join(f"{base}:{p}\n" for p in paths).encode("utf-8", "surrogateescape")
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "cat-file", "--batch"],
            input=request,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", "replace").strip() or "git cat-file failed")
    data, pos = done.stdout, 0
    for path in paths:
        end = data.index(b"\n", pos)
        header = data[pos:end].split(b" ")
        pos = end + 1
        # "<sha> <type> <size>" and the contents, or "<name> missing" (the name may hold
        # spaces), or "<name> ambiguous"
        found = len(header) == 3 and header[2].isdigit() and header[1] in (b"blob", b"tree")
        if found and header[1] == b"blob":
            size = int(header[2])
            out[path] = data[pos : pos + size]
            pos += size + 1
        else:
            if found:  # a tree: skip its contents
                pos += int(header[2]) + 1
            out[path] = None
    return out


def ids_at(root: Path, base: str, folder: str) -> set[str]:
    """File names (without .yaml) under ``folder`` at ``base``; empty if git cannot say."""
    try:
        listed = _git(
            Path(root), "ls-tree", "-r", "--name-only", "-z", base, "--", folder.rstrip("/") + "/"
        )
    except GitError:
        return set()
    return {entry_id(p) for p in listed.split("\0") if p.endswith(".yaml")}
