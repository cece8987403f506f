"""The command line: the only package that knows Typer, argv and stdin."""

from sapkcheck.cli.app import app, main

__all__ = ["app", "main"]
