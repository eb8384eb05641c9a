"""The command line's subcommands beyond runner/cli.py, and how a command loads its settings."""
