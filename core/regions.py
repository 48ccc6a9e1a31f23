"""Chinese regions (省 / 市) in English, for English readers: one bilingual table.

A region is stored as people write it ("山东省威海市", "上海", "浙江省"). English pages
show "Weihai, Shandong", "Shanghai", "Zhejiang": the table knows the provinces and the
larger cities with and without their suffix; a part it does not know stays as written.
"""

from __future__ import annotations

PROVINCES: dict[str, str] = {
    "北京": "Beijing", "天津": "Tianjin", "上海": "Shanghai", "重庆": "Chongqing",
    "河北": "Hebei", "山西": "Shanxi", "辽宁": "Liaoning", "吉林": "Jilin",
    "黑龙江": "Heilongjiang", "江苏": "Jiangsu", "浙江": "Zhejiang", "安徽": "Anhui",
    "福建": "Fujian", "江西": "Jiangxi", "山东": "Shandong", "河南": "Henan",
    "湖北": "Hubei", "湖南": "Hunan", "广东": "Guangdong", "海南": "Hainan",
    "四川": "Sichuan", "贵州": "Guizhou", "云南": "Yunnan", "陕西": "Shaanxi",
    "甘肃": "Gansu", "青海": "Qinghai", "台湾": "Taiwan", "内蒙古": "Inner Mongolia",
    "广西": "Guangxi", "西藏": "Tibet", "宁夏": "Ningxia", "新疆": "Xinjiang",
    "香港": "Hong Kong", "澳门": "Macao",
}  # fmt: skip

CITIES: dict[str, str] = {
    "威海": "Weihai", "济南": "Jinan", "青岛": "Qingdao", "烟台": "Yantai", "潍坊": "Weifang",
    "南京": "Nanjing", "苏州": "Suzhou", "无锡": "Wuxi", "常州": "Changzhou",
    "杭州": "Hangzhou", "宁波": "Ningbo", "温州": "Wenzhou", "合肥": "Hefei",
    "福州": "Fuzhou", "厦门": "Xiamen", "南昌": "Nanchang", "郑州": "Zhengzhou",
    "武汉": "Wuhan", "长沙": "Changsha", "广州": "Guangzhou", "深圳": "Shenzhen",
    "东莞": "Dongguan", "佛山": "Foshan", "珠海": "Zhuhai", "海口": "Haikou",
    "成都": "Chengdu", "贵阳": "Guiyang", "昆明": "Kunming", "西安": "Xi'an",
    "兰州": "Lanzhou", "西宁": "Xining", "石家庄": "Shijiazhuang", "太原": "Taiyuan",
    "沈阳": "Shenyang", "大连": "Dalian", "长春": "Changchun", "哈尔滨": "Harbin",
    "南宁": "Nanning", "呼和浩特": "Hohhot", "银川": "Yinchuan", "乌鲁木齐": "Ürümqi",
    "拉萨": "Lhasa",
}  # fmt: skip

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
