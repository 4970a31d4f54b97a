"""Destination policy: measures, policy files, general export permits, the determination."""
