"""The teacher area: log in, check decks, upload question files, make classes, read results."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    stream_with_context,
    url_for,
)
from sqlalchemy.exc import IntegrityError

from ..decks import Deck
from ..decks.uploads import (
    SaveRefused,
    convert_upload,
    deck_path,
    delete_deck,
    previous_path,
    restore_previous,
    save_deck,
)
from ..extensions import db, decks
from ..models import Classroom, Teacher
from ..security import client_address, is_local_path, throttle
from ..services import accounts, classes, limits, live, ownership
from ..services import results as results_service
from .forms import ClassForm, LoginForm, UploadForm

bp = Blueprint("teacher", __name__, url_prefix="/teacher")

PUBLIC_ENDPOINTS = {"teacher.login"}


@bp.before_request
def require_teacher() -> Response | None:
    """Every page but the login needs a logged-in teacher."""
    g.teacher = None
    teacher_id = session.get("teacher_id")
    if teacher_id is not None:
        teacher = db.session.get(Teacher, teacher_id)
        if teacher is not None and session.get("teacher_version") == teacher.session_version:
            g.teacher = teacher
    if g.teacher is None and request.endpoint not in PUBLIC_ENDPOINTS:
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("teacher.login", next=target))
    return None


@bp.context_processor
def teacher_context() -> dict[str, object]:
    return {"teacher": g.get("teacher")}


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    """Log in; five failures within a minute for one username from one address lock that pair
    out for one to two minutes (a browser that has logged in as that teacher counts apart)."""
    form = LoginForm(next=request.args.get("next", ""))
    if request.method == "POST":
        key = login_key(form.username.data or "")
        # Counted before the password is checked, and committed (a short write, before the
        # hash): tries sent at once are counted one after another.
        throttle(limits.LOGIN_FAILURES, key, "Too many wrong passwords for this username.")
        db.session.commit()
        if form.validate_on_submit():
            teacher = accounts.authenticate(form.username.data, form.password.data)
            if teacher is not None:
                limits.take_back(limits.LOGIN_FAILURES, key)  # a right password is no failure
                db.session.commit()
                session.clear()  # a fresh session on login: nothing carried over from before
                session["teacher_id"] = teacher.id
                session["teacher_version"] = teacher.session_version
                session[KNOWN_LOGIN] = teacher.username.casefold()
                target = form.next.data
                return redirect(target if is_local_path(target) else url_for("teacher.dashboard"))
            form.password.errors.append("Wrong username or password.")
        return render_template("teacher/login.html", form=form), 401
    return render_template("teacher/login.html", form=form)


#: The session remembers the last teacher who logged in from this browser (after logout too).
KNOWN_LOGIN = "known_login"


def login_key(username: str) -> str:
    """What failed logins are counted against: the address and the username, and whether this
    browser has logged in as that teacher before (so a guesser at the next desk, on the same
    router, cannot lock the teacher out of their own browser)."""
    name = username.strip().casefold()
    known = " known" if name and session.get(KNOWN_LOGIN) == name else ""
    return f"{client_address()} {name}{known}"


@bp.post("/logout")
def logout() -> Response:
    """Log out (a POST with a CSRF token, so no link or image can do it)."""
    if g.teacher is not None:
        g.teacher.session_version += 1  # every copy of this login's cookie stops working
        db.session.commit()
    session.pop("teacher_id", None)
    session.pop("teacher_version", None)
    flash("You are logged out.")
    return redirect(url_for("play.home"))


def class_form() -> ClassForm:
    form = ClassForm()
    form.deck.choices = {deck.id: deck.title for deck in decks.all}
    return form


@bp.get("/")
def dashboard() -> str:
    """Every deck file with its state, the teacher's classes, and a form for a new class."""
    return dashboard_page(class_form())


def dashboard_page(form: ClassForm) -> str:
    return render_template(
        "teacher/dashboard.html",
        files=decks.files,
        deck_titles={deck.id: deck.title for deck in decks.all},
        classes=classes.of_teacher(g.teacher),
        uploads=uploaded_decks(),
        form=form,
    )


def uploaded_decks() -> list[dict[str, object]]:
    """The decks this teacher uploaded (every uploaded deck, for an admin), each with whether it
    is in play and whether an earlier version is kept."""
    owners = ownership.every() if g.teacher.is_admin else ownership.of_teacher(g.teacher)
    folder = deck_folder()
    return [
        {
            "id": owner.deck_id,
            "owner": owner.teacher.username,
            "deck": decks.get(owner.deck_id),
            "earlier": previous_path(folder, owner.deck_id).exists(),
        }
        for owner in owners
    ]


@bp.get("/decks/<deck_id>")
def deck(deck_id: str) -> str:
    """Every question of a deck as students see it, with the answer; its uploader (or an admin)
    may restore its earlier version or delete it."""
    shown = decks.get_or_404(deck_id)
    owner = ownership.owner_of(deck_id)
    changeable = ownership.refusal(g.teacher, deck_id, exists=True) is None  # never for a bundled deck
    earlier = changeable and previous_path(deck_folder(), deck_id).exists()
    return render_template(
        "teacher/deck.html", deck=shown, owner=owner, changeable=changeable, earlier=earlier
    )


@bp.route("/upload", methods=["GET", "POST"])
def upload() -> Response | str | tuple[str, int]:
    """Upload a deck: validated before anything is saved, saved under a safe name when valid, and
    owned by its uploader (only they or an admin may replace it; a bundled deck, nobody)."""
    form = UploadForm()
    problems: list[str] = []
    if form.validate_on_submit():
        file = form.file.data
        result = convert_upload(file.read(), file.filename or "upload", form.format.data)
        problems = result.problems
        if result.deck is not None:
            try:
                save_upload(result.deck, result.yaml_text, replace=form.replace.data)
            except SaveRefused as refusal:
                problems = [f"{result.name}: not saved: {refusal}"]
            except OSError as error:
                current_app.logger.error("cannot save an uploaded deck: %s", error)
                problems = [f"{result.name}: not saved: the questions folder cannot be written to"]
            else:
                flash(f"Saved “{result.deck.title}”: {len(result.deck.questions)} questions.")
                return redirect(url_for("teacher.deck", deck_id=result.deck.id))
    status = 400 if request.method == "POST" else 200
    return render_template("teacher/upload.html", form=form, problems=problems), status


def save_upload(deck: Deck, yaml_text: str, *, replace: bool) -> None:
    """Save a checked deck as its uploader's, or raise SaveRefused saying why not."""
    folder = deck_folder()
    existing = decks.get(deck.id)
    if existing is not None and Path(existing.path).name != f"{deck.id}.yaml":
        raise SaveRefused(f"the deck id '{deck.id}' is already used by {existing.path}")
    exists = existing is not None or deck_path(folder, deck.id).exists()
    try:
        refused = ownership.claim(g.teacher, deck.id, exists)
    except IntegrityError:  # another teacher's upload of the same id, at the same moment
        db.session.rollback()
        refused = f"another teacher has just uploaded a deck with the id '{deck.id}'"
    if refused:
        raise SaveRefused(refused)
    save_deck(folder, deck, yaml_text, replace=replace)
    db.session.commit()
    decks.library.refresh()


def deck_folder() -> Path:
    return Path(current_app.config["QUESTIONS_DIR"])


def change_deck(deck_id: str, change: Callable[[Path, str], None], failed: str, done: str) -> Response:
    """Restore or delete an uploaded deck's file, for its uploader or an admin; then its page,
    or the dashboard when it is out of play."""
    refused = ownership.refusal(g.teacher, deck_id, exists=True)
    if refused:
        abort(403, description=f"This deck is not yours to change: {refused}.")
    try:
        change(deck_folder(), deck_id)
    except SaveRefused as error:
        flash(f"{failed}: {error}.")
    except OSError as error:
        current_app.logger.error("cannot change the deck file of %s: %s", deck_id, error)
        flash(f"{failed}: its file cannot be changed (it may be gone, or the folder read-only).")
    else:
        decks.library.refresh()
        flash(done)
    return redirect(
        url_for("teacher.deck", deck_id=deck_id) if decks.get(deck_id) else url_for("teacher.dashboard")
    )


@bp.post("/decks/<deck_id>/restore")
def restore_deck(deck_id: str) -> Response:
    """Put back the version of an uploaded deck from before its last replacement or deletion."""
    return change_deck(
        deck_id, restore_previous, "Not restored", f"Restored the earlier version of “{deck_id}”."
    )


@bp.post("/decks/<deck_id>/delete")
def delete_uploaded_deck(deck_id: str) -> Response:
    """Take an uploaded deck out of play; its file is kept, and Restore brings it back."""
    return change_deck(
        deck_id, delete_deck, "Not deleted", f"Deleted “{deck_id}”: Restore on this page brings it back."
    )


@bp.post("/classes")
def create_class() -> Response | tuple[str, int]:
    """A new class for a deck, with its join code."""
    form = class_form()
    if form.validate_on_submit():
        classroom = classes.create(g.teacher, form.name.data, form.deck.data)
        db.session.commit()
        flash(f"Class “{classroom.name}” created: students join with the code {classroom.code}.")
        return redirect(url_for("teacher.class_results", class_id=classroom.id))
    return dashboard_page(form), 400


def own_classroom_or_404(class_id: int) -> Classroom:
    classroom = db.session.get(Classroom, class_id)
    if classroom is None or classroom.teacher_id != g.teacher.id:
        abort(404, description="There is no such class among yours.")
    return classroom


@bp.get("/classes/<int:class_id>")
def class_results(class_id: int) -> str:
    """How a class did: players, questions, the claims that fooled most; refreshes while playing."""
    classroom = own_classroom_or_404(class_id)
    shown = decks.get_or_404(classroom.deck_id)
    return render_template(
        "teacher/results.html",
        deck=shown,
        classroom=classroom,
        results=results_service.results(shown, classroom, details=True),
        live_running=live.current(classroom) is not None,
    )


@bp.get("/decks/<deck_id>/results")
def deck_results(deck_id: str) -> str:
    """How everyone did on a deck."""
    shown = decks.get_or_404(deck_id)
    return render_template(
        "teacher/results.html",
        deck=shown,
        classroom=None,
        results=results_service.results(shown, viewer=g.teacher),
    )


@bp.get("/classes/<int:class_id>/answers.csv")
def class_answers_csv(class_id: int) -> Response:
    """Every answer of a class, as a spreadsheet."""
    classroom = own_classroom_or_404(class_id)
    return _csv(decks.get_or_404(classroom.deck_id), classroom, f"class-{classroom.code}-answers.csv")


@bp.get("/decks/<deck_id>/answers.csv")
def deck_answers_csv(deck_id: str) -> Response:
    """Every answer on a deck, as a spreadsheet."""
    shown = decks.get_or_404(deck_id)
    return _csv(shown, None, f"{shown.id}-answers.csv")


def _csv(shown: Deck, classroom: Classroom | None, filename: str) -> Response:
    """Every answer a teacher may see, streamed (a deck's may run to many megabytes)."""
    body = stream_with_context(results_service.answers_csv(shown, classroom, g.teacher))
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
