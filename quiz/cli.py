"""The `quiz` command: validate decks, set up the database, serve the game."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from .decks import load_deck_file, slugify
from .decks.formats import EXPORT_FORMATS, FORMATS, IMPORT_FORMATS, dump_deck, format_of, read_file
from .decks.library import iter_deck_paths
from .decks.loading import decode
from .extensions import decks


def init_app(app: Flask) -> None:
    for command in (validate, init_db, serve, add_teacher, prune, import_deck, export_deck):
        app.cli.add_command(command)


@click.command("validate")
@click.option(
    "--strict",
    is_flag=True,
    help="Also apply the rules of the bundled decks (two sources, a checked date, quoted clues...).",
)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def validate(paths: tuple[str, ...], strict: bool) -> None:
    """Check deck files (or folders of them); print one `path:line: message` per problem."""
    files = iter_deck_paths(list(paths))
    if not files:
        click.echo("no deck files (*.yaml) found", err=True)
        sys.exit(1)
    problem_count = 0
    for path in files:
        kind = format_of(path.name)
        if kind != "yaml":
            kind = kind or "|".join(IMPORT_FORMATS)
            click.echo(
                f"{path}:1: not a deck file (.yaml): convert it first with "
                f"quiz import --from {kind} {path} -o DECK.yaml"
            )
            problem_count += 1
            continue
        deck, problems = load_deck_file(path, strict=strict)
        for problem in problems:
            click.echo(str(problem))
        problem_count += len(problems)
        if deck is not None:
            click.echo(
                f"{path}: ok, {len(deck.questions)} questions "
                f"({deck.count('plausible')} plausible, {deck.count('dubious')} dubious)",
                err=True,
            )
    if problem_count:
        click.echo(
            f"{problem_count} problem{'s' if problem_count != 1 else ''} in {len(files)} file(s)", err=True
        )
        sys.exit(1)


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create the database tables (an existing database keeps its data)."""
    from .database import upgrade_database

    upgrade_database()
    click.echo("database ready")


@click.command("add-teacher")
@with_appcontext
@click.argument("username")
@click.option(
    "--password-file", type=click.File("r"), help="Read the password from this file ('-' for stdin)."
)
@click.option(
    "--admin", is_flag=True, help="May replace or delete any uploaded deck, and sees every class's results."
)
def add_teacher(username: str, password_file, admin: bool) -> None:  # type: ignore[no-untyped-def]
    """Create a teacher account; the password is asked twice (or read from --password-file)."""
    from .database import upgrade_database
    from .extensions import db
    from .services.accounts import AccountError
    from .services.accounts import add_teacher as create

    if password_file is not None:
        password = password_file.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    upgrade_database()
    try:
        create(username, password, admin=admin)
    except AccountError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"{'admin' if admin else 'teacher'} '{username}' added")


@click.command("prune")
@with_appcontext
def prune() -> None:
    """Delete rounds nobody answered (after a day) and rounds older than QUIZ_RETENTION_DAYS
    (a class's rounds stay while the class exists)."""
    from .database import upgrade_database
    from .extensions import db
    from .models import utcnow
    from .services.retention import prune as remove

    days = current_app.config["RETENTION_DAYS"]
    upgrade_database()
    pruned = remove(utcnow(), days)
    db.session.commit()
    click.echo(
        f"removed {pruned.unanswered} unanswered round(s) older than a day, {pruned.old} round(s) "
        f"older than {days} days (QUIZ_RETENTION_DAYS) and {pruned.throttles} ended throttle count(s)"
    )


@click.command("import")
@click.option("--from", "kind", type=click.Choice(IMPORT_FORMATS), required=True, help="The input's format.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), required=True, help="The deck file to write."
)
@click.argument("input_path", metavar="INPUT", type=click.Path(exists=True, dir_okay=False))
def import_deck(kind: str, output: str, input_path: str) -> None:
    """Convert an article, CSV or GIFT file into a deck file (YAML)."""
    deck_id = slugify(Path(output).stem) or "deck"
    if kind == "article":
        # Drafts: answers, explanations and sources are the teacher's to fill in, so no validation.
        text, problems = decode(Path(input_path).read_bytes(), input_path)
        mapping, found = FORMATS[kind].read(text, input_path) if text is not None else ({}, [])
        problems += found
    else:
        result = read_file(Path(input_path).read_bytes(), input_path, kind, deck_id=deck_id)
        mapping, problems = result.mapping, result.problems
    for problem in problems:
        click.echo(str(problem), err=True)
    if not mapping.get("questions"):
        sys.exit(1)
    Path(output).write_text(dump_deck(mapping), encoding="utf-8")
    count = len(mapping["questions"])
    click.echo(f"wrote {output}: {count} question{'s' if count != 1 else ''}", err=True)
    if kind == "article":
        click.echo(
            f"drafts: fill in answer, explanation and sources, then run: quiz validate {output}", err=True
        )
    sys.exit(1 if problems else 0)


@click.command("export")
@with_appcontext
@click.option("--to", "kind", type=click.Choice(EXPORT_FORMATS), required=True, help="The output's format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="The file to write.")
@click.argument("deck_ref", metavar="DECK_ID_OR_FILE")
def export_deck(kind: str, output: str, deck_ref: str) -> None:
    """Write a deck (by id, or a deck file) as CSV or GIFT."""
    if Path(deck_ref).is_file():
        deck, problems = load_deck_file(deck_ref)
        for problem in problems:
            click.echo(str(problem), err=True)
    else:
        deck = decks.get(deck_ref)
        if deck is None:
            click.echo(f"error: no deck file or deck id '{deck_ref}'", err=True)
    if deck is None:
        sys.exit(1)
    Path(output).write_text(FORMATS[kind].write(deck), encoding="utf-8", newline="")
    click.echo(f"wrote {output}: {len(deck.questions)} questions", err=True)


@click.command("serve")
@with_appcontext
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 for the network)."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    help="Worker processes  [default: one per CPU core, at least 2]",
)
def serve(host: str, port: int, workers: int | None) -> None:
    """Run the game with the gunicorn production server, creating the database on first start."""
    from .database import upgrade_database
    from .extensions import db
    from .server import check_address, default_workers, is_loopback, run

    if os.name == "nt":
        raise click.ClickException("quiz serve needs Linux or macOS (gunicorn); on Windows, run it in WSL")
    try:
        check_address(host, port)
    except socket.gaierror as error:
        raise click.ClickException(f"cannot listen on {host}: {error.strerror or error}") from None
    except OSError as error:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {error.strerror or error}. Is the game (or another "
            "program) already running there? Stop it, or choose another --port."
        ) from None
    upgrade_database()
    db.engine.dispose()  # each worker process opens its own connections
    proxies = int(current_app.config.get("TRUSTED_PROXIES") or 0)
    if proxies and not is_loopback(host):
        click.echo(
            f"warning: QUIZ_TRUSTED_PROXIES={proxies} trusts X-Forwarded-For, and {host}:{port} can be "
            "reached without the proxy: anyone who can reach this port can pose as any address and "
            "dodge the login and round-start limits. Let only the proxy reach it (a firewall), or "
            "listen on 127.0.0.1 behind a proxy on the same machine.",
            err=True,
        )
    loaded = decks.all
    workers = workers or default_workers()
    processes = f"{workers} worker" + ("s" if workers > 1 else "")
    click.echo(f"{len(loaded)} deck(s) loaded; serving on http://{host}:{port}/ with {processes}")
    run(current_app._get_current_object(), host, port, workers)


def _create_app() -> Flask:
    from . import create_app
    from .security import InsecureSecretKey
    from .services.limits import SettingError

    try:
        return create_app()
    except (InsecureSecretKey, SettingError) as error:
        raise click.ClickException(str(error)) from None


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False, load_dotenv=False)
def main() -> None:
    """Plausible or Dubious?: a media-literacy quiz game."""
