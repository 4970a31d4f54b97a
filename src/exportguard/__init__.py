"""ExportGuard: an open system for running an export-control regime."""

__version__ = "0.1.0"
