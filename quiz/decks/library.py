"""The decks of a folder, kept in memory and reloaded when their files change."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .loading import Problem, load_deck_file
from .model import Deck

log = logging.getLogger(__name__)


@dataclass
class DeckFile:
    """What the library knows of one file: its last good deck and its current problems."""

    name: str
    stamp: tuple[int, int] = (0, 0)
    deck: Deck | None = None
    problems: list[Problem] = field(default_factory=list)


def shown_path(path: Path) -> str:
    """A path as a teacher reads it: relative to the working folder when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class DeckLibrary:
    """Every `*.yaml` deck of one folder; a file that fails validation never replaces a good one."""

    def __init__(self, folder: str | Path, *, check_every: float = 2.0) -> None:
        self.folder = Path(folder)
        self.check_every = check_every
        self._files: dict[str, DeckFile] = {}
        self._decks: dict[str, Deck] = {}
        self._checked_at = float("-inf")
        self._lock = threading.Lock()
        self.refresh()

    @property
    def decks(self) -> list[Deck]:
        """The loaded decks, by title."""
        self.refresh_if_due()
        return sorted(self._decks.values(), key=lambda d: d.title.lower())

    def get(self, deck_id: str) -> Deck | None:
        """The deck with this id, or None."""
        self.refresh_if_due()
        return self._decks.get(deck_id)

    @property
    def files(self) -> list[DeckFile]:
        """Every deck file with its state, by name (for teachers)."""
        self.refresh_if_due()
        return sorted(self._files.values(), key=lambda f: f.name)

    def refresh_if_due(self) -> None:
        if time.monotonic() - self._checked_at >= self.check_every:
            self.refresh()

    def refresh(self) -> None:
        """Reload the files that changed since the last look; drop the ones that are gone."""
        with self._lock:
            self._checked_at = time.monotonic()
            try:
                paths = sorted(self.folder.glob("*.yaml"))
            except OSError as exc:
                log.error("cannot list the deck folder %s: %s", self.folder, exc)
                return
            files: dict[str, DeckFile] = {}
            for path in paths:
                try:
                    stat = path.stat()
                except OSError:
                    continue
                stamp = (stat.st_mtime_ns, stat.st_size)
                known = self._files.get(path.name) or DeckFile(path.name)
                if known.stamp != stamp:
                    known = self._load(path, stamp, known)
                files[path.name] = known
            self._files = files
            self._decks = self._index(files)

    def _load(self, path: Path, stamp: tuple[int, int], known: DeckFile) -> DeckFile:
        deck, problems = load_deck_file(path, shown_as=shown_path(path))
        for problem in problems:
            log.warning("deck skipped: %s", problem)
        # A broken edit keeps the last good deck of this file in play.
        return DeckFile(path.name, stamp, deck or known.deck, problems)

    @staticmethod
    def _index(files: dict[str, DeckFile]) -> dict[str, Deck]:
        decks: dict[str, Deck] = {}
        for file in files.values():
            deck = file.deck
            if deck is None:
                continue
            if deck.id in decks:
                message = f"deck id '{deck.id}' is already used by {decks[deck.id].path}"
                if not any(p.message == message for p in file.problems):
                    log.warning("deck skipped: %s:1: %s", deck.path, message)
                    file.problems.append(Problem(deck.path, 1, message))
                continue
            decks[deck.id] = deck
        return decks


def iter_deck_paths(paths: list[str]) -> list[Path]:
    """The deck files named by a list of files and folders (folders give their `*.yaml`)."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml")))
        else:
            found.append(path)
    return found


__all__ = ["DeckFile", "DeckLibrary", "iter_deck_paths"]
