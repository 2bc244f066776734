"""The OpenAPI 3 description of /api/v1, made from the same declarations the endpoints use
(tables, filters, paging bounds), so the document cannot drift from what is served."""

from __future__ import annotations

from typing import Any

from dashboard.api.query import DEFAULT_LIMIT, FORMATS, MAX_LIMIT
from dashboard.api.rows import ENDPOINTS, Endpoint
from dashboard.api.tables import BOOLEAN, DATE, DATETIME, INTEGER, NUMBER, Field, Table

PREFIX = "/api/v1"
VERSION = "1.0.0"

_TYPES = {
    INTEGER: {"type": "integer"},
    NUMBER: {"type": "number"},
    BOOLEAN: {"type": "boolean"},
    DATE: {"type": "string", "format": "date"},
    DATETIME: {"type": "string", "format": "date-time"},
}


def field_property(spec: Field) -> dict[str, Any]:
    found: dict[str, Any] = {**_TYPES.get(spec.type, {"type": "string"})}
    found["description"] = spec.description
    if not spec.required:
        found["nullable"] = True
    if spec.enum:
        found["enum"] = list(spec.enum)
    if spec.pattern:
        found["pattern"] = spec.pattern
    return found


def table_schema(table: Table) -> dict[str, Any]:
    required = [f.name for f in table.fields if f.required]
    description = table.description
    if table.optional:
        optional = ", ".join(sorted(table.optional))
        description += f" Fields present only when the server keeps releases: {optional}."
    return {
        "type": "object",
        "description": description,
        "properties": {f.name: field_property(f) for f in table.fields},
        "required": required,
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _paging_parameters() -> list[dict[str, Any]]:
    return [
        {
            "name": "limit",
            "in": "query",
            "description": f"Rows per page (default {DEFAULT_LIMIT}).",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
        },
        {
            "name": "offset",
            "in": "query",
            "description": "Rows to skip (not with cursor).",
            "schema": {"type": "integer", "minimum": 0},
        },
        {
            "name": "cursor",
            "in": "query",
            "description": "Start after the last row of a previous page: copy links.next.",
            "schema": {"type": "string"},
        },
        _format_parameter(),
    ]


def _format_parameter() -> dict[str, Any]:
    return {
        "name": "format",
        "in": "query",
        "description": "json or csv; without it the Accept header decides (JSON by default).",
        "schema": {"type": "string", "enum": list(FORMATS)},
    }


def _responses(content: dict[str, Any], what: str) -> dict[str, Any]:
    return {
        "200": {
            "description": what,
            "headers": {
                "ETag": {
                    "schema": {"type": "string"},
                    "description": "Send it back in If-None-Match.",
                },
                "X-Total-Count": {"schema": {"type": "integer"}, "description": "Rows matching."},
            },
            "content": content,
        },
        "304": {"description": "Not modified: the ETag sent in If-None-Match still holds."},
        "400": {
            "description": "A parameter or value was not understood; every problem is listed.",
            "content": {"application/json": {"schema": _ref("Error")}},
        },
    }


def _list_path(endpoint: Endpoint) -> dict[str, Any]:
    table = endpoint.table
    parameters = [
        {
            "name": spec.name,
            "in": "query",
            "description": spec.description + " Unknown values are refused (400).",
            "schema": {"type": "array", "items": {"type": "string"}},
            "style": "form",
            "explode": True,
        }
        for spec in endpoint.filters
    ]
    page = {
        "type": "object",
        "properties": {
            "data": {"type": "array", "items": _ref(table.name)},
            "meta": _ref("Meta"),
            "links": _ref("Links"),
        },
        "required": ["data", "meta", "links"],
    }
    content = {
        "application/json": {"schema": page},
        "text/csv": {"schema": {"type": "string"}, "example": ",".join(table.field_names)},
    }
    return {
        "get": {
            "operationId": f"list_{table.name}",
            "summary": endpoint.summary,
            "description": table.description,
            "tags": [table.name],
            "parameters": [*parameters, *_paging_parameters()],
            "responses": _responses(content, f"A page of {table.name}, in {table.key} order."),
        }
    }


def _item_path(endpoint: Endpoint) -> dict[str, Any]:
    table = endpoint.table
    one = {
        "type": "object",
        "properties": {"data": _ref(table.name), "links": _ref("Links")},
    }
    responses = _responses(
        {"application/json": {"schema": one}, "text/csv": {"schema": {"type": "string"}}},
        f"One row of {table.name}.",
    )
    responses["404"] = {
        "description": f"No such {table.key}.",
        "content": {"application/json": {"schema": _ref("Error")}},
    }
    return {
        "get": {
            "operationId": f"get_{table.name}",
            "summary": f"One row of {table.name} by {table.key}.",
            "tags": [table.name],
            "parameters": [
                {
                    "name": table.key,
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer" if table.key_type == INTEGER else "string"},
                },
                _format_parameter(),
            ],
            "responses": responses,
        }
    }


def openapi_document() -> dict[str, Any]:
    """The whole OpenAPI 3.0 document."""
    paths: dict[str, Any] = {}
    for endpoint in ENDPOINTS:
        name, key = endpoint.table.name, endpoint.table.key
        paths[f"{PREFIX}/{name}"] = _list_path(endpoint)
        paths[f"{PREFIX}/{name}/{{{key}}}"] = _item_path(endpoint)
    paths[f"{PREFIX}/datapackage.zip"] = {
        "get": {
            "operationId": "datapackage",
            "summary": "Everything as a Frictionless Data Package (zip of CSV files and "
            "datapackage.json with table schemas, keys, licence and sources).",
            "tags": ["download"],
            "responses": {
                "200": {
                    "description": "The package.",
                    "content": {
                        "application/zip": {"schema": {"type": "string", "format": "binary"}}
                    },
                },
                "304": {"description": "Not modified."},
            },
        }
    }
    schemas: dict[str, Any] = {e.table.name: table_schema(e.table) for e in ENDPOINTS}
    schemas["Meta"] = {
        "type": "object",
        "properties": {
            "table": {"type": "string"},
            "total": {"type": "integer", "description": "Rows matching the filters."},
            "returned": {"type": "integer"},
            "limit": {"type": "integer"},
            "offset": {"type": "integer", "nullable": True},
            "data_version": {"type": "integer", "nullable": True},
            "licence": {"type": "string"},
        },
    }
    schemas["Links"] = {
        "type": "object",
        "properties": {
            "self": {"type": "string"},
            "next": {"type": "string", "nullable": True},
            "prev": {"type": "string", "nullable": True},
            "describedby": {"type": "string"},
        },
    }
    schemas["Error"] = {
        "type": "object",
        "properties": {
            "error": {
                "type": "object",
                "properties": {
                    "status": {"type": "integer"},
                    "title": {"type": "string"},
                    "problems": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "parameter": {"type": "string"},
                                "message": {"type": "string"},
                                "value": {"type": "string"},
                            },
                        },
                    },
                },
            }
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Violence Reduction Units dashboard: open data API",
            "version": VERSION,
            "description": (
                "Read-only figures of the Violence Reduction Units of England and Wales, as the "
                "dashboard shows them: each with its qualifier ('over', 'up to', 'about'), "
                "period, geography and source. Missing figures are null, never 0. JSON or CSV "
                "(?format=csv or Accept: text/csv); CORS is open for GET; every answer has an "
                "ETag (send If-None-Match for a 304). Official figures are under the Open "
                "Government Licence v3.0; every other figure is cited to its source, whose "
                "terms are in the sources table."
            ),
            "license": {
                "name": "Open Government Licence v3.0 (official figures; others: see sources)",
                "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            },
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }
