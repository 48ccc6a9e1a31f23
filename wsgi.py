"""Entry point for `flask run` and gunicorn (`gunicorn wsgi:app`, settings in gunicorn.conf.py)."""

from marketplace import create_app

app = create_app()


def warm() -> None:
    """Load what the first search would otherwise load: jieba's dictionary and OpenCC.

    gunicorn calls it in the master before forking (gunicorn.conf.py), so the workers
    share the memory and none pays the load on a visitor's request.
    """
    from search.text.tokens import fold_traditional, jieba, segment_for_index

    jieba()
    fold_traditional("電池")
    segment_for_index("锂电池正极材料")
