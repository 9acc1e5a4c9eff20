"""`python -m quiz`: the same as the `quiz` command."""

from .cli import main

main(prog_name="quiz")
