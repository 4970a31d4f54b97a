"""The web app for benchmarks/hostile_input.py's exhaustion cases (``uvicorn --factory``)."""

from __future__ import annotations

import os

from fastapi import FastAPI

from exportguard.services.system import ExportGuard
from exportguard.web.app import create_app


def app() -> FastAPI:
    return create_app(ExportGuard.from_url(os.environ["EXPORTGUARD_DATABASE_URL"], migrate=False))
