"""One module per command group; each command function is registered by ``cli.app``."""
