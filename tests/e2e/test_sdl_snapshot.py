from schema.sdl import SNAPSHOT, current_sdl


def test_committed_sdl_matches_the_code() -> None:
    # given the committed snapshot and the schema the code builds
    committed = SNAPSHOT.read_text(encoding="utf-8")
    # when comparing them
    # then they are identical; on purpose changes, regenerate with `python -m schema.sdl`
    assert committed == current_sdl()
