"""Entry point for `flask run` and gunicorn (`gunicorn wsgi:app`, settings in gunicorn.conf.py)."""

from marketplace import create_app

app = create_app()


def warm() -> None:
    """Load what first requests would otherwise load (`marketplace.warming`).

    gunicorn calls it in the master before forking (gunicorn.conf.py), so the workers
    share the memory and none pays the load on a visitor's request.
    """
    from marketplace.warming import warm as warm_app

    warm_app(app)
