"""The demo shop: a Flask app standing in for the live PHP shop (app.create_app)."""
