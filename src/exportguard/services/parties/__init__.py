"""Parties: the organisations and persons of the register."""
