"""The web app for the HTTP part of benchmarks/border_checks.py (``uvicorn --factory``)."""

from __future__ import annotations

import os

from fastapi import FastAPI

from exportguard.db.session import make_engine, make_session_factory
from exportguard.services.system import ExportGuard
from exportguard.web.app import create_app


def app() -> FastAPI:
    # One pool per worker process, as large as the threadpool's concurrent requests can use.
    engine = make_engine(os.environ["EXPORTGUARD_DATABASE_URL"], pool_size=20, max_overflow=20)
    return create_app(ExportGuard(engine, make_session_factory(engine)))
