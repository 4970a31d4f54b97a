"""Permit applications: drafting, submission, assessment (EIPA s.7.3/7.4), advice, decision."""
