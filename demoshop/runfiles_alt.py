"""The alt shape's monitor.toml: the default's, with the sections that describe the shop itself
(site, database, checkout, backups, server) written for the alt build, by configuration alone."""

from __future__ import annotations

import re
from pathlib import Path

from demoshop.runfiles import SYNTHETIC_EMAIL, q
from demoshop.shapes import Shape
from runner.shopschema.contract import FIELDS, VOCABULARIES

SHOP_SECTIONS = ("site", "database", "checkout", "backups", "server")
SECTION = re.compile(r"^\[\[?([A-Za-z0-9_.]+)\]\]?\s*$", re.M)


def alt_toml(default_text: str, run_dir: Path, ports: dict, shape: Shape) -> str:
    kept = [part for part in _sections(default_text) if _section_name(part).split(".")[0] not in SHOP_SECTIONS]
    header = f"# written by `python -m demoshop up --variant {shape.name}` for the demo stack in {run_dir}\n"
    shop = [_site(ports, shape), _database(ports, shape), _checkout(shape), _backups(run_dir), _server(run_dir)]
    return header + kept[0].split("\n", 1)[1] + "".join(shop) + "".join(kept[1:])


def _sections(text: str) -> list[str]:
    """The text cut before every table header; the first part is what precedes the first header."""
    starts = [0] + [m.start() for m in SECTION.finditer(text)]
    return [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]


def _section_name(part: str) -> str:
    match = SECTION.match(part)
    return match.group(1) if match else ""


def _site(ports: dict, shape: Shape) -> str:
    pages = [
        (shape.path("home"), "Dija Accessories"),
        (shape.path("category", slug="earrings"), "Earrings"),
        (shape.path("product", slug="gold-hoops"), "Gold Hoop Earrings"),
        (shape.path("cart"), "Your bag"),
    ]
    key_pages = "".join(f"  {{ path = {q(path)}, keyword = {q(word)} }},\n" for path, word in pages)
    base, http = f"https://127.0.0.1:{ports['shop_https']}", f"http://127.0.0.1:{ports['shop_http']}"
    return (
        f"[site]\nbase_url = {q(base)}\nhttp_url = {q(http)}\ntimeout_seconds = 10\nkey_pages = [\n{key_pages}]\n"
        "product_page_pattern = '[?&]route=product(&|$)'\n\n"
    )


def database_mapping(shape: Shape) -> tuple[dict, dict, dict]:
    """(tables, columns, values) of [database]: where the shape differs from the contract's defaults."""
    tables = {t: shape.table(t) for t in FIELDS if shape.table(t) != t}
    columns = {}
    for table, fields in FIELDS.items():
        renamed = {f: shape.column(table, c) for f, c in fields.items() if shape.column(table, c) != c}
        if renamed:
            columns[table] = renamed
    values = {}
    for name, (dotted, words) in VOCABULARIES.items():
        table, field = dotted.split(".")
        mine = [shape.word(table, FIELDS[table][field], w) for w in words]
        if mine != words:
            values[name] = mine
    return tables, columns, values


def _inline(mapping: dict) -> str:
    return "{ " + ", ".join(f"{key} = {q(value)}" for key, value in mapping.items()) + " }"


def _database(ports: dict, shape: Shape) -> str:
    tables, columns, values = database_mapping(shape)
    column_lines = "".join(f"{table} = {_inline(fields)}\n" for table, fields in columns.items())
    value_lines = "".join(f"{name} = {q(words)}\n" for name, words in values.items())
    return (
        f'[database]\nhost = "127.0.0.1"\nport = {ports["mariadb"]}\nname = "dija_shop"\nuser = "monitor"\n'
        f'password_env = "DIJA_DB_PASSWORD"\n'
        "# this shop does not flag the synthetic checkout's orders: they are recognised by checkout.customer_email\n"
        f"tables = {_inline(tables)}\n\n[database.columns]\n{column_lines}\n[database.values]\n{value_lines}\n"
    )


def _checkout(shape: Shape) -> str:
    """A step does goto, fill, click, wait_for_url, wait_for, error, expect_*, read, in that order."""
    return f"""[checkout]
customer_email = {q(SYNTHETIC_EMAIL)}
customer_password_env = "DIJA_CHECKOUT_PASSWORD"
customer_name = "Synthetic Monitor"
test_card = "4242424242424242"
imap_user = "synthetic-monitor"
fields = {{ address = "1 Synthetic Way, Lagos" }}
# the shop offers no order cancellation: the synthetic orders stay, recognised by customer_email
cancel_steps = []

[[checkout.steps]]
name = "home"
goto = "/"

[[checkout.steps]]
name = "category"
click = 'a[href*="route=category&slug=earrings"]'

[[checkout.steps]]
name = "product"
click = 'a[href*="slug=gold-hoops"]'
read = {{ product_name = "h1.title", price = ".price-now" }}

[[checkout.steps]]
name = "add_to_cart"
click = "button.add-to-bag"
navigates = false
wait_for_url = "route=cart"

[[checkout.steps]]
name = "bag"
click = "a.proceed"

[[checkout.steps]]
name = "checkout_form"
read = {{ total = ".grand-total" }}

[checkout.steps.fill]
"#full_name" = "{{customer_name}}"
"#email_address" = "{{customer_email}}"
"#delivery_address" = "{{address}}"
"#card_no" = "{{test_card}}"

[[checkout.steps]]
name = "payment"
click = "#place-order"
error = ".pay-error"
wait_for_url = "route=checkout/success"
read = {{ order_number = ".order-ref" }}

[[checkout.sign_in_steps]]
name = "sign_in"
goto = {q(shape.path("login"))}
fill = {{ "#signin-email" = "{{customer_email}}", "#signin-pass" = "{{customer_password}}" }}
click = "#signin-submit"
error = ".signin-error"
wait_for = ".welcome-name"

[[checkout.out_of_stock_steps]]
name = "out_of_stock"
# hidden from the catalogue but its page still renders: stock 0 on a visible product is an inventory failure
goto = {q(shape.path("product", slug="rose-gold-beaded-bracelet"))}
expect_hidden = ["button.add-to-bag"]
expect_visible = [".sold-out"]

"""


def _backups(run_dir: Path) -> str:
    return (
        f"[backups]\ndir = {q(str(run_dir / 'backups'))}\noffsite_dir = {q(str(run_dir / 'offsite'))}\n"
        'key_env = "DIJA_BACKUP_KEY"\n# every class side by side, the monthly full backups in monthly/\n'
        'file_pattern = "**/{data_class}-*.sql.gz.enc"\n\n'
    )


def _server(run_dir: Path) -> str:
    disk_paths = [str(run_dir / "www" / "uploads"), str(run_dir / "logs"), str(run_dir / "mariadb" / "data")]
    return (
        f"[server]\nweb_root = {q(str(run_dir / 'www'))}\ndisk_paths = {q(disk_paths)}\n"
        f'heartbeat_dir = {q(str(run_dir / "heartbeats"))}\nheartbeat_pattern = "{{job}}.last"\n'
        f"versions_file = {q(str(run_dir / 'server' / 'versions.json'))}\n\n"
    )
