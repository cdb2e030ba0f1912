from netops.cli.main import cli

if __name__ == "__main__":  # not when a Dask worker process (spawn) imports this module as __mp_main__
    cli()
