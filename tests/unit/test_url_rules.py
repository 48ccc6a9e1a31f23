"""URLs built by rules whose builders are generated on first use are Werkzeug's own."""

from __future__ import annotations

from werkzeug.routing import Map, Rule

from core.url_rules import LazyBuilderRule

RULES = [
    ("/listings/<int:listing_id>", "listing", {}),
    ("/search", "search", {}),
    ("/files/<path:name>", "file", {}),
    ("/lang/<code>", "lang", {}),
    ("/page/", "page_default", {"number": 1}),
    ("/page/<int:number>", "page_default", {}),
]
VALUES = [
    ("listing", {"listing_id": 7}),
    ("listing", {"listing_id": 7, "q": "电池 storage", "page": 2}),
    ("search", {"q": "a&b=c"}),
    ("file", {"name": "a b/ç.pdf"}),
    ("lang", {"code": "zh_Hans_CN"}),
    ("page_default", {"number": 1}),
    ("page_default", {"number": 3}),
]


def _built(rule_class: type[Rule]) -> list[str]:
    urls = Map([rule_class(path, endpoint=name, defaults=d or None) for path, name, d in RULES])
    adapter = urls.bind("market.example", "/")
    built = [adapter.build(name, values) for name, values in VALUES]
    built += [adapter.build(name, values, force_external=True) for name, values in VALUES]
    return built


def test_lazy_rules_build_the_urls_werkzeug_builds() -> None:
    lazy = _built(LazyBuilderRule)
    assert lazy == _built(Rule)
    assert lazy[1] == "/listings/7?q=%E7%94%B5%E6%B1%A0+storage&page=2"


def test_a_builder_is_generated_once_then_reused() -> None:
    urls = Map([LazyBuilderRule("/listings/<int:listing_id>", endpoint="listing")])
    adapter = urls.bind("market.example", "/")
    rule = next(iter(urls.iter_rules("listing")))
    first = rule._build_unknown
    assert adapter.build("listing", {"listing_id": 1}) == "/listings/1"
    assert rule._build_unknown is not first  # the generated builder replaced the stand-in
    generated = rule._build_unknown
    assert adapter.build("listing", {"listing_id": 2}) == "/listings/2"
    assert rule._build_unknown is generated


def test_builders_made_ahead_build_the_same_urls() -> None:
    urls = Map(
        [LazyBuilderRule(path, endpoint=name, defaults=d or None) for path, name, d in RULES]
    )
    for rule in urls.iter_rules():
        assert isinstance(rule, LazyBuilderRule)
        rule.make_builders()
    adapter = urls.bind("market.example", "/")
    assert [adapter.build(name, values) for name, values in VALUES] == _built(Rule)[: len(VALUES)]
