"""Static reference data for the demo: Longhua District's geography, names, offices, unit patterns.

Everything random is drawn in ``generate.py`` from a seeded ``random.Random``; this module only
holds the lists it draws from. Coordinates are approximate (a label point per community), good
enough for a map without tiles. Enterprise brands are invented; real companies' names and
registration numbers are avoided on purpose (see ``RESERVED_BRANDS``).
"""

from dataclasses import dataclass

DISTRICT_NAME = "龙华区"
DISTRICT_CODE = "460106"
# Longhua District centre (the streets lie north, by the coast; the towns south).
DISTRICT_LAT, DISTRICT_LON = 20.030, 110.320


@dataclass(frozen=True)
class Township:
    name: str
    kind: str  # "street" or "town"
    short: str  # the name without 街道/镇, used inside unit and organization names
    latitude: float
    longitude: float
    weight: int  # share of the units that sit here
    communities: tuple[tuple[str, float, float], ...]  # (name, latitude, longitude)
    roads: tuple[str, ...]
    park: str  # the industrial park / logistics park used for key-area addresses


TOWNSHIPS: tuple[Township, ...] = (
    Township(
        "中山街道",
        "street",
        "中山",
        20.0455,
        110.3450,
        10,
        (
            ("中山社区", 20.0470, 110.3440),
            ("博爱社区", 20.0440, 110.3480),
            ("西湖社区", 20.0420, 110.3410),
            ("长堤社区", 20.0500, 110.3460),
            ("解放社区", 20.0445, 110.3395),
        ),
        ("解放西路", "博爱北路", "中山路", "新华北路", "长堤路", "得胜沙路", "文明中路"),
        "复兴城互联网创新创业园",
    ),
    Township(
        "滨海街道",
        "street",
        "滨海",
        20.0380,
        110.3180,
        12,
        (
            ("滨海新村社区", 20.0400, 110.3150),
            ("滨濂社区", 20.0350, 110.3200),
            ("龙昆上社区", 20.0370, 110.3260),
            ("玉河社区", 20.0410, 110.3220),
        ),
        ("滨海大道", "龙昆北路", "滨濂北路", "玉河路", "滨涯路"),
        "滨海数字产业园",
    ),
    Township(
        "金贸街道",
        "street",
        "金贸",
        20.0250,
        110.3200,
        14,
        (
            ("国贸社区", 20.0240, 110.3180),
            ("世贸社区", 20.0275, 110.3150),
            ("金龙社区", 20.0225, 110.3235),
            ("玉沙社区", 20.0260, 110.3260),
            ("金海社区", 20.0210, 110.3160),
        ),
        ("国贸大道", "玉沙路", "金龙路", "明珠路", "世贸北路", "金贸西路"),
        "金贸电子商务产业园",
    ),
    Township(
        "大同街道",
        "street",
        "大同",
        20.0320,
        110.3400,
        10,
        (
            ("大同社区", 20.0330, 110.3420),
            ("侨中社区", 20.0300, 110.3380),
            ("义兴社区", 20.0345, 110.3370),
            ("海秀社区", 20.0285, 110.3430),
        ),
        ("大同路", "海秀东路", "龙华路", "义兴街", "南宝路"),
        "大同文化创意产业园",
    ),
    Township(
        "海垦街道",
        "street",
        "海垦",
        20.0180,
        110.3320,
        10,
        (
            ("海垦社区", 20.0190, 110.3310),
            ("龙昆下社区", 20.0160, 110.3280),
            ("西苑社区", 20.0205, 110.3360),
            ("金垦社区", 20.0150, 110.3350),
        ),
        ("海垦路", "海秀中路", "龙昆南路", "西沙路", "滨濂南路"),
        "海垦商贸物流园",
    ),
    Township(
        "金宇街道",
        "street",
        "金宇",
        20.0030,
        110.3250,
        10,
        (
            ("金宇社区", 20.0050, 110.3230),
            ("坡巷社区", 20.0010, 110.3290),
            ("苍东社区", 19.9990, 110.3210),
            ("坡博社区", 20.0070, 110.3310),
        ),
        ("金盘路", "金宇路", "南海大道", "金牛路", "金岭路"),
        "金盘工业园",
    ),
    Township(
        "城西镇",
        "town",
        "城西",
        19.9850,
        110.3150,
        12,
        (
            ("沙坡村", 19.9880, 110.3050),
            ("丁村", 19.9920, 110.3200),
            ("高坡村", 19.9790, 110.3120),
            ("薛村", 19.9830, 110.3260),
            ("苍西村", 19.9950, 110.3100),
        ),
        ("城西路", "丘海大道", "学院路", "苍峄路", "南海大道"),
        "城西电商物流园",
    ),
    Township(
        "龙桥镇",
        "town",
        "龙桥",
        19.9300,
        110.3050,
        5,
        (
            ("龙桥社区", 19.9310, 110.3060),
            ("玉符村", 19.9200, 110.2950),
            ("永东村", 19.9400, 110.3150),
            ("道美村", 19.9150, 110.3180),
        ),
        ("龙桥大道", "海榆中线", "玉符路"),
        "龙桥现代物流园",
    ),
    Township(
        "龙泉镇",
        "town",
        "龙泉",
        19.8900,
        110.3850,
        5,
        (
            ("龙泉社区", 19.8910, 110.3860),
            ("翰香村", 19.8800, 110.3720),
            ("雅德村", 19.9020, 110.3950),
            ("新联村", 19.8750, 110.3980),
        ),
        ("龙泉大道", "海榆中线", "翰香路"),
        "龙泉农产品加工园",
    ),
    Township(
        "新坡镇",
        "town",
        "新坡",
        19.8000,
        110.3900,
        4,
        (
            ("新坡社区", 19.8010, 110.3910),
            ("仁南村", 19.7900, 110.3800),
            ("民丰村", 19.8120, 110.4020),
            ("光明村", 19.7850, 110.4050),
        ),
        ("新坡大道", "仁南路", "民丰路"),
        "新坡农产品物流园",
    ),
    Township(
        "遵谭镇",
        "town",
        "遵谭",
        19.8400,
        110.2950,
        4,
        (
            ("遵谭社区", 19.8410, 110.2960),
            ("东谭村", 19.8500, 110.3080),
            ("咸谭村", 19.8300, 110.2850),
            ("卜史村", 19.8250, 110.3020),
        ),
        ("遵谭大道", "东谭路", "咸谭路"),
        "遵谭农旅产业园",
    ),
)

# Office buildings and business districts (楼宇商圈) by township: key-area addresses.
BUILDINGS = {
    "中山街道": ("骑楼商务中心", "长堤大厦", "解放商业广场"),
    "滨海街道": ("滨海国际大厦", "玉河商务中心", "龙昆北科创大厦"),
    "金贸街道": ("国贸中心大厦", "金贸商务大厦", "世贸写字楼", "玉沙商业广场"),
    "大同街道": ("大同商务中心", "海秀东商业大厦"),
    "海垦街道": ("海垦商业广场", "西沙路商务楼"),
    "金宇街道": ("金宇科技大厦", "金盘商务中心"),
    "城西镇": ("城西商业综合体", "学院路商务楼"),
    "龙桥镇": ("龙桥镇商贸中心",),
    "龙泉镇": ("龙泉镇商贸中心",),
    "新坡镇": ("新坡镇商贸中心",),
    "遵谭镇": ("遵谭镇商贸中心",),
}

# --- Offices --------------------------------------------------------------------------------

ORGANIZATION_DEPARTMENT = "中共海口市龙华区委组织部"
MARKET_SUPERVISION = "海口市市场监督管理局龙华分局"
TRANSPORT = "龙华区交通运输局"
COMMERCE = "龙华区商务局"
POSTAL = "海口市邮政管理局"

OFFICES = (
    (ORGANIZATION_DEPARTMENT, "organization_department"),
    (MARKET_SUPERVISION, "industry_authority"),
    (TRANSPORT, "industry_authority"),
    (COMMERCE, "industry_authority"),
    (POSTAL, "industry_authority"),
)

# Which authority pushes the work in each industry.
INDUSTRY_AUTHORITY = {
    "express": POSTAL,
    "food_delivery": MARKET_SUPERVISION,
    "ride_hailing": TRANSPORT,
    "freight": TRANSPORT,
    "livestreaming": COMMERCE,
    "other": MARKET_SUPERVISION,
}

# --- Party organizations --------------------------------------------------------------------

TWO_NEW_COMMITTEE = "中共海口市龙华区委两新工作委员会"
EXPRESS_COMMITTEE = "龙华区快递物流行业综合党委"
# (name, industries it leads)
COMPREHENSIVE_COMMITTEES = (
    (EXPRESS_COMMITTEE, ("express", "freight")),
    ("龙华区外卖配送行业综合党委", ("food_delivery",)),
    ("龙华区网约车行业综合党委", ("ride_hailing",)),
    ("龙华区网络直播行业综合党委", ("livestreaming",)),
)


def street_committee_name(township: Township) -> str:
    if township.kind == "town":
        return f"中共海口市龙华区{township.name}委员会"
    return f"中共龙华区{township.name}新业态新就业群体工作委员会"


INDUSTRY_WORD = {
    "express": "快递物流",
    "food_delivery": "外卖配送",
    "ride_hailing": "网约车",
    "freight": "货运物流",
    "livestreaming": "网络直播",
    "other": "新业态",
}

KEY_AREA_WORD = {
    "office_building": "楼宇商圈",
    "industrial_park": "产业园区",
    "delivery_station": "配送站点",
}

CHINESE_ORDINALS = ("", "第二", "第三", "第四", "第五", "第六", "第七", "第八", "第九", "第十")
GROUP_ORDINALS = ("第一", "第二", "第三")

# --- Units ----------------------------------------------------------------------------------

# Share of units by industry (express and food delivery are the biggest).
INDUSTRY_WEIGHTS = (
    ("express", 30),
    ("food_delivery", 28),
    ("ride_hailing", 12),
    ("freight", 14),
    ("livestreaming", 14),
    ("other", 2),
)

# Two characters each; combined into brands. Pairs spelling a real brand are skipped.
BRAND_FIRST = (
    "顺", "捷", "迅", "畅", "鑫", "宏", "恒", "汇", "骏", "瑞", "祥", "泰", "椰", "琼", "蓝", "金",
    "凯", "锦", "鹏", "腾", "万", "众", "邦", "嘉", "海", "南", "新", "和", "星", "快", "优", "益",
    "润", "乐", "联", "远", "聚", "宝", "昌", "达",
)  # fmt: skip
BRAND_SECOND = (
    "通", "达", "程", "驰", "运", "丰", "安", "盛", "隆", "兴", "航", "途", "捷", "帆", "翔", "邦",
    "源", "信", "诚", "合", "鸿", "润", "城", "岛", "湾", "风", "驿", "路", "骑", "送", "享", "拓",
)  # fmt: skip
RESERVED_BRANDS = frozenset(
    {
        "顺丰", "申通", "中通", "圆通", "韵达", "百世", "德邦", "京东", "美团", "饿了", "滴滴", "货拉",
        "快狗", "抖音", "快手", "天天", "汇通", "优速", "安能", "跨越", "壹米", "丰网", "众邮", "极兔",
        "嘀嗒", "曹操", "首汽", "享道", "高德", "万顺", "如祺", "满帮", "顺风", "宅急", "达达", "闪送",
        "联邦", "邮政", "宝供", "远成", "新邦", "佳吉", "盛辉", "海航", "南航", "椰风", "金帆", "和达",
    }
)  # fmt: skip

HEAD_PREFIXES = ("海南", "海口")
HEAD_SUFFIXES = {
    "express": ("速运有限公司", "快递有限公司", "速递有限公司", "供应链管理有限公司", "快递服务有限公司"),
    "food_delivery": ("网络科技有限公司", "配送服务有限公司", "信息技术有限公司", "即时配送有限公司"),
    "ride_hailing": ("出行科技有限公司", "汽车服务有限公司", "网约车服务有限公司", "旅游汽车服务有限公司"),
    "freight": ("物流有限公司", "货运有限公司", "运输有限公司", "供应链有限公司"),
    "livestreaming": ("文化传媒有限公司", "网络科技有限公司", "电子商务有限公司", "传媒有限公司"),
    "other": ("家政服务有限公司", "跑腿服务有限公司", "网络科技有限公司"),
}
# The word in a store's or outlet's trading name.
TRADE_WORD = {
    "express": ("快递", "速运", "速递"),
    "food_delivery": ("外卖", "即时配送"),
    "ride_hailing": ("出行",),
    "freight": ("物流", "货运"),
    "livestreaming": ("直播", "传媒"),
    "other": ("家政", "跑腿"),
}
OUTLET_SUFFIX = {
    "express": ("营业部", "网点", "驿站", "揽投部"),
    "food_delivery": ("配送站", "服务站"),
    "ride_hailing": ("司机服务站", "服务点"),
    "freight": ("货运站", "配货站"),
    "livestreaming": ("直播基地", "直播间"),
    "other": ("服务点",),
}
# Which mid-level kinds each industry uses below its head companies, weighted.
MID_KINDS = {
    "express": (("branch", 5), ("franchise_store", 4), ("chain_store", 1)),
    "food_delivery": (("branch", 6), ("franchise_store", 3), ("chain_store", 1)),
    "ride_hailing": (("branch", 6), ("chain_store", 3), ("franchise_store", 1)),
    "freight": (("branch", 8), ("franchise_store", 2)),
    "livestreaming": (("branch", 4), ("chain_store", 4), ("franchise_store", 2)),
    "other": (("branch", 5), ("chain_store", 5)),
}

# --- People ---------------------------------------------------------------------------------

# Common surnames, weighted; 王 陈 林 符 吴 are especially common in Hainan.
SURNAMES = (
    ("王", 90), ("陈", 90), ("李", 60), ("林", 60), ("符", 55), ("吴", 55), ("张", 45), ("黄", 45),
    ("刘", 35), ("杨", 28), ("周", 22), ("何", 18), ("郑", 18), ("梁", 18), ("曾", 18), ("邢", 16),
    ("赵", 16), ("徐", 14), ("罗", 14), ("冯", 12), ("云", 12), ("蔡", 12), ("孙", 10), ("马", 10),
    ("朱", 10), ("胡", 10), ("郭", 10), ("高", 10), ("谢", 10), ("许", 10), ("韩", 8), ("邓", 8),
    ("唐", 8), ("宋", 7), ("曹", 7), ("彭", 7), ("萧", 6), ("田", 6), ("董", 6), ("潘", 6),
    ("袁", 6), ("莫", 6), ("钟", 6), ("卢", 5), ("邱", 5), ("文", 5), ("羊", 4), ("麦", 4),
    ("颜", 4), ("冼", 3), ("韦", 3), ("龙", 3), ("欧阳", 2),
)  # fmt: skip
# First character of a two-character given name (either gender).
GIVEN_FIRST = "小海家志文晓春秋子一思雨明永国建少世德宏光天金玉佳嘉俊清益运昌"
GIVEN_MALE = "伟强军勇杰涛明超斌华平辉鹏磊浩宇峰波龙东健刚亮锋晨阳凯博林彬振鑫飞坤豪诚贤雄江川"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪琳慧梅红莉倩晶颖萍兰美欣悦洁琼蓉丹媛妹花秀珍"

# Birthplace codes (the first 6 digits of an ID number), weighted: Haikou and Hainan's counties
# most, then the provinces many workers come from.
ID_PREFIXES = (
    ("460106", 14), ("460105", 6), ("460107", 8), ("460108", 6), ("460100", 4),
    ("469005", 8), ("469002", 5), ("469006", 4), ("469021", 5), ("469022", 4), ("469023", 5),
    ("469024", 5), ("469007", 3), ("469027", 3), ("469028", 2), ("469030", 2), ("469001", 1),
    ("460202", 2), ("440823", 3), ("440881", 2), ("440883", 2), ("450821", 2), ("450922", 2),
    ("430521", 2), ("430124", 1), ("360124", 1), ("510722", 2), ("420115", 1), ("522401", 1),
    ("412723", 2),
)  # fmt: skip

MOBILE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153",
    "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180", "181", "182",
    "183", "184", "185", "186", "187", "188", "189", "191", "193", "195", "198", "199",
)  # fmt: skip

JOB_TYPE = {
    "express": "courier",
    "food_delivery": "rider",
    "ride_hailing": "ride_hailing_driver",
    "freight": "truck_driver",
    "livestreaming": "livestreamer",
    "other": "other",
}
# Share of women by industry.
FEMALE_SHARE = {
    "express": 0.12,
    "food_delivery": 0.10,
    "ride_hailing": 0.06,
    "freight": 0.04,
    "livestreaming": 0.62,
    "other": 0.45,
}

# Names for the staff demo accounts (first_name).
ACCOUNT_LABELS = {
    "district_admin": "龙华区两新工委管理员",
    "zhongshan_staff": "中山街道工作人员",
    "binhai_staff": "滨海街道工作人员",
    "express_committee": "快递物流行业综合党委工作人员",
}
DISTRICT_ADMIN_GROUP = "区级管理员"
DISTRICT_ADMIN_APPS = ("core", "accounts", "regions", "organizations", "units", "people", "membership")

# --- The census (measure 3): the five-clears ledger, return visits, follow-ups --------------------

# Business scope as registered, by industry: head companies and branches, then stores and outlets.
BUSINESS_SCOPE = {
    "express": (
        "快递服务；国内货物运输代理；普通货物仓储服务（不含危险化学品等需许可审批的项目）；装卸搬运；"
        "供应链管理服务",
        "国内快递（邮政企业专营业务除外）；道路货物运输（不含危险货物）；仓储服务；包装服务",
    ),
    "food_delivery": (
        "即时配送服务；网络技术服务；餐饮配送服务；人力资源服务（不含职业中介活动、劳务派遣服务）",
        "同城配送服务；信息技术咨询服务；日用百货销售；外卖送餐服务",
    ),
    "ride_hailing": (
        "网络预约出租汽车经营服务；小微型客车租赁经营服务；汽车拖车、求援、清障服务；信息咨询服务",
        "网络预约出租汽车经营服务；旅游客运；机动车驾驶员培训服务（不含驾校）",
    ),
    "freight": (
        "道路货物运输（不含危险货物）；普通货物仓储服务；国内货物运输代理；装卸搬运；供应链管理服务",
        "道路货物运输（网络货运）；国际货物运输代理；物流信息咨询服务",
    ),
    "livestreaming": (
        "网络文化经营；互联网直播技术服务；电子商务服务；广告设计、代理；文艺创作；组织文化艺术交流活动",
        "互联网销售（除销售需要许可的商品）；直播带货服务；影视制作；品牌管理",
    ),
    "other": (
        "家政服务；跑腿服务；居民日常生活服务；保洁服务；人力资源服务",
        "同城跑腿服务；家庭服务；物业管理",
    ),
}
OUTLET_SCOPE = {
    "express": ("快件收寄、分拣、投递服务", "快递末端投递服务；代收代投服务"),
    "food_delivery": ("外卖即时配送服务", "同城即时配送服务"),
    "ride_hailing": ("网约车司机管理与车辆服务", "网约车司机服务"),
    "freight": ("货物配载、中转服务", "同城货运配送服务"),
    "livestreaming": ("网络直播服务", "直播带货、短视频制作"),
    "other": ("跑腿、家政上门服务",),
}
# Platforms a unit serves, by industry: (platform, chance that a unit of the industry serves it).
PLATFORMS = {
    "express": (("顺丰", 0.35), ("京东", 0.35), ("菜鸟", 0.3), ("拼多多", 0.2)),
    "food_delivery": (("美团", 0.8), ("饿了么", 0.6), ("京东", 0.15)),
    "ride_hailing": (("滴滴", 0.8), ("高德打车", 0.4), ("曹操出行", 0.2), ("T3出行", 0.15)),
    "freight": (("货拉拉", 0.6), ("满帮", 0.4), ("快狗打车", 0.2), ("滴滴", 0.1)),
    "livestreaming": (("抖音", 0.85), ("快手", 0.45), ("视频号", 0.3), ("淘宝直播", 0.2)),
    "other": (("美团", 0.5), ("58同城", 0.4), ("抖音", 0.2)),
}
# Honours an investor may hold, weighted; about one investor in six holds one or two.
REPRESENTATIVE_ROLES = (
    ("区人大代表", 5),
    ("区政协委员", 6),
    ("市人大代表", 2),
    ("市政协委员", 2),
    ("区工商联执委", 4),
    ("区青年企业家协会会员", 2),
)
# The bodies that visit, as the visit's "visitors" names them before the people: the street's
# or town's party-building office (after its name), an industry committee, or the district.
VISITOR_STREET_OFFICE = "党建办"
VISITOR_DISTRICT = "区委两新工委"

# What a visit found, filled in with the unit's registered headcount and party members; each
# for "any" unit, units with "members", or units "without_members".
VISIT_FINDINGS = (
    (
        "any",
        "企业经营正常，登记在册从业人员{workers}人，其中党员{members}人。已向负责人宣讲新就业群体党建工作要求。",
    ),
    ("any", "实地查看了办公和休息场所，与负责人和部分从业人员座谈，了解用工和权益保障情况。"),
    ("any", "核对了五个清台账：经营情况、从业人员（登记{workers}人）、党员情况（{members}人）均已更新。"),
    ("members", "负责人介绍了近期业务和人员流动情况，旺季用工增加；现有党员{members}人，愿意参加组织活动。"),
    ("any", "走访了站点，登记从业人员{workers}人，工作秩序良好；宣传了“小哥驿站”等服务阵地和入职登记方式。"),
    ("members", "听取党建工作情况汇报，查看党员活动记录；单位支持党员参加街道组织的学习活动。"),
    (
        "without_members",
        "单位暂无登记党员，向负责人宣传了党的政策和新就业群体党建工作，了解从业人员思想动态。",
    ),
)
# (for which units, problem raised, follow-up action, how the action was closed)
VISIT_PROBLEMS = (
    (
        "any",
        "从业人员休息场所不足，夏季高温时段缺少饮水和避暑点。",
        "协调社区“小哥驿站”对接站点，提供饮水、避暑和充电服务",
        "社区小哥驿站已与站点对接，公示开放时间，从业人员可凭工牌使用。",
    ),
    (
        "any",
        "部分从业人员未完成入职登记，台账人数与单位报送人数不一致。",
        "督促单位组织未登记人员完成入职登记，核对报送人数",
        "单位已组织从业人员扫码登记，台账人数与报送人数已核对一致。",
    ),
    (
        "members",
        "有流动党员未转接组织关系，未参加组织生活。",
        "联系流动党员，指导办理组织关系转接，纳入所在支部管理",
        "已联系相关党员，组织关系已转入，纳入支部管理并参加主题党日活动。",
    ),
    (
        "without_members",
        "单位尚无党员，暂不具备单独组建党组织条件。",
        "选派党建指导员定期联系单位，发现和培养入党积极分子",
        "已选派党建指导员，每月联系一次单位，建立积极分子培养台账。",
    ),
    (
        "any",
        "电动车充电设施不足，存在消防安全隐患。",
        "会同消防、社区检查站点充电设施，督促整改消防隐患",
        "站点已增设集中充电柜，消防部门复查合格。",
    ),
    (
        "any",
        "从业人员反映交通违法处罚较多，希望开展安全培训。",
        "联合交警部门开展一次交通安全专题培训",
        "已联合辖区交警中队开展交通安全培训，参训从业人员签到存档。",
    ),
    (
        "any",
        "单位负责人对新就业群体党建工作要求了解不够。",
        "向单位负责人送达党建工作指引，一个月内再次上门沟通",
        "已送达工作指引并再次上门沟通，单位明确一名联络员负责党建工作。",
    ),
    (
        "any",
        "部分从业人员未参加职业伤害保障。",
        "协调人社部门上门宣讲职业伤害保障政策，督促单位为从业人员参保",
        "人社部门已上门宣讲，单位已为从业人员办理职业伤害保障。",
    ),
)
# How a follow-up of a disclosed membership was closed.
FOLLOW_UP_NOTES = (
    "已电话联系本人，组织关系已转入，纳入支部管理，参加本月主题党日活动。",
    "已上门联系本人，确认党员身份，编入所在支部党小组。",
    "已联系本人，其组织关系仍在原籍，按流动党员管理，纳入组织生活。",
    "已联系本人并核实信息，安排其参加“三会一课”和主题党日活动。",
)
