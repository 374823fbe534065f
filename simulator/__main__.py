"""``python -m simulator [--pace 5] [--steps N] [--community CUIHU …] [--seed 1]``: the same as
``python manage.py simulate …`` (the database comes from DATABASE_URL or secrets.toml)."""

import sys

from manage import main

sys.exit(main(["simulate", *sys.argv[1:]]))
