"""Generate docs/rules.schema.json, the JSON Schema of rule files, from the rule definitions.

    python docs/gen_rules_schema.py           # rewrite docs/rules.schema.json
    python docs/gen_rules_schema.py --check   # fail if the committed schema is stale

Only the built-in types are described (plugins add their own; ``rules_json_schema()`` in a
process that has them loaded describes them too).
"""

import json
import sys
from pathlib import Path

from _generated import main  # docs/ is on sys.path when a script there runs

from truthound_dq import RuleType, rules_json_schema

SCHEMA = Path(__file__).with_name("rules.schema.json")


def render() -> str:
    """The schema file's text: the built-in types, keys in a stable order."""
    schema = rules_json_schema([t.value for t in RuleType])
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.exit(
        main(
            SCHEMA,
            lambda _: render(),
            description="JSON Schema of rule files",
            script="docs/gen_rules_schema.py",
        )
    )
