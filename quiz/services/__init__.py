"""The service floor: the database work of the views and commands. Services change state and may
flush; only the view or command that called them commits, once."""
