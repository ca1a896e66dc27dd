import httpx

from tests.support.world import World, gql


async def test_admin_sees_all_three_purchases(client: httpx.AsyncClient, world: World) -> None:
    # given the admin token of the test world
    # when listing purchases
    status, body = await gql(client, world.secrets["admin"], "{ purchases { totalCount } }")
    # then all three are visible
    assert status == 200
    assert body == {"data": {"purchases": {"totalCount": 3}}}
