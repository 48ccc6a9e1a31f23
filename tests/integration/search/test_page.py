"""The search page as a visitor sees it."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale

from listings.rules import PRICE_BANDS, ListingStatus
from marketplace.statistics.labels import key_label
from search.need_pages import need_facet_label
from search.views import value_label
from tests import factories


def test_search_page_shows_highlighted_results_facets_and_an_empty_state(
    client: FlaskClient, clock, upload_folder: Path
) -> None:
    owner = factories.seller(clock())
    item = factories.listing(owner, clock(), status=ListingStatus.PUBLISHED, folder=upload_folder,
                             title_zh="一种钙钛矿<叠层>太阳能电池")  # fmt: skip

    page = client.get("/search", query_string={"q": "钙钛矿"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<mark>钙钛矿</mark>&lt;叠层&gt;" in html
    assert f"/{item.id}" in html
    assert "TRL 5" in html

    filtered = client.get("/search", query_string={"q": "钙钛矿", "field": "biomed"})
    assert "<mark>钙钛矿</mark>" not in filtered.get_data(as_text=True)

    empty = client.get("/search", query_string={"q": "完全不存在的词汇组合"})
    assert empty.status_code == 200
    assert "/search" in empty.get_data(as_text=True)


def test_search_page_survives_nasty_input(client: FlaskClient) -> None:
    for params in ({"q": '"(*AND -'}, {"page": "x"}, {"sort": "nope"}, {"q": "-1", "page": "-5"}):
        assert client.get("/search", query_string=params).status_code == 200
    html = client.get("/search", query_string={"trl": "<script>x</script>"}).get_data(as_text=True)
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_a_price_band_reads_the_same_in_the_listing_and_the_needs_search(app: Flask) -> None:
    """One table words the asking price's bands and the budget's, in both languages; the
    IPC sections and maturity read as the market words them everywhere (statistics too)."""
    words = {
        "en": ("¥1 – 5 million", "B · Operations and transport", "TRL 5"),
        "zh_CN": ("100—500 万元", "B · 作业与运输", "TRL 5 级"),
    }
    for locale, (band_words, section_words, trl_words) in words.items():
        with app.test_request_context(), force_locale(locale):
            assert value_label("price_band", "1m_5m") == band_words
            for band, _upper in PRICE_BANDS:
                assert need_facet_label("budget_band", band) == value_label("price_band", band)
            assert value_label("price_band", "negotiable") != need_facet_label("budget_band", "negotiable")  # fmt: skip
            assert value_label("ipc_section", "B") == section_words == key_label("ipc_section", "B")
            assert need_facet_label("trl", "5") == trl_words
