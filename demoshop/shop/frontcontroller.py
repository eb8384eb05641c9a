"""The alt shape's single entry point, as a PHP shop without URL rewriting has it:
/index.php?route=category&slug=earrings, ...?route=cart, ...?route=checkout/success&order=ORD-100123.
The views are the default shape's; their path routes answer 404 in this shape."""

from __future__ import annotations

from flask import Blueprint, abort, request

from demoshop.shop import account, catalog, checkout

bp = Blueprint("front", __name__)

# route -> (view, methods, {view argument: query parameter})
PAGES = {
    "": (catalog.home, ("GET",), {}),
    "category": (catalog.category, ("GET",), {"slug": "slug"}),
    "product": (catalog.product, ("GET",), {"slug": "slug"}),
    "cart": (checkout.cart, ("GET",), {}),
    "cart/add": (checkout.cart_add, ("POST",), {}),
    "checkout": (checkout.checkout, ("GET", "POST"), {}),
    "checkout/success": (checkout.order, ("GET",), {"order_number": "order"}),
    "account/login": (account.login, ("GET", "POST"), {}),
    "account/logout": (account.logout, ("GET",), {}),
    "account": (account.account, ("GET",), {}),
}
PATH_ENDPOINTS = {
    "catalog.category",
    "catalog.product",
    "checkout.cart",
    "checkout.cart_add",
    "checkout.checkout",
    "checkout.order",
    "checkout.cancel_order",
    "account.login",
    "account.logout",
    "account.account",
}


@bp.route("/index.php", methods=["GET", "POST"])
def index():
    entry = PAGES.get(request.args.get("route", ""))
    if entry is None:
        abort(404)
    view, methods, params = entry
    if request.method not in methods:
        abort(405)
    return view(**{name: request.args.get(param, "") for name, param in params.items()})


def no_path_routes():
    """Before each request: this shop has no /product/..., /cart, ... paths."""
    if request.endpoint in PATH_ENDPOINTS:
        abort(404)
