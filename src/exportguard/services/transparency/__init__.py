"""Transparency: the annual report to Parliament (EIPA s.27), the ATT report, the public register."""
