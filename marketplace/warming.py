"""What a process loads once before it serves: gunicorn's master calls `warm` before forking.

Each of these was otherwise paid by some visitor's first request in every worker,
and under load by several at once (measured with `bench/profile_view.py --cold`):
the search text tools (jieba's dictionary, OpenCC, CC-CEDICT's tables, the pinyin
table, the glossary: the first English API query took 9 s), every template compiled,
and both languages' message catalogues. Loaded in the master, the workers share the
memory and start ready.
"""

from __future__ import annotations

import logging

from flask import Flask
from flask_babel import force_locale, gettext

from core import url_rules
from core.i18n import SUPPORTED

log = logging.getLogger(__name__)


def warm(app: Flask) -> None:
    """Load the search text tools, compile every template and `url_for` builder, read both
    catalogues."""
    warm_text_tools()
    compile_templates(app)
    url_rules.make_builders(app)  # made on first use otherwise (`core.url_rules`)
    with app.test_request_context("/"):
        for locale in SUPPORTED:
            with force_locale(locale):
                gettext("Search")


def warm_text_tools() -> None:
    from search.text import cedict, clauses, pinyin_words
    from search.text.spelling import Speller
    from search.text.tokens import fold_traditional, jieba, segment_for_index

    jieba()
    fold_traditional("電池")
    segment_for_index("锂电池正极材料")
    cedict.to_chinese("battery")
    pinyin_words.hanzi_of("dianchi")
    clauses.query_clauses("lithium battery 电池", wide=True)
    Speller({"battery": 1})  # imports symspellpy


def compile_templates(app: Flask) -> int:
    """Compile every template the app can find; how many. One that fails is logged."""
    env = app.jinja_env
    names = env.list_templates(filter_func=lambda name: name.endswith((".html", ".txt")))
    for name in names:
        try:
            env.get_template(name)
        except Exception:
            log.exception("warming: template %s does not compile", name)
    return len(names)
