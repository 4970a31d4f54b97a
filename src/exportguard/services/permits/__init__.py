"""Permits: issue, the EIPA s.10 lifecycle, bulk ministerial acts and notices to holders."""
