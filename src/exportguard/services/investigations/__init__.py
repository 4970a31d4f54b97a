"""Allegations and investigations: triage, evidence, findings, requests, recommended acts, assurances."""
