from sqlalchemy import text

from tests.support.databases import DatabaseUnderTest


async def test_fresh_database_is_migrated_and_empty(db: DatabaseUnderTest) -> None:
    # given a fresh test database
    async with db.sessions() as session:
        # when counting operators
        count = await session.scalar(text("SELECT count(*) FROM operators"))
    # then the schema exists and holds no rows
    assert count == 0
