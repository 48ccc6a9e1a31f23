"""A realistic synthetic corpus of listings (科技成果) for the search benchmark.

Terms follow a Zipf-like distribution: a curated technical vocabulary takes the
most frequent ranks and thousands of dictionary nouns (from jieba's own
dictionary, so segmentation behaves as on real text) form the long tail. Titles
follow the shapes of real Chinese patent titles (一种…的制备方法, 一种基于…的…系统,
…及其制备方法) and some listings are English only or bilingual ("Method and
apparatus for …"). Summaries are a few sentences.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from listings.rules import FIELDS, TransferMode, price_band
from search.backend import SearchDocument

TECH_ZH = [
    "锂离子",
    "电池",
    "正极",
    "负极",
    "材料",
    "石墨烯",
    "纳米",
    "复合",
    "催化剂",
    "传感器",
    "涂层",
    "薄膜",
    "半导体",
    "芯片",
    "算法",
    "深度学习",
    "神经网络",
    "图像识别",
    "机器人",
    "无人机",
    "光伏",
    "储能",
    "氢能",
    "燃料电池",
    "电解液",
    "隔膜",
    "硅基",
    "碳纤维",
    "陶瓷",
    "合金",
    "钢材",
    "焊接",
    "激光",
    "光纤",
    "通信",
    "天线",
    "雷达",
    "电机",
    "变频器",
    "逆变器",
    "控制器",
    "检测",
    "监测",
    "诊断",
    "疫苗",
    "抗体",
    "多肽",
    "药物",
    "制剂",
    "中药",
    "提取物",
    "基因",
    "细胞",
    "培养基",
    "发酵",
    "酶",
    "益生菌",
    "农药",
    "化肥",
    "种子",
    "育种",
    "土壤",
    "污水",
    "废气",
    "脱硫",
    "脱硝",
    "除尘",
    "膜分离",
    "吸附剂",
    "固废",
    "回收",
    "降解",
    "塑料",
    "树脂",
    "橡胶",
    "纤维",
    "织物",
    "染料",
    "颜料",
    "油墨",
    "粘合剂",
    "润滑油",
    "燃料",
    "发动机",
    "变速器",
    "底盘",
    "轮胎",
    "刹车",
    "车载",
    "导航",
    "定位",
    "卫星",
    "航天器",
    "叶片",
    "轴承",
    "齿轮",
    "液压",
    "阀门",
    "泵",
    "压缩机",
    "换热器",
    "锅炉",
    "冷却",
    "加热",
    "干燥",
    "粉碎",
    "混合",
    "烧结",
    "包覆",
    "掺杂",
    "改性",
    "表面处理",
    "热处理",
    "电镀",
    "喷涂",
    "注塑",
    "挤出",
    "冲压",
    "铸造",
    "锻造",
    "切削",
    "数控",
    "机床",
    "夹具",
    "模具",
    "刀具",
    "测量",
    "标定",
    "成像",
    "显微镜",
    "光谱",
    "色谱",
    "质谱",
    "探针",
    "试剂盒",
    "区块链",
    "云计算",
    "物联网",
    "大数据",
    "边缘计算",
    "加密",
    "认证",
    "数据库",
    "服务器",
    "存储",
    "视频",
    "音频",
    "语音识别",
    "自然语言",
    "推荐",
    "调度",
    "优化",
    "仿真",
    "建模",
    "预测",
    "评估",
    "食品",
    "保鲜",
    "包装",
    "饮料",
    "乳制品",
    "茶叶",
    "果蔬",
    "水产",
    "饲料",
]
TECH_EN = [
    "battery",
    "lithium",
    "cathode",
    "anode",
    "electrolyte",
    "graphene",
    "nanoparticle",
    "composite",
    "catalyst",
    "sensor",
    "coating",
    "film",
    "semiconductor",
    "chip",
    "algorithm",
    "neural",
    "network",
    "image",
    "recognition",
    "robot",
    "drone",
    "photovoltaic",
    "storage",
    "hydrogen",
    "fuel",
    "cell",
    "separator",
    "silicon",
    "carbon",
    "fiber",
    "ceramic",
    "alloy",
    "steel",
    "welding",
    "laser",
    "optical",
    "communication",
    "antenna",
    "radar",
    "motor",
    "inverter",
    "controller",
    "detection",
    "monitoring",
    "diagnosis",
    "vaccine",
    "antibody",
    "peptide",
    "drug",
    "formulation",
    "extract",
    "gene",
    "culture",
    "fermentation",
    "enzyme",
    "probiotic",
    "pesticide",
    "fertilizer",
    "seed",
    "soil",
    "wastewater",
    "desulfurization",
    "membrane",
    "adsorbent",
    "recycling",
    "degradation",
    "plastic",
    "resin",
    "rubber",
    "textile",
    "dye",
    "adhesive",
    "lubricant",
    "engine",
    "transmission",
    "tire",
    "brake",
    "navigation",
    "positioning",
    "satellite",
    "blade",
    "bearing",
    "gear",
    "hydraulic",
    "valve",
    "pump",
    "compressor",
    "exchanger",
    "boiler",
    "cooling",
    "heating",
    "drying",
    "mixing",
    "sintering",
    "doping",
    "treatment",
    "casting",
    "forging",
    "machining",
    "measurement",
    "calibration",
    "imaging",
    "spectrometer",
    "chromatography",
    "probe",
    "blockchain",
    "cloud",
    "edge",
    "encryption",
    "authentication",
    "database",
    "server",
    "video",
    "speech",
    "language",
    "recommendation",
    "scheduling",
    "optimization",
    "simulation",
    "prediction",
]
EN_WORDS = [
    "high",
    "efficiency",
    "low",
    "cost",
    "stable",
    "flexible",
    "portable",
    "intelligent",
    "modular",
    "integrated",
    "wireless",
    "automatic",
    "precise",
    "rapid",
    "durable",
    "lightweight",
    "green",
    "scalable",
    "robust",
    "adaptive",
]

TITLE_ZH = (
    "一种{a}的制备方法",
    "一种{a}{b}的制备方法",
    "一种基于{a}的{b}系统",
    "一种基于{a}和{b}的{c}方法",
    "一种{a}{b}装置及其控制方法",
    "{a}{b}及其制备方法",
    "一种用于{a}的{b}",
    "一种{a}检测方法及装置",
    "一种高效{a}{b}工艺",
    "{a}在{b}中的应用",
)
TITLE_EN = (
    "Method and apparatus for {a} {b}",
    "Preparation method of {a} {b}",
    "{A} {b} system based on {c}",
    "{A} {b} and method of manufacturing the same",
    "Device and method for {a} {b} detection",
    "{A} {b} with improved {c}",
)
SUMMARY_ZH = (
    "本发明公开了一种{a}{b}，属于{field}技术领域。",
    "该方法包括{a}、{b}和{c}等步骤，工艺简单，易于实现产业化。",
    "解决了现有{a}{b}成本高、效率低的问题。",
    "与现有技术相比，本发明提高了{a}的{b}性能，降低了{c}能耗。",
    "所述{a}由{b}与{c}经{d}制得，具有良好的稳定性。",
    "经测试，{a}性能提升约{n}%，可广泛应用于{b}和{c}领域。",
    "本成果已完成中试，具备{a}规模化生产条件，市场前景广阔。",
)
SUMMARY_EN = (
    "The invention discloses a {a} {b} for {c} applications.",
    "The method comprises {a}, {b} and {c} steps and is easy to scale up.",
    "Compared with existing {a} systems, it improves {b} by about {n}% at lower cost.",
    "The {a} is prepared from {b} and {c} and shows excellent stability.",
)
REGIONS = [
    "北京",
    "上海",
    "广东",
    "江苏",
    "浙江",
    "山东",
    "湖北",
    "四川",
    "陕西",
    "安徽",
    "湖南",
    "河南",
    "福建",
    "天津",
    "重庆",
    "辽宁",
    "吉林",
    "黑龙江",
    "河北",
    "江西",
    "广西",
    "云南",
    "贵州",
    "山西",
    "内蒙古",
    "新疆",
    "甘肃",
    "海南",
    "宁夏",
    "青海",
]
HOLDERS = [
    "清华大学",
    "北京大学",
    "浙江大学",
    "上海交通大学",
    "复旦大学",
    "南京大学",
    "武汉大学",
    "华中科技大学",
    "中山大学",
    "西安交通大学",
    "哈尔滨工业大学",
    "四川大学",
    "中国科学院化学研究所",
    "中国科学院物理研究所",
    "中国科学院大连化学物理研究所",
    "东南大学",
    "同济大学",
    "天津大学",
    "山东大学",
    "吉林大学",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文斌"
IPC_BY_FIELD = {
    "ict": "G06F",
    "biomed": "A61K",
    "materials": "C08L",
    "energy": "H01M",
    "equipment": "B23K",
    "environment": "B01D",
    "agriculture": "A01N",
    "chemicals": "C07C",
    "electronics": "H01L",
    "vehicles": "B60L",
    "aerospace": "B64C",
    "food": "A23L",
}


def dictionary_nouns(limit: int = 6000) -> list[str]:
    """Frequent two-to-four character nouns from jieba's dictionary, most frequent first."""
    import jieba

    path = Path(jieba.__file__).parent / "dict.txt"
    words: list[tuple[int, str]] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) == 3 and parts[2] in ("n", "vn", "nz") and 2 <= len(parts[0]) <= 4:
                words.append((int(parts[1]), parts[0]))
    words.sort(reverse=True)
    return [word for _, word in words[:limit]]


class ZipfSampler:
    """Draw words so that the word of rank r has a weight of 1 / r**s."""

    def __init__(self, words: list[str], rng: random.Random, s: float = 1.0) -> None:
        self.words = words
        self.rng = rng
        self.cumulative = list(itertools.accumulate(1.0 / (r**s) for r in range(1, len(words) + 1)))

    def __call__(self) -> str:
        """One word."""
        x = self.rng.random() * self.cumulative[-1]
        return self.words[bisect.bisect_left(self.cumulative, x)]


class CorpusGenerator:
    """Deterministic generator of SearchDocuments (same seed, same corpus)."""

    def __init__(self, seed: int = 42) -> None:
        self.rng = random.Random(seed)
        tail = [w for w in dictionary_nouns() if w not in TECH_ZH]
        self.zh = ZipfSampler(TECH_ZH + tail, self.rng, s=1.0)
        self.en = ZipfSampler(TECH_EN, self.rng, s=0.9)
        self.fields = list(FIELDS)
        self.field_weights = [1.0 / (r**0.7) for r in range(1, len(self.fields) + 1)]
        self.modes = [m.value for m in TransferMode]
        self.start = datetime(2020, 1, 1, tzinfo=UTC)

    def _fill(self, template: str, sample: ZipfSampler, field: str = "") -> str:
        words = {k: sample() for k in "abcd"}
        words["A"] = words["a"].capitalize()
        return template.format(n=self.rng.randint(5, 60), field=field, **words)

    def _person(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, self.rng.randint(1, 2)))

    def document(self, doc_id: int) -> SearchDocument:
        """The listing of id `doc_id` (draws from the generator's random stream)."""
        rng = self.rng
        field = rng.choices(self.fields, self.field_weights)[0]
        kind = rng.random()  # 70% Chinese only, 18% bilingual, 12% English only
        has_zh, has_en = kind < 0.88, kind >= 0.70
        title_zh = self._fill(rng.choice(TITLE_ZH), self.zh) if has_zh else ""
        title_en = self._fill(rng.choice(TITLE_EN), self.en) if has_en else ""
        field_zh = FIELDS[field][0]
        summary_zh = (
            "".join(self._fill(t, self.zh, field_zh) for t in rng.sample(SUMMARY_ZH, 3))
            if has_zh
            else ""
        )
        summary_en = (
            " ".join(self._fill(t, self.en) for t in rng.sample(SUMMARY_EN, 2)) if has_en else ""
        )
        body = (
            "".join(self._fill(t, self.zh, field_zh) for t in rng.sample(SUMMARY_ZH, 2))
            if has_zh
            else " ".join(self._fill(t, self.en) for t in rng.sample(SUMMARY_EN, 2))
        )
        ipc = f"{IPC_BY_FIELD[field]} {rng.randint(1, 99)}/{rng.randint(0, 99):02d}"
        price = None if rng.random() < 0.12 else int(rng.lognormvariate(13.0, 1.2)) * 100
        return SearchDocument(
            id=doc_id,
            title_zh=title_zh,
            title_en=title_en,
            summary_zh=summary_zh,
            summary_en=summary_en,
            body=body,
            ipc_classes=(ipc,),
            inventors=tuple(self._person() for _ in range(rng.randint(1, 4))),
            holder=rng.choice(HOLDERS),
            field=field,
            ipc_section=ipc[0],
            transfer_modes=tuple(sorted(rng.sample(self.modes, rng.randint(1, 3)))),
            trl=rng.randint(1, 9),
            region=rng.choice(REGIONS),
            price_band=price_band(price),
            asking_price_minor=price,
            published_at=self.start + timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60)),
            organisation_id=rng.randint(1, 500),
        )

    def documents(self, count: int, first_id: int = 1) -> Iterator[SearchDocument]:
        """`count` documents with consecutive ids."""
        for doc_id in range(first_id, first_id + count):
            yield self.document(doc_id)
