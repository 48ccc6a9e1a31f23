"""Demo results in new energy, new energy vehicles and aerospace: pure data."""

from __future__ import annotations

from marketplace.demo.records import Result

RESULTS: tuple[Result, ...] = (
    Result(
        field="energy",
        title_zh="一种快离子导体包覆的高镍三元正极材料及其制备方法",
        title_en="Fast-ion-conductor-coated high-nickel NCM cathode and its preparation",
        summary_zh="在NCM811颗粒表面原位生长2–5纳米的磷酸钛铝锂包覆层，抑制循环中的界面副反应和晶间裂纹。"
        "软包电池1C循环1000次后容量保持率由78%提高到92%，高温产气量下降约60%。"
        "包覆工序可直接嵌入现有二次烧结产线，无需新增窑炉。",
        summary_en="A 2–5 nm lithium aluminium titanium phosphate layer is grown in situ on NCM811 "
        "particles, suppressing interfacial side reactions and intergranular cracking. In pouch cells, "
        "capacity retention after 1,000 cycles at 1C rises from 78% to 92% and gassing at high "
        "temperature falls by about 60%. The coating fits into an existing second-sintering line.",
        problem="高镍三元材料循环后期容量衰减快、高温产气严重，制约其在长续航动力电池中的应用。",
        advantage="与常规氧化铝包覆相比，包覆层本身导锂离子，3C放电容量反而提高4%；每吨原料成本增加不足800元。",
        economics="按年产5000吨正极材料测算，新增设备投资约600万元，产品单吨售价可提高约1.2万元。",
        keywords=("高镍三元", "正极包覆", "NCM811", "循环寿命"),
        ipc=("H01M 4/525", "H01M 4/36"),
        trl=6,
        price_wan=380,
        modes=("assignment", "exclusive_licence"),
        patents=("202110384512.2", "202210157736.4"),
    ),
    Result(
        field="energy",
        title_zh="基于气体与膨胀力融合的储能电池热失控早期预警方法",
        title_en="Early warning of battery thermal runaway in energy storage by fusing gas and swelling signals",
        summary_zh="在电池簇内布置氢气、一氧化碳传感器和电芯膨胀力薄膜传感器，以自学习阈值模型融合判断。"
        "在21次过充、针刺和加热触发实验中，平均提前38分钟发出预警，误报率0.4%。"
        "算法以CAN报文接入现有电池管理系统，单簇硬件成本约1200元。",
        summary_en="Hydrogen and carbon-monoxide sensors and thin-film swelling sensors sit in each "
        "battery cluster and are fused by a self-learning threshold model. In 21 overcharge, "
        "nail-penetration and heating trials it warned on average 38 minutes ahead with 0.4% false "
        "alarms. It talks CAN to an existing BMS; hardware costs about ¥1,200 per cluster.",
        problem="储能电站主要依靠温度和电压判断热失控，往往在起火前几分钟才报警，来不及处置。",
        advantage="氢气信号比温升早出现20分钟以上，与膨胀力交叉验证后误报大幅减少；不需更换电芯或电池管理系统。",
        economics="100 MWh电站改造费用约60万元，约为一次火灾事故平均损失的百分之一。",
        keywords=("储能安全", "热失控预警", "氢气传感", "电池管理系统"),
        ipc=("H01M 10/48", "H02J 7/00"),
        trl=7,
        price_wan=260,
        modes=("exclusive_licence", "non_exclusive_licence"),
        patents=("202010961245.6", "202120774310.4"),
    ),
    Result(
        field="energy",
        title_zh="一种钙钛矿光伏组件的双层阻水封装结构",
        title_en="Double-layer moisture barrier for encapsulating perovskite photovoltaic modules",
        summary_zh="采用原子层沉积氧化铝薄层与紫外固化丁基胶边封组合，水汽透过率低于10⁻⁴ g/(m²·d)。"
        "30×30厘米组件经IEC 61215湿热1000小时测试后效率保持96.5%，稳态效率18.2%。"
        "封装各工序温度不超过85℃，不损伤钙钛矿层。",
        summary_en="An atomic-layer-deposited alumina film and a UV-cured butyl edge seal keep water "
        "vapour transmission below 10⁻⁴ g/(m²·day). A 30 × 30 cm module kept 96.5% of its efficiency "
        "after 1,000 hours of IEC 61215 damp heat, at 18.2% stabilised efficiency. No step exceeds "
        "85 °C, so the perovskite layer is not harmed.",
        problem="钙钛矿电池对水汽和热极其敏感，传统层压封装温度高，湿热测试后效率衰减超过20%。",
        advantage="低温工艺兼容柔性与刚性基板；阻水性能接近有机发光显示屏的薄膜封装，成本约为其三分之一。",
        economics="封装材料成本约每瓦0.03元，在现有组件线上增加一台原子层沉积设备即可实施。",
        keywords=("钙钛矿", "光伏组件", "封装", "湿热稳定性"),
        ipc=("H01L 31/048", "H10K 30/88"),
        trl=5,
        price_wan=None,
        modes=("assignment", "equity"),
        patents=("202310045871.4",),
    ),
    Result(
        field="energy",
        title_zh="以竹屑为原料的钠离子电池硬碳负极材料及其制备方法",
        title_en="Hard carbon anode for sodium-ion batteries made from bamboo waste",
        summary_zh="竹屑经酸洗脱灰、低温预氧化和1300℃碳化，得到闭孔丰富的硬碳，首次库仑效率91%，"
        "可逆比容量325 mAh/g。原料为竹制品加工废料，吨成本约2.1万元，比进口椰壳硬碳低40%以上。",
        summary_en="Bamboo shavings are acid-washed, pre-oxidised at low temperature and carbonised at "
        "1,300 °C into hard carbon rich in closed pores: 91% first-cycle coulombic efficiency and "
        "325 mAh/g reversible capacity. The feedstock is bamboo-processing waste; the material costs "
        "about ¥21,000 a tonne, over 40% below imported coconut-shell hard carbon.",
        problem="钠离子电池负极主要依赖进口椰壳硬碳，价格高、供应不稳定，首次效率偏低。",
        advantage="预氧化步骤调控闭孔结构，首效和容量同时提升；原料在南方竹产区可就地收集。",
        economics="千吨级产线投资约4500万元，按当前售价测算投资回收期约3年。",
        keywords=("钠离子电池", "硬碳", "生物质", "负极材料"),
        ipc=("H01M 4/587", "C01B 32/05"),
        trl=6,
        price_wan=520,
        modes=("assignment", "exclusive_licence", "equity"),
        patents=("202110592038.2", "PCT/CN2022/081467"),
    ),
    Result(
        field="vehicles",
        title_zh="一种支持4C快充的动力电池浸没式液冷热管理系统",
        title_en="Immersion cooling that lets traction batteries charge at 4C",
        summary_zh="电芯浸没在低黏度氟化液中，配合模组内分区流道和预测式温控策略。"
        "4C快充（SOC 10%至80%约12分钟）时电芯最大温差2.8℃，最高温度不超过42℃。"
        "系统比冷板方案减重8%，已在两款样车上完成冬季和夏季标定。",
        summary_en="Cells are immersed in a low-viscosity fluorinated liquid with zoned channels in each "
        "module and predictive temperature control. Charging at 4C (10–80% in about 12 minutes), "
        "cells differ by at most 2.8 °C and none exceeds 42 °C. The system is 8% lighter than a "
        "cold-plate design and has been calibrated in winter and summer on two prototype cars.",
        problem="冷板式液冷在4C以上快充时换热能力不足，电芯温差大，加速老化并限制充电功率。",
        advantage="直接接触换热，换热系数提升约3倍；氟化液不燃，兼有阻隔热失控蔓延的作用。",
        economics="单车系统成本增加约1800元，可支撑“充电10分钟、续航400公里”的产品定位。",
        keywords=("浸没式冷却", "快充", "电池热管理", "新能源汽车"),
        ipc=("B60L 58/26", "H01M 10/613"),
        trl=7,
        price_wan=680,
        modes=("exclusive_licence", "equity"),
        patents=("202210630914.0", "202221488205.5"),
    ),
    Result(
        field="vehicles",
        title_zh="扁线绕组驱动电机的低交流损耗定子结构",
        title_en="Hairpin stator with low AC copper loss for traction motors",
        summary_zh="通过分层换位的扁线排布和槽口磁性槽楔，抑制高转速下的集肤效应和邻近效应。"
        "18000 rpm时交流铜耗降低31%，电机最高效率97.2%，CLTC工况下效率高于90%的运行点占比提高到89%。",
        summary_en="Layer-transposed hairpin conductors and magnetic slot wedges curb skin and "
        "proximity effects at high speed. At 18,000 rpm AC copper loss falls by 31%; peak efficiency "
        "is 97.2% and 89% of the CLTC cycle runs above 90% efficiency.",
        problem="扁线电机槽满率高，但高速时交流损耗急剧增加，发热限制了持续功率。",
        advantage="不改变现有扁线成形和焊接设备，只调整导体排布与槽楔材料。",
        economics="按年产10万台电机计，每台节约铜材和冷却成本约150元，整车续航提升约2%。",
        keywords=("扁线电机", "交流损耗", "驱动电机", "高效率"),
        ipc=("H02K 3/12", "H02K 1/16"),
        trl=6,
        price_wan=300,
        modes=("non_exclusive_licence", "exclusive_licence"),
        patents=("201910874126.4",),
    ),
    Result(
        field="vehicles",
        title_zh="一种双冗余电子机械制动系统的故障容错控制方法",
        title_en="Fault-tolerant control of a dual-redundant electro-mechanical brake-by-wire system",
        summary_zh="两套独立电源与控制器交叉监测，单点失效时在45毫秒内完成切换并保持不低于0.6g的减速度。"
        "方案已通过ISO 26262 ASIL-D功能安全概念评审，并在封闭场地完成2.3万次制动循环。",
        summary_en="Two independent power supplies and controllers watch each other; on a single-point "
        "failure control switches over within 45 ms while keeping at least 0.6 g deceleration. The "
        "concept passed an ISO 26262 ASIL-D functional-safety review and 23,000 braking cycles on a "
        "closed track.",
        problem="线控制动取消了液压备份，一旦电源或控制器失效，车辆可能失去制动能力。",
        advantage="无需保留液压管路仍满足高阶自动驾驶的制动冗余要求；切换时间约为行业常见方案的一半。",
        economics="相比“电子助力器加ESP”双系统方案，单车物料成本降低约600元，整车减重4.5公斤。",
        keywords=("线控制动", "功能安全", "冗余控制", "自动驾驶"),
        ipc=("B60T 13/74", "B60T 17/22"),
        trl=5,
        price_wan=None,
        modes=("exclusive_licence", "equity"),
        patents=("202311208457.7",),
        stage="confirmed",
    ),
    Result(
        field="vehicles",
        title_zh="一种22 kW碳化硅双向车载充电机及其控制方法",
        title_en="22 kW silicon-carbide bidirectional on-board charger and its control",
        summary_zh="图腾柱PFC与CLLC谐振变换两级结构全部采用碳化硅MOSFET，功率密度4.1 kW/L，峰值效率96.8%。"
        "支持车辆向电网和家庭反向供电（V2G/V2H），并网电流总谐波畸变率低于3%。",
        summary_en="A totem-pole PFC stage and a CLLC resonant converter, all silicon-carbide MOSFETs, "
        "reach 4.1 kW/L and 96.8% peak efficiency. The charger can also feed the grid or a home "
        "(V2G/V2H) with under 3% total harmonic distortion.",
        problem="现有车载充电机多为单向6.6–11 kW，不能参与电网调峰，也满足不了大电池包的交流充电需求。",
        advantage="体积比硅器件方案小35%；一套控制软件同时适配单相和三相电网。",
        economics="批量成本预计每千瓦约180元；参与需求响应后，车主每年可获收益约1500元。",
        keywords=("车载充电机", "碳化硅", "V2G", "双向充电"),
        ipc=("B60L 53/22", "H02M 1/42"),
        trl=6,
        price_wan=450,
        modes=("exclusive_licence", "non_exclusive_licence"),
        patents=("202110047362.6", "202120093158.3"),
    ),
    Result(
        field="aerospace",
        title_zh="一种氢燃料电池与锂电池混合动力的长航时多旋翼无人机",
        title_en="Long-endurance multirotor drone powered by a hydrogen fuel cell and a buffer battery",
        summary_zh="1.8 kW风冷燃料电池与小容量锂电池组成混合动力，35 MPa碳纤维储氢瓶携氢约210克。"
        "挂载5公斤时续航2小时40分钟，是同级纯电无人机的4倍以上，可在零下10℃冷启动。",
        summary_en="A 1.8 kW air-cooled fuel cell and a small lithium battery share the load, with about "
        "210 g of hydrogen in a 35 MPa carbon-fibre tank. Carrying 5 kg it flies 2 hours 40 minutes, "
        "over four times a comparable battery drone, and starts at –10 °C.",
        problem="电力巡线、森林防火等作业需要长时间滞空，纯电多旋翼续航普遍不足40分钟。",
        advantage="爬升和悬停时由锂电池削峰，燃料电池寿命延长约30%。",
        economics="整机成本约38万元；用于电力巡线，每百公里巡检成本比有人直升机低80%。",
        keywords=("氢燃料电池", "无人机", "长航时", "电力巡检"),
        ipc=("B64U 50/32", "H01M 8/04"),
        trl=7,
        price_wan=560,
        modes=("assignment", "equity"),
        patents=("202010318874.7", "202020559021.8"),
    ),
    Result(
        field="aerospace",
        title_zh="微小卫星磁力矩器与微型飞轮联合姿态控制方法",
        title_en="Joint magnetorquer and micro reaction wheel attitude control for small satellites",
        summary_zh="针对50公斤级卫星，以模型预测控制协调飞轮角动量卸载与磁力矩器输出，指向精度优于0.05°，"
        "姿态稳定度0.002°/s。算法已在一颗在轨技术验证星上连续运行14个月。",
        summary_en="For 50 kg-class satellites, model-predictive control coordinates reaction-wheel "
        "momentum unloading with the magnetorquers, pointing to better than 0.05° with 0.002°/s "
        "stability. It has run for 14 months on an in-orbit technology demonstration satellite.",
        problem="微小卫星体积和功耗受限，难以配置控制力矩陀螺，成像时的姿态抖动影响图像质量。",
        advantage="飞轮由4个减为3个仍满足成像指向要求；卸载期间不中断对地指向。",
        economics="每颗卫星姿控分系统成本约降低120万元，重量减轻1.6公斤。",
        keywords=("微小卫星", "姿态控制", "磁力矩器", "模型预测控制"),
        ipc=("B64G 1/28", "B64G 1/32"),
        trl=7,
        price_wan=280,
        modes=("non_exclusive_licence", "exclusive_licence"),
        patents=("201810529463.5",),
    ),
    Result(
        field="aerospace",
        title_zh="一种四阵元抗干扰北斗卫星导航接收机",
        title_en="Four-element anti-jamming BeiDou receiver",
        summary_zh="采用空时自适应处理同时抑制压制式和欺骗式干扰，干信比90 dB时仍可定位，首次定位时间小于30秒。"
        "接收机直径12厘米、功耗3.5 W，适合装在无人机和无人船上。",
        summary_en="Space-time adaptive processing suppresses both jamming and spoofing; the receiver "
        "still fixes its position at a 90 dB jamming-to-signal ratio, with a first fix in under 30 "
        "seconds. It is 12 cm across and draws 3.5 W, small enough for drones and unmanned boats.",
        problem="低空无人机和无人船依赖卫星导航，民用接收机在干扰下极易失锁或被诱骗偏航。",
        advantage="四阵元达到同类七阵元产品的抗干扰深度；内置欺骗检测，无需惯导辅助。",
        economics="小批量单价约1.6万元，约为进口同类产品的三分之一。",
        keywords=("北斗导航", "抗干扰", "天线阵列", "无人系统"),
        ipc=("G01S 19/21", "H01Q 21/00"),
        trl=6,
        price_wan=350,
        modes=("assignment", "exclusive_licence"),
        patents=("202111276530.5", "202122807649.2"),
    ),
    Result(
        field="aerospace",
        title_zh="航空发动机涡轮叶片用稀土锆酸盐双层热障涂层",
        title_en="Rare-earth zirconate double-layer thermal barrier coating for turbine blades",
        summary_zh="在氧化钇稳定氧化锆底层上等离子喷涂锆酸钆面层，涂层1200℃热导率0.9 W/(m·K)，比单层涂层低40%。"
        "1150℃热循环寿命超过1500次，叶片基体温度可降低约80℃。",
        summary_en="A gadolinium zirconate top coat is plasma-sprayed over a yttria-stabilised zirconia "
        "base. At 1,200 °C it conducts 0.9 W/(m·K), 40% less than a single layer; it survives over "
        "1,500 thermal cycles at 1,150 °C and lowers blade metal temperature by about 80 °C.",
        problem="提高涡轮前温度是发动机增推的关键，但现有热障涂层在1200℃以上易烧结、剥落。",
        advantage="双层结构兼顾隔热和结合强度；喷涂工艺与现有设备兼容。",
        economics="叶片寿命预计延长一倍，单台发动机全寿命维修成本可下降约15%。",
        keywords=("热障涂层", "涡轮叶片", "锆酸钆", "等离子喷涂"),
        ipc=("C23C 4/11", "F01D 5/28"),
        trl=5,
        price_wan=None,
        modes=("exclusive_licence", "equity"),
        patents=("201711052384.1",),
        stage="rejected",
    ),
)
