"""Profile the GraphQL request path in-process (issue 14, "Throughput").

Builds the app on an existing database, sends the load mix's read queries through
httpx.ASGITransport (no sockets, no server), and prints the CPU time per request of each query
and, with ``--profile``, the functions cProfile finds most expensive.

    export PROCUREMENT_DATABASE_URL=sqlite:////tmp/load.db
    procurement demo
    TOKEN=$(procurement token create --role admin --name load | tail -n 1)
    python bench/profile_requests.py --token "$TOKEN" --requests 100 --rounds 5 [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from load_mix import PENDING, PURCHASES  # noqa: E402

from procurement.settings import load_settings  # noqa: E402
from procurement.web.app import create_app  # noqa: E402

QUERIES = {"purchases": PURCHASES, "pendingReviews": PENDING}


async def run(args: argparse.Namespace) -> None:
    app = create_app(load_settings())
    headers = {"authorization": f"Bearer {args.token}"}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://127.0.0.1", headers=headers
        ) as http:
            for name, query in QUERIES.items():
                if args.only and name != args.only:
                    continue
                for _ in range(5):  # warm: imports, caches, the token
                    response = await http.post("/graphql", json={"query": query})
                    response.raise_for_status()
                    assert "errors" not in response.json(), response.json()
                profiler = cProfile.Profile() if args.profile else None
                if profiler:
                    profiler.enable()
                # The least CPU of several rounds: on a shared machine the other processes
                # only ever add (cache misses, switches), so the minimum is the steadiest figure.
                rounds = []
                for _ in range(args.rounds):
                    cpu = time.process_time()
                    for _ in range(args.requests):
                        await http.post("/graphql", json={"query": query})
                    rounds.append((time.process_time() - cpu) / args.requests)
                if profiler:
                    profiler.disable()
                print(
                    f"{name}: {1000 * min(rounds):.2f} ms CPU per request, least of "
                    f"{args.rounds} rounds (median {1000 * sorted(rounds)[len(rounds) // 2]:.2f}; "
                    f"client included, {args.requests} requests a round)"
                )
                if profiler:
                    stats = pstats.Stats(profiler).sort_stats(args.sort)
                    stats.print_stats(args.top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--token", required=True)
    parser.add_argument("--requests", type=int, default=200, help="per round")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--only", choices=sorted(QUERIES))
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=40)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
