"""Demo results in energy saving and the environment, information technology and
electronics: pure data."""

from __future__ import annotations

from marketplace.demo.records import Result

RESULTS: tuple[Result, ...] = (
    Result(
        field="environment",
        title_zh="高盐高浓有机废水的臭氧催化氧化—正渗透组合处理工艺",
        title_en="Catalytic ozonation with forward osmosis for salty, concentrated organic wastewater",
        summary_zh="负载型锰铈催化剂强化臭氧氧化，先将COD由8000 mg/L降至1500 mg/L，再经抗污染正渗透膜浓缩，"
        "产水COD低于40 mg/L，水回收率85%。化工园区200吨/日示范装置已稳定运行10个月。",
        summary_en="A supported manganese–cerium catalyst boosts ozonation, taking COD from 8,000 to "
        "1,500 mg/L; a fouling-resistant forward-osmosis membrane then concentrates the stream, "
        "leaving under 40 mg/L COD in the product water at 85% recovery. A 200 t/day unit in a "
        "chemical park has run steadily for ten months.",
        problem="化工园区高盐高浓有机废水难以生化处理，蒸发结晶能耗高、结垢严重。",
        advantage="正渗透常压运行，膜污染可逆；吨水能耗比机械蒸汽再压缩低约45%。",
        economics="吨水运行成本约28元，比现有“芬顿加蒸发”工艺降低22%。",
        keywords=("高盐废水", "臭氧催化氧化", "正渗透", "零排放"),
        ipc=("C02F 9/00", "C02F 1/44"),
        trl=7,
        price_wan=1100,
        modes=("assignment", "exclusive_licence"),
        patents=("202010836241.5", "202121530786.X"),
    ),
    Result(
        field="environment",
        title_zh="一种低温催化燃烧处理苯系物VOCs的整体式催化剂",
        title_en="Monolithic catalyst that burns aromatic VOCs at low temperature",
        summary_zh="以堇青石蜂窝为载体涂覆铂负载的介孔锰氧化物，甲苯在210℃转化率即达95%，比常规钯催化剂低约70℃；"
        "在含水含硫工况下运行1000小时后活性保持93%。",
        summary_en="Platinum on mesoporous manganese oxide, coated on a cordierite honeycomb, "
        "converts 95% of toluene at 210 °C, about 70 °C lower than a conventional palladium "
        "catalyst, and keeps 93% of its activity after 1,000 hours of humid, sulphur-bearing gas.",
        problem="涂装、印刷行业VOCs浓度低、风量大，催化燃烧需要较高温度，天然气消耗大。",
        advantage="贵金属用量减少约50%；抗水抗硫，适合工况波动大的中小企业。",
        economics="每小时1万立方米的处理装置每年可节约天然气费用约12万元。",
        keywords=("VOCs治理", "催化燃烧", "整体式催化剂", "大气污染防治"),
        ipc=("B01D 53/86", "B01J 23/656"),
        trl=7,
        price_wan=320,
        modes=("non_exclusive_licence", "exclusive_licence"),
        patents=("201910357028.3",),
    ),
    Result(
        field="environment",
        title_zh="城镇污水主流短程硝化—厌氧氨氧化脱氮工艺",
        title_en="Mainstream partial nitritation–anammox for municipal wastewater",
        summary_zh="间歇曝气与羟胺投加抑制亚硝酸盐氧化菌，在常温城镇污水中稳定实现厌氧氨氧化脱氮，总氮去除率83%，"
        "曝气能耗降低约40%，基本不需外加碳源。已在5万吨/日污水厂的一条生产线上运行一年。",
        summary_en="Intermittent aeration and hydroxylamine dosing hold back nitrite-oxidising "
        "bacteria, so anammox runs stably on municipal wastewater at ambient temperature: 83% total "
        "nitrogen removal, about 40% less aeration energy and almost no added carbon. One train of "
        "a 50,000 t/day plant has run this way for a year.",
        problem="传统硝化反硝化脱氮能耗高，城镇污水碳源不足，需投加乙酸钠等药剂。",
        advantage="无需新建构筑物，可在现有AAO工艺上改造；污泥产量减少约30%。",
        economics="10万吨/日规模的污水厂每年可节约电费和药剂费约900万元。",
        keywords=("厌氧氨氧化", "污水脱氮", "节能降耗", "市政污水"),
        ipc=("C02F 3/30", "C02F 3/34"),
        trl=8,
        price_wan=600,
        modes=("non_exclusive_licence", "assignment"),
        patents=("201811427653.2", "202010972315.8"),
    ),
    Result(
        field="environment",
        title_zh="垃圾焚烧飞灰低温烧结制备轻质陶粒的方法",
        title_en="Turning incineration fly ash into lightweight ceramsite by low-temperature sintering",
        summary_zh="飞灰经水洗脱氯后与赤泥、污泥复配，在1080℃烧结成陶粒，二噁英分解率99.9%，"
        "重金属浸出浓度低于GB 5085.3限值，陶粒筒压强度6.8 MPa，可作建筑轻骨料。",
        summary_en="Fly ash is washed free of chloride, blended with red mud and sewage sludge and "
        "sintered at 1,080 °C. Dioxins are 99.9% destroyed, heavy-metal leaching stays under the "
        "GB 5085.3 limits, and the pellets reach 6.8 MPa cylinder strength, fit for lightweight "
        "building aggregate.",
        problem="焚烧飞灰属于危险废物，安全填埋费用每吨2000元以上，填埋场库容紧张。",
        advantage="同时消纳三种固废；水洗废水经蒸发回收工业盐。",
        economics="10万吨/年项目的处置收入与陶粒销售合计年收益约1.6亿元。",
        keywords=("飞灰", "固废资源化", "陶粒", "危废处置"),
        ipc=("C04B 18/10", "B09B 3/40"),
        trl=6,
        price_wan=880,
        modes=("assignment", "equity"),
        patents=("202110287940.3",),
    ),
    Result(
        field="ict",
        title_zh="一种小样本条件下的工业表面缺陷检测方法",
        title_en="Few-shot detection of industrial surface defects",
        summary_zh="以无缺陷样本训练特征重建网络，再用少量缺陷样本微调，每类缺陷只需20张标注图即可上线。"
        "在金属冲压件产线上可识别0.08毫米的划痕和凹坑，检出率99.3%，过检率0.6%，单件推理85毫秒。",
        summary_en="A feature-reconstruction network learns from defect-free parts and is fine-tuned on "
        "a few defective ones, so 20 labelled images per defect type are enough to go live. On a "
        "metal-stamping line it finds 0.08 mm scratches and dents with 99.3% detection and 0.6% "
        "false rejects, in 85 ms a part.",
        problem="工业缺陷样本少、形态多变，常规深度学习需要数千张标注图，换型时难以快速部署。",
        advantage="新产品换型当天即可上线；模型在工控机的入门级显卡上即可运行。",
        economics="一条产线可替代6名目检工人，系统投入约30万元，一年内回本。",
        keywords=("机器视觉", "缺陷检测", "小样本学习", "质量检测"),
        ipc=("G06T 7/00", "G06V 10/82"),
        trl=7,
        price_wan=260,
        modes=("non_exclusive_licence", "assignment"),
        patents=("202110953462.5", "202210318574.8"),
    ),
    Result(
        field="ict",
        title_zh="面向多家医院影像数据的隐私保护联邦学习框架",
        title_en="Privacy-preserving federated learning on imaging data across hospitals",
        summary_zh="各医院数据不出本地，仅交换经差分隐私和同态加密保护的模型梯度，并以知识蒸馏消除设备型号差异。"
        "在6家医院的肺结节CT数据上，联合模型AUC为0.94，仅比集中训练低0.01，通信量减少70%。",
        summary_en="Each hospital keeps its data; only gradients protected by differential privacy and "
        "homomorphic encryption leave the site, and knowledge distillation evens out scanner "
        "differences. On lung-nodule CT from six hospitals the joint model's AUC was 0.94, only "
        "0.01 below central training, with 70% less traffic.",
        problem="医疗数据受个人信息保护法严格约束，跨院汇集数据训练模型难以合规。",
        advantage="支持国产芯片和操作系统部署；隐私预算可审计，便于通过数据安全评估。",
        economics="面向医学影像人工智能企业，单个项目授权费约80万元。",
        keywords=("联邦学习", "隐私计算", "医学影像", "数据安全"),
        ipc=("G06N 3/098", "G16H 30/40"),
        trl=6,
        price_wan=500,
        modes=("non_exclusive_licence",),
        patents=("202111325870.2",),
    ),
    Result(
        field="ict",
        title_zh="基于区块链的科技成果电子数据存证与侵权取证系统",
        title_en="Blockchain timestamping of research records and capture of infringement evidence",
        summary_zh="实验记录、图纸和源代码的哈希值同时写入联盟链和国家授时中心时间戳，网页侵权取证全程录屏固化。"
        "系统每日处理存证请求120万次，单次上链时延小于2秒，证据已被三家互联网法院采信。",
        summary_en="Hashes of lab notebooks, drawings and source code go both to a consortium "
        "blockchain and to the National Time Service Centre's timestamp, and web infringement is "
        "captured on a full screen recording. It handles 1.2 million records a day at under two "
        "seconds each; three internet courts have accepted its evidence.",
        problem="科研成果在发表或转让前容易被抢先申请和抄袭，权利人举证困难。",
        advantage="两个时间来源相互印证；取证前自动检查环境清洁性，避免证据被质疑。",
        economics="按次收费约5元，客户为高校技术转移机构和知识产权代理机构。",
        keywords=("区块链", "电子存证", "知识产权保护", "司法取证"),
        ipc=("H04L 9/50", "G06Q 50/18"),
        trl=8,
        price_wan=150,
        modes=("non_exclusive_licence", "assignment"),
        patents=("201910746318.7",),
    ),
    Result(
        field="ict",
        title_zh="面向技术合同与专利文本的检索增强大语言模型问答引擎",
        title_en="Retrieval-augmented language-model answers on technology contracts and patents",
        summary_zh="把专利权利要求和合同条款切分为结构化片段，建立向量与关键词混合索引，每个回答都给出原文出处。"
        "在技术经纪人标注的3200道问题上准确率88%，比直接使用通用大模型高23个百分点，可在单台国产服务器上私有部署。",
        summary_en="Patent claims and contract clauses are split into structured passages under a "
        "hybrid vector-and-keyword index, and each answer cites its source. On 3,200 questions "
        "labelled by technology brokers it is right 88% of the time, 23 points above a general model "
        "alone, and it runs privately on one domestic server.",
        problem="技术经纪人审阅合同和权利要求耗时长；通用大模型容易编造条款，且数据不能出内网。",
        advantage="答案可追溯；能自动比对权利要求与合同许可范围，提示遗漏的专利。",
        economics="按年订阅，中型技术转移机构每年约12万元。",
        keywords=("自然语言处理", "大语言模型", "检索增强", "技术合同"),
        ipc=("G06F 16/33", "G06F 40/30"),
        trl=6,
        price_wan=None,
        modes=("non_exclusive_licence", "equity"),
        patents=("202310652197.6",),
        stage="submitted",
    ),
    Result(
        field="electronics",
        title_zh="一种具有屏蔽栅结构的碳化硅沟槽MOSFET及其制造方法",
        title_en="Silicon-carbide trench MOSFET with a shielded gate, and how to make it",
        summary_zh="在沟槽底部引入P型屏蔽区并优化栅氧工艺，1200 V器件比导通电阻2.1 mΩ·cm²，栅氧电场降低45%，"
        "高温栅偏1000小时阈值漂移小于0.1 V。工艺已在6英寸产线完成流片。",
        summary_en="A p-type shield under the trench and a refined gate-oxide process give a 1,200 V "
        "device with 2.1 mΩ·cm² specific on-resistance and 45% less field in the oxide; after "
        "1,000 hours of high-temperature gate bias the threshold drifts under 0.1 V. Wafers have "
        "run on a 6-inch line.",
        problem="平面型碳化硅MOSFET的导通电阻难以继续降低，沟槽型器件又存在栅氧可靠性问题。",
        advantage="屏蔽区与沟槽自对准形成，不增加光刻次数；短路耐受时间达3微秒。",
        economics="芯片面积比平面型缩小约30%，每片晶圆可多产出约40%的芯片。",
        keywords=("碳化硅", "功率器件", "MOSFET", "沟槽栅"),
        ipc=("H01L 29/78", "H01L 29/06"),
        trl=5,
        price_wan=1600,
        modes=("assignment", "exclusive_licence"),
        patents=("202110574619.3", "202210036845.0", "PCT/CN2022/095314"),
    ),
    Result(
        field="electronics",
        title_zh="一种用于5G基站的宽带氮化镓Doherty功率放大器",
        title_en="Broadband gallium-nitride Doherty power amplifier for 5G base stations",
        summary_zh="采用后匹配网络与谐波控制结构，在3.3–3.8 GHz频段内饱和输出功率47 dBm，6 dB回退效率52%–58%，"
        "经数字预失真后邻道泄漏比优于-50 dBc。",
        summary_en="A post-matching network with harmonic control delivers 47 dBm saturated output "
        "across 3.3–3.8 GHz, 52–58% efficiency at 6 dB back-off, and adjacent-channel leakage "
        "better than –50 dBc after digital predistortion.",
        problem="5G信号峰均比高，功放在回退区工作时效率低，是基站能耗的主要来源。",
        advantage="一款功放覆盖n77和n78两个频段；电路尺寸比传统结构小20%。",
        economics="单个基站的功放能耗降低约8%。",
        keywords=("氮化镓", "射频功放", "Doherty", "5G基站"),
        ipc=("H03F 1/02", "H03F 3/21"),
        trl=6,
        price_wan=380,
        modes=("exclusive_licence", "non_exclusive_licence"),
        patents=("202010265493.7",),
    ),
    Result(
        field="electronics",
        title_zh="一种低功耗MEMS金属氧化物气体传感器芯片",
        title_en="Low-power MEMS metal-oxide gas sensor chip",
        summary_zh="悬空微热板采用氮化硅—多晶硅复合结构，加热到300℃只需8 mW，脉冲工作时平均功耗小于1 mW。"
        "钯掺杂氧化锡敏感膜对5 ppm氢气响应时间3秒，一颗纽扣电池可供电两年。",
        summary_en="A suspended silicon-nitride and polysilicon micro-hotplate reaches 300 °C on 8 mW, "
        "and pulsed operation averages under 1 mW. A palladium-doped tin-oxide film responds to "
        "5 ppm hydrogen in three seconds; a coin cell runs it for two years.",
        problem="传统陶瓷管式气体传感器功耗达数百毫瓦，无法用于电池供电的物联网终端。",
        advantage="晶圆级制造，单颗成本低于5元；可同片集成温湿度补偿。",
        economics="月产100万颗时毛利率约50%，目标市场为储能安全、智能家居和可穿戴设备。",
        keywords=("MEMS", "气体传感器", "低功耗", "物联网"),
        ipc=("G01N 27/12", "B81B 7/02"),
        trl=7,
        price_wan=450,
        modes=("assignment", "exclusive_licence", "equity"),
        patents=("202011098274.0", "202022456310.8"),
    ),
    Result(
        field="electronics",
        title_zh="基于阻变存储器的存算一体神经网络推理芯片",
        title_en="Neural-network inference chip that computes inside resistive memory",
        summary_zh="在28纳米工艺上集成4 Mb阻变存储阵列，矩阵乘加在存储单元内以模拟方式完成。"
        "语音关键词识别任务能效达到18 TOPS/W，准确率95.1%，待机功耗低于20微瓦。",
        summary_en="A 4 Mb resistive-memory array in 28 nm performs matrix multiply-accumulate in "
        "analogue inside the cells; keyword spotting runs at 18 TOPS/W with 95.1% accuracy, and "
        "standby power is under 20 µW.",
        problem="端侧人工智能受存储墙限制，数据在存储器与计算单元间搬运消耗了大部分能量。",
        advantage="写入校验算法把器件电导漂移对准确率的影响控制在0.5%以内；工艺与标准CMOS兼容。",
        economics="面向耳机、手表等可穿戴设备，单颗芯片目标价格低于3美元。",
        keywords=("存算一体", "阻变存储器", "人工智能芯片", "低功耗"),
        ipc=("G06N 3/065", "G11C 13/00"),
        trl=4,
        price_wan=None,
        modes=("exclusive_licence", "equity"),
        patents=("202210783056.3",),
        stage="confirmed",
    ),
)
