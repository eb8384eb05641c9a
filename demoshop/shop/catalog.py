"""Browsing pages: home, categories, products, sitemap, robots and uploaded images."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, send_from_directory
from markupsafe import escape

from demoshop.shop.context import shape
from demoshop.shop.db import query, query_one
from demoshop.shop.pages import page

bp = Blueprint("catalog", __name__)

CATEGORY_NAMES = {"earrings": "Earrings", "necklaces": "Necklaces", "rings": "Rings", "bracelets": "Bracelets"}


@bp.get("/")
def home():
    featured = query(
        "SELECT {products.*} FROM {products} WHERE {products.is_active} = 1 AND {products.stock} > 0 "
        "ORDER BY id LIMIT 8"
    )
    banner = query_one(
        "SELECT {banners.*} FROM {banners} WHERE {banners.is_active} = 1 AND {banners.starts_at} <= {now} "
        "AND {banners.ends_at} > {now} ORDER BY {banners.starts_at} DESC LIMIT 1"
    )
    testimonials = query(
        "SELECT {testimonials.*} FROM {testimonials} WHERE {testimonials.status} = "
        "{testimonials.status:approved} ORDER BY {testimonials.created_at} DESC LIMIT 4"
    )
    return page(
        "home.html",
        "Handmade Jewellery from Lagos",
        "Dija Accessories: handmade earrings, necklaces, rings and bracelets, gift-boxed and delivered across Nigeria.",
        featured=featured,
        banner=banner,
        testimonials=testimonials,
    )


@bp.get("/category/<slug>")
def category(slug: str):
    if slug not in CATEGORY_NAMES:
        abort(404)
    name = CATEGORY_NAMES[slug]
    products = query(
        "SELECT {products.*} FROM {products} WHERE category = %s AND {products.is_active} = 1 ORDER BY {products.name}",
        slug,
    )
    return page(
        "category.html",
        name,
        f"Shop {name.lower()} at Dija Accessories: {len(products)} handmade pieces in gold, silver and gemstones.",
        name=name,
        products=products,
    )


@bp.get("/product/<slug>")
def product(slug: str):
    # hidden (inactive) products keep their page for old links and search engines: not sellable
    item = query_one("SELECT {products.*} FROM {products} WHERE slug = %s", slug)
    if item is None:
        abort(404)
    related = query(
        "SELECT {products.*} FROM {products} WHERE category = %s AND {products.is_active} = 1 AND id <> %s "
        "ORDER BY id LIMIT 3",
        item["category"],
        item["id"],
    )
    return page(
        "product.html",
        item["name"],
        f"{item['name']}: {item['description']}",
        product=item,
        related=related,
        category_name=CATEGORY_NAMES.get(item["category"], item["category"]),
    )


@bp.get("/sitemap.xml")
def sitemap():
    base = current_app.config["SHOP"]["base_url"]
    paths = [shape().path("home"), *(shape().path("category", slug=slug) for slug in CATEGORY_NAMES)]
    paths += [
        shape().path("product", slug=row["slug"])
        for row in query("SELECT slug FROM {products} WHERE {products.is_active} = 1 ORDER BY id")
    ]
    urls = "".join(f"  <url><loc>{escape(base + path)}</loc></url>\n" for path in paths)
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
    )
    return Response(xml, mimetype="application/xml")


@bp.get("/robots.txt")
def robots():
    base = current_app.config["SHOP"]["base_url"]
    private = "".join(f"Disallow: {shape().path(name)}\n" for name in ("checkout", "cart", "account"))
    body = f"User-agent: *\nDisallow: /admin/\n{private}\nSitemap: {base}/sitemap.xml\n"
    return Response(body, mimetype="text/plain")


@bp.get("/uploads/<path:filename>")
def uploads(filename: str):
    return send_from_directory(Path(current_app.config["SHOP"]["uploads_dir"]), filename)


@bp.get("/favicon.ico")
def favicon():
    return send_from_directory(Path(current_app.static_folder) / "img", "favicon.svg", mimetype="image/svg+xml")
