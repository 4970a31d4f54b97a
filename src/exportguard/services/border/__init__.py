"""The border: shipments drawn against permits, the customs feed, authorisation checks, usage."""
