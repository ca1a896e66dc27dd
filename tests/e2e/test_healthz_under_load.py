"""/healthz is answered while the heaviest request the limits allow runs (issue 11), on a real
server: the introspection query resolves without an await and used to hold the event loop for
its whole second, so a load balancer's probe timed out behind it."""

from __future__ import annotations

import pytest

from tests.support.databases import DatabaseUnderTest
from tests.support.heavy import HEAVY_ALLOWED, health_during_heavy
from tests.support.live_server import live_server
from tests.support.world import World


@pytest.mark.parametrize("heavy", sorted(HEAVY_ALLOWED))
async def test_healthz_is_answered_while_a_heavy_request_runs(
    heavy: str, db: DatabaseUnderTest, world: World, demo: str
) -> None:
    # given the service on a real socket, with the demo data to summarise
    with live_server(db.url) as base_url:
        # when the heaviest allowed request is sent and /healthz polled beside it
        seen = await health_during_heavy(base_url, world.secrets["admin"], HEAVY_ALLOWED[heavy])
    # then the heavy request succeeded, and probes were answered ready while it ran, up to its
    # second half (a request holding the event loop lets only the probes before it through)
    assert (seen.heavy_status, seen.heavy_errors) == (200, False)
    assert seen.answered_in_second_half >= 1, (
        f"probes answered at {seen.health_answered_at} of {seen.heavy_seconds:.3f} s"
    )
    assert set(seen.health_statuses) == {200}
