"""Demo results in new materials, chemical engineering, advanced manufacturing and the
environment: pure data."""

from __future__ import annotations

from marketplace.demo.records import Result

RESULTS: tuple[Result, ...] = (
    Result(
        field="materials",
        title_zh="一种卷对卷连续制备高导热石墨烯膜的方法",
        title_en="Roll-to-roll production of highly thermally conductive graphene film",
        summary_zh="氧化石墨烯浆料涂布成膜后连续完成化学还原、2800℃石墨化和辊压，膜厚25–100微米可调，"
        "面内导热系数1650 W/(m·K)，弯折10万次无裂纹。产线速度每分钟1.2米，良率93%。",
        summary_en="Graphene oxide slurry is cast, chemically reduced, graphitised at 2,800 °C and "
        "calendered in one continuous line. Thickness can be set from 25 to 100 µm; in-plane "
        "conductivity is 1,650 W/(m·K) and the film survives 100,000 folds. The line runs at "
        "1.2 m/min with 93% yield.",
        problem="手机和笔记本电脑的芯片热流密度不断提高，人工石墨膜厚度受限，片式石墨烯膜生产效率低。",
        advantage="厚膜导热性能不衰减；连续生产取代间歇式石墨化炉，能耗降低约40%。",
        economics="单条产线年产约8万平方米，按每平方米350元计年产值约2800万元。",
        keywords=("石墨烯", "导热膜", "散热", "卷对卷"),
        ipc=("C01B 32/184", "C09K 5/14"),
        trl=6,
        price_wan=900,
        modes=("assignment", "exclusive_licence"),
        patents=("202010562941.X", "202110738206.4"),
    ),
    Result(
        field="materials",
        title_zh="一种3分钟快速固化环氧树脂及其碳纤维复合材料电池包壳体成型方法",
        title_en="Three-minute snap-cure epoxy for moulding carbon-fibre battery enclosures",
        summary_zh="潜伏性咪唑类固化剂使树脂在150℃下3分钟完全固化，室温适用期仍有72小时。"
        "配合高压树脂传递模塑，电池包上壳体比钢制方案减重42%，成型节拍4.5分钟，通过GB 38031外部火烧试验。",
        summary_en="A latent imidazole hardener cures the resin in three minutes at 150 °C yet leaves "
        "a 72-hour pot life at room temperature. With high-pressure resin transfer moulding a "
        "battery-pack cover weighs 42% less than steel, moulds in 4.5 minutes and passes the "
        "external-fire test of GB 38031.",
        problem="碳纤维复合材料固化通常需要30分钟以上，难以满足汽车零部件的生产节拍。",
        advantage="快速固化与长适用期兼得；树脂无卤阻燃，达到UL 94 V-0级。",
        economics="单件综合成本约为铝合金方案的1.3倍，减重带来的续航收益可覆盖差价。",
        keywords=("碳纤维复合材料", "快速固化", "电池包壳体", "轻量化"),
        ipc=("C08L 63/00", "B29C 70/48"),
        trl=6,
        price_wan=750,
        modes=("exclusive_licence", "equity"),
        patents=("202111904357.9",),
    ),
    Result(
        field="materials",
        title_zh="适用于激光增材制造的高强韧高熵合金粉末",
        title_en="Strong, tough high-entropy alloy powder for laser additive manufacturing",
        summary_zh="在CoCrFeNi体系中加入少量铝和钛形成纳米析出相，激光选区熔化成形件抗拉强度1350 MPa、"
        "延伸率18%，不需热等静压。粉末球形度0.93，流动性满足主流设备要求。",
        summary_en="Small additions of aluminium and titanium to CoCrFeNi form nano-precipitates; parts "
        "made by laser powder-bed fusion reach 1,350 MPa and 18% elongation without hot isostatic "
        "pressing. The powder's sphericity is 0.93, free-flowing enough for mainstream printers.",
        problem="增材制造金属件易产生裂纹和孔隙，传统高强合金打印后强度与塑性难以兼顾。",
        advantage="成形工艺窗口宽、无热裂纹；省去热等静压，交付周期缩短约一周。",
        economics="粉末预计售价每公斤900元，面向模具随形冷却水路和航空结构件等高附加值零件。",
        keywords=("高熵合金", "增材制造", "金属粉末", "激光选区熔化"),
        ipc=("C22C 30/00", "B22F 10/28"),
        trl=5,
        price_wan=480,
        modes=("assignment", "non_exclusive_licence"),
        patents=("202210095683.8",),
        stage="withdrawn",
    ),
    Result(
        field="materials",
        title_zh="一种常压干燥二氧化硅气凝胶隔热毡及其在电池模组中的应用",
        title_en="Ambient-dried silica aerogel blanket that insulates cells in battery modules",
        summary_zh="以水玻璃为硅源、常压干燥代替超临界干燥，气凝胶毡常温热导率0.018 W/(m·K)。"
        "2毫米厚的隔热毡在800℃火焰冲击下可使背面温度保持在180℃以下超过10分钟，阻止热失控在电芯间蔓延。",
        summary_en="Water glass is the silica source and ambient-pressure drying replaces supercritical "
        "drying; the blanket conducts 0.018 W/(m·K). Two millimetres of it keep the back face under "
        "180 °C for over ten minutes in an 800 °C flame, so thermal runaway does not spread from "
        "cell to cell.",
        problem="超临界干燥设备昂贵、批量小，气凝胶价格高，限制了它在动力电池中的大量使用。",
        advantage="设备投资约为超临界工艺的五分之一，原料成本下降约60%。",
        economics="每平方米（2毫米厚）成本约45元，单个电池包用量约6平方米。",
        keywords=("气凝胶", "隔热", "常压干燥", "电池安全"),
        ipc=("C01B 33/158", "H01M 10/658"),
        trl=7,
        price_wan=420,
        modes=("assignment", "exclusive_licence"),
        patents=("201910683270.X", "202021374958.4"),
    ),
    Result(
        field="chemicals",
        title_zh="一种用于二氧化碳加氢制甲醇的氧化锌—氧化锆固溶体催化剂",
        title_en="Zinc–zirconium oxide solid-solution catalyst for making methanol from CO₂",
        summary_zh="共沉淀法制备的锌锆双金属氧化物固溶体，在320℃、5 MPa下甲醇选择性86%，CO₂单程转化率10%，"
        "连续运行1000小时活性无明显下降，并能耐受原料气中的少量硫化物。",
        summary_en="A co-precipitated zinc–zirconium oxide solid solution gives 86% methanol "
        "selectivity at 320 °C and 5 MPa with 10% CO₂ conversion per pass. It ran 1,000 hours without "
        "noticeable loss of activity and tolerates traces of sulphur in the feed.",
        problem="传统铜基催化剂用于CO₂加氢时易烧结失活，温度升高后甲醇选择性明显下降。",
        advantage="不含贵金属和铜，耐烧结、耐硫；可与绿电制氢耦合生产绿色甲醇。",
        economics="万吨级装置每年可消纳CO₂约1.4万吨；催化剂每吨约8万元，为铜基催化剂的一半。",
        keywords=("二氧化碳利用", "甲醇", "催化剂", "碳中和"),
        ipc=("B01J 23/06", "C07C 29/154"),
        trl=5,
        price_wan=1500,
        modes=("exclusive_licence", "equity"),
        patents=("201810902647.1", "PCT/CN2019/074518"),
    ),
    Result(
        field="chemicals",
        title_zh="芳烃硝化反应的微通道连续流工艺及装置",
        title_en="Continuous-flow microchannel process and apparatus for aromatic nitration",
        summary_zh="碳化硅微通道反应器强化传质传热，硝化停留时间由釜式的6小时缩短到40秒，持液量不足釜式工艺的1%。"
        "以氯苯硝化为例，收率98.2%，二硝基副产物低于0.3%。",
        summary_en="A silicon-carbide microchannel reactor intensifies mass and heat transfer, cutting "
        "nitration from six hours in a batch vessel to 40 seconds with under 1% of the hold-up. "
        "Nitrating chlorobenzene, yield is 98.2% with under 0.3% dinitro by-product.",
        problem="硝化反应剧烈放热，釜式工艺有飞温爆炸风险，属于重点监管的危险化工工艺。",
        advantage="本质安全；废酸可循环使用，单位产品废水量减少70%。",
        economics="千吨级装置占地约为釜式工艺的十分之一，投资回收期约2年。",
        keywords=("微通道反应器", "连续流", "硝化", "本质安全"),
        ipc=("B01J 19/00", "C07C 201/08"),
        trl=7,
        price_wan=850,
        modes=("assignment", "exclusive_licence"),
        patents=("202010127584.4", "202020316697.4"),
    ),
    Result(
        field="chemicals",
        title_zh="一种电子级氢氟酸的精馏—膜过滤纯化方法",
        title_en="Purifying electronic-grade hydrofluoric acid by distillation and membrane filtration",
        summary_zh="无水氟化氢经络合除砷、两级精馏和全氟材质膜过滤，单项金属杂质低于10 ppt，"
        "0.05微米以上颗粒少于每毫升100个，达到SEMI C12等级，可用于12英寸晶圆清洗。",
        summary_en="Anhydrous hydrogen fluoride is stripped of arsenic by complexation, distilled in "
        "two stages and filtered through perfluorinated membranes. Each metal stays below 10 ppt and "
        "particles of 0.05 µm and up below 100 per mL, meeting SEMI grade C12 for cleaning 300 mm "
        "wafers.",
        problem="高端电子级氢氟酸长期依赖进口，国内产品的金属杂质和颗粒控制不稳定。",
        advantage="除砷步骤不引入新的金属离子；整条工艺无需超纯石英设备。",
        economics="万吨级产线投资约1.8亿元，国产化后售价可比进口低约25%。",
        keywords=("电子化学品", "氢氟酸", "纯化", "半导体材料"),
        ipc=("C01B 7/19", "B01D 3/14"),
        trl=6,
        price_wan=2000,
        modes=("exclusive_licence",),
        patents=("202110826953.3",),
    ),
    Result(
        field="chemicals",
        title_zh="果糖一锅法制备2,5-呋喃二甲酸的催化工艺",
        title_en="One-pot catalytic route from fructose to 2,5-furandicarboxylic acid",
        summary_zh="双功能锰钴复合氧化物催化剂使果糖脱水生成的5-羟甲基糠醛不经分离直接氧化，FDCA总收率82%，"
        "纯度99.9%，满足聚合级要求。溶剂γ-戊内酯回收率97%。",
        summary_en="A bifunctional manganese–cobalt oxide catalyst oxidises the hydroxymethylfurfural "
        "formed from fructose without isolating it: 82% overall FDCA yield at 99.9% purity, good "
        "enough to polymerise. The solvent, γ-valerolactone, is 97% recovered.",
        problem="生物基聚酯PEF的单体FDCA需先分离不稳定的中间体HMF，流程长、成本高。",
        advantage="一锅完成，不用贵金属；PEF瓶的阻氧性约为PET的10倍。",
        economics="FDCA生产成本预计每吨1.5万元左右，已接近可替代石油基单体的区间。",
        keywords=("生物基材料", "FDCA", "PEF", "绿色化工"),
        ipc=("C07D 307/68", "B01J 23/889"),
        trl=4,
        price_wan=None,
        modes=("assignment", "equity"),
        patents=("202310518469.3",),
        stage="draft",
    ),
    Result(
        field="equipment",
        title_zh="基于三维模型与线激光扫描的焊接机器人路径自动规划方法",
        title_en="Automatic weld-path planning for robots from 3D models and line-laser scans",
        summary_zh="系统从工件三维模型自动提取焊缝、生成焊枪姿态，再用线激光扫描修正装配偏差，焊缝定位精度±0.3毫米。"
        "在钢结构和工程机械企业试用，单件编程时间由约2小时降至10分钟，示教工作量减少90%以上。",
        summary_en="Seams are extracted from the part's 3D model, torch poses generated and assembly "
        "deviations corrected by a line-laser scan, locating seams to ±0.3 mm. At steel-structure and "
        "construction-machinery plants programming fell from about two hours a part to ten minutes, "
        "removing over 90% of teaching.",
        problem="多品种小批量焊接需要逐件示教，编程时间常常超过焊接时间，机器人利用率低。",
        advantage="兼容主流品牌机器人；不依赖精密夹具，适合大型结构件。",
        economics="单个工作站改造约25万元，节省两名示教编程人员，一年内可收回投资。",
        keywords=("焊接机器人", "离线编程", "路径规划", "激光视觉"),
        ipc=("B25J 9/16", "B23K 37/02"),
        trl=7,
        price_wan=420,
        modes=("assignment", "exclusive_licence"),
        patents=("202010694128.8", "202111057394.0"),
    ),
    Result(
        field="equipment",
        title_zh="一种高扭转刚度的工业机器人RV减速器",
        title_en="High-stiffness RV reducer for industrial robots",
        summary_zh="采用修形摆线齿廓与预紧角接触轴承结构，额定扭矩下回差小于0.5弧分，扭转刚度提高25%；"
        "额定负载下连续运行6000小时后精度保持率超过90%。",
        summary_en="A modified cycloid tooth profile and preloaded angular-contact bearings keep lost "
        "motion under 0.5 arc-minute at rated torque and raise torsional stiffness by 25%; after "
        "6,000 hours at rated load it keeps over 90% of its accuracy.",
        problem="国产RV减速器精度保持性差，运行一两千小时后回差明显增大，高端机器人仍依赖进口。",
        advantage="齿廓修形参数可按工况由软件优化；关键零件可用国产磨齿机加工。",
        economics="批量成本约为进口同规格产品的60%，国内年需求量超过50万台。",
        keywords=("RV减速器", "工业机器人", "精密传动", "摆线齿轮"),
        ipc=("F16H 1/32", "B25J 9/10"),
        trl=7,
        price_wan=680,
        modes=("exclusive_licence", "equity"),
        patents=("201920873615.3", "202010215479.6"),
    ),
    Result(
        field="equipment",
        title_zh="煤矿液压支架立柱超高速激光熔覆修复工艺",
        title_en="Ultra-high-speed laser cladding to repair hydraulic props in coal mines",
        summary_zh="熔覆线速度每分钟30米，涂层厚0.2–0.5毫米、稀释率低于3%，替代电镀硬铬。"
        "中性盐雾试验超过1000小时无锈蚀，修复后立柱寿命为新件的1.5倍。",
        summary_en="The cladding head travels at 30 m/min and lays 0.2–0.5 mm of coating with under 3% "
        "dilution, replacing hard-chrome plating. The coating passes over 1,000 hours of neutral salt "
        "spray, and repaired props last 1.5 times as long as new ones.",
        problem="液压支架立柱在井下腐蚀磨损严重，电镀硬铬污染大且已被限制使用。",
        advantage="无六价铬排放；效率为常规激光熔覆的10倍以上，单根立柱修复仅需40分钟。",
        economics="单根修复成本约为新件价格的35%，大型矿区每年可节约备件费用2000万元以上。",
        keywords=("激光熔覆", "再制造", "液压支架", "表面工程"),
        ipc=("C23C 24/10", "B23K 26/34"),
        trl=8,
        price_wan=360,
        modes=("non_exclusive_licence", "assignment"),
        patents=("201911284506.9",),
    ),
    Result(
        field="equipment",
        title_zh="基于主轴振动监测的数控铣削颤振在线抑制方法",
        title_en="Online chatter suppression in CNC milling from spindle vibration",
        summary_zh="主轴前端加速度传感器以小波能量比识别颤振萌生，系统在50毫秒内自动调整主轴转速。"
        "加工航空铝合金薄壁件时表面粗糙度Ra由1.6微米降到0.6微米，材料去除率提高35%。",
        summary_en="An accelerometer at the spindle nose spots the onset of chatter from a wavelet "
        "energy ratio, and spindle speed changes within 50 ms. Milling thin-walled aerospace "
        "aluminium, roughness Ra fell from 1.6 to 0.6 µm and material removal rose by 35%.",
        problem="薄壁件和长悬伸刀具加工时颤振频发，工艺人员只能保守地降低切削参数。",
        advantage="以插件形式接入主流数控系统，无需改造机床结构。",
        economics="单台机床软件和传感器费用约4万元，按提升产能计半年内回本。",
        keywords=("颤振抑制", "数控机床", "振动监测", "智能加工"),
        ipc=("B23Q 17/12", "G05B 19/404"),
        trl=6,
        price_wan=200,
        modes=("non_exclusive_licence",),
        patents=("202110463817.2",),
    ),
)
