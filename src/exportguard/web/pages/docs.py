"""/docs: the API reference rendered from the OpenAPI document on the server.

FastAPI's default Swagger UI loads its script from a public CDN, which a closed government network
cannot reach; this page needs nothing but the server. The raw document is at /openapi.json.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from exportguard.web.auth import PageActor
from exportguard.web.pages.rendering import page

router = APIRouter()
METHODS = ("get", "post", "put", "delete")


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[dict[str, Any]]
    body: str | None
    responses: list[str]


@dataclass
class Schema:
    name: str
    fields: list[tuple[str, str, bool]] = field(default_factory=list)


def type_of(schema: dict[str, Any]) -> str:
    """A short reading of a JSON Schema: ``list[LineInput]``, ``string | null``, ``date``."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(type_of(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list[{type_of(schema.get('items', {}))}]"
    if "enum" in schema:
        return " | ".join(repr(v) for v in schema["enum"])
    return str(schema.get("format") or schema.get("type") or "any")


def operations(doc: dict[str, Any]) -> list[Operation]:
    out = []
    for path, item in doc.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            out.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=op.get("summary", ""),
                    description=op.get("description", ""),
                    parameters=[
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "type": type_of(p.get("schema", {})),
                        }
                        for p in op.get("parameters", [])
                    ],
                    body=type_of(body) if body else None,
                    responses=sorted(op.get("responses", {})),
                )
            )
    return out


def schemas(doc: dict[str, Any]) -> list[Schema]:
    out = []
    for name, s in sorted(doc.get("components", {}).get("schemas", {}).items()):
        required = set(s.get("required", []))
        out.append(Schema(name, [(k, type_of(v), k in required) for k, v in s.get("properties", {}).items()]))
    return out


@router.get("/docs")
def api_reference(request: Request, actor: PageActor) -> Response:
    doc = request.app.openapi()
    return page(
        request,
        "docs.html",
        actor,
        info=doc.get("info", {}),
        operations=operations(doc),
        schemas=schemas(doc),
    )
