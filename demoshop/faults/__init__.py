"""Fault switches (docs/demo.md, "Adding a demo fault"): `kinds` builds a fault of each kind, the area
modules (web, browser, data, ops) list theirs, `catalog` collects every one by name, `flags` names the
markers the shop's components read."""
