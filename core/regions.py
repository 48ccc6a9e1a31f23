"""Chinese regions (省 / 市) in English, for English readers: one bilingual table (data/regions.json).

A region is stored as people write it ("山东省威海市", "上海", "浙江省"). English pages
show "Weihai, Shandong", "Shanghai", "Zhejiang": the table knows the provinces and the
larger cities with and without their suffix; a part it does not know stays as written.
"""

from __future__ import annotations

import json
from pathlib import Path

_TABLE = json.loads((Path(__file__).parent / "data" / "regions.json").read_text("utf-8"))
PROVINCES: dict[str, str] = _TABLE["provinces"]
CITIES: dict[str, str] = _TABLE["cities"]

_PROVINCE_SUFFIXES = (
    "省",
    "市",
    "自治区",
    "壮族自治区",
    "回族自治区",
    "维吾尔自治区",
    "特别行政区",
)


def _province(text: str) -> tuple[str, str] | None:
    """(English province, the rest of the text) when `text` starts with a province."""
    for zh, en in PROVINCES.items():
        if text.startswith(zh):
            rest = text[len(zh) :]
            for suffix in sorted(_PROVINCE_SUFFIXES, key=len, reverse=True):
                if rest.startswith(suffix):
                    rest = rest[len(suffix) :]
                    break
            return en, rest
    return None


def _city(text: str) -> str | None:
    name = text.removesuffix("市")
    return CITIES.get(name)


def region_in_english(region: str) -> str:
    """'山东省威海市' → 'Weihai, Shandong'; '上海市' → 'Shanghai'; unknown text unchanged."""
    text = region.strip()
    if not text:
        return ""
    city = _city(text)
    if city:
        return city
    found = _province(text)
    if found is None:
        return text
    province, rest = found
    if not rest:
        return province
    return f"{_city(rest) or rest}, {province}"


def region_label(region: str | None, locale: str) -> str:
    """The region as the reader knows it: as written for Chinese readers, English otherwise."""
    if not region:
        return ""
    return region if locale.startswith("zh") else region_in_english(region)
