"""Demo results in biomedicine, modern agriculture and food science: pure data."""

from __future__ import annotations

from marketplace.demo.records import Result

RESULTS: tuple[Result, ...] = (
    Result(
        field="biomed",
        title_zh="基于血浆游离DNA甲基化标志物的多癌种早筛检测方法",
        title_en="Multi-cancer early detection from methylation markers in plasma cell-free DNA",
        summary_zh="筛选出覆盖肺癌、肝癌、结直肠癌、胃癌和食管癌的126个甲基化位点，以靶向测序和机器学习分类。"
        "在1850例回顾性样本中特异性98.5%、总体灵敏度86.3%，Ⅰ期癌灵敏度61%，组织溯源准确率83%。",
        summary_en="126 methylation sites covering lung, liver, colorectal, gastric and oesophageal "
        "cancer are read by targeted sequencing and classified by machine learning. In 1,850 "
        "retrospective samples specificity was 98.5% and sensitivity 86.3% (61% at stage I); the "
        "tissue of origin was right in 83% of cases.",
        problem="多数癌症确诊时已到中晚期；单一肿瘤标志物检测灵敏度低，不能用于健康人群筛查。",
        advantage="10毫升外周血即可检测，测序深度要求低，单样本测序成本约600元。",
        economics="体检渠道终端定价约2000元，按年检测5万人次估算毛利率可达55%。",
        keywords=("癌症早筛", "DNA甲基化", "游离DNA", "液体活检"),
        ipc=("C12Q 1/6886", "G16B 40/00"),
        trl=6,
        price_wan=1200,
        modes=("exclusive_licence",),
        patents=("202010733219.8", "PCT/CN2021/106532"),
    ),
    Result(
        field="biomed",
        title_zh="一种抗IL-17A人源化纳米抗体及其在银屑病治疗中的应用",
        title_en="Humanised anti-IL-17A nanobody for treating psoriasis",
        summary_zh="从免疫羊驼文库筛选并经人源化改造的纳米抗体，与IL-17A的亲和力KD为32 pM；"
        "融合白蛋白结合结构域后小鼠半衰期延长至9.6天。咪喹莫特诱导的银屑病模型中皮损评分下降72%，与司库奇尤单抗相当。",
        summary_en="A nanobody from an immunised alpaca library, humanised, binds IL-17A with a KD of "
        "32 pM; an albumin-binding domain stretches its half-life in mice to 9.6 days. In "
        "imiquimod-induced psoriasis the lesion score fell by 72%, on a par with secukinumab.",
        problem="现有IL-17A单抗分子量大、依赖CHO细胞表达，生产成本高，患者长期用药负担重。",
        advantage="分子量约为单抗的四分之一，毕赤酵母发酵表达量3.2 g/L，有望开发成长效皮下或外用制剂。",
        economics="原液生产成本预计比CHO细胞表达的单抗低约60%。",
        keywords=("纳米抗体", "IL-17A", "银屑病", "自身免疫"),
        ipc=("C07K 16/24", "A61P 17/06"),
        trl=4,
        price_wan=2600,
        modes=("assignment", "exclusive_licence", "equity"),
        patents=("202210419657.6",),
    ),
    Result(
        field="biomed",
        title_zh="一类可生物降解的可电离脂质及其mRNA递送脂质纳米粒",
        title_en="Biodegradable ionisable lipids and lipid nanoparticles for mRNA delivery",
        summary_zh="设计合成了38个侧链含酯键的可电离脂质，先导化合物经小鼠肌肉注射后的荧光素酶表达量为SM-102的2.4倍，"
        "72小时内肝脏清除90%以上。制剂在2–8℃保存6个月，粒径变化小于10%。",
        summary_en="38 ionisable lipids with ester-linked tails were made; after intramuscular "
        "injection in mice the lead gives 2.4 times the luciferase expression of SM-102 and over 90% "
        "leaves the liver within 72 hours. The formulation keeps its particle size within 10% after "
        "six months at 2–8 °C.",
        problem="mRNA药物依赖少数国外专利脂质，许可费高，部分脂质体内代谢慢，重复给药存在安全顾虑。",
        advantage="结构自主，可规避核心专利；酯键使其快速降解，适合需多次给药的治疗性mRNA。",
        economics="四步合成，公斤级成本约为外购同类脂质的五分之一。",
        keywords=("mRNA", "脂质纳米粒", "可电离脂质", "药物递送"),
        ipc=("C07C 229/12", "A61K 9/51"),
        trl=4,
        price_wan=None,
        modes=("exclusive_licence", "equity"),
        patents=("202310276184.3",),
        stage="submitted",
    ),
    Result(
        field="biomed",
        title_zh="一种人间充质干细胞无血清无动物源成分培养基",
        title_en="Serum-free, animal-component-free medium for human mesenchymal stem cells",
        summary_zh="以重组人白蛋白、转铁蛋白和六种生长因子组合替代胎牛血清，细胞倍增时间缩短至28小时，"
        "传代至P10仍保持三系分化能力和正常核型。已在三家细胞制备中心完成对比验证。",
        summary_en="Recombinant human albumin, transferrin and six growth factors replace fetal bovine "
        "serum; doubling time drops to 28 hours, and cells keep three-lineage differentiation and a "
        "normal karyotype to passage 10. Three cell-manufacturing centres have compared it with "
        "their media.",
        problem="胎牛血清批间差异大、存在外源病原风险，不符合细胞治疗产品的注册申报要求。",
        advantage="成分完全明确、批间一致；扩增效率比进口无血清培养基高约20%。",
        economics="每升生产成本约900元，约为进口产品售价的三分之一。",
        keywords=("间充质干细胞", "无血清培养基", "细胞治疗"),
        ipc=("C12N 5/0775",),
        trl=7,
        price_wan=450,
        modes=("non_exclusive_licence", "exclusive_licence"),
        patents=("201911163820.1", "202111485017.7"),
    ),
    Result(
        field="agriculture",
        title_zh="耐盐碱水稻新品系“滨稻6号”的分子标记辅助选育方法",
        title_en="Marker-assisted breeding of the salt-alkali tolerant rice line Bindao 6",
        summary_zh="利用耐盐基因SKC1和OsHKT1;5的功能标记进行分子聚合育种。在含盐量0.4%的滨海盐碱地连续三年示范，"
        "平均亩产536公斤，比当地主栽品种增产18%；株高适中、抗倒伏，适合机插机收。",
        summary_en="Functional markers for the salt-tolerance genes SKC1 and OsHKT1;5 guided "
        "marker-assisted pyramiding. Over three years on coastal land with 0.4% salt the line "
        "averaged 536 kg per mu (about 8 t/ha), 18% above the local main variety; it resists lodging "
        "and suits machine transplanting and harvesting.",
        problem="我国有大量可开发的盐碱地，但现有水稻品种在含盐量0.3%以上时严重减产。",
        advantage="标记辅助选择把育种周期由8年缩短到5年；米质达到部颁二级优质米标准。",
        economics="按推广100万亩、每亩增收约300元计，年增效益约3亿元。",
        keywords=("耐盐碱水稻", "分子标记", "盐碱地", "品种选育"),
        ipc=("A01H 6/46", "C12Q 1/6895"),
        trl=8,
        price_wan=300,
        modes=("exclusive_licence",),
        patents=("201810246173.X",),
    ),
    Result(
        field="agriculture",
        title_zh="基于土壤墒情和作物蒸散模型的智能滴灌决策系统",
        title_en="Drip-irrigation decisions from soil moisture and crop evapotranspiration models",
        summary_zh="低功耗墒情节点经NB-IoT回传数据，系统结合天气预报计算作物需水量并自动控制电磁阀分区灌溉。"
        "在新疆棉田两年试验中节水27%、节肥18%，籽棉单产提高9%。",
        summary_en="Low-power soil-moisture nodes report over NB-IoT; combined with weather forecasts "
        "they give the crop's water demand, and zone valves open automatically. Two years in "
        "Xinjiang cotton fields saved 27% of water and 18% of fertiliser and raised seed-cotton "
        "yield by 9%.",
        problem="大田滴灌多凭经验定时灌水，水肥浪费严重，人工巡检成本高。",
        advantage="节点电池寿命超过3年，单节点覆盖约50亩；模型参数按作物和土壤类型自动校准。",
        economics="每亩设备投入约120元，节水节肥和节省人工合计每亩年收益约160元。",
        keywords=("智慧灌溉", "墒情监测", "水肥一体化", "物联网"),
        ipc=("A01G 25/16", "G06Q 50/02"),
        trl=8,
        price_wan=180,
        modes=("non_exclusive_licence", "assignment"),
        patents=("202021684530.X", "202010985126.4"),
    ),
    Result(
        field="agriculture",
        title_zh="一株贝莱斯芽孢杆菌及其防治番茄青枯病的生物菌剂",
        title_en="A Bacillus velezensis strain and a biocontrol agent against tomato bacterial wilt",
        summary_zh="从健康番茄根际分离的贝莱斯芽孢杆菌产生脂肽类抑菌物质，田间防效71.5%，与化学药剂噻菌铜相当。"
        "菌剂经流化床干燥，常温保存18个月活菌数不低于100亿/克。",
        summary_en="A Bacillus velezensis strain from the roots of healthy tomatoes makes "
        "antimicrobial lipopeptides; field control of bacterial wilt reached 71.5%, level with "
        "thiodiazole copper. Fluid-bed drying keeps at least 10¹⁰ live cells per gram after 18 "
        "months at room temperature.",
        problem="青枯病是茄科作物的毁灭性土传病害，化学防治效果有限，长期用药造成土壤板结和残留。",
        advantage="兼有促生作用，番茄增产约12%；已取得农业微生物菌剂登记所需的田间试验报告。",
        economics="每亩用药成本约45元，低于化学防治的约60元。",
        keywords=("生物农药", "芽孢杆菌", "青枯病", "土传病害"),
        ipc=("A01N 63/22", "C12N 1/20"),
        trl=7,
        price_wan=160,
        modes=("assignment", "exclusive_licence"),
        patents=("202110218845.8",),
    ),
    Result(
        field="agriculture",
        title_zh="非洲猪瘟病毒重组酶介导等温扩增现场快速检测试剂盒",
        title_en="On-farm isothermal rapid test kit for African swine fever virus",
        summary_zh="针对B646L基因设计引物与探针，39℃恒温反应15分钟后以侧流试纸条读取结果，检测限10拷贝/反应，"
        "与荧光定量PCR的符合率98.7%（612份样本）。试剂冻干，常温运输。",
        summary_en="Primers and a probe for the B646L gene give a lateral-flow result after 15 "
        "minutes at a constant 39 °C, detecting 10 copies per reaction and agreeing with real-time "
        "PCR in 98.7% of 612 samples. Freeze-dried reagents ship without a cold chain.",
        problem="猪场怀疑疫情时需送样到实验室做PCR，往返一两天，延误隔离和处置。",
        advantage="不需要PCR仪和专业实验室，场内兽医即可操作；单人份成本约18元。",
        economics="万头猪场年用量约2万人份，试剂毛利率约65%。",
        keywords=("非洲猪瘟", "等温扩增", "快速检测", "兽医诊断"),
        ipc=("C12Q 1/70", "G01N 33/569"),
        trl=7,
        price_wan=240,
        modes=("exclusive_licence", "non_exclusive_licence"),
        patents=("201911037592.3",),
    ),
    Result(
        field="food",
        title_zh="一种延长低温酸奶货架期并保持高活菌数的发酵工艺",
        title_en="Fermentation that extends chilled yoghurt shelf life and keeps probiotic counts high",
        summary_zh="选用耐酸的鼠李糖乳杆菌与低后酸化嗜热链球菌组合，发酵终点快速降温。"
        "4℃贮藏35天后pH仅下降0.18，活菌数保持在2×10⁷ CFU/g，感官评分无显著变化。",
        summary_en="An acid-tolerant Lactobacillus rhamnosus is paired with a low-post-acidification "
        "Streptococcus thermophilus, and the batch is chilled fast at the end point. After 35 days at "
        "4 °C the pH drops by only 0.18, live counts stay at 2 × 10⁷ CFU/g and sensory scores hold.",
        problem="低温酸奶货架期一般仅21天，后酸化使口感变酸，益生菌活菌数随贮藏快速下降。",
        advantage="不添加防腐剂、不改包装；菌株已完成全基因组测序和安全性评价。",
        economics="货架期延长后冷链配送半径可达800公里，临期损耗率预计由6%降到2%。",
        keywords=("益生菌", "酸奶", "后酸化", "货架期"),
        ipc=("A23C 9/123", "C12N 1/20"),
        trl=7,
        price_wan=220,
        modes=("non_exclusive_licence", "assignment"),
        patents=("202010457718.9",),
    ),
    Result(
        field="food",
        title_zh="基于高水分挤压的大豆—豌豆复合蛋白植物肉纤维化工艺",
        title_en="High-moisture extrusion of soy and pea protein into fibrous plant-based meat",
        summary_zh="大豆分离蛋白与豌豆蛋白按6:4复配，在58%含水量下双螺杆挤压，专用冷却模头使纤维取向度达到0.82，"
        "咀嚼性接近鸡胸肉。产品蛋白质含量22%，不使用转基因原料。",
        summary_en="Soy isolate and pea protein blended 6:4 are extruded at 58% moisture in a "
        "twin-screw extruder; a purpose-built cooling die gives a fibre alignment of 0.82 and a chew "
        "close to chicken breast. The product has 22% protein and no genetically modified "
        "ingredients.",
        problem="国产植物肉多由低水分组织化蛋白复水制成，纤维感弱、豆腥味重，消费者复购率低。",
        advantage="一步成型，无需复水和黏合剂；复合蛋白的豆腥味明显降低。",
        economics="每吨原料和能耗成本约1.3万元，比进口同类产品低约35%。",
        keywords=("植物肉", "高水分挤压", "大豆蛋白", "豌豆蛋白"),
        ipc=("A23J 3/26", "A23J 3/16"),
        trl=6,
        price_wan=180,
        modes=("assignment", "non_exclusive_licence"),
        patents=("202111630842.1",),
    ),
    Result(
        field="food",
        title_zh="一种壳聚糖—纳米纤维素复合可食涂膜及其在草莓保鲜中的应用",
        title_en="Edible chitosan–nanocellulose coating that keeps strawberries fresh",
        summary_zh="涂膜在果面形成约5微米的透气阻水层，并缓慢释放肉桂精油。常温下第5天草莓腐烂率8%，未涂膜对照为46%；"
        "4℃下保鲜期由5天延长到12天，风味和维生素C损失小。",
        summary_en="The coating forms a breathable, water-holding layer about 5 µm thick and slowly "
        "releases cinnamon oil. At room temperature 8% of coated strawberries had rotted by day 5, "
        "against 46% uncoated; at 4 °C shelf life grows from 5 to 12 days with little loss of "
        "flavour or vitamin C.",
        problem="草莓等浆果采后极易腐烂，冷链覆盖不足时损耗率可达30%以上。",
        advantage="原料全部为食品级，可直接食用；浸涂和喷涂两种方式均可。",
        economics="每吨鲜果处理成本约120元，远低于其减少的损耗。",
        keywords=("果蔬保鲜", "可食涂膜", "壳聚糖", "草莓"),
        ipc=("A23B 7/16", "A23B 7/154"),
        trl=6,
        price_wan=90,
        modes=("non_exclusive_licence",),
        patents=("202210871309.2",),
    ),
    Result(
        field="food",
        title_zh="基于上转换荧光的有机磷农药残留快速检测试纸及读取装置",
        title_en="Upconversion-fluorescence test strips and reader for organophosphate residues",
        summary_zh="将上转换纳米粒子与乙酰胆碱酯酶抑制反应结合，手机大小的读取器10分钟内给出毒死蜱、敌敌畏等6种农药的定量结果，"
        "检测限0.01 mg/kg，低于国家标准规定的最大残留限量。",
        summary_en="Upconversion nanoparticles are coupled to an acetylcholinesterase-inhibition "
        "reaction; a phone-sized reader quantifies six organophosphates, among them chlorpyrifos "
        "and dichlorvos, within ten minutes. The 0.01 mg/kg detection limit is below the national "
        "maximum residue limits.",
        problem="农贸市场常用的酶抑制速测卡只能定性判断，假阳性多，结果难以追溯。",
        advantage="近红外激发几乎不受蔬菜背景荧光干扰；结果带时间和地点自动上传监管平台。",
        economics="读取器成本约1500元，单次检测耗材约3元。",
        keywords=("农药残留", "快速检测", "上转换荧光", "食品安全"),
        ipc=("G01N 21/64", "G01N 33/02"),
        trl=6,
        price_wan=150,
        modes=("exclusive_licence", "non_exclusive_licence"),
        patents=("202011374265.X", "202022870413.9"),
    ),
)
