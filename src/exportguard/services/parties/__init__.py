"""Parties (organisations and persons) and the principals who act for them."""
