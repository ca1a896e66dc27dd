import pytest

from procurement.settings import DEFAULT_MAX_UPLOAD_BYTES, ConfigError, load_settings


def test_defaults_use_the_embedded_sqlite_file() -> None:
    settings = load_settings({})
    assert settings.database_url == "sqlite+aiosqlite:///./procurement.db"
    assert settings.max_upload_bytes == DEFAULT_MAX_UPLOAD_BYTES == 52_428_800
    assert (settings.max_query_depth, settings.max_page_size) == (12, 100)
    limits = (settings.max_query_tokens, settings.max_query_fields, settings.max_query_aliases)
    assert limits == (2_000, 250, 100)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@h:5432/db", "postgresql+asyncpg://u:p@h:5432/db"),
        ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("sqlite:////tmp/x.db", "sqlite+aiosqlite:////tmp/x.db"),
    ],
)
def test_database_urls_are_normalised_to_async_drivers(given: str, expected: str) -> None:
    assert load_settings({"PROCUREMENT_DATABASE_URL": given}).database_url == expected


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"PROCUREMENT_DATABASE_URL": "mysql://x"},
            "PROCUREMENT_DATABASE_URL='mysql://x' is not supported",
        ),
        (
            {"PROCUREMENT_DATABASE_URL": "sqlite:////no/such/dir/x.db"},
            "PROCUREMENT_DATABASE_URL points into /no/such/dir",
        ),
        (
            {"PROCUREMENT_MAX_UPLOAD_BYTES": "lots"},
            "PROCUREMENT_MAX_UPLOAD_BYTES='lots' is not an integer",
        ),
        ({"PROCUREMENT_MAX_UPLOAD_BYTES": "10"}, "PROCUREMENT_MAX_UPLOAD_BYTES=10 is out of range"),
        ({"PROCUREMENT_MAX_PAGE_SIZE": "0"}, "PROCUREMENT_MAX_PAGE_SIZE=0 is out of range"),
        ({"PROCUREMENT_MAX_QUERY_TOKENS": "99"}, "PROCUREMENT_MAX_QUERY_TOKENS=99 is out of range"),
        ({"PROCUREMENT_MAX_QUERY_FIELDS": "9"}, "PROCUREMENT_MAX_QUERY_FIELDS=9 is out of range"),
        ({"PROCUREMENT_MAX_QUERY_ALIASES": "x"}, "PROCUREMENT_MAX_QUERY_ALIASES='x' is not an"),
        ({"PROCUREMENT_LOG_LEVEL": "loud"}, "PROCUREMENT_LOG_LEVEL='LOUD' must be one of"),
    ],
)
def test_bad_configuration_names_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(env)
    assert str(raised.value).startswith(message)


def test_the_art15_pause_reading_defaults_to_counting_the_request_day() -> None:
    # given no setting, then the request day counts (Civil Code Art. 201); the other reading
    # is chosen by name, in any case
    assert load_settings({}).pause_request_day == "counted"
    env = {"PROCUREMENT_PAUSE_REQUEST_DAY": " Excluded "}
    assert load_settings(env).pause_request_day == "excluded"


def test_an_unknown_pause_reading_names_the_variable() -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings({"PROCUREMENT_PAUSE_REQUEST_DAY": "maybe"})
    assert str(raised.value) == (
        "PROCUREMENT_PAUSE_REQUEST_DAY='maybe' must be one of counted, excluded"
    )
