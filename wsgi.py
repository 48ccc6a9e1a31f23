"""Entry point for `flask run` and gunicorn (`gunicorn wsgi:app`)."""

from marketplace import create_app

app = create_app()
