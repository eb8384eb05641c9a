"""The demo shop: a Flask app standing in for the live PHP shop."""
from demoshop.shop.app import create_app

__all__ = ["create_app"]
