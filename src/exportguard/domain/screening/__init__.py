"""Denied-party screening as pure rules: names taken apart, compared part by part, explained.

Entry points: :class:`~exportguard.domain.screening.index.ScreeningIndex` (screen parties against
list entries), :class:`~exportguard.domain.screening.index.PartyIndex` (run changed list entries
against parties), :func:`~exportguard.domain.screening.diff.diff_entries` (what a new snapshot
changed).
"""
