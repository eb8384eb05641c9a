"""Deterministic, fresh-looking seed data: times are relative to NOW, randomness is seeded."""

from __future__ import annotations

import datetime as dt
import random
import secrets
import string

from werkzeug.security import generate_password_hash

from demoshop.shapes import DEFAULT, Shape

CATEGORIES = {
    "earrings": ["Hoop Earrings", "Stud Earrings", "Drop Earrings", "Huggie Earrings", "Chandelier Earrings"],
    "necklaces": ["Pendant Necklace", "Chain Necklace", "Choker", "Locket Necklace", "Layered Necklace"],
    "rings": ["Band Ring", "Stacking Ring", "Signet Ring", "Cocktail Ring", "Solitaire Ring"],
    "bracelets": ["Bangle", "Cuff Bracelet", "Charm Bracelet", "Tennis Bracelet", "Beaded Bracelet"],
}
MATERIALS = ["Gold", "Silver", "Rose Gold", "Pearl", "Crystal", "Emerald", "Onyx", "Coral"]
FIRST = [
    "Amaka",
    "Tunde",
    "Ngozi",
    "Bola",
    "Chidi",
    "Funke",
    "Ifeoma",
    "Segun",
    "Zainab",
    "Kemi",
    "Emeka",
    "Aisha",
    "Yemi",
    "Nneka",
    "Dayo",
]
LAST = ["Okafor", "Adeyemi", "Bello", "Eze", "Ogunleye", "Musa", "Nwosu", "Balogun", "Ibrahim", "Okoro"]
GATEWAYS = ["paystack", "paystack", "stripe", "remita"]
NOTES = [None, None, None, "Please gift wrap", "Leave with the gate man", "Birthday present, no invoice"]
SYNTHETIC_NAME = "Synthetic Monitor"


def fake_bcrypt(rng: random.Random) -> str:
    alphabet = string.ascii_letters + string.digits + "./"
    return "$2y$10$" + "".join(rng.choice(alphabet) for _ in range(53))


def seed(conn, now: dt.datetime, synthetic_email: str, synthetic_password: str, shape: Shape = DEFAULT) -> dict:
    """Fill every table (in `shape`'s names); return a few facts (product slugs) the stack needs afterwards."""
    rng = random.Random(20261125)
    products = _products(rng)
    customers = _customers(rng, now, synthetic_email, synthetic_password)
    with conn.cursor() as cur:
        _insert = _inserter(cur, shape)
        _insert("products", products)
        _insert("customers", customers)
        cur.execute(shape.sql("SELECT id, price FROM {products} WHERE {products.is_active} = 1"))
        prices = dict(cur.fetchall())
        orders, items, payments = _orders(
            rng, now, prices, n_customers=len(customers), emails=[c["email"] for c in customers], shape=shape
        )
        _insert("orders", orders)
        _insert("order_items", items)
        _insert("payments", payments)
        _insert("email_queue", _emails(orders, now))
        _insert("webhook_events", _webhooks(payments, now))
        _insert("sessions", _sessions(rng, now, len(customers)))
        _insert("testimonials", _testimonials(rng, now))
        _insert("banners", _banners(now, shape))
        _insert("admin_users", _admins(rng, now))
        _insert("login_attempts", _login_attempts(now))
        _insert("abandoned_carts", _abandoned(rng, now, customers))
    return {"slugs": [p["slug"] for p in products]}


def _inserter(cur, shape: Shape):
    """insert(table, rows): rows in the default's names and words, written in `shape`'s."""

    def insert(table: str, rows: list[dict]) -> None:
        if not rows:
            return
        rows = [shape.row(table, row) for row in rows]
        cols = list(rows[0])
        sql = f"INSERT INTO {shape.table(table)} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"
        cur.executemany(sql, [tuple(row[c] for c in cols) for row in rows])

    return insert


def _products(rng: random.Random) -> list[dict]:
    rows = []
    for category, kinds in CATEGORIES.items():
        for index in range(10):
            kind, material = kinds[index % 5], MATERIALS[(index + len(category)) % len(MATERIALS)]
            name = f"{material} {kind}"
            slug = name.lower().replace(" ", "-")
            if category == "earrings" and index == 0:
                name, slug = "Gold Hoop Earrings", "gold-hoops"
            rows.append(_product(rng, category, len(rows) + 1, name, slug))
    rows[7]["stock"], rows[18]["stock"] = 7, 8  # low but still above the threshold
    rows[39].update(stock=0, is_active=0)  # discontinued: hidden, so stock 0 is fine
    rows[0]["stock"] = 400  # the synthetic checkout buys gold hoops
    return rows


def _product(rng: random.Random, category: str, number: int, name: str, slug: str) -> dict:
    return {
        "sku": f"DJ-{category[:2].upper()}-{number:03d}",
        "name": name,
        "slug": slug,
        "category": category,
        "price": rng.choice(range(4500, 95000, 500)),
        "stock": rng.randint(20, 120),
        "low_stock_threshold": 5,
        "image": f"/uploads/products/{slug}.jpg",
        "image_alt": f"{name} by Dija Accessories",
        "description": f"Handmade {name.lower()} from the Dija Accessories studio in Lagos, "
        f"finished by hand and gift-boxed.",
        "is_active": 1,
        "created_at": dt.datetime(2026, 3, 1) + dt.timedelta(days=number),
    }


def _customers(rng, now, synthetic_email, synthetic_password) -> list[dict]:
    rows = []
    for index in range(60):
        first, last = FIRST[index % len(FIRST)], LAST[(index * 7) % len(LAST)]
        created = now - dt.timedelta(days=rng.randint(70, 400))
        rows.append(
            {
                "email": f"{first}.{last}{index}@example.com".lower(),
                "name": f"{first} {last}",
                "password_hash": fake_bcrypt(rng),
                "created_at": created,
                "last_login_at": now - dt.timedelta(days=rng.randint(0, 60), minutes=rng.randint(1, 900)),
                "deleted_at": None,
            }
        )
    for row in rows[-2:]:  # closed accounts, already anonymised
        row.update(
            email=f"deleted-{secrets.token_hex(4)}@anonymised.invalid",
            name="Deleted customer",
            password_hash="!",
            last_login_at=None,
            deleted_at=now - dt.timedelta(days=45),
        )
    rows.append(
        {
            "email": synthetic_email,
            "name": SYNTHETIC_NAME,
            "password_hash": generate_password_hash(synthetic_password, method="pbkdf2:sha256:20000"),
            "created_at": now - dt.timedelta(days=90),
            "last_login_at": now - dt.timedelta(hours=1),
            "deleted_at": None,
        }
    )
    return rows


def _orders(rng, now, prices, n_customers, emails, shape):
    orders, items, payments = [], [], []
    product_ids = sorted(prices)
    for day in range(60):
        count = 8 if day == 0 else rng.randint(2, 10)
        for _ in range(count):
            created = now - dt.timedelta(days=day, minutes=rng.randint(6, 1430))
            customer = rng.randint(1, n_customers - 3)  # real customers, never the deleted ones
            order_id = len(orders) + 1
            lines = [(rng.choice(product_ids), rng.randint(1, 2)) for _ in range(rng.randint(1, 3))]
            total = sum(prices[pid] * qty for pid, qty in lines)
            failed = day >= 2 and rng.random() < 0.012
            gateway = rng.choice(GATEWAYS)
            orders.append(_order(order_id, customer, emails[customer - 1], gateway, total, created, now, failed, rng))
            orders[-1]["order_number"] = shape.order_number(order_id)
            items += [
                {"order_id": order_id, "product_id": pid, "quantity": qty, "unit_price": prices[pid]}
                for pid, qty in lines
            ]
            payments.append(
                {
                    "order_id": order_id,
                    "gateway": gateway,
                    "reference": _reference(gateway),
                    "amount": total,
                    "status": "failed" if failed else "succeeded",
                    "created_at": created + dt.timedelta(seconds=40),
                }
            )
    return orders, items, payments


def _order(order_id, customer, email, gateway, total, created, now, failed, rng) -> dict:
    paid_at = None if failed else created + dt.timedelta(seconds=40)
    age = now - created
    if failed:
        status, processed = "cancelled", None
    elif age > dt.timedelta(days=5):
        status, processed = "completed", paid_at + dt.timedelta(hours=rng.randint(1, 20))
    elif age > dt.timedelta(hours=24):
        status, processed = "shipped", paid_at + dt.timedelta(hours=rng.randint(1, 20))
    else:
        status, processed = "processing", None
    return {
        "customer_id": customer,
        "email": email,
        "status": status,
        "payment_status": "failed" if failed else "paid",
        "gateway": gateway,
        "total": total,
        "notes": rng.choice(NOTES),
        "is_synthetic": 0,
        "created_at": created,
        "paid_at": paid_at,
        "processed_at": processed,
    }


def _reference(gateway: str) -> str:
    prefix = {"stripe": "pi_", "paystack": "PSK_", "remita": "RRR"}[gateway]
    return prefix + secrets.token_hex(8)


def _emails(orders, now) -> list[dict]:
    recent = [o for o in orders if o["paid_at"] and now - o["created_at"] < dt.timedelta(days=30)]
    return [
        {
            "to_address": o["email"],
            "subject": f"Order {o['order_number']} confirmed",
            "template": "order_confirmation",
            "status": "sent",
            "attempts": 1,
            "last_error": None,
            "created_at": o["paid_at"],
            "sent_at": o["paid_at"] + dt.timedelta(seconds=3),
        }
        for o in recent
    ]


def _webhooks(payments, now) -> list[dict]:
    recent = [p for p in payments if now - p["created_at"] < dt.timedelta(days=7)]
    return [
        {
            "gateway": p["gateway"],
            "reference": p["reference"],
            "event_type": "charge.success" if p["status"] == "succeeded" else "charge.failed",
            "payload": f'{{"reference": "{p["reference"]}", "amount": {p["amount"]}}}',
            "status": "processed",
            "error": None,
            "received_at": p["created_at"] + dt.timedelta(seconds=2),
            "processed_at": p["created_at"] + dt.timedelta(seconds=3),
        }
        for p in recent
    ]


def _sessions(rng, now, n_customers) -> list[dict]:
    return [
        {
            "id": secrets.token_hex(16),
            "customer_id": rng.choice([None, rng.randint(1, n_customers - 3)]),
            "data": "cart|a:0:{}",
            "last_activity": now - dt.timedelta(minutes=rng.randint(1, 6 * 24 * 60)),
        }
        for _ in range(80)
    ]


def _testimonials(rng, now) -> list[dict]:
    bodies = [
        "Beautiful earrings, arrived gift-wrapped and on time.",
        "The necklace is even prettier in person.",
        "Lovely quality and quick delivery to Abuja.",
        "My go-to shop for birthday presents.",
        "The rose gold ring fits perfectly. Thank you!",
        "Great customer service when I changed my order.",
    ]
    rows = [
        {
            "customer_name": f"{FIRST[i]} {LAST[i][0]}.",
            "body": body,
            "rating": rng.choice([4, 5, 5]),
            "status": "approved",
            "created_at": now - dt.timedelta(days=10 + 9 * i),
        }
        for i, body in enumerate(bodies)
    ]
    rows.append(
        {
            "customer_name": "Kemi A.",
            "body": "Waiting for my second order already!",
            "rating": 5,
            "status": "pending",
            "created_at": now - dt.timedelta(days=2),
        }
    )
    return rows


def _banners(now, shape: Shape) -> list[dict]:
    day = dt.timedelta(days=1)
    return [
        {
            "title": "Festive edit: new necklaces",
            "image": "/uploads/products/gold-pendant-necklace.jpg",
            "link": shape.path("category", slug="necklaces"),
            "starts_at": now - 10 * day,
            "ends_at": now + 20 * day,
            "is_active": 1,
        },
        {
            "title": "Black Friday: 20% off rings",
            "image": None,
            "link": shape.path("category", slug="rings"),
            "starts_at": now - 60 * day,
            "ends_at": now - 30 * day,
            "is_active": 0,
        },
    ]


def _admins(rng, now) -> list[dict]:
    return [
        {
            "username": "owner",
            "email": "owner@dija-accessories.example",
            "password_hash": fake_bcrypt(rng),
            "role": "owner",
            "is_active": 1,
            "created_at": now - dt.timedelta(days=400),
            "last_login_at": now - dt.timedelta(days=1, hours=3),
        },
        {
            "username": "manager",
            "email": "manager@dija-accessories.example",
            "password_hash": fake_bcrypt(rng),
            "role": "manager",
            "is_active": 1,
            "created_at": now - dt.timedelta(days=200),
            "last_login_at": now - dt.timedelta(days=4, hours=6),
        },
    ]


def _login_attempts(now) -> list[dict]:
    rows = [
        ("owner", "102.89.34.10", 1, 30),
        ("owner", "102.89.34.10", 0, 29),
        ("manager", "197.210.54.2", 1, 20),
        ("owner", "102.89.34.10", 1, 6),
        ("manager", "197.210.54.2", 1, 4),
        ("owner", "102.89.34.10", 1, 1),
    ]
    return [
        {
            "username": user,
            "ip": ip,
            "success": ok,
            "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
            "created_at": now - dt.timedelta(days=days, hours=2),
        }
        for user, ip, ok, days in rows
    ]


def _abandoned(rng, now, customers) -> list[dict]:
    rows = []
    for index in range(16):
        created = now - dt.timedelta(hours=3 + index * 40)
        old = now - created > dt.timedelta(hours=24)
        customer = rng.randint(1, len(customers) - 3)
        rows.append(
            {
                "customer_id": customer,
                "email": customers[customer - 1]["email"],
                "cart_total": rng.choice(range(5000, 60000, 500)),
                "created_at": created,
                "recovery_sent_at": created + dt.timedelta(hours=2) if old else None,
                "recovered": int(old and rng.random() < 0.3),
            }
        )
    return rows
