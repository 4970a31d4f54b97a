"""Accounts: organisations and the people and systems of them who sign in (issue 10)."""
