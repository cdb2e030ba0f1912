"""The click side of the app `Session`: one per command line, passed to every command."""
from __future__ import annotations

import click

from netops.app.session import Session

AppContext = Session
pass_app = click.make_pass_decorator(Session, ensure=True)
