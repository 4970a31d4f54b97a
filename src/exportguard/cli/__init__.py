"""The `exportguard` command line: noun-verb commands, each a thin shell over the services."""
