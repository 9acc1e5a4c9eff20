"""The `quiz` command: validate decks, set up the database, serve the game."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup

from .decks import load_deck_file
from .decks.library import iter_deck_paths


def init_app(app: Flask) -> None:
    for command in (validate, init_db, serve):
        app.cli.add_command(command)


@click.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def validate(paths: tuple[str, ...]) -> None:
    """Check deck files (or folders of them); print one `path:line: message` per problem."""
    files = iter_deck_paths(list(paths))
    if not files:
        click.echo("no deck files (*.yaml) found", err=True)
        sys.exit(1)
    problem_count = 0
    for path in files:
        deck, problems = load_deck_file(path)
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
def init_db() -> None:
    """Create the database tables (an existing database keeps its data)."""
    from .database import create_tables

    create_tables()
    click.echo("database ready")


@click.command("serve")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 for the network)."
)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int, help="Worker threads.")
def serve(host: str, port: int, threads: int) -> None:
    """Run the game with the waitress production server, creating the database on first start."""
    from waitress import serve as waitress_serve

    from .database import create_tables

    create_tables()
    decks = current_app.extensions["quiz.decks"].decks
    click.echo(f"{len(decks)} deck(s) loaded; serving on http://{host}:{port}/")
    waitress_serve(current_app, host=host, port=port, threads=threads, ident="quiz")


def _create_app() -> Flask:
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False, load_dotenv=False)
def main() -> None:
    """Plausible or Dubious?: a media-literacy quiz game."""
