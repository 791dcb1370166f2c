"""The version comparison's path in the OpenAPI document (app/api/openapi.py merges it)."""

_WORD = {
    "type": "object",
    "required": ["op", "text"],
    "properties": {"op": {"enum": ["equal", "insert", "delete"]}, "text": {"type": "string"}},
}
_VERSION = {
    "type": "object",
    "required": ["version", "public_id", "schema_version", "json_sha256", "url"],
    "properties": {
        "version": {"type": "integer", "minimum": 1},
        "public_id": {"type": "string"},
        "schema_version": {"type": "integer"},
        "json_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "url": {"type": "string"},
    },
}
_CHANGE = {
    "type": "object",
    "required": ["section", "path", "label", "context", "change", "before", "after", "words"],
    "properties": {
        "section": {
            "type": "string",
            "description": "Postens afsnit (proposal, questions, decision, actions …) "
            "eller declaration for erklæringen, der bygges af posten.",
        },
        "path": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Feltets sted i posten: nøgler og en posts id (forslagets field, spørgsmålets id) "
            "eller nummer (handlingsplanen; fjernet-N for en fjernet).",
        },
        "label": {"type": "string"},
        "context": {"type": "array", "items": {"type": "string"}, "description": "Overskrifterne over feltet."},
        "change": {"enum": ["changed", "added", "removed"]},
        "before": {"type": "string"},
        "after": {"type": "string"},
        "words": {
            "oneOf": [{"type": "array", "items": _WORD}, {"type": "null"}],
            "description": "Ord for ord: equal og delete giver teksten før, equal og insert teksten efter. "
            "null: teksten er for lang eller for forskellig til at sammenligne ord for ord (udskiftet).",
        },
    },
}
_ERROR = {
    "description": "",
    "content": {
        "application/json": {
            "schema": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}
        }
    },
}
_NUMBER = {"type": "integer", "minimum": 1}

PATHS = {
    "/api/v1/vurderinger/{public_id}/aendringer": {
        "get": {
            "summary": "Hvad der er ændret mellem to offentliggjorte versioner, felt for felt, fra de "
            "underskrevne poster",
            "parameters": [
                {"name": "public_id", "in": "path", "required": True, "schema": {"type": "string"}},
                {
                    "name": "fra",
                    "in": "query",
                    "required": False,
                    "schema": _NUMBER,
                    "description": "Versionsnummer; uden fra og til sammenlignes med den forrige version (omdirigering).",
                },
                {"name": "til", "in": "query", "required": False, "schema": _NUMBER, "description": "Versionsnummer."},
            ],
            "responses": {
                "200": {
                    "description": "Sammenligningen",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["from", "to", "changes", "sections", "changed", "unchanged", "links"],
                                "properties": {
                                    "from": _VERSION,
                                    "to": _VERSION,
                                    "changes": {"type": "array", "items": _CHANGE},
                                    "sections": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["key", "title", "changed", "unchanged"],
                                            "properties": {
                                                "key": {"type": "string"},
                                                "title": {"type": "string"},
                                                "changed": {"type": "integer"},
                                                "unchanged": {"type": "integer"},
                                            },
                                        },
                                    },
                                    "changed": {"type": "integer"},
                                    "unchanged": {"type": "integer"},
                                    "links": {"type": "object", "properties": {"html": {"type": "string"}}},
                                },
                            }
                        }
                    },
                },
                "301": {
                    "description": "Fra og til skrevet anderledes (foranstillede nuller, en anden rækkefølge, andre parametre): videre til den faste adresse"
                },
                "302": {"description": "Uden fra og til: videre til den forrige version og denne"},
                "304": {"description": "Uændret siden sidst (If-None-Match)"},
                "400": {**_ERROR, "description": "fra eller til mangler, er ikke et tal, eller de er ens"},
                "404": {**_ERROR, "description": "Ingen offentliggjort vurdering, eller ingen sådan version af den"},
                "409": {**_ERROR, "description": "En af versionerne passer ikke længere med sin kontrolsum"},
            },
        }
    }
}
