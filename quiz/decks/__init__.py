"""Decks: question files, loaded and validated without Flask or a database."""

from .loading import MAX_FILE_BYTES, Problem, load_deck_file, parse_deck, slugify
from .model import ANSWERS, DIFFICULTIES, RED_FLAG_NAMES, RED_FLAGS, Deck, Question, Source

__all__ = [
    "ANSWERS",
    "DIFFICULTIES",
    "MAX_FILE_BYTES",
    "RED_FLAGS",
    "RED_FLAG_NAMES",
    "Deck",
    "Problem",
    "Question",
    "Source",
    "load_deck_file",
    "parse_deck",
    "slugify",
]
