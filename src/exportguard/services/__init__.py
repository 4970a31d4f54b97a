"""Use cases: each named command runs in one unit of work that commits once, with its audit event."""
