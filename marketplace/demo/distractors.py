"""Generated look-alike listings, for the relevance bench only (bench/judged crowds its
judged corpus with them). The demo market itself loads the hand-written results of
marketplace.demo.catalogue; keep this generator's draws unchanged, or the bench's
figures move.
"""

from __future__ import annotations

import random

from accounts.models import User
from listings import services as listings
from listings.ip_number_cn import check_character_cn
from listings.rules import FIELDS, IPKind, TransferMode
from marketplace.demo.catalogue import GIVEN, SURNAMES

CN_PATTERNS: tuple[str, ...] = (
    "一种{quality}{subject}的制备方法",
    "一种{subject}及其制备方法和应用",
    "基于{quality}{subject}的检测系统及方法",
    "一种{quality}{subject}装置",
    "{subject}的{quality}控制方法",
    "一种用于{subject}的{quality}材料",
)
EN_PATTERNS: tuple[str, ...] = (
    "Method for preparing {quality} {subject}",
    "Method and apparatus for {quality} {subject}",
    "{quality} {subject} and use thereof",
    "System for monitoring {subject} based on {quality} sensing",
)

# A field's name, then a line per column of VOCABULARY_COLUMNS, entries separated by " | ".
VOCABULARY_COLUMNS = ("ipc", "zh", "quality", "en", "en_quality")
_VOCABULARY_TABLE = """
energy
    H01M 4/525 | H01M 10/0525 | H02J 7/00 | H01L 31/18
    锂离子电池正极材料 | 固态电解质 | 钙钛矿太阳能电池 | 储能系统 | 氢燃料电池催化剂 | 钠离子电池负极
    高镍 | 高倍率 | 长循环寿命 | 低成本 | 高安全性 | 柔性
    lithium-ion battery cathode | solid electrolyte | perovskite solar cell | sodium-ion anode
    high-nickel | fast-charging | long-life | low-cost
materials
    C01B 32/184 | C04B 35/00 | C08L 63/00 | B22F 3/105
    石墨烯薄膜 | 碳纤维复合材料 | 高熵合金 | 陶瓷基复合材料 | 可降解塑料 | 气凝胶
    高导热 | 轻量化 | 耐高温 | 高强度 | 超疏水 | 低介电
    graphene film | carbon fibre composite | high-entropy alloy | aerogel
    thermally conductive | lightweight | heat-resistant | superhydrophobic
biomed
    A61K 39/395 | C12N 15/113 | A61P 35/00 | G01N 33/574
    单克隆抗体 | mRNA疫苗递送载体 | 肿瘤标志物检测试剂盒 | 基因编辑系统 | 中药复方制剂 | 干细胞培养基
    高特异性 | 靶向 | 缓释 | 无血清 | 高通量 | 低免疫原性
    monoclonal antibody | mRNA delivery vehicle | tumour marker assay | gene editing system
    highly specific | targeted | sustained-release | serum-free
ict
    G06N 3/08 | G06F 16/33 | H04L 9/32 | G06V 40/16
    图像识别模型 | 分布式数据库 | 区块链存证平台 | 自然语言处理引擎 | 边缘计算网关 | 联邦学习框架
    轻量级 | 低延迟 | 隐私保护 | 高并发 | 可解释 | 自适应
    image recognition model | distributed database | federated learning framework | edge gateway
    lightweight | low-latency | privacy-preserving | adaptive
electronics
    H01L 29/78 | H03F 3/45 | G11C 11/16 | H01L 21/02
    碳化硅功率器件 | 射频功率放大器 | 存算一体芯片 | MEMS传感器 | 氮化镓外延片 | 光电探测器
    低功耗 | 高频 | 高可靠性 | 宽禁带 | 高灵敏度 | 小型化
    silicon carbide MOSFET | RF power amplifier | MEMS sensor | GaN epitaxial wafer
    low-power | high-frequency | high-reliability | miniaturised
equipment
    B25J 9/16 | B23K 26/00 | G05B 19/418 | B33Y 10/00
    工业机器人 | 激光焊接设备 | 数控机床 | 增材制造装备 | 智能产线调度系统 | 精密减速器
    高精度 | 协作式 | 智能 | 多轴联动 | 自诊断 | 柔性
    industrial robot | laser welding head | CNC machine tool | precision reducer
    high-precision | collaborative | self-diagnosing | multi-axis
environment
    C02F 3/30 | B01D 53/86 | C02F 1/44 | B09B 3/00
    污水脱氮工艺 | 挥发性有机物催化剂 | 膜分离组件 | 固废资源化系统 | 土壤修复药剂 | 烟气脱硫装置
    低能耗 | 高效 | 模块化 | 耐污染 | 低温 | 可再生
    wastewater denitrification process | VOC oxidation catalyst | membrane module
    energy-efficient | fouling-resistant | low-temperature | modular
agriculture
    A01H 6/46 | A01G 31/00 | A01N 63/20 | C05G 3/00
    水稻新品种选育方法 | 无土栽培系统 | 生物农药 | 缓释肥料 | 智慧灌溉系统 | 畜禽疫病诊断方法
    抗病 | 节水 | 高产 | 绿色 | 精准 | 耐盐碱
    rice breeding method | soilless cultivation system | biopesticide | slow-release fertiliser
    disease-resistant | water-saving | high-yield | salt-tolerant
chemicals
    C07C 29/151 | B01J 23/72 | C08G 64/02 | C10G 45/00
    二氧化碳制甲醇催化剂 | 聚碳酸酯 | 精细化学品连续合成工艺 | 电子级化学品 | 生物基单体 | 加氢裂化催化剂
    高选择性 | 绿色 | 连续流 | 高纯 | 低成本 | 稳定
    CO2-to-methanol catalyst | polycarbonate | continuous-flow synthesis | bio-based monomer
    highly selective | green | high-purity | stable
vehicles
    B60L 58/12 | B60W 30/18 | H02K 1/27 | B60L 53/14
    电池管理系统 | 驱动电机 | 自动驾驶决策方法 | 充电桩 | 热管理系统 | 线控底盘
    高功率密度 | 智能 | 快速 | 高效 | 冗余 | 轻量化
    battery management system | traction motor | autonomous driving planner | charging pile
    high-power-density | redundant | efficient | intelligent
aerospace
    B64C 39/02 | B64G 1/10 | F02K 9/00 | G01S 19/00
    无人机 | 微小卫星姿态控制系统 | 航空发动机叶片 | 导航接收机 | 复合材料机翼 | 遥感影像处理方法
    长航时 | 高可靠 | 抗干扰 | 耐高温 | 轻质 | 高分辨率
    unmanned aerial vehicle | small-satellite attitude control | turbine blade | GNSS receiver
    long-endurance | anti-jamming | lightweight | high-resolution
food
    A23L 33/135 | A23C 9/123 | A23L 3/3463 | C12G 3/02
    益生菌制剂 | 发酵乳 | 果蔬保鲜方法 | 功能性低聚糖 | 植物蛋白肉 | 食品快速检测方法
    高活性 | 低糖 | 天然 | 长保质期 | 高蛋白 | 快速
    probiotic formulation | fermented milk | fruit preservation method | plant-based meat
    high-viability | low-sugar | natural | high-protein
"""


def _vocabulary(table: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """Field → column (IPC classes, Chinese subjects and qualities, English ones) → entries."""
    lines = table.strip().splitlines()
    width = 1 + len(VOCABULARY_COLUMNS)
    return {
        lines[start]: {
            column: tuple(lines[start + 1 + i].strip().split(" | "))
            for i, column in enumerate(VOCABULARY_COLUMNS)
        }
        for start in range(0, len(lines), width)
    }


FIELD_VOCABULARY = _vocabulary(_VOCABULARY_TABLE)
EN_NAMES = ("Alice Chen", "David Wu", "Grace Lin", "Henry Zhao", "Laura Sun", "Peter Ma")


def person(rng: random.Random) -> str:
    """A Chinese name."""
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def listing_input(
    rng: random.Random, field: str, seller: User, english: bool
) -> listings.ListingInput:
    """One templated listing of `field` (a fifth of them in English only)."""
    vocab = FIELD_VOCABULARY[field]
    field_zh, field_en = FIELDS[field]
    price = rng.choice([None, None] + [rng.randrange(5, 800) * 10_000 * 100 for _ in range(6)])
    inventors = tuple(
        rng.choice(EN_NAMES) if english and i == 0 else person(rng)
        for i in range(rng.randint(2, 5))
    )
    year = rng.randint(2014, 2024)
    assets = [_cn_application(rng, year + i) for i in range(rng.randint(1, 3))]
    if rng.random() < 0.12:
        assets.append(listings.IPAssetInput(IPKind.PCT, f"PCT/CN{year}/{rng.randrange(10**6):06d}"))
    if english:
        subject, quality = rng.choice(vocab["en"]), rng.choice(vocab["en_quality"])
        title = rng.choice(EN_PATTERNS).format(subject=subject, quality=quality)
        title = title[0].upper() + title[1:]
        summary_en = (
            f"A {quality} {subject} developed for {field_en.lower()}. Compared with existing products it "
            f"reduces cost by {rng.randint(10, 45)}% and has been validated at pilot scale. "
            f"Suitable for licensing to manufacturers who need a proven {subject}."
        )
        title_zh, title_en, summary_zh = None, title, None
    else:
        subject, quality = rng.choice(vocab["zh"]), rng.choice(vocab["quality"])
        title_zh = rng.choice(CN_PATTERNS).format(subject=subject, quality=quality)
        title_en, summary_en = None, None
        summary_zh = (
            f"本成果针对{field_zh}领域中{subject}性能不足、成本偏高的问题，提出一种{quality}{subject}技术方案。"
            f"与现有技术相比，关键指标提升{rng.randint(15, 60)}%，生产成本降低约{rng.randint(10, 40)}%。"
            f"已完成{rng.choice(['实验室验证', '中试', '小批量试产'])}，适合{rng.choice(['转让', '许可', '作价入股'])}给相关制造企业。"
        )
    modes = rng.sample([m.value for m in TransferMode], rng.randint(1, 3))
    return listings.ListingInput(
        title_zh=title_zh,
        title_en=title_en,
        summary_zh=summary_zh,
        summary_en=summary_en,
        problem=None,
        advantage=None,
        economics=None,
        field=field,
        trl=rng.randint(2, 8),
        holder=seller.organisation.name if seller.organisation else "",
        region=seller.organisation.region if seller.organisation else "",
        ipc_classes=(rng.choice(vocab["ipc"]),),
        inventors=inventors,
        transfer_modes=tuple(modes),
        asking_price_minor=price,
        ip_assets=tuple(assets),
    )


def _cn_application(rng: random.Random, year: int) -> listings.IPAssetInput:
    digits = f"{year}{rng.choice('11112')}{rng.randrange(10**7):07d}"
    return listings.IPAssetInput(IPKind.CN_APPLICATION, f"{digits}.{check_character_cn(digits)}")
