"""Write or check the committed SDL snapshot: ``python -m schema.sdl [--check]``."""

from __future__ import annotations

import sys
from pathlib import Path

from graphql import print_schema

SNAPSHOT = Path(__file__).with_name("schema.graphql")


def current_sdl() -> str:
    from schema.api import schema

    return print_schema(schema.graphql_schema) + "\n"


def main(argv: list[str]) -> int:
    sdl = current_sdl()
    if "--check" in argv:
        if SNAPSHOT.read_text(encoding="utf-8") != sdl:
            print("schema/schema.graphql is out of date: run python -m schema.sdl", file=sys.stderr)
            return 1
        return 0
    SNAPSHOT.write_text(sdl, encoding="utf-8")
    print(f"wrote {SNAPSHOT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
