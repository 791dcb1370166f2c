"""The OpenAPI 3.1 description of the open-data API, kept beside the views it describes.

A published assessment's `record` is its signed canonical JSON. The document embeds the record's
JSON Schemas (app/signoff/assessment*.schema.json): schema 4 for records signed now, schemas 3, 2
and 1 for records signed before, which keep their stored bytes. The proposal fields are listed from
PROPOSAL_FIELDS, each with its Danish label, group and kind of value, so the description cannot
drift from the table.
"""

from __future__ import annotations

import copy
from functools import cache

from etikdialog_verify import addendum as addendum_format

from app.api import serialise
from app.assessments.proposal import GROUPS, PROPOSAL_FIELDS, ProposalField
from app.i18n import danish
from app.public import compare_openapi
from app.signoff import canonical
from app.translog import openapi as translog_openapi

_FILTERS = [
    ("q", "Fritekstsøgning i titel, teknologi, forslag og drøftelse."),
    ("kommune", "Kommunens slug, fx aarhus-kommune."),
    ("teknologi", "Teknologikategoriens id fra teknologikataloget."),
    ("omraade", "Sektorområdets id."),
    ("aar", "Året, vurderingen blev underskrevet."),
    ("beslutning", "anbefales, anbefales_med_betingelser eller anbefales_ikke."),
    ("status", "alle: også tilbagetrukne vurderinger (med status withdrawn). Uden: kun offentliggjorte."),
]

_ITEM = {
    "type": "object",
    "required": [
        "public_id",
        "status",
        "replaced_by",
        "title",
        "municipality",
        "technology",
        "decision",
        "version",
        "signed_at",
        "published_at",
        "verification_code",
        "pdf_sha256",
        "json_sha256",
        "links",
    ],
    "properties": {
        "public_id": {"type": "string"},
        "status": {
            "type": "string",
            "enum": ["published", "replaced", "withdrawn"],
            "description": "published: the version in force; replaced: a newer published version replaced it; "
            "withdrawn: withdrawn (listed only with status=alle).",
        },
        "replaced_by": {"type": ["string", "null"], "description": "The public_id of the version that replaced it."},
        "title": {"type": "string"},
        "municipality": {"type": "object", "properties": {"name": {"type": "string"}, "slug": {"type": "string"}}},
        "technology": {"type": "object", "properties": {"name": {"type": "string"}, "category": {"type": "string"}}},
        "sector_area": {"type": "string"},
        "decision": {"type": "string", "enum": ["anbefales", "anbefales_med_betingelser", "anbefales_ikke"]},
        "version": {"type": "integer"},
        "signed_at": {"type": "string", "format": "date-time"},
        "published_at": {"type": "string", "format": "date-time"},
        "verification_code": {"type": "string", "pattern": "^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$"},
        "pdf_sha256": {"type": "string"},
        "json_sha256": {"type": "string"},
        "links": {
            "type": "object",
            "properties": {"html": {"type": "string"}, "pdf": {"type": "string"}, "json": {"type": "string"}},
        },
    },
}

_CSV_DESCRIPTION = (
    "Alle offentliggjorte vurderinger (filtre som listen), nyeste først, som CSV (RFC 4180: komma, "
    "UTF-8 med BOM). Kolonnerne hedder det samme for alle læsere: "
    + "; ".join(f"{name}: {text}" for name, text in serialise.CSV_PUBLICATION_COLUMNS.items())
    + ". Derefter ét felt pr. forslagsfelt, navngivet som i postens proposal (se Record4), læst fra den "
    "underskrevne post: tal og datoer som gemt (780000, 2026-03-02), andet som en person læser det. "
    "Celler der begynder som en formel, får en apostrof foran."
)
_EXPORTS = [
    ("csv", "text/csv", "Åbne data som CSV", _CSV_DESCRIPTION),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "De samme rækker som regneark til Excel",
        "Danske overskrifter, datoer som datoer og beløb som tal (formateret i kr.). Højst 1.048.575 rækker.",
    ),
]

OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "Etikdialog – åbne data",
        "version": "1",
        "description": "Kommunernes offentliggjorte etiske vurderinger af velfærdsteknologi. Kun "
        "offentliggjorte vurderinger er med; tilbagetrukne vises med status withdrawn.",
    },
    "paths": {
        "/api/v1/vurderinger": {
            "get": {
                "summary": "Liste over offentliggjorte vurderinger, nyeste først",
                "parameters": [
                    *(
                        {
                            "name": name,
                            "in": "query",
                            "required": False,
                            "description": text,
                            "schema": {"type": "integer" if name == "aar" else "string"},
                        }
                        for name, text in _FILTERS
                    ),
                    {
                        "name": "side",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 1},
                        "description": "Sidenummer; for højt giver sidste side.",
                    },
                    {
                        "name": "per_side",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "En side med vurderinger",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["items", "total", "page", "pages", "per_page", "links"],
                                    "properties": {
                                        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
                                        "total": {"type": "integer"},
                                        "page": {"type": "integer"},
                                        "pages": {"type": "integer"},
                                        "per_page": {"type": "integer"},
                                        "links": {"type": "object"},
                                    },
                                }
                            }
                        },
                    }
                },
            }
        },
        "/api/v1/vurderinger/{public_id}": {
            "get": {
                "summary": "Én vurdering: den underskrevne kanoniske JSON, dens hash og PDF'ens hash",
                "parameters": [{"name": "public_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "Vurderingen",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["public_id", "status", "record", "json_sha256", "pdf_sha256"],
                                    "properties": {
                                        "public_id": {"type": "string"},
                                        "status": {"type": "string", "enum": ["published", "withdrawn"]},
                                        "withdrawal": {"type": ["object", "null"]},
                                        "record": {
                                            "description": "Den underskrevne kanoniske JSON. Poster "
                                            "underskrevet nu følger skema 4; ældre poster følger skema 3, 2 eller 1 "
                                            "og bevarer deres bytes (feltet schema_version).",
                                            "oneOf": [
                                                {"$ref": "#/components/schemas/Record4"},
                                                {"$ref": "#/components/schemas/Record3"},
                                                {"$ref": "#/components/schemas/Record2"},
                                                {"$ref": "#/components/schemas/Record1"},
                                            ],
                                        },
                                        "ai": {
                                            "description": "AI-screeningen og konsekvensanalysen for "
                                            "grundlæggende rettigheder (AI-forordningens artikel 27), som "
                                            "underskrevet: postens afsnit ai. null for poster før skema 3.",
                                            "oneOf": [
                                                {"type": "object"},  # schema 4's `ai`, set by document()
                                                {"type": "null"},
                                            ],
                                        },
                                        "json_sha256": {"type": "string"},
                                        "pdf_sha256": {"type": "string"},
                                        "verification_code": {"type": "string"},
                                        "versions": {"type": "array"},
                                        "replaced_by": {"type": ["string", "null"]},
                                        "links": {"type": "object"},
                                    },
                                }
                            }
                        },
                    },
                    "304": {"description": "Uændret siden sidst (If-None-Match)"},
                    "404": {"description": "Ingen offentliggjort vurdering med det id"},
                },
            }
        },
        **{
            f"/vurderinger.{suffix}": {
                "get": {
                    "summary": summary,
                    "description": description,
                    "parameters": [
                        {
                            "name": name,
                            "in": "query",
                            "required": False,
                            "description": text,
                            "schema": {"type": "string"},
                        }
                        for name, text in _FILTERS
                    ],
                    "responses": {
                        "200": {"description": "Filen", "content": {media: {"schema": {"type": "string"}}}},
                        "304": {"description": "Uændret siden sidst (If-None-Match)"},
                    },
                }
            }
            for suffix, media, summary, description in _EXPORTS
        },
    },
    "components": {"schemas": {"Item": _ITEM}},
}

# What came after the signature (app/addenda): the signed addenda, the formal decision worded by the
# dates, and the review with whether it is overdue. The addendum's own format is the component
# Addendum (etikdialog_verify.addendum.SCHEMA).
ADDENDA_PROPERTIES = {
    "addenda": {
        "type": "array",
        "description": "De underskrevne tillæg i kædens rækkefølge. Hvert tillæg nævner postens og det forrige "
        "tillægs SHA-256, er underskrevet med kommunens certifikat (løsrevet CMS, base64) og registreret i "
        "loggen (posttypen addendum). etikdialog-verify --addenda kontrollerer kæden.",
        "items": {
            "type": "object",
            "required": ["document", "sha256", "signature", "signature_level", "log_index"],
            "properties": {
                "document": {"$ref": "#/components/schemas/Addendum"},
                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "signature": {"type": "string", "contentEncoding": "base64"},
                "signature_level": {"type": "string", "enum": ["B-B", "B-T"]},
                "log_index": {"type": "integer"},
            },
        },
    },
    "formal_decision": {
        "type": ["object", "null"],
        "description": "Den formelle beslutning: truffet (et tillæg), på et kommende møde, eller ikke "
        "tilføjet efter mødet. null, når posten hverken nævner det besluttende organ eller mødet.",
        "properties": {
            "state": {"type": "string", "enum": ["decided", "upcoming", "not_recorded"]},
            "text": {"type": "string"},
            "meeting_date": {"type": ["string", "null"], "format": "date"},
            "addendum": {"type": ["integer", "null"]},
        },
    },
    "review": {
        "type": "object",
        "description": "Revurderingen: hvornår den skal ske, og om den er overskredet (datoen er passeret "
        "uden et tillæg om revurdering; text er da „Revurderingen er overskredet.“).",
        "properties": {
            "due": {"type": ["string", "null"], "format": "date"},
            "overdue": {"type": "boolean"},
            "text": {"type": ["string", "null"]},
            "addendum": {"type": ["integer", "null"]},
        },
    },
}

KINDS = {
    "text": "tekst",
    "line": "én linje tekst",
    "integer": "et helt tal",
    "date": "en dato (ÅÅÅÅ-MM-DD)",
    "url": "en http- eller https-adresse",
    "choice": "nøglen for et valg",
    "multi": "en liste af nøgler",
}


def _field_entry(spec: ProposalField) -> dict:
    """One proposal field in the record: its name, Danish label, group and what its value is."""
    value = KINDS[spec.kind]
    if spec.choices:
        value += " (" + ", ".join(f"{key}: {danish(label)}" for key, label in spec.choices.items()) + ")"
    needed = "" if spec.required and spec.required_when is None else " Kan være tom."
    return {
        "const": spec.name,
        "title": danish(spec.label),
        "description": f"{danish(GROUPS[spec.group])}. value er {value}; text er det, en person læser.{needed}",
    }


URI_TOO_LONG = {
    "description": "Adressen er for lang: gunicorn (limit_request_line, 4.094 byte) eller nginx svarer, før appen "
    "ser forespørgslen"
}


@cache
def document() -> dict:
    """The whole OpenAPI document, with the record schemas embedded (built once, in Danish)."""
    spec = copy.deepcopy(OPENAPI)
    records = {}
    without_ai = [f for f in PROPOSAL_FIELDS if f.group != "ai"]
    for version, fields in ((4, PROPOSAL_FIELDS), (3, PROPOSAL_FIELDS), (2, without_ai)):
        records[version] = canonical.load_schema(version)
        item = records[version]["properties"]["proposal"]["items"]["properties"]
        item["field"] = {**item["field"], "oneOf": [_field_entry(f) for f in fields]}
    detail = spec["paths"]["/api/v1/vurderinger/{public_id}"]["get"]["responses"]["200"]
    detail["content"]["application/json"]["schema"]["properties"]["ai"]["oneOf"][0] = copy.deepcopy(
        records[4]["properties"]["ai"]
    )
    spec["paths"] |= copy.deepcopy(translog_openapi.PATHS)  # the transparency log (ADR 0004)
    spec["paths"] |= copy.deepcopy(compare_openapi.PATHS)  # version comparison
    detail["content"]["application/json"]["schema"]["properties"]["log_indexes"] = translog_openapi.LOG_INDEXES
    detail["content"]["application/json"]["schema"]["properties"] |= copy.deepcopy(ADDENDA_PROPERTIES)
    for operations in spec["paths"].values():  # answered in front of the app, for every address
        operations["get"]["responses"].setdefault("414", URI_TOO_LONG)
    spec["components"]["schemas"] |= {
        "Addendum": copy.deepcopy(addendum_format.SCHEMA),
        "Record4": records[4],
        "Record3": records[3],
        "Record2": records[2],
        "Record1": canonical.load_schema(1),
    }
    return spec
