"""The shop's data as the checks see it: logical tables and fields (contract.py) that the owner maps
onto the shop's own schema in `[database]` (mapping.py), SQL templates rendered through that
mapping (sql.py), and the probe that tells whether a live database fits (probe.py)."""
