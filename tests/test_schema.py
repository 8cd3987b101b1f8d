"""The published JSON Schema agrees with the loader, so editors autocomplete what argkit accepts."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
import yaml

from argkit import mapfile, model

SCHEMA = json.loads(files("argkit").joinpath("schema.json").read_text(encoding="utf-8"))
ROOT = Path(__file__).resolve().parent.parent


def test_the_schema_is_valid_and_names_the_same_fields_as_the_loader():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    defs = SCHEMA["$defs"]
    assert tuple(SCHEMA["properties"]) == mapfile.TOP_FIELDS
    assert tuple(defs["node"]["properties"]) == mapfile.NODE_FIELDS
    assert tuple(defs["quote"]["properties"]) == mapfile.QUOTE_FIELDS
    assert tuple(defs["source"]["properties"]) == mapfile.SOURCE_FIELDS
    assert tuple(defs["relation"]["properties"]) == mapfile.RELATION_FIELDS
    assert defs["node"]["properties"]["stance"]["enum"] == list(model.STANCES)
    assert defs["id"]["pattern"] == "^" + model.ID_PATTERN.pattern.removesuffix(r"\Z") + "$"


def test_course_maps_match_the_schema():
    maps = sorted((ROOT / "argmaps").glob("*.yaml"))
    if not maps:
        pytest.skip("argmaps/ has no maps yet")
    for f in maps:
        jsonschema.validate(yaml.safe_load(f.read_text(encoding="utf-8")), SCHEMA)


@pytest.mark.parametrize("bad", [
    {"title": "T", "nodes": [{"id": "t", "txt": "x"}]},
    {"title": "T", "nodes": [{"id": "a b", "text": "x"}]},
    {"title": "T", "nodes": [{"id": "t", "text": "x", "parent": "u", "stance": "maybe"}]},
    {"nodes": []},
])
def test_the_schema_rejects_what_the_loader_rejects(bad):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, SCHEMA)
