"""The corpus folder and its manifest: which files to ingest, with what catalogue facts."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from assistant.loaders import SUPPORTED_SUFFIXES


def read_manifest(path: Path) -> dict[str, dict[str, Any]]:
    """File name -> metadata entry; a missing manifest means every file's metadata is inferred."""
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return {name: entry for name, entry in data.items() if isinstance(entry, dict)}


def discover(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into their files (recursively, sorted); hidden files and folders are left out.

    Files with unsupported suffixes are kept so that ingest can report them as skipped.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                child
                for child in sorted(path.rglob("*"))
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts)
            )
        else:
            found.append(path)
    return found


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES
