"""The web layer: the REST API (api/) and the pages (pages/), both served by one FastAPI app."""
