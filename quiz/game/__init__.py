"""The game's rules: draw a round, score it, measure discernment and calibration, tally the
red flags. Plain functions over plain data."""

from .calibration import LEVELS, Calibration, calibration, weighted_calibration
from .clues import FlagTally, red_flags
from .discernment import Discernment, discernment, from_counts
from .rounds import draw_practice, draw_round, streak

__all__ = [
    "LEVELS",
    "Calibration",
    "Discernment",
    "FlagTally",
    "calibration",
    "discernment",
    "draw_practice",
    "from_counts",
    "draw_round",
    "red_flags",
    "streak",
    "weighted_calibration",
]
