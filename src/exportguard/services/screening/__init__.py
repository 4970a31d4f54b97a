"""Denied-party screening: sanctions list snapshots, screening, hits and dispositions."""
