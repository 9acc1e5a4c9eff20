"""The round's pages: the next question, the answer, its reveal, the summary and Play again.

Written once as class-based views; each screen registers them on its own blueprint with its
`Screen` (`register_round`), so the browser and the kiosk show the same round their own way.
"""

from __future__ import annotations

import random
import time

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask.views import MethodView

from ..decks import Deck
from ..extensions import db
from ..models import Classroom, LiveRound, PlaySession, utcnow
from ..security import client_address, throttle
from ..services import limits, live, retention, rounds
from . import browser
from .forms import AgainForm, AnswerForm
from .screen import Screen

QUESTION_GONE = "This question has been taken out of its deck. Ask your teacher to check it."
#: One round start in so many also clears rounds left unanswered for a day.
PRUNE_CHANCE = 1 / 500
CONFIDENCE_UNKNOWN = "Choose how sure you are from Just guessing, Fairly sure and Very sure, or none of them."


def begin(
    screen: Screen,
    deck: Deck,
    *,
    mode: str,
    nickname: str | None = None,
    classroom: Classroom | None = None,
    question_ids: list[str] | None = None,
    live_round: LiveRound | None = None,
) -> Response:
    """Start a round of the deck on this screen, remember it in this browser, show its first
    question; a 429 page once this address has started too many rounds."""
    throttle(limits.round_starts(), client_address(), "Too many rounds were started from your network.")
    if random.random() < PRUNE_CHANCE:
        retention.prune_some_unanswered(utcnow())
    if screen.fresh_start:
        browser.forget(screen)
    play = rounds.start(
        deck,
        current_app.config[screen.round_size],
        mode=mode,
        nickname=nickname,
        classroom=classroom,
        question_ids=question_ids,
        live_round=live_round,
    )
    db.session.commit()
    browser.remember(play)
    return redirect(url_for(screen.endpoint("question"), token=play.token))


class RoundView(MethodView):
    """A page of a round, shown by one screen."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen

    def to(self, view: str, **values: str) -> Response:
        return redirect(url_for(self.screen.endpoint(view), **values))

    def render(self, page: str, play: PlaySession, **context: object) -> str:
        """One of the round's pages, in the screen's own template."""
        return render_template(self.screen.template(page), play=play, **context)

    def render_question(self, page: str, play: PlaySession, question_id: str, **context: object) -> str:
        """A page about one question of the round (its question or its reveal), with its place
        in the round; a 404 page when the deck has since lost the question."""
        item = rounds.question(play, question_id)
        if item is None:
            abort(404, description=QUESTION_GONE)
        order = play.question_ids
        return self.render(
            page, play, question=item, number=order.index(question_id) + 1, total=len(order), **context
        )


class QuestionPage(RoundView):
    def get(self, token: str) -> ResponseReturnValue:
        """The round's next unanswered question, or the summary when all are answered."""
        play = browser.owned_or_404(token, self.screen)
        if play.live_round_id is not None:
            return self.live_step(play)
        progress = rounds.progress(play)
        if progress.next_question_id is None or play.is_over:
            return self.to("summary", token=token)
        return self.question_page(play, progress.next_question_id)

    def question_page(self, play: PlaySession, question_id: str) -> str:
        form = AnswerForm(question_id=question_id, shown=str(int(time.time() * 1000)))
        version = play.live_round.version if play.live_round_id is not None else None
        return self.render_question("question", play, question_id, form=form, version=version)

    def live_step(self, play: PlaySession) -> ResponseReturnValue:
        """A live round's player sees the step their teacher is on: a reload always catches up."""
        step = live.step_for(play, rounds.answered_ids(play))
        if step.kind == "summary":
            return self.to("summary", token=play.token)
        if step.kind == "reveal":
            return self.to("reveal", token=play.token, question_id=step.question_id)
        if step.kind == "question":
            return self.question_page(play, step.question_id)
        return self.render("waiting", play, message=step.message, version=play.live_round.version)


class AnswerAction(RoundView):
    def post(self, token: str) -> Response:
        """Record the answer once, then show its reveal (a reload or replay changes nothing)."""
        form = AnswerForm()
        if not form.validate_on_submit():
            flash(CONFIDENCE_UNKNOWN if form.confidence.errors else self.screen.answer_missing)
            return self.to("question", token=token)
        # The form is read first: the round's locked read is where the writer's turn starts.
        play = browser.owned_or_404(token, self.screen, for_update=True)
        question_id = form.question_id.data
        outcome = rounds.answer(
            play, question_id, form.choice.data, confidence=form.confidence_level(), shown_ms=form.shown_ms()
        )
        live_round = play.live_round_id is not None  # read before the commit expires it (a query)
        db.session.commit()
        if outcome is rounds.Outcome.NOT_IN_ROUND:
            flash("That question is not part of your round.")
            return self.to("question", token=token)
        if outcome is rounds.Outcome.ROUND_OVER:
            return self.to("summary", token=token)
        if outcome is rounds.Outcome.NOT_NOW:
            flash("Too late for that claim: your teacher has moved on.")
            return self.to("question", token=token)
        if outcome is rounds.Outcome.ALREADY_ANSWERED:
            flash("You had already answered this one: your first answer counts.")
        if live_round:  # "Answer saved": the teacher shows the answer
            return self.to("question", token=token)
        return self.to("reveal", token=token, question_id=question_id)


class RevealPage(RoundView):
    def get(self, token: str, question_id: str) -> ResponseReturnValue:
        """Right or wrong, the verdict, why, the red flags and where to check."""
        play = browser.owned_or_404(token, self.screen)
        given = rounds.answer_to(play, question_id)
        if given is None or (play.live_round_id is not None and not live.revealed(play, question_id)):
            return self.to("question", token=token)
        # The last answer closes the round: its reveal says Next shows the results.
        return self.render_question(
            "reveal",
            play,
            question_id,
            answer=given,
            is_last=play.is_over,
            streak=rounds.streak_at(play, question_id),
            version=play.live_round.version if play.live_round_id is not None else None,
        )


class SummaryPage(RoundView):
    def get(self, token: str) -> ResponseReturnValue:
        """The score, discernment and lean, and a review of every claim."""
        play = browser.owned_or_404(token, self.screen)
        if not play.is_over:
            return self.to("question", token=token)
        recent = [other for other in browser.remembered() if other.mode in self.screen.modes]
        return self.render(
            "summary",
            play,
            deck=rounds.deck_of(play),
            summary=rounds.summary(play, recent),
            again=AgainForm(token=play.token),
        )


class AgainView(RoundView):
    """A form that starts a new round from one of this browser's rounds (Play again, Practise)."""

    def previous_round(self, unsent: str | None = None) -> tuple[PlaySession, Deck] | Response:
        """The round the form names and its deck, or the way home (saying why)."""
        form = AgainForm()
        if not form.validate_on_submit():
            if unsent:
                flash(unsent)
            return redirect(url_for(self.screen.home))
        previous = browser.owned_or_404(form.token.data, self.screen)
        deck = rounds.deck_of(previous)
        if deck is None:
            flash("That deck is no longer here: choose another one.")
            return redirect(url_for(self.screen.home))
        return previous, deck


class PlayAgain(AgainView):
    def post(self) -> Response:
        """A new round of the same deck, keeping the nickname and the class."""
        found = self.previous_round("Press Start to play again.")
        if isinstance(found, Response):
            return found
        previous, deck = found
        return begin(
            self.screen, deck, mode=previous.mode, nickname=previous.nickname, classroom=previous.classroom
        )


class Practice(AgainView):
    def post(self) -> Response:
        """A round of the claims this browser got wrong in its recent rounds of the deck, topped
        up with claims it has not seen."""
        found = self.previous_round()
        if isinstance(found, Response):
            return found
        previous, deck = found
        recent = [p for p in browser.remembered() if p.mode in self.screen.modes]
        chosen = rounds.practice(deck, recent, current_app.config[self.screen.round_size])
        return begin(
            self.screen,
            deck,
            mode=previous.mode,
            nickname=previous.nickname,
            classroom=previous.classroom,
            question_ids=chosen,
        )


class StepPoll(RoundView):
    def get(self, token: str) -> Response:
        """What a live round's phone polls: the round's version, 304 while it has not changed."""
        version = live.poll_version(token)
        if version is None:
            abort(404)
        response = Response(str(version), mimetype="text/plain")
        response.set_etag(f"v{version}")
        response.headers["Cache-Control"] = "no-cache"
        return response.make_conditional(request)


def register_round(bp: Blueprint, screen: Screen) -> None:
    """Serve the round's pages on a screen's blueprint, under the same paths on every screen."""
    for rule, name, view in (
        ("/play/<token>", "question", QuestionPage),
        ("/play/<token>/answer", "answer", AnswerAction),
        ("/play/<token>/reveal/<question_id>", "reveal", RevealPage),
        ("/play/<token>/summary", "summary", SummaryPage),
        (screen.again_rule, "again", PlayAgain),
        (screen.practice_rule, "practice", Practice),
    ):
        bp.add_url_rule(rule, view_func=view.as_view(name, screen))
    if screen.live_rounds:
        bp.add_url_rule("/play/<token>/step", view_func=StepPoll.as_view("step", screen))
