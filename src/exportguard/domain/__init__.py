"""The regime's rules as pure Python: no I/O, no clock, no frameworks.

Every function takes what it needs (including today's date) and returns a decision, a new state
or raises a typed error from :mod:`exportguard.domain.errors`.
"""
