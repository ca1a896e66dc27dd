"""`procurement --help` and every subcommand's help: plain text, and every option explained."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from procurement.cli import build_parser


def parsers(
    parser: argparse.ArgumentParser, path: str = "procurement"
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from parsers(sub, f"{path} {name}")


def test_every_option_and_argument_has_help() -> None:
    # given every command and subcommand of the command line
    missing = [
        f"{path} {'/'.join(action.option_strings) or action.dest}"
        for path, parser in parsers(build_parser())
        for action in parser._actions
        if not isinstance(action, argparse._SubParsersAction | argparse._HelpAction)
        and not action.help
    ]
    # then none is left unexplained (serve --host/--port, token create --name had no help)
    assert missing == []


def test_the_top_level_help_is_plain_text() -> None:
    text = " ".join(build_parser().format_help().split())
    # the module docstring's reStructuredText markup used to show through
    assert "``" not in text
    assert "Each command has its own --help." in text
