"""Outside systems behind small Protocols: list publishers, mail and webhooks, the clock."""
