"""Compositional article texts for the ground-truth corpus.

Banks of names, organisations, places, topics and sentence templates, put
together by a seeded ``random.Random`` into many distinct Chinese and English
articles and briefs.  Everything here is plain data; nothing draws.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field


@dataclass(slots=True)
class PersonRef:
    name: str
    role: str  # reporter | correspondent | intern | photographer | writer | agency | author | mentioned
    title: str = ""


@dataclass(slots=True)
class ArticleText:
    """One article's text as written, before it is set on a page."""

    language: str  # zh | en
    kind: str  # article | brief
    headline: str
    paragraphs: list[str]
    kicker: str = ""
    subheadline: str = ""
    byline: str = ""  # a "\n" marks a forced line break between credit lines
    # where the byline is printed: end_line | end_appended | under_headline | in_dateline | none
    byline_position: str = "end_line"
    byline_extra: str = ""  # second byline line (English "Staff Writer"), not part of the byline
    byline_printed: str = ""  # the credit as set when it differs from ``byline``: （峤聿） for the pen name 峤聿
    credit_form: str = ""  # which printed credit form (REAL_CREDIT_FORMS); "" for the project's own forms
    people: list[PersonRef] = field(default_factory=list)
    caption_people: list[PersonRef] = field(default_factory=list)  # credited by the caption (a photo credit in it)
    dateline: str = ""
    dateline_date: dt.date | None = None
    dateline_place: str = ""
    caption: str = ""
    topic: str = ""


# --------------------------------------------------------------------------
# Chinese banks
# --------------------------------------------------------------------------

ZH_SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段")
ZH_GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红志斌辉庆宝岭曦岩爽毅晨阳鹏飞宇浩然欣怡俊杰海燕文博雪梅立新振东凯旭亮春玲")
ZH_REPORTERS_FIXED = ["孙庆辉", "冯志斌", "方宝岭", "李超", "王敏", "王磊"]

ZH_OFFICIAL_TITLES = [
    "高新区党工委副书记、管委会主任",
    "高新区党工委书记",
    "高新区管委会副主任",
    "区创新发展局副局长",
    "区创新发展局局长",
    "区城市管理局局长",
    "区建设环保局副局长",
    "枫杨办事处党工委书记",
    "石佛办事处主任",
    "区社会事业局局长",
    "区卫生健康委员会主任",
    "区教育文化体育局局长",
    "区应急管理局局长",
    "区财政金融局副局长",
    "市生态环境局高新分局局长",
    "区交通运输局副局长",
]
ZH_ORG_TITLES = ["党委书记、行长", "副行长", "董事长", "总经理", "副总裁", "院长", "校长", "总工程师", "负责人"]
ZH_BANKS = ["渤海银行郑州分行", "中国民生银行郑州分行", "中原银行", "郑州银行", "兴业银行郑州分行", "招商银行郑州分行", "浦发银行郑州分行"]
ZH_COMPANIES = [
    "中电光谷集团", "汉威科技集团", "宇通客车", "中铁装备集团", "新开普电子", "郑州煤矿机械集团", "河南投资集团",
    "森霸传感科技", "中原大数据中心", "辉煌科技", "安图生物", "郑州地铁集团", "河南移动", "中国联通河南分公司",
]
ZH_INSTITUTIONS = [
    "郑州大学", "河南工业大学", "郑州轻工业大学", "郑州市第一人民医院", "河南省人民医院", "郑州大学第一附属医院",
    "高新区实验小学", "郑州外国语中学", "高新区疾控中心", "高新区人民法院",
]
ZH_PLACES = ["郑州高新区", "高新区", "枫杨办事处", "石佛办事处", "沟赵办事处", "双桥办事处", "梧桐办事处", "五龙口办事处"]
ZH_STREETS = ["科学大道", "莲花街", "西四环", "化工路", "长椿路", "翠竹街", "红松路", "雪松路", "银屏路", "梧桐街", "须水河"]
ZH_CITIES = ["北京", "郑州", "上海", "广州", "武汉", "西安", "南京", "杭州"]
ZH_AGENCIES = ["新华社", "中新社"]
ZH_PAPERS = {"gxsb": "高新时报", "zzrb": "郑州日报", "zysb": "中原商报", "hnrb": "河南日报"}

# topic -> (headline templates, lead templates, body sentences, kicker, subheadline templates, caption templates)
ZH_TOPICS: dict[str, dict[str, list[str]]] = {
    "疫情防控": {
        "headline": ["{place}全力筑牢疫情防控防线", "守好入市卡口 织密防控网络", "{place}部署疫情防控重点工作",
                     "疫情防控不松劲 复工复产两不误", "{place}开展核酸检测应急演练"],
        "lead": ["{official}主持召开疫情防控工作会议，研究部署下一阶段重点工作",
                 "{place}组织召开疫情防控专题会议，要求各单位压实四方责任",
                 "记者从{place}获悉，辖区内{n}个核酸采样点已全部投入使用"],
        "body": ["当前疫情防控形势仍然严峻复杂，全区上下要强化底线思维，采取更严措施。",
                 "要守好入市交通卡口的外防输入第一道防线，保持高度警惕，时刻关注疫情形势变化。",
                 "要关心关爱一线人员，合理调配轮换专班力量，做好后勤服务保障。",
                 "{official2}表示，将进一步完善网格化、网络化、智能化一体协同的社会治理体系。",
                 "各社区要抓紧时间进入角色、摸清底子，尽快完成辖区内重点人群、重点场所的数据统计。",
                 "截至{m}月{d}日，{place}累计设置便民采样点{n}个，投入工作人员{n2}余名。",
                 "要坚持“社区吹哨、党员报到”的工作机制，确保底数清、情况明。"],
        "kicker": ["坚决打好疫情防控阻击战", "外防输入 内防反弹"],
        "sub": ["——{place}多措并举织密防控网", "——记{place}一线防疫工作者"],
        "caption": ["{place}工作人员在{street}采样点为居民进行核酸采样。", "志愿者在小区门口引导居民有序排队。"],
    },
    "金融合作": {
        "headline": ["{bank}与高新区深化金融合作", "{bank}高新区支行将落地", "金融活水精准滴灌科技企业",
                     "高新区与{bank}签署战略合作协议"],
        "lead": ["{official}会见了{bank}{otitle}{person2}一行",
                 "高新区与{bank}举行战略合作签约仪式，双方将在普惠金融、科技金融等领域开展合作",
                 "{bank}高新区支行筹备工作进入冲刺阶段，预计{m}月底正式开业"],
        "body": ["{person2}介绍了{bank}近年来的业务发展情况及机构建设布局。",
                 "{official2}对{bank}在郑州高新区设立支行表示高度赞赏和热烈欢迎。",
                 "双方表示，将在科技企业信贷、供应链金融、园区建设等方面深化合作，实现互利共赢。",
                 "根据协议，{bank}将在未来三年内为区内企业提供不低于{n}亿元的意向性授信。",
                 "高新区将持续优化营商环境，为金融机构落地发展提供优质高效的服务。",
                 "区创新发展局、{bank}普惠金融部及高新区支行筹备组负责人参加会见。"],
        "kicker": ["金融赋能实体经济", "优化营商环境"],
        "sub": ["——三年意向授信不低于{n}亿元", "——双方将在科技金融领域深度合作"],
        "caption": ["签约仪式现场。", "{bank}工作人员为企业讲解金融产品。"],
    },
    "招商引资": {
        "headline": ["{company}项目落户{place}", "高新区招商引资再传捷报", "{n}个重点项目集中签约",
                     "{company}区域总部项目开工"],
        "lead": ["{place}举行重点项目集中签约仪式，{n}个项目现场签约，总投资{n2}亿元",
                 "{official}会见了{company}{otitle}{person2}一行，双方就项目落地进行深入交流",
                 "{company}区域总部项目在{street}正式开工建设"],
        "body": ["此次签约项目涵盖智能传感器、网络安全、生物医药、新材料等领域。",
                 "{person2}表示，{company}看好郑州高新区的发展前景，将加快推进项目建设。",
                 "{official2}指出，要以项目建设为抓手，坚持“一个项目、一名领导、一套班子”推进机制。",
                 "项目建成后，预计年产值可达{n}亿元，新增就业岗位{n2}个。",
                 "高新区将做好要素保障，确保项目早开工、早投产、早见效。"],
        "kicker": ["跑出项目建设加速度", "抢抓机遇促发展"],
        "sub": ["——总投资{n2}亿元", "——{place}全力冲刺“开门红”"],
        "caption": ["项目签约现场。", "{company}项目施工现场。"],
    },
    "安置房建设": {
        "headline": ["{place}安置房建设提速", "安置房项目交付 {n2}户群众喜迁新居", "倒排工期 挂图作战 确保安置房按期交付",
                     "{place}安置房项目主体封顶"],
        "lead": ["{place}安置房项目现场一派繁忙景象，{n}台塔吊同时作业",
                 "{official}带队实地督导安置房建设工作",
                 "位于{street}的安置房项目迎来首批回迁群众"],
        "body": ["该项目总建筑面积约{n}万平方米，共建设安置房{n2}套。",
                 "目前，项目主体结构已全部封顶，正在进行内外墙装饰施工。",
                 "{official2}要求，要倒排工期、挂图作战，确保群众早日回迁。",
                 "项目同步配套建设幼儿园、社区服务中心和地下停车场。",
                 "为方便群众办理回迁手续，办事处在小区设立了服务专窗。"],
        "kicker": ["民生实事办到群众心坎上", "让群众早日住上新房"],
        "sub": ["——{place}安置房建设见闻", "——确保年底前全部交付"],
        "caption": ["安置房项目施工现场。", "回迁群众领取新房钥匙。"],
    },
    "城市防汛": {
        "headline": ["{place}开展城市防汛应急演练", "未雨绸缪 备战汛期", "{place}全面排查城市内涝风险点",
                     "{street}雨水管网改造完工"],
        "lead": ["为切实做好城市防汛工作，{place}在{street}开展防汛应急演练",
                 "{official}带队检查城市防汛准备工作",
                 "记者从区城市管理局获悉，{street}雨水管网改造工程已顺利完工"],
        "body": ["本次演练模拟短时强降雨造成道路积水，检验了各部门的应急处置能力。",
                 "全区共排查城市内涝风险点{n}处，已全部建立台账、明确责任人。",
                 "{official2}强调，要吸取郑州市“7·20”特大暴雨灾害教训，坚决守住安全底线。",
                 "各单位要储备充足的防汛物资，落实24小时值班值守制度。",
                 "改造后的管网排水能力提升约{n}%，有效缓解了该路段雨天积水问题。"],
        "kicker": ["守护城市安全度汛", "防汛无小事"],
        "sub": ["——排查风险点{n}处", "——检验应急处置能力"],
        "caption": ["防汛应急演练现场。", "工作人员检查排水设施。"],
    },
    "教育": {
        "headline": ["{institution}新校区投入使用", "{place}新增学位{n2}个", "课后服务让学生学得好家长更放心",
                     "{institution}举办科技节"],
        "lead": ["{institution}新校区日前正式投入使用，可提供学位{n2}个",
                 "{place}今年新建改扩建中小学{n}所，新增学位{n2}个",
                 "{institution}举办第{n}届校园科技节，全校师生踊跃参与"],
        "body": ["新校区占地约{n}亩，建有教学楼、实验楼、图书馆和标准化运动场。",
                 "学校开设了编程、机器人、书法、合唱等{n}门课后服务课程。",
                 "{official2}表示，将持续加大教育投入，办好人民满意的教育。",
                 "家长们纷纷表示，课后服务解决了接孩子难的问题。",
                 "活动期间，学生们展示了自制的航模、智能小车等科技作品。"],
        "kicker": ["办好人民满意的教育", "双减政策落地见效"],
        "sub": ["——{place}教育事业稳步发展", "——学生在实践中体验科技魅力"],
        "caption": ["学生在科技节上展示作品。", "{institution}新校区。"],
    },
    "医疗": {
        "headline": ["{institution}高新院区开诊", "家门口就能看专家", "{place}推进紧密型医共体建设",
                     "{institution}开展义诊进社区活动"],
        "lead": ["{institution}高新院区正式开诊，开放床位{n2}张",
                 "{institution}组织专家团队走进{place}开展义诊活动",
                 "{place}社区卫生服务中心与{institution}签约组建医联体"],
        "body": ["院区设有心血管内科、呼吸内科、儿科等{n}个临床科室。",
                 "义诊现场，专家们为居民测量血压、血糖，并耐心解答健康问题。",
                 "{official2}表示，要让群众在家门口享受到优质医疗资源。",
                 "当天共接诊群众{n2}余人次，发放健康宣传资料{n}份。",
                 "下一步，医联体将实现检查结果互认、专家定期坐诊。"],
        "kicker": ["健康服务零距离", "优质医疗资源下沉"],
        "sub": ["——开放床位{n2}张", "——专家团队定期坐诊"],
        "caption": ["医生为居民测量血压。", "{institution}高新院区门诊大厅。"],
    },
    "交通": {
        "headline": ["{street}快速路改造工程开工", "地铁站点周边道路完成提升", "{place}新开通公交线路{n}条",
                     "{street}断头路打通"],
        "lead": ["{street}快速路改造工程正式开工，预计明年{m}月建成通车",
                 "记者从区交通运输局获悉，{place}今年将新开通公交线路{n}条",
                 "随着最后一段路面摊铺完成，{street}断头路正式打通"],
        "body": ["工程全长约{n}公里，按照城市主干路标准建设。",
                 "通车后，将有效缓解周边道路交通压力，方便群众出行。",
                 "{official2}要求，施工单位要落实文明施工措施，减少对群众出行的影响。",
                 "新线路途经{n2}个站点，覆盖多个居民小区和产业园区。",
                 "施工期间，交警部门在路口设置了绕行提示标志。"],
        "kicker": ["畅通城市微循环", "让群众出行更便捷"],
        "sub": ["——全长约{n}公里", "——预计明年建成通车"],
        "caption": ["{street}施工现场。", "新开通的公交车驶出站台。"],
    },
    "环保": {
        "headline": ["{place}打好蓝天保卫战", "环保督察反馈问题整改清零", "{street}河道生态治理见成效",
                     "{place}开展扬尘污染专项整治"],
        "lead": ["{place}召开生态环境保护工作会议，部署大气污染防治重点任务",
                 "记者从市生态环境局高新分局获悉，环保督察反馈问题已全部完成整改",
                 "经过一年多的综合治理，{street}河道水质明显改善"],
        "body": ["今年以来，全区优良天数达到{n2}天，同比增加{n}天。",
                 "执法人员对辖区建筑工地进行了拉网式排查，督促落实“六个百分之百”要求。",
                 "{official2}强调，环保督察反馈的问题要销号清零，绝不能反弹。",
                 "治理后的河道两岸绿树成荫，成为市民休闲健身的好去处。",
                 "下一步，将建立长效管理机制，巩固治理成果。"],
        "kicker": ["守护绿水青山", "持续改善生态环境"],
        "sub": ["——优良天数同比增加{n}天", "——建立长效管理机制"],
        "caption": ["治理后的{street}河道。", "执法人员检查工地扬尘防控措施。"],
    },
    "科技": {
        "headline": ["{company}发布智能传感器新品", "高新区新增国家高新技术企业{n2}家", "创新平台建设跑出加速度",
                     "{institution}科研成果在高新区转化"],
        "lead": ["{company}在高新区发布新一代智能传感器产品",
                 "记者从区创新发展局获悉，去年高新区新增国家高新技术企业{n2}家",
                 "{institution}与{company}共建联合实验室揭牌"],
        "body": ["该产品在精度、功耗等指标上达到国内领先水平。",
                 "目前，高新区已集聚各类创新平台{n2}个，其中国家级平台{n}个。",
                 "{official2}表示，要坚持创新驱动发展，加快建设国家创新高地。",
                 "联合实验室将围绕物联网、人工智能等方向开展技术攻关。",
                 "高新区将持续完善科技企业梯次培育体系，推动更多成果就地转化。"],
        "kicker": ["建设国家创新高地", "创新驱动高质量发展"],
        "sub": ["——国家级平台达{n}个", "——产学研合作结硕果"],
        "caption": ["新品发布会现场。", "科研人员在实验室工作。"],
    },
    "安全生产": {
        "headline": ["{place}开展安全生产大检查", "筑牢安全生产防线", "{place}举行消防应急演练",
                     "安全生产专项整治三年行动收官"],
        "lead": ["{official}带队检查企业安全生产工作",
                 "{place}在{street}举行消防应急演练，{n}家单位参加",
                 "区应急管理局组织开展安全生产大检查，共排查隐患{n2}处"],
        "body": ["检查组深入企业生产车间、仓库等重点部位，详细了解安全生产责任制落实情况。",
                 "{official2}强调，安全生产的神经要时刻绷紧，决不能有丝毫松懈。",
                 "对检查中发现的隐患，已全部下达整改通知书，限期整改到位。",
                 "演练模拟了厂房突发火情，参演人员迅速疏散、科学施救。",
                 "各企业要落实主体责任，加强员工安全培训，坚决遏制事故发生。"],
        "kicker": ["安全生产责任重于泰山", "守牢安全底线"],
        "sub": ["——排查隐患{n2}处", "——{n}家单位参加演练"],
        "caption": ["消防应急演练现场。", "检查组在企业车间检查。"],
    },
}

ZH_GENERIC = [
    "{official2}指出，要坚持以人民为中心的发展思想，把群众的事当作自己的事来办。",
    "会议要求，各部门要提高政治站位，强化责任担当，确保各项工作落地见效。",
    "要把当前稳中有进、稳中向好的态势巩固好、发展好，以优异成绩迎接党的二十大胜利召开。",
    "{place}相关负责人表示，下一步将进一步完善工作机制，加强统筹协调，形成工作合力。",
    "全区上下要围绕“四个高地”建设、基层治理、党的建设等重大任务，倒排工期、挂图作战。",
    "要把省市政府工作报告涉及高新区的任务台账化、清单化、项目化，确保落地落细落实。",
    "据介绍，今年以来{place}累计投入资金{n}亿元，惠及群众{n2}余户。",
    "各单位要加强宣传引导，及时回应群众关切，营造全社会共同参与的良好氛围。",
    "要守住底线不破防，疫情防控的底线要坚决守住，安全生产的神经要时刻绷紧。",
    "{official2}要求，要建立健全长效机制，坚持问题导向，做到发现一处、整改一处、销号一处。",
    "区纪工委监察工委将对工作落实情况开展专项督查，对工作不力的严肃追责问责。",
    "市民{resident}告诉记者，这些变化大家都看在眼里，心里觉得很踏实。",
    "据统计，截至{m}月{d}日，相关工作已完成年度目标任务的{n}%。",
    "现场，与会人员还就下一步工作进行了深入交流，并提出了意见建议。",
]

ZH_BRIEF_TITLES = [
    "{place}开展消防安全培训", "{institution}举办开放日活动", "{street}路段临时交通管制", "{place}举办招聘会",
    "{company}获评省级专精特新企业", "{place}开展反诈宣传", "{institution}组织义务植树", "{place}召开安全生产例会",
    "{bank}开展金融知识进社区", "{place}举办读书分享会",
]
ZH_BRIEF_BODY = [
    "近日，{place}组织辖区企业开展{topic_word}，{n2}余人参加。",
    "活动现场，工作人员通过发放宣传资料、现场讲解等方式普及相关知识。",
    "本次活动共提供就业岗位{n2}个，达成初步就业意向{n}人。",
    "据了解，此类活动今年将常态化开展。",
    "因施工需要，{street}部分路段将于{m}月{d}日起实施临时交通管制，请过往车辆绕行。",
    "{company}凭借在细分领域的技术优势，成功入选省级专精特新企业名单。",
]
ZH_TOPIC_WORDS = ["消防安全培训", "反电信诈骗宣传", "垃圾分类宣传", "防汛知识讲座", "文明城市创建活动"]

ZH_HEADLINE_FORMS = [
    "{place}召开{topic}工作推进会", "{place}扎实推进{topic}工作", "{topic}工作取得阶段性成效",
    "{place}部署{topic}重点任务", "{official2short}调研{topic}工作", "{place}{topic}工作见闻",
    "聚焦{topic} 办好民生实事", "{place}多措并举抓好{topic}",
]

ZH_NUMERALS = "〇一二三四五六七八九"


def zh_name(rng: random.Random) -> str:
    """A plausible two- or three-character personal name."""
    given = "".join(rng.choice(ZH_GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(ZH_SURNAMES) + given


def fullwidth_digits(s: str) -> str:
    return "".join(chr(ord(c) - ord("0") + ord("０")) if c.isdigit() else c for c in s)


def zh_numeral(n: int) -> str:
    """1..31 in Chinese numerals: 二十八."""
    if n < 10:
        return ZH_NUMERALS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else ZH_NUMERALS[tens]
    return head + "十" + (ZH_NUMERALS[ones] if ones else "")


def resolve_month_day(month: int, day: int, edition_date: dt.date) -> dt.date:
    """The date of a month/day dateline: the year of the edition, or the
    previous year when that would put it after the edition (12月31日 in a
    1 January edition)."""
    d = dt.date(edition_date.year, month, day)
    if d > edition_date:
        d = dt.date(edition_date.year - 1, month, day)
    return d


def recent_date(rng: random.Random, edition_date: dt.date, max_back: int = 9) -> dt.date:
    return edition_date - dt.timedelta(days=rng.randint(1, max_back))


ZH_NUMBERS = {"n": (3, 60), "n2": (100, 2000)}
EN_NUMBERS = {"n": (2, 30), "n2": (12, 900)}


def _fill(rng: random.Random, template: str, ctx: dict[str, str],
          numbers: dict[str, tuple[int, int]] = ZH_NUMBERS) -> str:
    """Fill ``{slot}``s from ``ctx``; every ``{n}``/``{n2}`` gets a fresh number."""
    out = template
    for key, (lo, hi) in numbers.items():
        while "{" + key + "}" in out:
            out = out.replace("{" + key + "}", str(rng.randint(lo, hi)), 1)
    for key, value in ctx.items():
        out = out.replace("{" + key + "}", value)
    return out


def _zh_context(rng: random.Random, when: dt.date) -> tuple[dict[str, str], list[PersonRef]]:
    official, official2, person2, resident = zh_name(rng), zh_name(rng), zh_name(rng), zh_name(rng)
    title, title2 = rng.sample(ZH_OFFICIAL_TITLES, 2)
    otitle = rng.choice(ZH_ORG_TITLES)
    ctx = {
        "place": rng.choice(ZH_PLACES),
        "street": rng.choice(ZH_STREETS),
        "bank": rng.choice(ZH_BANKS),
        "company": rng.choice(ZH_COMPANIES),
        "institution": rng.choice(ZH_INSTITUTIONS),
        "official": f"{title}{official}",
        "official2": f"{title2}{official2}",
        "official2short": official2,
        "otitle": otitle,
        "person2": person2,
        "resident": resident,
        "n": str(rng.randint(3, 60)),
        "n2": str(rng.randint(100, 2000)),
        "m": str(when.month),
        "d": str(when.day),
        "topic_word": rng.choice(ZH_TOPIC_WORDS),
    }
    people = [
        PersonRef(official, "mentioned", title),
        PersonRef(official2, "mentioned", title2),
        PersonRef(person2, "mentioned", otitle),
        PersonRef(resident, "mentioned", "市民"),
    ]
    return ctx, people


def _mentioned(people: list[PersonRef], text: str) -> list[PersonRef]:
    return [p for p in people if p.name in text]


# role words printed before names in a Chinese credit, and closing credit words after them
ZH_CREDIT_ROLES = {"本报记者": "reporter", "记者": "reporter", "通讯员": "correspondent", "实习生": "intern"}
ZH_CREDIT_SUFFIXES = {"摄": ("photographer",), "文/图": ("writer", "photographer")}


def zh_credit_people(byline: str) -> list[PersonRef]:
    """The people of a Chinese credit, read from the credit as printed.

    A role word (记者, 通讯员, 实习生) gives its role to the names after it; a
    closing 摄 makes every name of its line a photographer (only), a closing
    文/图 a writer and a photographer.  A paper's name is no person.  Lines are split at "\n"."""
    people: list[PersonRef] = []
    papers = set(ZH_PAPERS.values())

    def add(name: str, role: str) -> None:
        if all((q.name, q.role) != (name, role) for q in people):
            people.append(PersonRef(name, role))

    for line in byline.split("\n"):
        role = ""
        names: list[str] = []
        for tok in line.replace("、", " ").split():
            if tok in ZH_CREDIT_ROLES:
                role = ZH_CREDIT_ROLES[tok]
            elif tok in ZH_CREDIT_SUFFIXES:
                if tok == "摄":  # a photo credit: its names took the picture and wrote nothing
                    people[:] = [q for q in people if q.name not in names]
                for name in names:
                    for r in ZH_CREDIT_SUFFIXES[tok]:
                        add(name, r)
            elif tok in papers:  # 高新时报 袁辉旭 文/图: a credit of its own
                role, names = "", []
            else:
                names.append(tok)
                if role:
                    add(tok, role)
    return people


def _zh_byline(rng: random.Random, paper: str = "高新时报") -> tuple[str, list[PersonRef], str]:
    """(byline text, people as the byline prints them, printed position)."""
    text, where = _zh_byline_text(rng, paper)
    return text, zh_credit_people(text), where


def _zh_byline_text(rng: random.Random, paper: str) -> tuple[str, str]:
    """(byline text, printed position)."""
    form = rng.randrange(8)
    a, b = zh_name(rng) if rng.random() < 0.7 else rng.choice(ZH_REPORTERS_FIXED), zh_name(rng)
    sep = rng.choice((" ", "、"))
    where = rng.choice(["end_line", "end_line", "under_headline"])  # 本报记者 X under the headline, 人民日报 style
    if form == 0:
        return f"记者 {a} 通讯员 {b}", where
    if form == 1:
        return f"本报记者 {a}{sep}{b}", where
    if form == 2:
        return f"记者 {a} 实习生 {b}", "end_appended"
    if form == 3:
        return f"记者 {a}", "end_appended"
    if form == 4:
        return f"{paper} {a} 文/图", "end_line"
    if form == 5:
        return f"{a} 文/图", "end_line"
    if form == 7:  # two credit lines, as on the seed page: the reporter, then the photo credit
        return f"记者 {a}\n{paper} {b} 文/图", "end_line"
    if rng.random() < 0.5:
        return f"记者 {a} 摄", "end_line"
    return f"记者 {a} 通讯员 {b} 摄", "end_line"


def _zh_dateline(rng: random.Random, edition_date: dt.date, when: dt.date) -> tuple[str, str, dt.date | None, str]:
    """(dateline as printed, joiner to the lead, date, place)."""
    form = rng.randrange(9)
    md = f"{when.month}月{when.day}日"
    if form == 8:
        return "", "", None, ""  # no dateline: the text starts at once
    if form <= 2:
        return f"本报讯 {md}", "，", when, ""
    if form == 3:
        return f"本报讯 {fullwidth_digits(md)}", "，", when, ""
    if form == 4:
        return f"本报讯 {zh_numeral(when.month)}月{zh_numeral(when.day)}日", "，", when, ""
    city = rng.choice(ZH_CITIES)
    if form == 5:
        return f"本报{city}{md}电", " ", when, city
    if form == 6:
        return f"{rng.choice(ZH_AGENCIES)}{city}{md}电", " ", when, city
    return "本报讯", "", None, ""  # byline in the dateline: 本报讯（记者 李超）


# --------------------------------------------------------------------------
# credits as real papers print them (EditionConfig.credits == "real")
# --------------------------------------------------------------------------

ZH_CITIES_MORE = ["牡丹江", "石家庄", "乌鲁木齐", "呼和浩特", "齐齐哈尔", "哈尔滨", "比勒陀利亚", "广州", "北京"]
ZH_POSTS = ["加拿大", "上海", "联合国", "日本", "广东", "美国"]
ZH_COMPOUND = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫"]
ZH_MINORITY = ["阿依古丽·吾斯曼", "买买提·艾力", "热依拉·托乎提", "次仁·多吉", "阿不都·热合曼", "古丽娜·艾山"]
ZH_PEN_NAMES = ["峤聿", "雨田", "晓白", "忠辉", "允端", "晓章", "清水", "悠棠", "百合", "大农", "政文"]
ZH_SOURCES: list[tuple[str, list[str]]] = [
    ("新华社", ["新华社"]), ("据《经济日报》", ["经济日报"]), ("本报综合", ["本报"]), ("据新华社电", ["新华社"]),
    ("综合新华社、中新社电", ["新华社", "中新社"]), ("本报专电", ["本报"]), ("据《人民日报》", ["人民日报"]),
]
# every form the real-credit generator prints (the README's role table lists them with examples)
REAL_CREDIT_FORMS = (
    "lead_dian", "lead_benbao_dian", "lead_xun_bracket", "lead_xun_runin", "lead_city", "posted", "bare_head",
    "bare_end", "pen_name", "glued_names", "source", "photo_line", "photo_bracket", "joined", "caption_photo",
)


def zh_special_name(rng: random.Random) -> str:
    """A compound-surname name (欧阳晓明) or a dotted minority name (买买提·艾力)."""
    if rng.random() < 0.5:
        return rng.choice(ZH_COMPOUND) + "".join(rng.choice(ZH_GIVEN) for _ in range(rng.choice((1, 2))))
    return rng.choice(ZH_MINORITY)


def zh_real_credit(rng: random.Random, when: dt.date) -> dict:
    """One real-paper credit form, with the truth it carries.

    Returns a dict: form, byline (as the truth records it), printed (as set, when
    it differs), position (end_line | end_appended | under_headline | in_dateline),
    people, and for lead forms dateline, joiner, date, place, lead_prefix (the
    text between the dateline and the first sentence: （记者X、Y） / 记者X报道：)."""
    form = rng.choice(REAL_CREDIT_FORMS)
    a, b = zh_name(rng), zh_name(rng)
    md = f"{when.month}月{when.day}日"
    r = {"form": form, "byline": "", "printed": "", "position": "end_line", "people": [],
         "dateline": None, "joiner": "", "date": None, "place": "", "lead_prefix": ""}
    if form in ("lead_dian", "lead_benbao_dian"):
        city = rng.choice(ZH_CITIES + ZH_CITIES_MORE)
        agency = rng.choice(ZH_AGENCIES) if form == "lead_dian" else "本报"
        names = [a, b] if rng.random() < 0.5 else [a]
        r.update(byline=f"记者{'、'.join(names)}", position="in_dateline", dateline=f"{agency}{city}{md}电",
                 date=when, place=city, people=[PersonRef(n, "reporter") for n in names])
        r["lead_prefix"] = f"（{r['byline']}）"
    elif form == "lead_xun_bracket":
        r.update(byline=f"记者 {a} 通讯员 {b}", position="in_dateline", dateline=f"本报讯（记者 {a} 通讯员 {b}）",
                 people=[PersonRef(a, "reporter"), PersonRef(b, "correspondent")])
    elif form == "lead_xun_runin":  # 本报讯 记者李长云报道：
        r.update(byline=f"记者{a}", position="in_dateline", dateline="本报讯", people=[PersonRef(a, "reporter")],
                 lead_prefix=f" 记者{a}报道：")
    elif form == "lead_city":  # 本报牡丹江1月6日电, the credit printed after the text
        city = rng.choice(ZH_CITIES_MORE)
        r.update(byline=f"记者 {a}", dateline=f"本报{city}{md}电", joiner=" ", date=when, place=city,
                 people=[PersonRef(a, "reporter")])
    elif form == "posted":
        kind = rng.randrange(4)
        word = [f"本报驻{rng.choice(ZH_POSTS)}记者", "本报特约记者", "新华社记者", "中新社记者"][kind]
        r.update(byline=f"{word} {a}", position=rng.choice(["under_headline", "end_line"]),
                 people=[PersonRef(a, "reporter")])
    elif form == "bare_head":
        r.update(byline=a, position="under_headline", people=[PersonRef(a, "author")])
    elif form == "bare_end":
        r.update(byline=a, position="end_line", people=[PersonRef(a, "author")])
    elif form == "pen_name":
        pen = rng.choice(ZH_PEN_NAMES)
        r.update(byline=pen, printed=f"（{pen}）", position="end_appended", people=[PersonRef(pen, "author")])
    elif form == "glued_names":  # （杜中武孙传刚）: two authors with nothing between them
        a3 = rng.choice(ZH_SURNAMES) + rng.choice(ZH_GIVEN) + rng.choice(ZH_GIVEN)
        r.update(byline=f"{a3}{b}", printed=f"（{a3}{b}）", position="end_appended",
                 people=[PersonRef(a3, "author"), PersonRef(b, "author")])
    elif form == "source":
        printed, outlets = rng.choice(ZH_SOURCES)
        r.update(byline=printed, printed=f"（{printed}）", position="end_appended",
                 people=[PersonRef(o, "source") for o in outlets])
    elif form == "photo_line":  # 新华社记者 谢环驰摄 / 本报记者 王五 摄: photographers, never reporters
        word = rng.choice(["新华社记者", "本报记者"])
        r.update(byline=f"{word} {a}{rng.choice(['摄', ' 摄'])}", people=[PersonRef(a, "photographer")])
    elif form == "photo_bracket":  # …。（新华社记者陈建力摄）
        r.update(byline=f"新华社记者{a}摄", printed=f"（新华社记者{a}摄）", position="end_appended",
                 people=[PersonRef(a, "photographer")])
    elif form == "joined":  # 、，空格 和, compound surnames, dotted minority names
        c = zh_special_name(rng)
        sep = rng.choice(["、", "，", " ", "和"])
        r.update(byline=f"本报记者 {a}{sep}{c}", position=rng.choice(["under_headline", "end_line"]),
                 people=[PersonRef(a, "reporter"), PersonRef(c, "reporter")])
    else:  # caption_photo: the credit sits in the photo's caption; the story keeps a plain credit
        r.update(byline=f"记者 {a}", people=[PersonRef(a, "reporter")])
        r["caption_credit"] = (f"（新华社记者 {b}摄）", [PersonRef(b, "photographer")])
    return r


def zh_article(rng: random.Random, edition_date: dt.date, *, topic: str | None = None,
               target_chars: int = 600, year_boundary: bool = False,
               max_paragraphs: int = 6, paper: str = "高新时报", credits: str = "classic") -> ArticleText:
    """A Chinese news article of about ``target_chars`` characters.

    ``credits="real"``: half the articles carry one of REAL_CREDIT_FORMS
    (zh_real_credit) instead of the project's own credit forms."""
    topic = topic or rng.choice(sorted(ZH_TOPICS))
    bank = ZH_TOPICS[topic]
    when = recent_date(rng, edition_date)
    if year_boundary:
        when = dt.date(edition_date.year - 1, 12, 31)
    ctx, pool = _zh_context(rng, when)
    headline = ""
    forms = bank["headline"] + [f.replace("{topic}", topic) for f in ZH_HEADLINE_FORMS]
    for _ in range(20):
        headline = _fill(rng, rng.choice(forms), ctx)
        if 8 <= len(headline) <= 22:
            break
    dateline, joiner, ddate, dplace = _zh_dateline(rng, edition_date, when)
    if year_boundary and not dateline.startswith("本报讯 12") and "12月31日" not in dateline:
        dateline, joiner, ddate, dplace = "本报讯 12月31日", "，", when, ""
    byline, people, pos = _zh_byline(rng, paper)
    lead = _fill(rng, rng.choice(bank["lead"]), ctx) + "。"
    real = zh_real_credit(rng, when) if credits == "real" and not year_boundary and rng.random() < 0.5 else None
    if real is not None:
        byline, people, pos = real["byline"], list(real["people"]), real["position"]
        if real["dateline"] is not None:
            dateline, ddate, dplace = real["dateline"], real["date"], real["place"]
            joiner = real["joiner"] or real["lead_prefix"]
        elif dateline == "本报讯":  # the plain-lead form below would print a credit of its own
            dateline, joiner, ddate, dplace = "", "", None, ""
        first = dateline + joiner + lead
    elif dateline == "本报讯":  # 本报讯（记者 李超 通讯员 王敏）: the credit inside the dateline
        a, b = zh_name(rng), zh_name(rng)
        if rng.random() < 0.5:
            byline = f"记者 {a}"
        else:
            byline = f"记者 {a} 通讯员 {b}"
        people = zh_credit_people(byline)
        dateline = f"本报讯（{byline}）"
        pos = "in_dateline"
        first = dateline + lead
    else:
        first = dateline + joiner + lead
    body = [_fill(rng, s, ctx) for s in bank["body"]]
    rng.shuffle(body)
    paragraphs = [first + (body.pop() if rng.random() < 0.6 else "")]
    total = len(paragraphs[0])
    while body and total < target_chars and len(paragraphs) < max_paragraphs:
        k = min(len(body), rng.randint(1, 3) + target_chars // 500)
        para = "".join(body.pop() for _ in range(k))
        paragraphs.append(para)
        total += len(para)
    generic = [_fill(rng, s, ctx) for s in ZH_GENERIC]
    rng.shuffle(generic)
    while total < target_chars and len(paragraphs) < max_paragraphs and generic:  # long articles: general remarks
        para = "".join(generic.pop() for _ in range(min(len(generic), rng.randint(2, 3) + target_chars // 600)))
        paragraphs.append(para)
        total += len(para)
    text = "".join(paragraphs)
    kicker = _fill(rng, rng.choice(bank["kicker"]), ctx) if rng.random() < 0.3 else ""
    sub = _fill(rng, rng.choice(bank["sub"]), ctx) if rng.random() < 0.35 else ""
    caption = _fill(rng, rng.choice(bank["caption"]), ctx)
    caption_people: list[PersonRef] = []
    if real is not None and "caption_credit" in real:
        credit, caption_people = real["caption_credit"]
        caption += credit
    return ArticleText(
        language="zh", kind="article", headline=headline, paragraphs=paragraphs, kicker=kicker,
        subheadline=sub, byline=byline, byline_position=pos,
        byline_printed=real["printed"] if real else "", credit_form=real["form"] if real else "",
        people=people + _mentioned(pool, text), caption_people=caption_people, dateline=dateline, dateline_date=ddate,
        dateline_place=dplace, caption=caption, topic=topic,
    )


def zh_brief(rng: random.Random, edition_date: dt.date) -> ArticleText:
    """A short brief: a bold title and one paragraph of 50–120 characters."""
    when = recent_date(rng, edition_date, 5)
    ctx, _ = _zh_context(rng, when)
    title = _fill(rng, rng.choice(ZH_BRIEF_TITLES), ctx)
    sents = [_fill(rng, s, ctx) for s in rng.sample(ZH_BRIEF_BODY, rng.randint(2, 3))]
    md = f"{when.month}月{when.day}日"
    text = f"本报讯 {md}，" + "".join(sents) if rng.random() < 0.5 else "".join(sents)
    dateline, ddate = (f"本报讯 {md}", when) if text.startswith("本报讯") else ("", None)
    return ArticleText(language="zh", kind="brief", headline=title, paragraphs=[text], byline="",
                       byline_position="none", dateline=dateline, dateline_date=ddate, topic="简讯")


# --------------------------------------------------------------------------
# English banks
# --------------------------------------------------------------------------

EN_FIRST = ["Jane", "John", "Maria", "David", "Aisha", "Wei", "Carlos", "Emily", "Rahul", "Sarah", "Michael", "Lena",
            "Thomas", "Grace", "Omar", "Hannah", "Peter", "Yuki", "Daniel", "Olivia", "Samuel", "Fatima", "Robert", "Chloe"]
EN_LAST = ["Doe", "Roe", "Smith", "Garcia", "Chen", "Patel", "Johnson", "Okafor", "Nguyen", "Miller", "Kowalski",
           "Brown", "Rossi", "Tanaka", "Hughes", "Murphy", "Schmidt", "Alvarez", "Li", "Campbell", "Foster", "Reyes"]
EN_TITLES = ["Mayor", "Governor", "Senator", "City Council President", "Police Chief", "Health Commissioner",
             "Schools Superintendent", "Transit Director", "Finance Minister", "Fire Chief"]
EN_ORGS = ["the City Council", "the Metropolitan Transit Authority", "the State Health Department", "Riverside Hospital",
           "the Chamber of Commerce", "Northfield University", "the Port Authority", "Harbor Bank",
           "the International Monetary Fund", "the Environmental Protection Agency", "Lakeside Unified School District"]
EN_CITIES = [("BEIJING", "Beijing"), ("WASHINGTON", "Washington"), ("LONDON", "London"), ("TOKYO", "Tokyo"),
             ("CHICAGO", "Chicago"), ("NEW YORK", "New York"), ("BRUSSELS", "Brussels"), ("SPRINGFIELD", "Springfield")]
EN_AGENCIES = ["Associated Press", "Reuters"]
EN_STAFF = ["Staff Writer", "Herald Staff", "Business Reporter", "City Desk"]
EN_MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]

EN_TOPICS: dict[str, dict[str, list[str]]] = {
    "transport": {
        "headline": ["Council approves {n}-mile light rail extension", "Transit fares to rise next month",
                     "New bridge opens to traffic after long-term delays", "Commuters brace for overnight road closures"],
        "body": ["{official} said the extension would connect {n} neighborhoods to the downtown business district.",
                 "The project, financed through a combination of federal grants and municipal bonds, is expected to cost ${n2} million.",
                 "Critics argue the long-term maintenance costs have been underestimated by the planning department.",
                 "Construction crews will work overnight to minimize disruption, according to {org}.",
                 "Ridership has recovered to roughly {n} percent of pre-pandemic levels since the COVID-19 restrictions ended.",
                 "Residents who attended the public hearing were divided, with several raising concerns about neighborhood parking.",
                 "The administration expects the first trains to run by the end of next year, weather permitting."],
        "sub": ["Vote ends decade-long debate over downtown connections", "Officials promise minimal disruption"],
        "caption": ["Workers prepare the site of the new station on Tuesday.", "Commuters wait on a crowded platform."],
    },
    "economy": {
        "headline": ["Central bank holds interest rates steady", "Local manufacturers report strong quarter",
                     "International trade talks resume in {cityname}", "Small businesses see recovery in retail sales"],
        "body": ["{official} told reporters that inflation remained the principal concern for policymakers.",
                 "Analysts at {org} said the decision was widely anticipated by international markets.",
                 "Exports rose {n} percent in the first quarter compared with the same period last year.",
                 "The governmental review, published on Monday, recommended a gradual approach to tightening.",
                 "Several manufacturers said supply-chain problems that began during the COVID-19 pandemic had largely eased.",
                 "Unemployment in the region fell to {n}.{d} percent, the lowest level in more than a decade.",
                 "Business owners described the outlook as cautiously optimistic despite persistent labor shortages."],
        "sub": ["Policymakers signal patience amid uncertainty", "Exports up {n} percent from a year earlier"],
        "caption": ["Shoppers browse a market stall on Saturday.", "Containers stacked at the port terminal."],
    },
    "health": {
        "headline": ["Hospital opens expanded emergency department", "Health officials urge flu vaccinations",
                     "Clinic program cuts waiting times by half", "State reports decline in COVID-19 admissions"],
        "body": ["{official} said the expansion would add {n} treatment rooms and reduce waiting times considerably.",
                 "Doctors at {org} reported a sharp increase in respiratory infections among children this winter.",
                 "The vaccination campaign will run through the end of the month at {n} community centers.",
                 "Hospital administrators credited the improvement to additional nursing staff and better scheduling.",
                 "Public health experts cautioned that the long-term effects of the pandemic on mental health remain unclear.",
                 "Patients interviewed outside the facility said the new wing was a welcome change."],
        "sub": ["Expansion adds {n} treatment rooms", "Officials cite better staffing"],
        "caption": ["Nurses at work in the new emergency wing.", "A pharmacist prepares a vaccine dose."],
    },
    "education": {
        "headline": ["School board adopts ${n2} million budget", "University breaks ground on science center",
                     "Teachers and district reach tentative agreement", "Graduation rates climb for third straight year"],
        "body": ["{official} said the budget prioritizes classroom instruction and reduces administrative overhead.",
                 "The agreement, reached after {n} hours of negotiations, includes a multiyear salary increase.",
                 "Officials at {org} said the new center would house laboratories for chemistry and engineering.",
                 "Parents who spoke at the meeting praised the expanded after-school and extracurricular programs.",
                 "The district plans to hire {n} additional counselors before the start of the next school year.",
                 "Enrollment has declined slightly, reflecting demographic trends across the metropolitan area."],
        "sub": ["Plan expands after-school programs", "Deal averts a strike"],
        "caption": ["Students leave class on Wednesday afternoon.", "Officials break ground at the university."],
    },
    "environment": {
        "headline": ["City unveils plan to cut emissions by {n} percent", "River cleanup effort draws hundreds of volunteers",
                     "Drought prompts water restrictions", "Storm damage estimates reach ${n2} million"],
        "body": ["{official} described the plan as the most ambitious environmental commitment in the city's history.",
                 "Volunteers removed more than {n} tons of debris from the riverbank over the weekend.",
                 "The restrictions limit lawn watering to two days a week and take effect immediately.",
                 "Scientists at {org} said rising temperatures had intensified the region's long-term drought.",
                 "Environmental groups welcomed the announcement but called for stronger enforcement measures.",
                 "The city will offer rebates to homeowners who install solar panels or high-efficiency appliances."],
        "sub": ["Targets set for the next decade", "Volunteers remove tons of debris"],
        "caption": ["Volunteers collect debris along the river.", "Dry fields outside the city on Monday."],
    },
    "public safety": {
        "headline": ["Police department announces new community patrols", "Fire crews contain warehouse blaze",
                     "City expands emergency alert system", "Traffic deaths fall after safety redesign"],
        "body": ["{official} said the patrols would focus on neighborhoods with the highest number of emergency calls.",
                 "No injuries were reported, but the building sustained extensive damage, according to {org}.",
                 "Investigators have not determined the cause of the fire, which broke out shortly after midnight.",
                 "The redesigned intersections include wider sidewalks, protected bike lanes and longer crossing signals.",
                 "Residents can register for the alert system online or by calling the city's information line.",
                 "Officials said the program would be evaluated after {n} months before any expansion."],
        "sub": ["Program begins in {n} neighborhoods", "Cause remains under investigation"],
        "caption": ["Firefighters work at the scene early Thursday.", "Officers on patrol downtown."],
    },
}

EN_HEADLINE_FORMS = [
    "Officials debate {n}-year {topic} proposal", "Residents voice {topic} concerns at town hall",
    "{cityname} leaders outline {topic} priorities", "Council delays vote on {topic} plan",
    "State grants ${n2} million for {topic} projects", "Audit finds gaps in {topic} spending",
    "New report questions {topic} strategy", "{cityname} weighs changes to {topic} rules",
    "Lawmakers reach compromise on {topic} bill", "Survey finds support for {topic} measures",
]
EN_GENERIC = [
    "The proposal will be taken up again at the next meeting, scheduled for later this month.",
    "A spokesperson for {org} did not respond to a request for comment on Tuesday.",
    "“We have listened carefully to residents, and this plan reflects what we heard,” {official} said.",
    "The measure passed by a vote of 6 to 3 after more than two hours of public comment.",
    "Opponents said they would continue to press their case at the state level.",
    "Similar programs in neighboring counties have produced mixed results, according to a recent study.",
    "The final cost will depend on construction bids expected in the spring.",
    "Officials said more details would be released in the coming weeks.",
    "Community groups have organized a series of meetings to explain the changes to residents.",
    "The governmental watchdog said it would review the decision as part of its annual audit.",
]

EN_TOPICS["courts"] = {
    "headline": ["Judge blocks new zoning ordinance", "Jury selection begins in fraud trial",
                 "Appeals court upholds county election rules", "Former official sentenced in bribery case"],
    "body": ["The ruling, issued late Monday, temporarily halts enforcement while the case proceeds.",
             "Prosecutors said the scheme cost taxpayers more than ${n2},000 over {n} years.",
             "Defense attorneys argued that their client had acted on the advice of {org}.",
             "{official} said the county would review its options, including a possible appeal.",
             "The judge gave both sides {n} days to submit additional written arguments.",
             "Legal experts said the decision could have long-term consequences for similar cases statewide.",
             "Testimony is expected to last about two weeks, according to court officials."],
    "sub": ["Ruling halts enforcement pending appeal", "Case could last {n} weeks"],
    "caption": ["Attorneys leave the courthouse on Monday.", "The county courthouse downtown."],
}
EN_TOPICS["sports"] = {
    "headline": ["Hometown club clinches playoff berth", "Stadium renovation plan wins approval",
                 "Marathon expected to draw {n},000 runners", "Coach signs multiyear contract extension"],
    "body": ["The win, one of {n} this season, secured a place in the postseason for the first time in a decade.",
             "Organizers said road closures would begin at 6 a.m. and last until early afternoon.",
             "{official} praised the volunteers who have supported the event since its founding.",
             "The renovation will add {n},000 seats and replace the aging scoreboard and lighting.",
             "Season-ticket holders will be offered relocated seats during construction, according to {org}.",
             "Fans lined up outside the box office hours before tickets went on sale.",
             "The contract extension runs through the end of the decade, the club announced on Friday."],
    "sub": ["First postseason trip in a decade", "Road closures planned across downtown"],
    "caption": ["Players celebrate after Saturday's win.", "Runners cross the bridge during last year's race."],
}
for _topic, _more in {
    "transport": ["The route would include {n} new stations, each with covered bicycle parking.",
                  "Engineers said the bridge had been closed for inspection twice in the past year."],
    "economy": ["Retail sales rose {n} percent in the last quarter, according to preliminary figures.",
                "Several economists warned that higher borrowing costs could slow housing construction."],
    "health": ["The department recorded {n2} cases last week, down from the previous week.",
               "Officials encouraged residents to make appointments online to avoid long lines."],
    "education": ["The budget includes ${n} million for building repairs and new classroom technology.",
                  "Teachers said smaller class sizes had been their top priority in negotiations."],
    "environment": ["The city planted more than {n2} trees last year as part of its canopy program.",
                    "Water levels in the reservoir stood at {n} percent of capacity on Monday."],
    "public safety": ["The department will add {n} officers to its community outreach unit.",
                      "Emergency crews responded to {n2} calls during the storm, officials said."],
}.items():
    EN_TOPICS[_topic]["body"] += _more

EN_BRIEF_TITLES = ["Library extends weekend hours", "Road closure on Main Street", "Food drive collects record donations",
                   "Park renovation completed", "Job fair draws large crowd", "Blood drive scheduled",
                   "Museum announces free admission day", "Recycling pickup schedule changes"]
EN_BRIEF_BODY = ["The change takes effect on {mname} {d}, officials said.",
                 "Organizers said more than {n2} residents took part.",
                 "A portion of the street will be closed to traffic between 9 a.m. and 4 p.m.",
                 "The event is free and open to the public.",
                 "More information is available from {org}.",
                 "The project was completed ahead of schedule and under budget."]


def en_name(rng: random.Random) -> str:
    return f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"


def en_month_day(d: dt.date) -> str:
    return f"{EN_MONTHS[d.month - 1]} {d.day}"


def en_article(rng: random.Random, edition_date: dt.date, *, topic: str | None = None,
               target_words: int = 250, year_boundary: bool = False,
               max_paragraphs: int = 6, credits: str = "classic") -> ArticleText:
    """An English news article of about ``target_words`` words (``credits="real"``:
    half of them carry one of EN_REAL_CREDIT_FORMS)."""
    topic = topic or rng.choice(sorted(EN_TOPICS))
    bank = EN_TOPICS[topic]
    when = dt.date(edition_date.year - 1, 12, 31) if year_boundary else recent_date(rng, edition_date, 3)
    title_name, title2 = rng.choice(EN_TITLES), rng.choice(EN_TITLES)
    official = en_name(rng)
    city_caps, city_name = rng.choice(EN_CITIES)
    ctx = {"official": f"{title_name} {official}", "org": rng.choice(EN_ORGS), "n": str(rng.randint(3, 40)),
           "n2": str(rng.randint(12, 900)), "d": str(rng.randint(1, 9)), "cityname": city_name,
           "mname": EN_MONTHS[when.month - 1]}
    forms = bank["headline"] * 2 + [f.replace("{topic}", topic) for f in EN_HEADLINE_FORMS]
    headline = _fill(rng, rng.choice(forms), ctx, EN_NUMBERS)
    form = rng.randrange(4)
    people: list[PersonRef]
    extra = ""
    real = rng.choice(EN_REAL_CREDIT_FORMS) if credits == "real" and not year_boundary and rng.random() < 0.5 else ""
    if real:
        form = 2 if real == "en_dash_agency" else 3
    if form == 0:
        a, b = en_name(rng), en_name(rng)
        byline, people = f"By {a} and {b}", [PersonRef(a, "author"), PersonRef(b, "author")]
    elif form == 1:
        a = en_name(rng)
        byline, people, extra = f"By {a}", [PersonRef(a, "author", rng.choice(EN_STAFF))], ""
        extra = people[0].title
    elif form == 2:
        ag = rng.choice(EN_AGENCIES)
        byline, people = ag, [PersonRef(ag, "agency")]
    else:
        a = en_name(rng)
        byline, people = f"By {a}", [PersonRef(a, "author")]
    if rng.random() < 0.25 and not year_boundary:
        dateline, ddate = f"{city_caps} —", None
        if form == 2:
            dateline = f"{city_caps} (AP) —" if byline.startswith("Associated") else f"{city_caps} (Reuters) —"
    else:
        dateline, ddate = f"{city_caps}, {en_month_day(when)} —", when
    position, caption_people, photo_credit = "under_headline", [], ""
    if real:
        byline, people, extra, position, dateline, ddate, photo_credit, caption_people = _en_real_credit(
            rng, real, byline, people, city_caps, when, dateline, ddate)
    sents = [_fill(rng, s, ctx, EN_NUMBERS) for s in bank["body"]]
    rng.shuffle(sents)
    paragraphs = [f"{dateline} {sents.pop()}"]
    words = len(paragraphs[0].split())
    generic_used = False
    while words < target_words and len(paragraphs) < max_paragraphs:
        if not sents:
            if generic_used:
                break
            generic_used = True
            sents = [_fill(rng, s, ctx, EN_NUMBERS) for s in EN_GENERIC]
            rng.shuffle(sents)
        k = min(len(sents), rng.randint(1, 3) + target_words // 250)
        para = " ".join(sents.pop() for _ in range(k))
        paragraphs.append(para)
        words += len(para.split())
    text = " ".join(paragraphs)
    mentioned = [PersonRef(official, "mentioned", title_name)] if official in text else []
    sub = _fill(rng, rng.choice(bank["sub"]), ctx, EN_NUMBERS) if rng.random() < 0.35 else ""
    return ArticleText(
        language="en", kind="article", headline=headline, paragraphs=paragraphs, subheadline=sub,
        byline=byline, byline_position=position, byline_extra=extra, byline_printed=en_printed_credit(byline),
        credit_form=real, people=people + mentioned,
        caption_people=caption_people, dateline=dateline, dateline_date=ddate, dateline_place=city_name,
        caption=_fill(rng, rng.choice(bank["caption"]), ctx, EN_NUMBERS) + photo_credit, topic=topic,
    )


EN_REAL_CREDIT_FORMS = ("en_caps_by", "en_slash_title", "en_wire", "en_dash_agency", "en_reporting_line",
                        "en_caption_photo")


def _en_real_credit(rng: random.Random, real: str, byline: str, people: list[PersonRef], city_caps: str,
                    when: dt.date, dateline: str, ddate: dt.date | None):
    """(byline, people, byline_extra, position, dateline, dateline date, caption credit, caption people)
    of one English real-paper credit form."""
    a, b = en_name(rng), en_name(rng)
    extra, position, photo, caption_people = "", "under_headline", "", []
    if real == "en_caps_by":  # By JANE DOE and JOHN ROE
        byline, people = f"By {a.upper()} and {b.upper()}", [PersonRef(a, "author"), PersonRef(b, "author")]
    elif real == "en_slash_title":  # JANE DOE / Staff Writer
        title = rng.choice(EN_STAFF)
        byline, people = f"{a.upper()} / {title}", [PersonRef(a, "author", title)]
    elif real == "en_wire":  # From wire reports, set after the text
        byline, people, position = "From wire reports", [PersonRef("wire reports", "source")], "end_line"
    elif real == "en_dash_agency":  # — Reuters after the text; BEIJING, Jan. 5 (Reuters) -
        agency = rng.choice(EN_AGENCIES)
        short = "AP" if agency == "Associated Press" else "Reuters"
        byline, people, position = f"— {agency}", [PersonRef(agency, "agency")], "end_line"
        dateline, ddate = f"{city_caps}, {en_month_day(when)} ({short}) -", when
    elif real == "en_reporting_line":  # (Reporting by Jane Doe; Editing by John Roe)
        byline, position = f"Reporting by {a}; Editing by {b}", "end_line"  # recorded without its brackets
        people = [PersonRef(a, "author"), PersonRef(b, "editor")]
    else:  # en_caption_photo: (AP Photo/Jane Doe) in the caption
        photo, caption_people = f" (AP Photo/{b})", [PersonRef(b, "photographer", "Associated Press")]
    return byline, people, extra, position, dateline, ddate, photo, caption_people


def en_printed_credit(byline: str) -> str:
    """How an English credit recorded as ``byline`` is set (the Reporting line in brackets)."""
    return f"({byline})" if byline.startswith("Reporting by") else ""


def en_brief(rng: random.Random, edition_date: dt.date) -> ArticleText:
    when = edition_date + dt.timedelta(days=rng.randint(1, 10))
    ctx = {"org": rng.choice(EN_ORGS), "n": str(rng.randint(3, 40)), "n2": str(rng.randint(40, 900)),
           "d": str(when.day), "mname": EN_MONTHS[when.month - 1]}
    sents = [_fill(rng, s, ctx, EN_NUMBERS) for s in rng.sample(EN_BRIEF_BODY, rng.randint(2, 3))]
    return ArticleText(language="en", kind="brief", headline=rng.choice(EN_BRIEF_TITLES), paragraphs=[" ".join(sents)],
                       byline_position="none", topic="briefs")


ZH_AD_SLOGANS = ["诚信经营 品质服务", "专业团队 值得信赖", "科技改变生活", "让每一个家庭更安心", "开业大酬宾 全场八折"]
EN_AD_SLOGANS = ["Home loans from 5.9% APR", "Open seven days a week", "Family owned since 1952", "Grand opening sale",
                 "Free estimates, licensed and insured"]


def ad_lines(rng: random.Random, language: str) -> list[tuple[str, float]]:
    """The display lines of an advertisement, (text, type size), largest first."""
    if language == "zh":
        name = rng.choice(ZH_BANKS + ZH_COMPANIES)
        return [(name, rng.uniform(18, 28)), (rng.choice(ZH_AD_SLOGANS), rng.uniform(12, 16)),
                (f"服务热线：0371-{rng.randint(6000, 6999)}{rng.randint(1000, 9999)}", 10.0),
                (f"地址：郑州高新区{rng.choice(ZH_STREETS)}{rng.randint(1, 300)}号", 9.0)]
    name = rng.choice(["HARBOR BANK", "LAKESIDE MOTORS", "NORTHFIELD DENTAL", "RIVERSIDE FURNITURE", "CITY GROCERS"])
    return [(name, rng.uniform(18, 28)), (rng.choice(EN_AD_SLOGANS), rng.uniform(12, 16)),
            (f"Call 555-{rng.randint(1000, 9999)}", 11.0), (f"{rng.randint(10, 999)} Main Street", 9.0)]
