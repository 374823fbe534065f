"""``python -m seed --scale demo --seed 42 --as-of 2026-11-20 [--database-url URL] [--media-dir DIR]``"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import seed
from data_access.db import make_engine, make_session_factory, migrate, resolve_database_url
from data_access.errors import DomainError


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seed", description="演示数据 / demo data")
    parser.add_argument("--scale", default="demo")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, help="the demo's today (YYYY-MM-DD)")
    parser.add_argument("--database-url", help="default: DATABASE_URL, secrets.toml or data/")
    parser.add_argument("--media-dir", type=Path, help="default: MEDIA_DIR or data/media")
    args = parser.parse_args(argv)

    engine = make_engine(args.database_url or resolve_database_url())
    migrate(engine)
    started = time.perf_counter()
    try:
        counts = seed.populate(
            session_factory=make_session_factory(engine),
            scale=args.scale,
            seed=args.seed,
            as_of=args.as_of,
            media_dir=args.media_dir or seed.default_media_dir(),
        )
    except (DomainError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"seeded {sum(counts.values()):,} rows in {time.perf_counter() - started:.1f} s")
    for table, count in counts.items():
        print(f"  {table:<24} {count:>9,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
