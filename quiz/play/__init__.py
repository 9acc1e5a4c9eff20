"""The student's game: home page, questions, reveals and the summary."""
