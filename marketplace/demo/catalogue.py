"""The demo market's cast: its organisations and its hand-written results, by field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from accounts.models import OrganisationKind
from listings.rules import FIELDS
from marketplace.demo.records import Details, Org, Picture, Result

# The hand-written results and their English details are data, not code (data/*.json).
_DATA = Path(__file__).parent / "data"

_U, _I, _E = OrganisationKind.UNIVERSITY, OrganisationKind.INSTITUTE, OrganisationKind.ENTERPRISE

# Sellers first (the first is seller@demo.market), then buyers (the first is buyer@demo.market).
ORGANISATIONS: tuple[Org, ...] = (
    Org("江城理工大学", "Jiangcheng University of Technology", _U, "湖北省武汉市",
        ("energy", "vehicles", "materials")),
    Org("东海大学", "Donghai University", _U, "上海市", ("ict", "electronics", "biomed")),
    Org("西湖生物医药研究院", "Xihu Institute of Biomedicine", _I, "浙江省杭州市",
        ("biomed", "food")),
    Org("南岭农业大学", "Nanling Agricultural University", _U, "广东省广州市",
        ("agriculture", "food")),
    Org("北辰航空航天大学", "Beichen University of Aeronautics and Astronautics", _U, "北京市",
        ("aerospace", "equipment", "electronics")),
    Org("锦江化工研究院", "Jinjiang Research Institute of Chemical Engineering", _I, "四川省成都市",
        ("chemicals", "environment", "materials")),
    Org("金陵先进制造技术研究院", "Jinling Institute of Advanced Manufacturing", _I, "江苏省南京市",
        ("equipment", "vehicles", "ict")),
    Org("泉城大学", "Quancheng University", _U, "山东省济南市", ("materials", "energy", "chemicals")),
    Org("长安电子科技大学", "Chang'an University of Electronic Science and Technology", _U,
        "陕西省西安市", ("electronics", "ict", "aerospace")),
    Org("滨海环境科学研究院", "Binhai Academy of Environmental Sciences", _I, "天津市",
        ("environment", "agriculture")),
    Org("江城职业技术学院", "Jiangcheng Vocational and Technical College", _U, "湖北省武汉市",
        ("equipment",), verified=False),
    Org("东海储能科技有限公司", "Donghai Energy Storage Technology Co., Ltd.", _E, "上海市",
        ("energy", "electronics")),
    Org("金陵新材料股份有限公司", "Jinling Advanced Materials Co., Ltd.", _E, "江苏省南京市",
        ("materials", "chemicals")),
    Org("西湖康健生物科技有限公司", "Xihu Kangjian Biotech Co., Ltd.", _E, "浙江省杭州市",
        ("biomed",)),
    Org("南岭智造装备有限公司", "Nanling Intelligent Equipment Co., Ltd.", _E, "广东省广州市",
        ("equipment", "ict")),
    Org("滨海绿源环保科技有限公司", "Binhai Lüyuan Environmental Technology Co., Ltd.", _E, "天津市",
        ("environment",)),
    Org("泉城丰禾农业发展有限公司", "Quancheng Fenghe Agricultural Development Co., Ltd.", _E,
        "山东省济南市", ("agriculture",)),
    Org("锦江驰电汽车科技有限公司", "Jinjiang Chidian Automotive Technology Co., Ltd.", _E,
        "四川省成都市", ("vehicles", "aerospace")),
    Org("北辰鲜乳业有限公司", "Beichen Fresh Dairy Co., Ltd.", _E, "北京市", ("food",)),
    Org("长安芯光半导体有限公司", "Chang'an Xinguang Semiconductor Co., Ltd.", _E, "陕西省西安市",
        ("electronics",), verified=False),
)  # fmt: skip

# GB/T 2260 division codes of the regions above, for the organisations' credit codes.
DIVISION_CODES: dict[str, str] = {
    "湖北省武汉市": "420100",
    "上海市": "310000",
    "浙江省杭州市": "330100",
    "广东省广州市": "440100",
    "北京市": "110000",
    "四川省成都市": "510100",
    "江苏省南京市": "320100",
    "山东省济南市": "370100",
    "陕西省西安市": "610100",
    "天津市": "120000",
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = (
    "伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军",
    "杰", "涛", "明", "超", "秀英", "建华", "志强", "晓东", "海燕", "文博",
)  # fmt: skip


def _load(name: str) -> Any:
    return json.loads((_DATA / name).read_text("utf-8"))


def _result(raw: dict[str, Any]) -> Result:
    tuples = {key: tuple(raw[key]) for key in ("keywords", "ipc", "modes", "patents")}
    return Result(**{**raw, **tuples})


def _details(raw: dict[str, Any]) -> Details:
    picture = raw.get("picture")
    if picture is not None:
        lists = {key: tuple(picture[key]) for key in ("labels", "values") if key in picture}
        picture = Picture(**{**picture, **lists})
    return Details(**{**raw, "picture": picture})


_ALL: tuple[Result, ...] = tuple(_result(raw) for raw in _load("results.json"))


def _interleaved(results: tuple[Result, ...]) -> tuple[Result, ...]:
    """One result of each field in turn, so the first dozen already span the market."""
    by_field = [[r for r in results if r.field == field] for field in FIELDS]
    depth = max(len(column) for column in by_field)
    return tuple(column[i] for i in range(depth) for column in by_field if i < len(column))


CATALOGUE: tuple[Result, ...] = _interleaved(_ALL)

# The English details, the application and the figure of each result, by its English title.
DETAILS = {title: _details(raw) for title, raw in _load("details.json").items()}
