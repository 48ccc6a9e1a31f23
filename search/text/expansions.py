"""Tables we maintain for query expansion: filler words, abbreviations, acronyms, broader terms.

Written from general technical usage, not from any judged query. Each table maps
a query word (as `query_terms` yields it) to the words it also matches:

- FILLER: words of a query written as a sentence (一种……的方法, "a method for");
  never required (search.text.clauses drops them unless nothing else is left);
- ABBREVIATIONS: a Chinese short form to its long forms (锂电池 -> 锂离子电池);
- ACRONYMS: an English acronym to its Chinese and English terms (BMS);
- NARROWER: a class of things to its members (海藻 -> 海带, 浒苔), so a query
  for the class finds listings that name only a member.
"""

from __future__ import annotations

FILLER = frozenset(
    (
        *("一种", "一类", "一个", "种", "方法", "用于", "基于", "及其", "以及", "利用", "采用"),
        *("通过", "具有", "进行", "一体", "相关", "技术", "所述", "其中", "应用", "新型"),
        *("method", "methods", "use", "using", "used", "based", "way", "new", "novel"),
        *("technique", "approach", "how", "keep", "keeping", "make", "making", "during"),
        *("while", "into", "via", "through", "its", "their", "this", "that", "which", "can"),
        *("when", "what", "where", "need", "seeking", "looking", "寻求", "需要", "求购"),
        *("希望", "征集", "寻找"),
        # Questions and requests: how a buyer asks, not what for.
        *("如何", "怎样", "怎么", "怎么样", "有没有", "有无", "是否", "能否", "能够", "能"),
        *("可以", "哪些", "什么", "哪种", "哪个", "我们", "我", "我司", "想", "想要", "要"),
        *("找", "求", "提供", "实现", "帮助", "有关", "关于", "针对", "面向", "适用于"),
        *("适合", "可用于", "用来", "产品", "方案", "解决方案", "一些", "这种", "各种"),
        *("从", "中", "里", "内", "把", "将", "被", "让", "使", "使得", "为", "为了", "以"),
        *("来", "到", "由", "于", "该", "此", "上", "有"),
        *("i", "we", "our", "my", "me", "you", "your", "any", "some", "there", "do", "does"),
        *("who", "want", "wants", "find", "finding", "seek", "product", "products"),
        *("solution", "solutions", "able", "allow", "allows", "help", "helps", "about"),
        *("related", "suitable", "should", "would", "could", "will", "has", "have"),
        *("having", "also", "more", "most", "very", "such", "than", "these", "those", "they"),
        *("get", "getting", "provide", "providing", "offer", "anyone", "something"),
    )
)

# Technical words jieba's dictionary lacks, kept whole when text is cut into words.
DOMAIN_WORDS = ("冷链", "吹膜", "新冠", "浒苔", "石墨烯", "气凝胶", "钙钛矿", "固态电池", "储能")

ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "锂电池": ("锂离子电池", "锂电"),
    "锂电": ("锂离子电池", "锂电池"),
    "锂离子电池": ("锂电池",),
    "钠电池": ("钠离子电池",),
    "钠电": ("钠离子电池",),
    "固态电池": ("全固态电池", "固态锂电池"),
    "可降解": ("可生物降解", "生物降解"),
    "生物降解": ("可生物降解",),
    "光伏": ("太阳能电池", "太阳能"),
    "光伏电池": ("太阳能电池",),
    "太阳能电池": ("光伏电池",),
    "燃料电池": ("氢燃料电池",),
    "新能源车": ("新能源汽车",),
    "电动车": ("电动汽车",),
    "电车": ("电动汽车",),
    "无人车": ("自动驾驶",),
    "单抗": ("单克隆抗体",),
    "新冠": ("新型冠状病毒", "新冠病毒", "covid", "sars-cov-2"),
    "禽流感": ("禽流感病毒", "h5n1"),
    "双抗": ("双特异性抗体",),
    "疫苗佐剂": ("佐剂",),
    "中药": ("中医药",),
    "石墨稀": ("石墨烯",),
    "污水": ("废水",),
    "废水": ("污水",),
    "无人机": ("无人飞行器", "无人驾驶航空器", "飞行器"),
    "可生物降解": ("生物降解", "可降解"),
    "数控机床": ("数控加工中心", "加工中心"),
    "氢燃料电池": ("燃料电池",),
    "锂离子": ("锂电",),
    "光刻机": ("光刻设备",),
    "碳中和": ("碳减排", "碳达峰"),
    "动力电池": ("动力锂电池", "车用电池"),
    "机器视觉": ("计算机视觉", "视觉检测"),
    "大模型": ("大语言模型", "语言模型"),
    "半导体芯片": ("芯片",),
    "集成电路": ("芯片",),
    "储能电池": ("储能",),
    "充电桩": ("充电站",),
    "光纤": ("光导纤维",),
    "碳纤": ("碳纤维",),
    "纳米管": ("碳纳米管",),
    "电解水": ("水电解",),
    "水电解": ("电解水",),
    "海淡": ("海水淡化",),
    "脱盐": ("海水淡化",),
}

ACRONYMS: dict[str, tuple[str, ...]] = {
    "bms": ("电池管理系统", "battery management system"),
    "pcr": ("聚合酶链式反应", "polymerase chain reaction", "核酸扩增"),
    "led": ("发光二极管", "light emitting diode"),
    "oled": ("有机发光二极管", "organic light emitting diode"),
    "ai": ("人工智能", "artificial intelligence"),
    "iot": ("物联网", "internet of things"),
    "uav": ("无人机", "unmanned aerial vehicle"),
    "ev": ("电动汽车", "electric vehicle"),
    "pv": ("光伏", "photovoltaic"),
    "cnc": ("数控", "数控机床"),
    "plc": ("可编程逻辑控制器", "programmable logic controller"),
    "mems": ("微机电系统", "microelectromechanical"),
    "lidar": ("激光雷达",),
    "rfid": ("射频识别", "radio frequency identification"),
    "gnss": ("卫星导航", "satellite navigation"),
    "gps": ("卫星定位", "卫星导航"),
    "mri": ("磁共振成像", "magnetic resonance imaging"),
    "ct": ("计算机断层扫描", "computed tomography"),
    "crispr": ("基因编辑", "gene editing"),
    "mrna": ("信使核糖核酸", "mrna疫苗"),
    "car-t": ("嵌合抗原受体", "细胞治疗"),
    "cart": ("嵌合抗原受体", "细胞治疗"),
    "ccus": ("碳捕集", "carbon capture"),
    "ccs": ("碳捕集", "carbon capture"),
    "sofc": ("固体氧化物燃料电池", "solid oxide fuel cell"),
    "pem": ("质子交换膜", "proton exchange membrane"),
    "pemfc": ("质子交换膜燃料电池", "proton exchange membrane fuel cell"),
    "lfp": ("磷酸铁锂", "lithium iron phosphate"),
    "ncm": ("三元正极", "镍钴锰", "nickel cobalt manganese"),
    "sei": ("固体电解质界面膜", "solid electrolyte interphase"),
    "mof": ("金属有机框架", "metal organic framework"),
    "ro": ("反渗透", "reverse osmosis"),
    "mbr": ("膜生物反应器", "membrane bioreactor"),
    "voc": ("挥发性有机物", "volatile organic compound"),
    "vocs": ("挥发性有机物", "volatile organic compound"),
    "nlp": ("自然语言处理", "natural language processing"),
    "cv": ("计算机视觉", "computer vision"),
    "ar": ("增强现实", "augmented reality"),
    "vr": ("虚拟现实", "virtual reality"),
    "fpga": ("现场可编程门阵列",),
    "asic": ("专用集成电路",),
    "sic": ("碳化硅", "silicon carbide"),
    "gan": ("氮化镓", "gallium nitride"),
    "igbt": ("绝缘栅双极型晶体管", "功率半导体"),
    "3d": ("三维",),
    "pla": ("聚乳酸", "polylactic acid"),
    "pet": ("聚对苯二甲酸乙二醇酯", "polyethylene terephthalate"),
    "pbat": ("可降解塑料",),
    "pvdf": ("聚偏氟乙烯", "polyvinylidene fluoride"),
    "covid": ("新冠", "新型冠状病毒"),
    "ipc": ("国际专利分类",),
}

NARROWER: dict[str, tuple[str, ...]] = {
    "海藻": ("海带", "浒苔", "紫菜", "裙带菜", "马尾藻", "龙须菜", "石花菜", "藻类"),
    "藻类": ("海藻", "微藻", "小球藻", "螺旋藻", "蓝藻"),
    "微藻": ("小球藻", "螺旋藻", "雨生红球藻"),
    "seaweed": ("kelp", "algae", "海带", "浒苔"),
    "algae": ("seaweed", "kelp", "microalgae", "海藻"),
    "储能": ("电池", "超级电容器", "储氢", "飞轮储能"),
    "新能源": ("光伏", "风电", "氢能", "储能"),
    "可再生能源": ("光伏", "风电", "太阳能", "生物质"),
    "清洁能源": ("光伏", "风电", "氢能", "核电"),
    "重金属": ("镉", "铅", "汞", "砷", "铬"),
    "稀土": ("钕", "镝", "铈", "镧"),
    "粮食作物": ("水稻", "小麦", "玉米"),
    "谷物": ("水稻", "小麦", "玉米", "大米"),
    "果蔬": ("水果", "蔬菜", "果品"),
    "水果": ("苹果", "柑橘", "草莓", "葡萄", "果品"),
    "水产品": ("鱼", "虾", "贝类", "海参"),
    "畜禽": ("猪", "牛", "羊", "鸡", "禽"),
    "家禽": ("鸡", "鸭", "鹅", "禽", "蛋鸡", "肉鸡"),
    "poultry": ("chicken", "duck", "家禽", "鸡"),
    "贵金属": ("铂", "钯", "铑", "铱", "黄金", "白银", "铂族金属"),
    "铂族金属": ("铂", "钯", "铑", "铱", "钌", "锇"),
    "肥料": ("有机肥", "生物有机肥", "复合肥", "叶面肥", "水溶肥", "生物肥"),
    "化肥": ("氮肥", "磷肥", "钾肥", "复合肥"),
    "塑料": ("聚乙烯", "聚丙烯", "聚乳酸", "聚氯乙烯", "聚苯乙烯"),
    "家电": ("空调", "冰箱", "洗衣机", "电视"),
    "农作物": ("水稻", "小麦", "玉米", "大豆", "棉花"),
    "病毒": ("冠状病毒", "流感病毒", "猪瘟病毒"),
    "中药材": ("人参", "黄芪", "当归", "中药"),
    "生物医药": ("疫苗", "抗体", "药物", "细胞治疗"),
    "医疗器械": ("支架", "导管", "植入物", "诊断设备"),
    "新材料": ("石墨烯", "碳纤维", "纳米材料", "复合材料"),
    "纳米材料": ("石墨烯", "碳纳米管", "纳米颗粒"),
    "半导体": ("芯片", "晶圆", "碳化硅", "氮化镓"),
    "传感器": ("传感", "探测器"),
    "污染物": ("重金属", "挥发性有机物", "废水", "废气"),
    "固废": ("垃圾", "废渣", "污泥", "尾矿"),
    "机器人": ("机械臂", "机械手"),
}

# A Chinese term to the acronyms that stand for it (质子交换膜 -> pem).
SPELLED_OUT: dict[str, tuple[str, ...]] = {}
for _acronym, _terms in ACRONYMS.items():
    for _term in _terms:
        SPELLED_OUT[_term] = (*SPELLED_OUT.get(_term, ()), _acronym)
