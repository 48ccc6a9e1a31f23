"""English details, applications and pictures of the demo's results in energy, vehicles,
aerospace, biomedicine, agriculture and food: pure data, keyed by the English title."""

from __future__ import annotations

from marketplace.demo.records import Details, Picture, chart

DETAILS: dict[str, Details] = {
    "Fast-ion-conductor-coated high-nickel NCM cathode and its preparation": Details(
        "长续航乘用车动力电池、高能量密度储能电芯的正极材料。",
        "Cathodes for long-range passenger-car batteries and high-energy storage cells.",
        "High-nickel NCM fades quickly late in life and gasses at high temperature, which "
        "holds it back from long-range traction batteries.",
        "Unlike a plain alumina coating, the layer conducts lithium ions: 3C discharge "
        "capacity even rises by 4%, for under ¥800 more per tonne of feedstock.",
        "For 5,000 t of cathode a year: about ¥6 million of new equipment, and the product "
        "sells for about ¥12,000 more per tonne.",
        chart("1C循环1000次容量保持率", "capacity retained after 1,000 cycles", "%", 78, 92),
    ),
    "Early warning of battery thermal runaway in energy storage by fusing gas and swelling signals": Details(
        "电网侧和工商业储能电站、数据中心备用电源的电池安全监测。",
        "Safety monitoring of grid and commercial storage plants and data-centre backup batteries.",
        "Storage plants judge thermal runaway by temperature and voltage, which often alarm "
        "only minutes before a fire, too late to act.",
        "Hydrogen appears over 20 minutes before the temperature rises; cross-checked with "
        "swelling, false alarms drop sharply. No cell or BMS has to be replaced.",
        "Retrofitting a 100 MWh plant costs about ¥600,000, roughly a hundredth of the "
        "average loss from one fire.",
        Picture(
            "blocks",
            "系统框图：氢气、一氧化碳和膨胀力传感器经融合模型接入电池管理系统",
            "Block diagram: hydrogen, CO and swelling sensors feed a fusion model and the BMS",
            labels=("H2 / CO sensors", "Swelling film", "Fusion model", "CAN", "BMS alarm"),
        ),
    ),
    "Double-layer moisture barrier for encapsulating perovskite photovoltaic modules": Details(
        "钙钛矿及钙钛矿/晶硅叠层组件、柔性光伏建筑一体化产品的封装。",
        "Encapsulating perovskite and perovskite–silicon tandem modules and flexible building-integrated PV.",
        "Perovskite cells are very sensitive to moisture and heat; hot lamination leaves "
        "them losing over 20% of their efficiency in damp-heat tests.",
        "The low-temperature process suits flexible and rigid substrates; the barrier nears "
        "OLED thin-film encapsulation at about a third of its cost.",
        "Materials cost about ¥0.03 per watt; one atomic-layer-deposition tool added to an "
        "existing module line is enough.",
        Picture(
            "layers",
            "组件截面示意图：自上而下为玻璃、氧化铝阻水层、钙钛矿电池层、丁基胶边封和背板",
            "Cross-section of the module: glass, alumina barrier, perovskite cell, butyl edge "
            "seal and back sheet, top to bottom",
            labels=(
                "Glass",
                "ALD Al2O3 barrier",
                "Perovskite cell",
                "Butyl edge seal",
                "Back sheet",
            ),
        ),
    ),
    "Hard carbon anode for sodium-ion batteries made from bamboo waste": Details(
        "两轮车、低速车和储能用钠离子电池的负极材料。",
        "Anodes of sodium-ion batteries for two-wheelers, low-speed vehicles and storage.",
        "Sodium-ion anodes rely on imported coconut-shell hard carbon: expensive, unsteady "
        "in supply and low in first-cycle efficiency.",
        "Pre-oxidation tunes the closed pores, raising first-cycle efficiency and capacity "
        "together; the feedstock is collected where bamboo grows in the south.",
        "A thousand-tonne line costs about ¥45 million and pays back in about three years at "
        "today's prices.",
        chart("每吨材料成本（万元）", "cost per tonne (¥10,000)", "", 3.6, 2.1),
    ),
    "Immersion cooling that lets traction batteries charge at 4C": Details(
        "支持超快充的纯电乘用车、重卡换电电池包的热管理。",
        "Thermal management of ultra-fast-charging cars and swappable heavy-truck packs.",
        "Cold plates cannot remove enough heat above 4C: cells drift apart in temperature, "
        "age faster and limit the charging power.",
        "Direct contact transfers about three times as much heat; the fluorinated liquid does "
        "not burn and helps stop thermal runaway spreading.",
        "About ¥1,800 more per car, enough to promise 400 km of range from a 10-minute charge.",
        chart("4C快充时电芯最大温差", "largest cell temperature spread at 4C", " °C", 8.5, 2.8),
    ),
    "Hairpin stator with low AC copper loss for traction motors": Details(
        "新能源乘用车高速驱动电机、电动重卡和工程机械电机。",
        "High-speed traction motors of electric cars, heavy trucks and construction machines.",
        "Hairpin motors fill their slots well, but AC loss soars at high speed and the heat "
        "limits continuous power.",
        "The existing hairpin forming and welding equipment stays; only the conductor layout "
        "and the slot-wedge material change.",
        "At 100,000 motors a year each saves about ¥150 of copper and cooling, and the car "
        "gains about 2% of range.",
        chart(
            "18000 rpm交流铜耗（相对值）", "AC copper loss at 18,000 rpm (relative)", "", 100, 69
        ),
    ),
    "Fault-tolerant control of a dual-redundant electro-mechanical brake-by-wire system": Details(
        "L3级及以上自动驾驶乘用车、无人配送车和线控底盘平台。",
        "Level 3+ automated cars, driverless delivery vehicles and by-wire chassis platforms.",
        "Brake-by-wire drops the hydraulic backup; if a power supply or controller fails, "
        "the car may lose its brakes.",
        "It meets the braking redundancy of high automation without hydraulic lines, and "
        "switches over in about half the time of common designs.",
        "Against an e-booster plus ESP, each car saves about ¥600 of parts and 4.5 kg.",
        Picture(
            "blocks",
            "系统框图：两路独立电源和控制器互相监视，驱动四个电子机械制动器",
            "Block diagram: two independent supplies and controllers watch each other and drive "
            "four electro-mechanical brakes",
            labels=("Supply A", "Controller A", "Cross-check", "Controller B", "4 x EMB"),
        ),
    ),
    "22 kW silicon-carbide bidirectional on-board charger and its control": Details(
        "中高端电动车车载充电机、车网互动（V2G）示范项目和家庭储能联动。",
        "On-board chargers of mid- and high-end EVs, vehicle-to-grid pilots and home storage.",
        "Most on-board chargers are one-way at 6.6–11 kW: they cannot help balance the grid "
        "or AC-charge large packs fast enough.",
        "35% smaller than a silicon design; one control software serves single- and "
        "three-phase grids.",
        "Volume cost is expected at about ¥180 per kW; with demand response an owner can earn "
        "about ¥1,500 a year.",
        chart("功率密度", "power density", " kW/L", 2.6, 4.1),
    ),
    "Long-endurance multirotor drone powered by a hydrogen fuel cell and a buffer battery": Details(
        "电力线路巡检、森林防火巡查、应急通信中继和测绘。",
        "Power-line inspection, forest-fire patrols, emergency relays and surveying.",
        "Line patrols and forest-fire watch need long flights, but battery multirotors rarely "
        "stay up beyond 40 minutes.",
        "The battery takes the peaks of climbing and hovering, which extends fuel-cell life "
        "by about 30%.",
        "The drone costs about ¥380,000; patrolling power lines costs 80% less per 100 km "
        "than a crewed helicopter.",
        chart("载重5公斤续航时间", "endurance with 5 kg payload", " min", 38, 160),
    ),
    "Joint magnetorquer and micro reaction wheel attitude control for small satellites": Details(
        "50公斤级遥感、通信和科学实验微小卫星的姿态控制分系统。",
        "Attitude control of 50 kg-class imaging, communication and science satellites.",
        "Small satellites lack the volume and power for control-moment gyros, and attitude "
        "jitter blurs their images.",
        "Three wheels instead of four still meet the imaging pointing needs, and pointing at "
        "the Earth continues while the wheels unload.",
        "Each satellite's attitude subsystem costs about ¥1.2 million less and weighs 1.6 kg less.",
        Picture(
            "blocks",
            "系统框图：星敏感器和陀螺测量，模型预测控制器分配给三个飞轮和磁力矩器",
            "Block diagram: star tracker and gyro feed a model-predictive controller driving "
            "three wheels and the magnetorquers",
            labels=("Star tracker", "Gyro", "MPC", "3 wheels", "Magnetorquers"),
        ),
    ),
    "Four-element anti-jamming BeiDou receiver": Details(
        "工业无人机、无人船、港口自动化设备和电力授时终端。",
        "Industrial drones, unmanned boats, automated port equipment and grid timing.",
        "Drones and unmanned boats depend on satellite navigation; civil receivers lose lock "
        "or are spoofed off course under jamming.",
        "Four elements reach the jamming depth of seven-element products; spoofing is detected "
        "without inertial aiding.",
        "About ¥16,000 a unit in small batches, a third of comparable imports.",
        chart("可承受干信比", "jamming-to-signal ratio tolerated", " dB", 60, 90),
    ),
    "Rare-earth zirconate double-layer thermal barrier coating for turbine blades": Details(
        "航空发动机和重型燃气轮机高压涡轮叶片、导向叶片的防护。",
        "Protecting high-pressure turbine blades and vanes of aero-engines and gas turbines.",
        "Hotter turbine inlets give more thrust, but today's coatings sinter and spall above "
        "1,200 °C.",
        "Two layers combine insulation with adhesion; the spray process suits existing equipment.",
        "Blades should last twice as long, cutting an engine's lifetime maintenance by about 15%.",
        chart("1200℃热导率", "thermal conductivity at 1,200 °C", " W/(m·K)", 1.5, 0.9),
    ),
    "Multi-cancer early detection from methylation markers in plasma cell-free DNA": Details(
        "体检中心高危人群筛查、肿瘤专科医院辅助诊断和保险健康管理。",
        "Screening at health-check centres, diagnosis support in cancer hospitals, insurers' health plans.",
        "Most cancers are found late; single tumour markers are too insensitive to screen "
        "healthy people.",
        "10 mL of blood suffices and shallow sequencing keeps the sequencing cost near ¥600 a sample.",
        "Priced at about ¥2,000 through health checks; 50,000 tests a year give a gross margin "
        "near 55%.",
        chart("检测灵敏度", "sensitivity", "%", 62, 86.3),
    ),
    "Humanised anti-IL-17A nanobody for treating psoriasis": Details(
        "中重度银屑病、强直性脊柱炎等IL-17介导的自身免疫病治疗。",
        "Moderate-to-severe psoriasis and other IL-17-driven autoimmune diseases.",
        "Today's IL-17A antibodies are large, made in CHO cells and costly, a heavy burden for "
        "long treatment.",
        "A quarter of an antibody's size, expressed at 3.2 g/L in Pichia; long-acting injections "
        "or topical forms are in reach.",
        "Drug substance should cost about 60% less than a CHO-made antibody.",
        Picture(
            "molecule",
            "分子示意图：纳米抗体与白蛋白结合结构域相连",
            "Molecular sketch: the nanobody joined to an albumin-binding domain",
            labels=("VHH", "linker", "ABD"),
        ),
    ),
    "Biodegradable ionisable lipids and lipid nanoparticles for mRNA delivery": Details(
        "mRNA疫苗、蛋白替代疗法和基因编辑药物的递送系统。",
        "Delivery of mRNA vaccines, protein-replacement therapies and gene editing.",
        "mRNA drugs depend on a few foreign-patented lipids with high royalties; some clear "
        "slowly, a worry for repeat dosing.",
        "Our own structures avoid the core patents; ester bonds break them down fast, suiting "
        "therapeutic mRNA given many times.",
        "Four synthetic steps; at kilogram scale about a fifth of the cost of bought lipids.",
        Picture(
            "molecule",
            "分子示意图：可电离头基连接两条含酯键的脂肪链",
            "Molecular sketch: an ionisable head group with two ester-linked tails",
            labels=("N+", "ester", "ester"),
        ),
    ),
    "Serum-free, animal-component-free medium for human mesenchymal stem cells": Details(
        "间充质干细胞药物生产、细胞储存机构和再生医学研究。",
        "Making mesenchymal stem-cell drugs, cell banks and regenerative-medicine research.",
        "Fetal bovine serum varies between batches and may carry pathogens: unfit for a cell "
        "therapy's registration.",
        "Every component is defined and batches are consistent; expansion is about 20% faster "
        "than with imported serum-free media.",
        "About ¥900 per litre to make, a third of the imported price.",
        chart("细胞倍增时间", "population doubling time", " h", 36, 28),
    ),
    "Marker-assisted breeding of the salt-alkali tolerant rice line Bindao 6": Details(
        "沿海滩涂和内陆盐碱地水稻种植、种业公司品种权开发。",
        "Rice on coastal and inland saline land; plant-variety rights for seed companies.",
        "China has much saline land to develop, but current rice yields collapse above 0.3% salt.",
        "Marker-assisted selection cut breeding from eight years to five; grain quality meets "
        "the ministry's grade 2.",
        "On a million mu at about ¥300 more per mu, about ¥300 million more a year.",
        Picture(
            "plots",
            "田间试验小区图：0.4%盐分地块上，滨稻6号小区亩产高于当地主栽品种",
            "Field-trial plots on 0.4% salt land: Bindao 6 plots out-yield the local variety",
            labels=("Bindao 6", "Local variety"),
            values=(536, 454),
            unit=" kg/mu",
        ),
    ),
    "Drip-irrigation decisions from soil moisture and crop evapotranspiration models": Details(
        "新疆、内蒙古等地棉花、玉米和加工番茄的大田滴灌。",
        "Drip irrigation of cotton, maize and processing tomatoes in Xinjiang and Inner Mongolia.",
        "Field drip irrigation runs on habit and timers, wasting water and fertiliser, and "
        "patrols cost labour.",
        "Nodes last over three years on a battery and cover about 50 mu each; the model tunes "
        "itself to crop and soil.",
        "About ¥120 of equipment per mu returns about ¥160 a year in water, fertiliser and labour.",
        Picture(
            "plots",
            "田间分区图：按土壤墒情分区灌溉的地块用水量低于定时灌溉地块",
            "Field zones: plots irrigated by soil moisture use less water than timed plots",
            labels=("Model-driven", "Timed"),
            values=(73, 100),
            unit="% water",
        ),
    ),
    "A Bacillus velezensis strain and a biocontrol agent against tomato bacterial wilt": Details(
        "设施和露地番茄、辣椒、茄子等茄科作物的土传病害防治。",
        "Controlling soil-borne wilt in greenhouse and field tomatoes, peppers and aubergines.",
        "Bacterial wilt devastates nightshade crops; chemicals help little and years of use "
        "harden the soil and leave residues.",
        "It also promotes growth, raising tomato yields by about 12%; the field trials a "
        "microbial-agent registration needs are done.",
        "About ¥45 per mu, below the ¥60 of chemical control.",
        chart("青枯病田间防效", "field control of bacterial wilt", "%", 52, 71.5),
    ),
    "On-farm isothermal rapid test kit for African swine fever virus": Details(
        "规模猪场日常监测、屠宰场和生猪调运检查站的现场筛查。",
        "Routine checks on pig farms and on-site screening at abattoirs and transport checkpoints.",
        "A suspect case means sending samples to a PCR lab, a day or two that delays isolation.",
        "No PCR machine or lab is needed: the farm's vet runs it, at about ¥18 a test.",
        "A 10,000-pig farm uses about 20,000 tests a year; reagents earn a 65% gross margin.",
        chart("出结果时间", "time to result", " min", 2880, 15),
    ),
    "Fermentation that extends chilled yoghurt shelf life and keeps probiotic counts high": Details(
        "区域乳企低温酸奶、益生菌饮品和电商冷链乳品。",
        "Chilled yoghurts, probiotic drinks and online cold-chain dairy of regional dairies.",
        "Chilled yoghurt keeps only 21 days: post-acidification sours it and probiotic counts "
        "fall fast in storage.",
        "No preservative and no new packaging; the strains' whole genomes are sequenced and "
        "their safety assessed.",
        "Longer life lets the cold chain reach 800 km, and near-date losses should fall from 6% to 2%.",
        chart("货架期", "shelf life", " days", 21, 35),
    ),
    "High-moisture extrusion of soy and pea protein into fibrous plant-based meat": Details(
        "植物基鸡块、肉饼、火锅食材和团餐食品的原料。",
        "Plant-based nuggets, patties, hot-pot items and catering food.",
        "Domestic plant meat is mostly rehydrated low-moisture protein: weak fibres, beany taste, "
        "few repeat buyers.",
        "One step, no rehydration or binder; the protein blend tastes much less beany.",
        "Materials and energy cost about ¥13,000 a tonne, about 35% below comparable imports.",
        chart("纤维化取向度", "fibre alignment", "", 0.55, 0.82),
    ),
    "Edible chitosan–nanocellulose coating that keeps strawberries fresh": Details(
        "草莓、蓝莓、樱桃等浆果的产地预冷后处理和电商配送。",
        "Post-harvest treatment and online delivery of strawberries, blueberries and cherries.",
        "Strawberries and other berries rot quickly; without enough cold chain over 30% can be lost.",
        "Food-grade ingredients only, safe to eat; it can be dipped or sprayed.",
        "About ¥120 per tonne of fruit, far below the losses it prevents.",
        chart("室温第5天腐烂率", "fruit rotted by day 5 at room temperature", "%", 46, 8),
    ),
    "Upconversion-fluorescence test strips and reader for organophosphate residues": Details(
        "农贸市场、商超和学校食堂的蔬菜农药残留快速检测。",
        "Rapid pesticide checks on vegetables in markets, supermarkets and school canteens.",
        "Enzyme-inhibition cards used in markets give only yes or no, with many false positives "
        "and results nobody can trace.",
        "Near-infrared excitation ignores the vegetables' own fluorescence; each result is "
        "uploaded with time and place to the regulator.",
        "The reader costs about ¥1,500 and a test about ¥3 of consumables.",
        Picture(
            "blocks",
            "系统框图：试纸条经上转换荧光读取器定量，结果上传监管平台",
            "Block diagram: a test strip is quantified by the upconversion reader and uploaded "
            "to the regulator",
            labels=("Sample", "Test strip", "980 nm reader", "Phone app", "Regulator"),
        ),
    ),
}
