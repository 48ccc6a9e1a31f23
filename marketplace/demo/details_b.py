"""English details, applications and pictures of the demo's results in materials, chemicals,
equipment, environment, ICT and electronics: pure data, keyed by the English title."""

from __future__ import annotations

from marketplace.demo.records import Details, Picture, chart

DETAILS: dict[str, Details] = {
    "Roll-to-roll production of highly thermally conductive graphene film": Details(
        "智能手机、笔记本电脑、基站和车载电子的均热散热。",
        "Heat spreading in phones, laptops, base stations and car electronics.",
        "Chips in phones and laptops run ever hotter; synthetic graphite film cannot be made "
        "thick and sheet-by-sheet graphene film is slow to produce.",
        "Thick films keep their conductivity; a continuous line replaces batch graphitisation "
        "furnaces and uses about 40% less energy.",
        "One line makes about 80,000 m² a year; at ¥350 a square metre, about ¥28 million of output.",
        chart("面内热导率", "in-plane thermal conductivity", " W/(m·K)", 1100, 1650),
    ),
    "Three-minute snap-cure epoxy for moulding carbon-fibre battery enclosures": Details(
        "新能源汽车电池包上盖、车身覆盖件和轨道交通内饰件的复合材料成型。",
        "Moulding battery-pack covers, body panels and rail interiors in composites.",
        "Carbon-fibre composites usually take over 30 minutes to cure, too slow for car-part "
        "takt times.",
        "Fast cure and long pot life together; the halogen-free resin reaches UL 94 V-0.",
        "A part costs about 1.3 times the aluminium design; the range gained from the weight "
        "saved covers the difference.",
        chart("固化时间", "cure time", " min", 30, 3),
    ),
    "Strong, tough high-entropy alloy powder for laser additive manufacturing": Details(
        "模具随形冷却水路、航空航天结构件和能源装备耐磨部件的增材制造。",
        "Printing conformal-cooling moulds, aerospace structures and wear parts of energy equipment.",
        "Printed metal parts crack and hold pores; strong alloys lose their ductility once printed.",
        "A wide process window with no hot cracking; no hot isostatic pressing, so parts ship "
        "about a week sooner.",
        "The powder should sell at about ¥900 a kilogram, for high-value parts such as "
        "conformal-cooled moulds and airframe brackets.",
        chart("打印态抗拉强度", "tensile strength as printed", " MPa", 650, 1350),
    ),
    "Ambient-dried silica aerogel blanket that insulates cells in battery modules": Details(
        "动力电池和储能电池模组的电芯间隔热、防火阻隔。",
        "Insulation and fire barriers between cells of traction and storage modules.",
        "Supercritical drying is costly and small-batch, keeping aerogel too expensive for wide "
        "use in traction batteries.",
        "Equipment costs about a fifth of the supercritical route and materials about 60% less.",
        "About ¥45 per square metre at 2 mm; a battery pack uses about 6 m².",
        Picture(
            "layers",
            "模组截面示意图：两颗电芯之间夹2毫米气凝胶隔热垫",
            "Cross-section of a module: a 2 mm aerogel blanket between two cells",
            labels=("Cell", "Aerogel blanket 2 mm", "Cell", "Cooling plate"),
        ),
    ),
    "Zinc–zirconium oxide solid-solution catalyst for making methanol from CO₂": Details(
        "煤化工、钢厂和水泥厂尾气CO₂制绿色甲醇，以及绿氢耦合示范项目。",
        "Green methanol from the CO₂ of coal-chemical, steel and cement plants, with green hydrogen.",
        "Copper catalysts sinter in CO₂ hydrogenation, and methanol selectivity falls as the "
        "temperature rises.",
        "No precious metal or copper; it resists sintering and sulphur and pairs with "
        "hydrogen from renewable power.",
        "A 10,000 t plant takes up about 14,000 t of CO₂ a year; the catalyst costs about "
        "¥80,000 a tonne, half of copper's.",
        chart("320℃甲醇选择性", "methanol selectivity at 320 °C", "%", 45, 86),
    ),
    "Continuous-flow microchannel process and apparatus for aromatic nitration": Details(
        "农药、医药和染料中间体的芳烃硝化，危险工艺改造。",
        "Nitrating aromatics for pesticide, drug and dye intermediates; rebuilding hazardous processes.",
        "Nitration releases heat violently; batch vessels risk runaway and explosion, a closely "
        "regulated hazardous process.",
        "Inherently safe; spent acid is recycled and wastewater per tonne of product falls by 70%.",
        "A thousand-tonne unit takes a tenth of a batch plant's space and pays back in about two years.",
        Picture(
            "blocks",
            "工艺框图：芳烃和混酸经微通道反应器、在线分离后回收废酸",
            "Process diagram: aromatic and mixed acid pass a microchannel reactor and separator; "
            "spent acid is recycled",
            labels=("Aromatic", "Mixed acid", "Microreactor", "Separator", "Acid recycle"),
        ),
    ),
    "Purifying electronic-grade hydrofluoric acid by distillation and membrane filtration": Details(
        "12英寸晶圆清洗和蚀刻、平板显示和光伏电池制程。",
        "Cleaning and etching 300 mm wafers; display and solar-cell processing.",
        "Top electronic-grade hydrofluoric acid is imported; domestic metal and particle "
        "levels are unsteady.",
        "Arsenic removal adds no new metal ions, and no ultra-pure quartz equipment is needed.",
        "A 10,000 t line costs about ¥180 million; made at home it can sell about 25% below imports.",
        chart("单项金属杂质", "each metal impurity", " ppt", 100, 10),
    ),
    "One-pot catalytic route from fructose to 2,5-furandicarboxylic acid": Details(
        "生物基聚酯PEF饮料瓶、薄膜和纤维的单体生产。",
        "Monomer for bio-based PEF bottles, films and fibres.",
        "FDCA for bio-based PEF needs the unstable intermediate HMF isolated first: a long, "
        "costly route.",
        "One pot and no precious metal; a PEF bottle holds oxygen out about ten times better than PET.",
        "FDCA should cost about ¥15,000 a tonne, close to what it takes to replace oil-based monomers.",
        Picture(
            "molecule",
            "分子示意图：呋喃环两端各连一个羧基（2,5-呋喃二甲酸）",
            "Molecular sketch: a furan ring with a carboxyl group at each end (FDCA)",
            labels=("COOH", "O", "COOH"),
        ),
    ),
    "Automatic weld-path planning for robots from 3D models and line-laser scans": Details(
        "钢结构、工程机械、船舶分段等多品种小批量焊接。",
        "Low-volume, high-mix welding of steel structures, construction machinery and ship blocks.",
        "High-mix welding needs every part taught by hand; programming often takes longer than "
        "welding and robots sit idle.",
        "Works with the main robot brands and needs no precision fixtures, so it suits large parts.",
        "A cell costs about ¥250,000 to retrofit and saves two programmers: it pays back within a year.",
        chart("单件编程时间", "programming time per part", " min", 120, 10),
    ),
    "High-stiffness RV reducer for industrial robots": Details(
        "六轴工业机器人关节、变位机和数控转台。",
        "Joints of six-axis robots, positioners and CNC rotary tables.",
        "Domestic RV reducers lose accuracy: after one or two thousand hours lost motion grows, "
        "so high-end robots still use imports.",
        "Tooth-profile corrections are optimised in software for each duty, and key parts can "
        "be ground on domestic machines.",
        "Volume cost is about 60% of a comparable import; China needs over 500,000 a year.",
        chart(
            "额定载荷6000小时后精度保持率", "accuracy kept after 6,000 h at rated load", "%", 70, 90
        ),
    ),
    "Ultra-high-speed laser cladding to repair hydraulic props in coal mines": Details(
        "煤矿液压支架立柱、工程机械油缸和冶金轧辊的修复与强化。",
        "Repairing and hardening mine props, construction-machine cylinders and mill rolls.",
        "Props corrode and wear underground; hard-chrome plating pollutes and is being restricted.",
        "No hexavalent chromium; over ten times as fast as ordinary laser cladding, 40 minutes a prop.",
        "A repair costs about 35% of a new prop; a large mining group saves over ¥20 million a year.",
        chart("修复件相对寿命", "life of a repaired prop (new = 100)", "", 100, 150),
    ),
    "Online chatter suppression in CNC milling from spindle vibration": Details(
        "航空薄壁结构件、模具和医疗器械零件的数控铣削。",
        "CNC milling of thin-walled aerospace parts, moulds and medical-device parts.",
        "Thin walls and long tools chatter, so process engineers cut conservatively.",
        "A plug-in for mainstream CNC systems; the machine itself is not modified.",
        "About ¥40,000 of software and sensors a machine, repaid in six months by the extra output.",
        chart("表面粗糙度Ra", "surface roughness Ra", " µm", 1.6, 0.6),
    ),
    "Catalytic ozonation with forward osmosis for salty, concentrated organic wastewater": Details(
        "化工园区、制药和煤化工企业高盐高浓有机废水的近零排放。",
        "Near-zero discharge of salty, concentrated organic wastewater in chemical parks and pharma.",
        "Salty, concentrated organic wastewater resists biological treatment, and evaporation "
        "uses much energy and scales up.",
        "Forward osmosis runs at ambient pressure with reversible fouling; energy per tonne is "
        "about 45% below mechanical vapour recompression.",
        "About ¥28 a tonne to run, 22% below Fenton plus evaporation.",
        chart("吨水运行成本", "running cost per tonne", " ¥", 36, 28),
    ),
    "Monolithic catalyst that burns aromatic VOCs at low temperature": Details(
        "汽车涂装、包装印刷和家具制造的挥发性有机物治理。",
        "Cleaning VOCs from car painting, packaging print shops and furniture making.",
        "Painting and printing emit large, dilute VOC flows; catalytic burners need heat and "
        "burn much natural gas.",
        "About half the precious metal; it resists water and sulphur, suiting small firms with "
        "changing loads.",
        "A 10,000 m³/h unit saves about ¥120,000 of natural gas a year.",
        chart("甲苯95%转化温度", "temperature for 95% toluene conversion", " °C", 280, 210),
    ),
    "Mainstream partial nitritation–anammox for municipal wastewater": Details(
        "城镇污水处理厂提标改造和节能降碳。",
        "Upgrading municipal treatment plants and cutting their energy and carbon.",
        "Conventional nitrification and denitrification use much energy, and municipal sewage "
        "lacks carbon, so sodium acetate is dosed.",
        "No new tanks: existing AAO plants are converted, and sludge falls by about 30%.",
        "A 100,000 t/day plant saves about ¥9 million a year in power and chemicals.",
        chart("曝气能耗（相对值）", "aeration energy (relative)", "", 100, 60),
    ),
    "Turning incineration fly ash into lightweight ceramsite by low-temperature sintering": Details(
        "垃圾焚烧发电厂飞灰处置，轻质建材骨料生产。",
        "Disposing of fly ash from waste-to-energy plants; lightweight building aggregate.",
        "Fly ash is hazardous waste: landfill costs over ¥2,000 a tonne and space is running out.",
        "It uses three wastes at once, and salt is recovered from the wash water.",
        "A 100,000 t/year project earns about ¥160 million a year from disposal fees and pellets.",
        chart("每吨处置费用（元）", "cost to dispose of a tonne (¥)", "", 2000, 600),
    ),
    "Few-shot detection of industrial surface defects": Details(
        "冲压件、压铸件、锂电极片和光伏玻璃的表面质检。",
        "Surface inspection of stampings, die castings, battery electrodes and solar glass.",
        "Defect samples are few and varied; usual deep learning wants thousands of labelled "
        "images, so a new product line is slow to go live.",
        "A new product goes live the same day, and the model runs on an entry-level GPU in an "
        "industrial PC.",
        "One line replaces six inspectors; about ¥300,000 pays back within a year.",
        chart("每类缺陷所需标注图片", "labelled images needed per defect type", "", 2000, 20),
    ),
    "Privacy-preserving federated learning on imaging data across hospitals": Details(
        "医学影像人工智能产品研发、区域医疗联合体和多中心临床研究。",
        "Medical-imaging AI products, regional hospital groups and multi-centre studies.",
        "Medical data is tightly bound by the Personal Information Protection Law; pooling it "
        "across hospitals to train models is hard to do lawfully.",
        "Runs on domestic chips and operating systems; the privacy budget can be audited, "
        "easing data-security assessments.",
        "For imaging-AI companies, about ¥800,000 of licence fees a project.",
        Picture(
            "blocks",
            "系统框图：六家医院本地训练，仅加密梯度汇总到联合模型",
            "Block diagram: six hospitals train locally and send only encrypted gradients to "
            "the joint model",
            labels=("Hospital data", "Local model", "DP + encryption", "Aggregator", "Joint model"),
        ),
    ),
    "Blockchain timestamping of research records and capture of infringement evidence": Details(
        "高校和科研院所的科研记录存证、技术转移机构的侵权取证。",
        "Proof of research records at universities and institutes; infringement evidence for transfer offices.",
        "Before publication or transfer, results are easily pre-empted or copied, and holders "
        "struggle to prove it.",
        "Two time sources confirm each other, and the capture environment is checked clean "
        "first, so evidence is hard to contest.",
        "About ¥5 a record, for university transfer offices and patent agencies.",
    ),
    "Retrieval-augmented language-model answers on technology contracts and patents": Details(
        "技术经纪人审阅合同、知识产权尽职调查和技术市场咨询。",
        "Contract review by technology brokers, IP due diligence and market advice.",
        "Brokers spend long hours on contracts and claims; general models invent clauses, and "
        "the data may not leave the intranet.",
        "Answers can be traced; it matches claims against a licence's scope and flags patents "
        "left out.",
        "A yearly subscription, about ¥120,000 for a mid-sized transfer office.",
        chart("经纪人标注问题正确率", "answers right on brokers' questions", "%", 65, 88),
    ),
    "Silicon-carbide trench MOSFET with a shielded gate, and how to make it": Details(
        "新能源汽车主驱逆变器、光伏逆变器和充电桩电源模块。",
        "Traction inverters, solar inverters and charger power modules.",
        "Planar SiC MOSFETs cannot lower their on-resistance much further, and trench devices "
        "struggle with gate-oxide reliability.",
        "The shield self-aligns with the trench, with no extra mask; it withstands a short "
        "circuit for 3 µs.",
        "Chips are about 30% smaller than planar ones, so a wafer yields about 40% more.",
        Picture(
            "layers",
            "器件截面示意图：源极金属、沟槽栅、P型屏蔽区、N型漂移层和衬底",
            "Cross-section of the device: source metal, trench gate, p-type shield, n-drift "
            "layer and substrate",
            labels=("Source metal", "Trench gate", "P shield", "N- drift", "N+ substrate"),
        ),
    ),
    "Broadband gallium-nitride Doherty power amplifier for 5G base stations": Details(
        "5G宏基站和小基站射频单元、专网通信设备。",
        "Radio units of 5G macro and small cells; private-network equipment.",
        "5G signals have high peak-to-average ratios; amplifiers backed off run inefficiently "
        "and use most of a base station's energy.",
        "One amplifier covers bands n77 and n78, in a circuit 20% smaller than usual.",
        "A base station's amplifiers use about 8% less energy.",
        chart("6 dB回退效率", "efficiency at 6 dB back-off", "%", 44, 55),
    ),
    "Low-power MEMS metal-oxide gas sensor chip": Details(
        "储能电站氢气监测、智能家居燃气报警和可穿戴空气质量监测。",
        "Hydrogen monitoring in storage plants, home gas alarms and wearable air monitors.",
        "Ceramic-tube gas sensors draw hundreds of milliwatts, too much for battery-powered "
        "IoT devices.",
        "Made at wafer level for under ¥5 a chip, with temperature and humidity compensation "
        "on the same die.",
        "At a million chips a month the gross margin is about 50%; targets are storage safety, "
        "smart homes and wearables.",
        chart("加热功耗", "heater power", " mW", 300, 8),
    ),
    "Neural-network inference chip that computes inside resistive memory": Details(
        "真无线耳机、智能手表和物联网终端的语音唤醒与传感器推理。",
        "Keyword spotting and sensor inference in earbuds, watches and IoT devices.",
        "On-device AI hits the memory wall: moving data between memory and compute spends "
        "most of the energy.",
        "A write-verify algorithm keeps conductance drift within 0.5% of accuracy, and the "
        "process is standard-CMOS compatible.",
        "For earbuds, watches and other wearables, at a target under US$3 a chip.",
        Picture(
            "blocks",
            "芯片框图：麦克风特征送入阻变存储阵列做模拟乘加，结果经模数转换输出",
            "Block diagram: microphone features enter the resistive-memory array for analogue "
            "multiply-accumulate, then the ADC",
            labels=("Mic features", "DAC", "RRAM array", "ADC", "Keyword"),
        ),
    ),
}
