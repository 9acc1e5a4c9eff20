"""The game's rules: draw a round, score it, measure discernment. Plain functions over plain data."""

from .discernment import Discernment, discernment
from .rounds import draw_round

__all__ = ["Discernment", "discernment", "draw_round"]
