from netops.cli.main import cli

cli()
