"""What the pages write. Every write goes through ``ui.actions.commands``: one write transaction
per command; ``run_command`` then clears the cached reads, ``run_bookkeeping`` (a "seen" mark,
which changes no figure) does not."""
