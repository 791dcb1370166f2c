"""The transparency log's paths in the OpenAPI document (app/api/openapi.py merges them)."""

from __future__ import annotations

from typing import Any

_HEX = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
_ERROR: dict[str, Any] = {
    "description": "Ugyldig parameter; fejlen siger hvilken og hvorfor",
    "content": {
        "application/json": {
            "schema": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}
        }
    },
}


def _number(name: str, description: str, *, required: bool = True, minimum: int = 0) -> dict:
    """A query number as the view bounds it (app/translog/views.py `_number`): the lower bound here,
    the upper one (the log's size) in words, as it moves with the log."""
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": {"type": "integer", "minimum": minimum},
    }


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_PATH = {"type": "array", "items": _HEX}


def _proof(summary: str, parameters: list[dict], description: str, properties: dict) -> dict:
    """A proof's path: its query numbers, its JSON answer (every property required) and the 400."""
    schema = {"type": "object", "required": list(properties), "properties": properties}
    return {
        "get": {
            "summary": summary,
            "parameters": parameters,
            "responses": {"200": _json(description, schema), "400": _ERROR},
        }
    }


ENTRY = {
    "type": "object",
    "description": "En post i loggen: kanonisk JSON (sorterede nøgler, UTF-8, uden mellemrum); bladets hash er "
    "SHA-256(0x00 ‖ postens bytes) (RFC 9162).",
    "required": ["type", "public_id", "version", "json_sha256", "pdf_sha256", "municipality", "time"],
    "properties": {
        "type": {
            "type": "string",
            "enum": ["signed", "published", "withdrawn", "new_version"],
            "description": "signed: underskrevet og låst; published: offentliggjort; withdrawn: trukket tilbage; "
            "new_version: erstattet af en nyere offentliggjort version.",
        },
        "public_id": {"type": "string"},
        "version": {"type": "integer"},
        "json_sha256": _HEX,
        "pdf_sha256": _HEX,
        "municipality": {"type": "string", "description": "Kommunens slug."},
        "time": {"type": "string", "description": "Tidspunktet i UTC, ÅÅÅÅ-MM-DDTtt:mm:ssZ."},
    },
}

PATHS = {
    "/api/v1/log/checkpoint": {
        "get": {
            "summary": "Loggens seneste kontrolpunkt (C2SP tlog-checkpoint som signed-note, Ed25519)",
            "responses": {
                "200": {
                    "description": "Kontrolpunktet: oprindelse, træets størrelse og rodhash (base64), en tom "
                    "linje og signaturen",
                    "content": {"text/plain": {"schema": {"type": "string"}}},
                },
                "404": _json("Loggen har endnu intet kontrolpunkt", _ERROR["content"]["application/json"]["schema"]),
            },
        }
    },
    "/api/v1/log/key": {
        "get": {
            "summary": "Loggens offentlige nøgle",
            "responses": {
                "200": _json(
                    "Nøglens navn (loggens oprindelse), den rå Ed25519-nøgle (32 byte, base64) og "
                    "verifikationsnøglen som note-formatet skriver den",
                    {
                        "type": "object",
                        "required": ["name", "public_key", "vkey"],
                        "properties": {
                            "name": {"type": "string"},
                            "public_key": {"type": "string"},
                            "vkey": {"type": "string"},
                        },
                    },
                ),
                "503": _json("Nøglen er ikke sat op", _ERROR["content"]["application/json"]["schema"]),
            },
        }
    },
    "/api/v1/log/entries": {
        "get": {
            "summary": "Poster i loggen fra start til og med end, højst 1.000 ad gangen",
            "parameters": [
                _number("start", "Den første posts nummer (fra 0)."),
                _number("end", "Den sidste posts nummer (med); standard er start + 999.", required=False),
            ],
            "responses": {
                "200": _json(
                    "Posterne i rækkefølge",
                    {
                        "type": "object",
                        "required": ["entries"],
                        "properties": {
                            "entries": {
                                "type": "array",
                                "maxItems": 1000,
                                "items": {
                                    "type": "object",
                                    "required": ["index", "entry", "leaf_hash"],
                                    "properties": {
                                        "index": {"type": "integer"},
                                        "entry": ENTRY,
                                        "leaf_hash": _HEX,
                                    },
                                },
                            }
                        },
                    },
                ),
                "400": _ERROR,
            },
        }
    },
    "/api/v1/log/proof/inclusion": _proof(
        "Bevis for at post nr. index er med i træet med tree_size poster (RFC 9162 §2.1.3)",
        [
            _number("index", "Postens nummer (fra 0)."),
            _number("tree_size", "Træets størrelse, fx fra et kontrolpunkt (højst loggens).", minimum=1),
        ],
        "Revisionsstien, nederst først",
        {"leaf_index": {"type": "integer"}, "tree_size": {"type": "integer"}, "audit_path": _PATH},
    ),
    "/api/v1/log/proof/consistency": _proof(
        "Bevis for at træet med first poster er begyndelsen af træet med second poster (RFC 9162 §2.1.4)",
        [
            _number("first", "Det ældre træs størrelse (højst second).", minimum=1),
            _number("second", "Det nyere træs størrelse (højst loggens).", minimum=1),
        ],
        "Beviset",
        {"first": {"type": "integer"}, "second": {"type": "integer"}, "proof": _PATH},
    ),
}

LOG_INDEXES = {
    "type": "array",
    "items": {"type": "integer"},
    "description": "Numrene på vurderingens poster i den offentlige log (/api/v1/log/entries), ældste først.",
}
