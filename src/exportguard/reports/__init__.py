"""Annual, ATT and public reports built from the registry."""
