"""The round's pages, written once and served by every screen (the browser, the kiosk): each
screen registers them with its own templates, labels and rules (`Screen`)."""

from .screen import Screen
from .views import register_round

__all__ = ["Screen", "register_round"]
