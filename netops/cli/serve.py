"""`netops serve`: the PDs' portal and the Dinas's dashboard on uvicorn (loopback by default)."""
from __future__ import annotations

import click

from netops.cli.context import AppContext, pass_app


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.option("--json", "as_json", is_flag=True, help="Log in JSON lines (for a service manager).")
@pass_app
def command(app: AppContext, host: str, port: int, as_json: bool) -> None:
    """Serve the web portal; users come from `netops users add`."""
    import uvicorn

    from netops.web.app import create_app
    uvicorn.run(create_app(app.config), host=host, port=port, log_level="info", access_log=not as_json)
