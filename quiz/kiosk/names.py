"""Player names for the kiosk's board of the day: picked with a tap, never typed.

Only names made of these words are accepted, so a public screen shows nothing a passer-by
wrote.
"""

from __future__ import annotations

import random

ADJECTIVES = (
    "Bright", "Brave", "Calm", "Careful", "Clever", "Curious", "Eagle-eyed", "Keen",
    "Nimble", "Patient", "Plucky", "Sharp", "Steady", "Sunny", "Swift", "Wise",
)  # fmt: skip
ANIMALS = (
    "Badger", "Beaver", "Dolphin", "Falcon", "Fox", "Hedgehog", "Heron", "Koala",
    "Lynx", "Meerkat", "Otter", "Owl", "Panda", "Puffin", "Raven", "Tortoise",
)  # fmt: skip


def generate_names(count: int = 4, rng: random.Random | None = None) -> list[str]:
    """`count` names such as 'Curious Otter', no word used twice."""
    rng = rng or random.Random()
    count = min(count, len(ADJECTIVES), len(ANIMALS))
    return [
        f"{adjective} {animal}"
        for adjective, animal in zip(rng.sample(ADJECTIVES, count), rng.sample(ANIMALS, count), strict=True)
    ]


def is_generated_name(name: str) -> bool:
    """Whether `name` is one that generate_names could have offered."""
    adjective, _, animal = name.partition(" ")
    return adjective in ADJECTIVES and animal in ANIMALS
