"""Demo technology needs (技术需求) of the demo enterprises, posted through the services.

Runs after the trading demo and before the brokers demo (which puts mandates
on some of these needs). Each need asks for what one of the demo's
results (marketplace.demo.catalogue) offers, so their match pages have something to say;
the enterprise in the need's field posts it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from accounts.models import User
from listings import needs
from listings.need_rules import NeedInput, market_today
from marketplace.demo.catalogue import ORGANISATIONS

# (title, problem, field, IPC classes, budget in yuan (low, high) or None, min TRL, modes)
NEEDS: tuple[
    tuple[str, str, str, tuple[str, ...], tuple[int, int] | None, int | None, tuple[str, ...]], ...
] = (
    (
        "寻求高镍三元正极材料长循环寿命改性技术",
        "我公司量产高镍三元正极材料，1000次循环后容量保持率不足80%。希望引进包覆或掺杂改性技术，"
        "目标保持率90%以上，可在现有烧结产线上实施。",
        "energy",
        ("H01M 4/525",),
        (500_000, 2_000_000),
        5,
        ("assignment", "exclusive_licence"),
    ),
    (
        "寻求储能系统电池热失控早期预警技术",
        "储能电站需要在电池热失控发生前30分钟给出预警，误报率低于1%，可接入现有电池管理系统。",
        "energy",
        ("H02J 7/00", "H01M 10/0525"),
        (300_000, 1_500_000),
        6,
        ("exclusive_licence", "non_exclusive_licence"),
    ),
    (
        "征集钙钛矿太阳能电池稳定性提升方案",
        "钙钛矿组件在湿热环境下衰减快，需要封装或界面钝化技术，使1000小时湿热测试后效率保持95%。",
        "energy",
        ("H01L 31/18",),
        None,
        4,
        ("assignment", "equity"),
    ),
    (
        "寻求石墨烯导热薄膜规模化制备工艺",
        "手机散热需要导热系数1500 W/mK以上的石墨烯薄膜，要求卷对卷连续生产，良率90%以上。",
        "materials",
        ("C01B 32/184",),
        (800_000, 3_000_000),
        6,
        ("assignment",),
    ),
    (
        "寻求轻量化碳纤维复合材料结构件成型技术",
        "新能源汽车电池包壳体需要减重30%，希望引进碳纤维复合材料快速成型技术，节拍小于5分钟。",
        "materials",
        ("C08L 63/00", "B29C 70/00"),
        (1_000_000, 5_000_000),
        5,
        ("exclusive_licence", "equity"),
    ),
    (
        "寻求肿瘤早期筛查标志物检测技术",
        "体检中心需要基于血液的肿瘤早筛检测方法，灵敏度85%以上，可在常规实验室开展。",
        "biomed",
        ("G01N 33/574",),
        (2_000_000, 8_000_000),
        6,
        ("exclusive_licence",),
    ),
    (
        "寻求工业视觉表面缺陷检测算法",
        "产线需要识别0.1毫米级的表面划痕和凹坑，检出率99%以上，单件检测时间小于200毫秒。",
        "ict",
        ("G06V 40/16", "G06N 3/08"),
        (200_000, 800_000),
        5,
        ("non_exclusive_licence", "assignment"),
    ),
    (
        "寻求工业机器人焊接路径自动规划技术",
        "多品种小批量焊接需要根据三维模型自动生成焊接路径，减少示教时间80%。",
        "equipment",
        ("B25J 9/16", "B23K 26/00"),
        (500_000, 1_500_000),
        6,
        ("assignment", "exclusive_licence"),
    ),
    (
        "寻求高浓度有机废水膜处理技术",
        "化工园区高盐高浓度有机废水需要膜法处理工艺，出水COD低于50 mg/L，运行成本降低20%。",
        "environment",
        ("C02F 1/44", "C02F 3/30"),
        (1_000_000, 4_000_000),
        5,
        ("assignment",),
    ),
    (
        "寻求耐盐碱水稻新品种",
        "滨海盐碱地需要耐盐碱水稻品种，亩产不低于500公斤，适合机械化种植。",
        "agriculture",
        ("A01H 6/46",),
        (300_000, 1_000_000),
        7,
        ("exclusive_licence",),
    ),
    (
        "寻求电动汽车电池快充热管理技术",
        "整车需要支持4C快充的电池热管理方案，充电过程中电芯温差小于5℃。",
        "vehicles",
        ("B60L 58/12", "B60L 53/14"),
        (1_500_000, 6_000_000),
        6,
        ("exclusive_licence", "equity"),
    ),
    (
        "寻求益生菌发酵乳品保质期延长技术",
        "低温酸奶货架期需要从21天延长到35天，且活菌数保持在10^6 CFU/g以上。",
        "food",
        ("A23C 9/123",),
        (200_000, 600_000),
        5,
        ("non_exclusive_licence", "assignment"),
    ),
)


def _poster(buyers: list[User], field: str, n: int) -> User:
    """The enterprise working in the need's field (the demo's organisations say which)."""
    fields = {org.name: org.fields for org in ORGANISATIONS}
    for buyer in buyers:
        if buyer.organisation is not None and field in fields.get(buyer.organisation.name, ()):
            return buyer
    return buyers[n % len(buyers)]


def load(*, buyers: list[User], now: datetime) -> dict[str, int]:
    """Post the demo needs across the verified demo enterprises; close one and withdraw one."""
    if not buyers:
        return {"needs": 0}
    posted = []
    for n, (title, problem, field, ipc, budget, min_trl, modes) in enumerate(NEEDS):
        buyer = _poster(buyers, field, n)
        when = now - timedelta(days=60 - 4 * n)
        deadline = market_today(now) + timedelta(days=45 + 20 * n) if n % 3 else None
        low, high = budget if budget else (None, None)
        posted.append(
            needs.post_need(
                buyer,
                NeedInput(
                    title=title,
                    problem=problem,
                    field=field,
                    region=buyer.organisation.region if buyer.organisation else "上海市",
                    ipc_classes=ipc,
                    budget_min_minor=low * 100 if low else None,
                    budget_max_minor=high * 100 if high else None,
                    deadline=deadline,
                    min_trl=min_trl,
                    transfer_modes=modes,
                ),
                now=when,
            )
        )
    closed, withdrawn = posted[-1], posted[-2]
    poster = {need.id: _poster(buyers, need.field, n) for n, need in enumerate(posted)}
    needs.close_need(
        poster[closed.id], closed.id, now=now - timedelta(days=2),
        reason="已与高校签订技术许可合同",
    )  # fmt: skip
    needs.withdraw_need(poster[withdrawn.id], withdrawn.id, now=now - timedelta(days=1))
    from search.indexer import drain_all
    from search.need_documents import NEEDS as NEED_DOCUMENTS

    drain_all(kind=NEED_DOCUMENTS)  # searchable at once, not on the first search
    return {"needs": len(posted), "needs_open": len(posted) - 2}
