"""Uploaded question files: converted, validated, and saved under a safe name only when valid."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .formats import dump_deck, reader
from .loading import MAX_FILE_BYTES, Problem, parse_deck, slugify
from .model import Deck

SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".csv": "csv", ".gift": "gift", ".txt": "gift"}


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
    """Read an uploaded YAML, CSV or GIFT file into a validated deck, never raising."""
    name = shown_name(filename)
    upload = Upload(name)
    if len(data) > MAX_FILE_BYTES:
        upload.problems.append(f"{name}: the file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}")
        return upload
    if kind == "auto":
        kind = SUFFIXES.get(Path(name).suffix.lower(), "")
        if not kind:
            upload.problems.append(
                f"{name}: choose the format: the name does not end in .yaml, .csv or .gift"
            )
            return upload
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        upload.problems.append(f"{name}:{line}: not UTF-8 text (save the file as UTF-8)")
        return upload
    default_id = slugify(Path(name).stem) or "deck"
    if kind == "yaml":
        deck, problems = parse_deck(text, name, default_id=default_id)
        upload.problems = [str(p) for p in problems]
        if deck is not None:
            upload.deck, upload.yaml_text = deck, text
        return upload
    mapping, problems = reader(kind)(text, name)
    if problems:
        upload.problems = [str(p) for p in problems]
        return upload
    mapping["id"] = default_id
    yaml_text = dump_deck(mapping)
    deck, problems = parse_deck(yaml_text, name, default_id=default_id)
    # Line numbers of the generated YAML mean nothing to the teacher: the messages name the question.
    upload.problems = [f"{name}: {p.message}" for p in problems]
    if deck is not None:
        upload.deck, upload.yaml_text = deck, yaml_text
    return upload


class SaveRefused(Exception):
    """The deck was not saved; the message says why."""


def save_deck(folder: str | Path, deck: Deck, yaml_text: str, *, replace: bool = False) -> Path:
    """Write the deck as `<deck id>.yaml` in the folder, atomically; the id is a checked slug."""
    folder = Path(folder)
    target = folder / f"{deck.id}.yaml"
    if target.resolve().parent != folder.resolve():  # the slug check makes this impossible; belt and braces
        raise SaveRefused(f"'{deck.id}' is not a safe file name")
    if target.exists() and not replace:
        raise SaveRefused(f"a deck file called {target.name} already exists: tick 'Replace' to overwrite it")
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(yaml_text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


__all__ = ["Problem", "SaveRefused", "Upload", "convert_upload", "save_deck"]
