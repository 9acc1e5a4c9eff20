"""The game's rules: draw a round, score it, measure discernment and calibration, tally the
red flags. Plain functions over plain data."""

from .calibration import LEVELS, Calibration, calibration
from .clues import FlagTally, red_flags
from .discernment import Discernment, discernment
from .rounds import draw_practice, draw_round, streak

__all__ = [
    "LEVELS",
    "Calibration",
    "Discernment",
    "FlagTally",
    "calibration",
    "discernment",
    "draw_practice",
    "draw_round",
    "red_flags",
    "streak",
]
