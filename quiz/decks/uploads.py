"""Uploaded question files: read in their own format, validated, and saved under a safe name."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .formats import FORMATS, UPLOAD_FORMATS, deck_mapping, dump_deck, format_of, read_file, too_large
from .loading import MAX_FILE_BYTES, slugify
from .model import Deck


@dataclass
class Upload:
    """What became of an uploaded file: the deck and its YAML text, or the problems."""

    name: str
    deck: Deck | None = None
    yaml_text: str = ""
    problems: list[str] = field(default_factory=list)


def shown_name(filename: str) -> str:
    """The uploaded file's own name, stripped of any folder and control characters."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ch.isprintable())[:100] or "upload"


def convert_upload(data: bytes, filename: str, kind: str = "auto") -> Upload:
    """Read an uploaded YAML, CSV or GIFT file into a validated deck, never raising: problems
    name the lines of the uploaded file itself."""
    name = shown_name(filename)
    upload = Upload(name)
    if len(data) > MAX_FILE_BYTES:
        upload.problems.append(f"{name}: the file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}")
        return upload
    if kind == "auto":
        kind = format_of(name) or ""
        if kind not in UPLOAD_FORMATS:
            suffixes = ", ".join(s for k in UPLOAD_FORMATS for s in FORMATS[k].suffixes)
            upload.problems.append(f"{name}: choose the format: the name does not end in {suffixes}")
            return upload
    deck_id = slugify(Path(name).stem) or "deck"
    result = read_file(data, name, kind, deck_id=deck_id, max_deck_bytes=MAX_FILE_BYTES)
    upload.problems = [str(problem) for problem in result.problems]
    if result.deck is None:
        return upload
    # A deck file is what is saved: the YAML as written, or the converted deck's.
    yaml_text = data.decode("utf-8-sig") if kind == "yaml" else dump_deck(deck_mapping(result.deck))
    size = len(yaml_text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        upload.problems.append(str(too_large(name, size, MAX_FILE_BYTES)))
        return upload
    upload.deck, upload.yaml_text = result.deck, yaml_text
    return upload


class SaveRefused(Exception):
    """The deck was not saved; the message says why."""


#: Below the deck folder, the version of each uploaded deck before its last replacement or
#: deletion (the library reads only the folder's own `*.yaml`).
PREVIOUS_FOLDER = ".previous"


def deck_path(folder: str | Path, deck_id: str) -> Path:
    """The file of an uploaded deck: `<deck id>.yaml` in the folder; the id is a checked slug."""
    folder = Path(folder)
    target = folder / f"{deck_id}.yaml"
    if target.resolve().parent != folder.resolve():  # the slug check makes this impossible; belt and braces
        raise SaveRefused(f"'{deck_id}' is not a safe file name")
    return target


def previous_path(folder: str | Path, deck_id: str) -> Path:
    """Where the deck's previous version is kept."""
    return Path(folder) / PREVIOUS_FOLDER / deck_path(folder, deck_id).name


def save_deck(folder: str | Path, deck: Deck, yaml_text: str, *, replace: bool = False) -> Path:
    """Write the deck as `<deck id>.yaml` in the folder, atomically; a file it replaces is kept
    as the previous version."""
    target = deck_path(folder, deck.id)
    if target.exists() and not replace:
        raise SaveRefused(f"a deck file called {target.name} already exists: tick 'Replace' to overwrite it")
    if target.exists():
        keep_previous(folder, deck.id)
    write_atomically(target, yaml_text)
    return target


def keep_previous(folder: str | Path, deck_id: str) -> None:
    """Copy the deck's file to its previous version (the file itself stays)."""
    kept = previous_path(folder, deck_id)
    kept.parent.mkdir(exist_ok=True)
    write_atomically(kept, deck_path(folder, deck_id).read_text(encoding="utf-8"))


def restore_previous(folder: str | Path, deck_id: str) -> None:
    """Put the previous version back; the current file (if any) becomes the previous version,
    so a restore can itself be undone."""
    target, kept = deck_path(folder, deck_id), previous_path(folder, deck_id)
    if not kept.exists():
        raise SaveRefused(f"no earlier version of {target.name} is kept")
    earlier = kept.read_text(encoding="utf-8")
    if target.exists():
        keep_previous(folder, deck_id)
    else:
        kept.unlink()
    write_atomically(target, earlier)


def delete_deck(folder: str | Path, deck_id: str) -> None:
    """Take the deck out of the folder, keeping its file as the previous version."""
    target = deck_path(folder, deck_id)
    kept = previous_path(folder, deck_id)
    kept.parent.mkdir(exist_ok=True)
    os.replace(target, kept)


def write_atomically(target: Path, text: str) -> None:
    """Write a file so that readers see the old version or the new one, never half of one."""
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


__all__ = [
    "SaveRefused",
    "Upload",
    "convert_upload",
    "delete_deck",
    "previous_path",
    "restore_previous",
    "save_deck",
    "write_atomically",
]
