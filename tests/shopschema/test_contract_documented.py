"""The README's "Fitting your shop" lists the whole contract, and every query it names exists."""

import re
from pathlib import Path

from runner.shopschema.contract import FIELDS, VOCABULARIES

ROOT = Path(__file__).resolve().parents[2]


def fitting_section() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme.split("## Fitting your shop", 1)[1].split("\n## ", 1)[0]


def test_every_table_field_and_vocabulary_is_in_the_readme():
    text = fitting_section()
    for table, fields in FIELDS.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{table}` |"))
        assert all(f"`{field}`" in row for field in fields), row
    assert all(f"| `{vocabulary}` |" in text for vocabulary in VOCABULARIES)


def test_every_replaceable_query_the_readme_names_is_run_by_a_check():
    own_sql = fitting_section().split("**Own SQL.**", 1)[1].split("**Other", 1)[0]
    named = set(re.findall(r"`([a-z_0-9]+)` \(", own_sql)) | set(re.findall(r"/ `([a-z_0-9]+)`", own_sql))
    run = set(
        re.findall(
            r'shop\.(?:rows|value)\(\s*"([a-z_0-9]+)"',
            "".join(p.read_text() for p in (ROOT / "checks").glob("test_*.py")),
        )
    )
    assert named and named <= run, sorted(named - run)
