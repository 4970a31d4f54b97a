"""Lobbying on the record: the Registry of Lobbyists' communications, linked to applications."""
