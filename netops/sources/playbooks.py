"""Playbook files: YAML read with line numbers, checked by the model and by each task type's options.

Every problem is reported with file:line:field, and none is run: a playbook with one bad task runs
nothing (a half-run change is worse than no run).
"""
from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from netops.errors import InputError, Issue
from netops.models.playbook import Playbook
from netops.sources.yamlfile import field_path, load_yaml


def load_playbook(path: Path) -> Playbook:
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise InputError.at(doc.name, 1, "(file)", "a playbook is a mapping with name, hosts and tasks")
    try:
        playbook = Playbook.model_validate(doc.data)
    except ValidationError as exc:
        issues = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if p not in ("function-before[_one_type_key(), TaskSpec]",))
            loc = tuple(p for p in loc if not (isinstance(p, str) and p.startswith(("function-", "int", "literal"))))
            issues.append(Issue(doc.name, doc.line_of(loc), field_path(loc), err["msg"]))
        raise InputError(issues) from exc
    from netops.tasks.registry import check_options
    issues = []
    for i, task in enumerate(playbook.tasks):
        for field, message in check_options(task):
            loc = ("tasks", i, task.type, *field)
            issues.append(Issue(doc.name, doc.line_of(loc), field_path(loc), message))
    if issues:
        raise InputError(issues)
    return playbook


def playbook_json_schema() -> str:
    """The JSON Schema of playbook files (committed as schemas/playbook.schema.json, for editors)."""
    import json

    from netops.tasks.registry import TASK_TYPES
    schema = Playbook.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "netops playbook"
    # in files a task is `{name: ..., <type>: {options}}`: one property per registered type
    schema["$defs"]["TaskSpec"] = {
        "type": "object", "title": "Task", "minProperties": 1, "maxProperties": 2,
        "properties": {"name": {"type": "string"},
                       **{name: kind.Options.model_json_schema() for name, kind in sorted(TASK_TYPES.items())}},
        "additionalProperties": False}
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
