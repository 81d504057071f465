"""The demo city: a Liaocheng-like city built only through the services, the same for the same seed.

`build_demo()` plans everything in memory first (a `random.Random(seed)` drives every choice), then
writes it through `agencies.services`, `cases.services` and `hearings.services` in one transaction,
so a failed run leaves the database as it was. Dates are relative to today (Asia/Shanghai): the
data always runs up to the current month, no held hearing lies in the future, and some hearings
are scheduled in the coming weeks for the liaison staff to record.

Every name is fictional. The demo logins share one password, for demo data only.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from rest_framework.authtoken.models import Token

from agencies.choices import AgencyKind, CourtLevel, PositionRole, UserRole
from agencies.models import Agency, Court, Official, Position, User
from agencies.services import agency_create, court_create, official_create, position_create, user_create
from cases.choices import CaseType, DefendantCapacity, DisputeStatus, Outcome, PlaintiffKind
from cases.models import Case, Dispute, Domain
from cases.services import DefendantInput, case_create, dispute_create
from hearings.choices import AbsenceReason, EventKind, ExternalCapacity, HearingStatus
from hearings.models import AbsenceExplanation, Appearance, Event, Hearing
from hearings.services import absence_set, appearance_create, event_create, head_filing_set, hearing_create
from litigation.dates import local_today

DEMO_PASSWORD = "demo12345"
CITY = "聊城市人民政府"
INTERMEDIATE_COURT = ("聊城市中级人民法院", "鲁15")

# (county, suffix of its head's title, basic court, court code, circular prefix, townships)
COUNTIES = [
    (
        "东昌府区",
        "区",
        "聊城市东昌府区人民法院",
        "鲁1502",
        "东司通",
        ["古楼街道", "柳园街道", "新区街道", "湖西街道", "堂邑镇", "沙镇镇"],
    ),
    (
        "茌平区",
        "区",
        "聊城市茌平区人民法院",
        "鲁1503",
        "茌司通",
        ["振兴街道", "信发街道", "博平镇", "杜郎口镇", "乐平铺镇"],
    ),
    (
        "临清市",
        "市",
        "临清市人民法院",
        "鲁1581",
        "临司通",
        ["青年路街道", "新华路街道", "先锋路街道", "烟店镇", "康庄镇"],
    ),
    (
        "阳谷县",
        "县",
        "阳谷县人民法院",
        "鲁1521",
        "阳司通",
        ["博济桥街道", "侨润街道", "狮子楼街道", "阿城镇", "张秋镇"],
    ),
    (
        "莘县",
        "县",
        "莘县人民法院",
        "鲁1522",
        "莘司通",
        ["莘亭街道", "莘州街道", "东鲁街道", "朝城镇", "观城镇"],
    ),
    (
        "东阿县",
        "县",
        "东阿县人民法院",
        "鲁1524",
        "阿司通",
        ["铜城街道", "新城街道", "刘集镇", "鱼山镇", "姚寨镇"],
    ),
    (
        "冠县",
        "县",
        "冠县人民法院",
        "鲁1525",
        "冠司通",
        ["清泉街道", "崇文街道", "烟庄街道", "柳林镇", "贾镇"],
    ),
    (
        "高唐县",
        "县",
        "高唐县人民法院",
        "鲁1526",
        "高司通",
        ["鱼邱湖街道", "汇鑫街道", "人和街道", "清平镇", "琉璃寺镇"],
    ),
]
COUNTY_NAMES = [c[0] for c in COUNTIES]
# Relative number of suits per county (roughly by population).
COUNTY_WEIGHTS = {
    "东昌府区": 1.6,
    "茌平区": 0.9,
    "临清市": 1.1,
    "阳谷县": 1.0,
    "莘县": 1.1,
    "东阿县": 0.6,
    "冠县": 0.9,
    "高唐县": 0.7,
}
# A street office set up during the demo's years: it is an active agency only from then on.
NEW_TOWNSHIP = ("东昌府区", "凤凰街道")

# Department key -> (city department, county department pattern or None, domain, kind).
DEPARTMENTS = {
    "gongan": ("聊城市公安局", "{c}公安局", "公安", AgencyKind.DEPARTMENT),
    "ziran": ("聊城市自然资源和规划局", "{c}自然资源局", "自然资源", AgencyKind.DEPARTMENT),
    "zhujian": ("聊城市住房和城乡建设局", "{c}住房和城乡建设局", "住建", AgencyKind.DEPARTMENT),
    "shichang": ("聊城市市场监督管理局", "{c}市场监督管理局", "市场监管", AgencyKind.DEPARTMENT),
    "shengtai": ("聊城市生态环境局", "{c}生态环境局", "生态环境", AgencyKind.DEPARTMENT),
    "renshe": ("聊城市人力资源和社会保障局", "{c}人力资源和社会保障局", "人社", AgencyKind.DEPARTMENT),
    "jiaotong": ("聊城市交通运输局", "{c}交通运输局", "交通运输", AgencyKind.DEPARTMENT),
    "chengguan": ("聊城市城市管理局", "{c}综合行政执法局", "城管综合执法", AgencyKind.DEPARTMENT),
    "nongye": ("聊城市农业农村局", "{c}农业农村局", "农业农村", AgencyKind.DEPARTMENT),
    "weijian": ("聊城市卫生健康委员会", "{c}卫生健康局", "卫生健康", AgencyKind.DEPARTMENT),
    "jiaoyu": ("聊城市教育和体育局", "{c}教育和体育局", "教育", AgencyKind.DEPARTMENT),
    "shuiwu": ("国家税务总局聊城市税务局", "国家税务总局{c}税务局", "税务", AgencyKind.OTHER),
    "minzheng": ("聊城市民政局", "{c}民政局", "民政", AgencyKind.DEPARTMENT),
    "yingji": ("聊城市应急管理局", None, "应急管理", AgencyKind.DEPARTMENT),
    "shuili": ("聊城市水利局", None, "水利", AgencyKind.DEPARTMENT),
    "yibao": ("聊城市医疗保障局", None, "医疗保障", AgencyKind.DEPARTMENT),
    "shenpi": ("聊城市行政审批服务局", None, "行政审批", AgencyKind.DEPARTMENT),
    "wenlv": ("聊城市文化和旅游局", None, "文化旅游", AgencyKind.DEPARTMENT),
    "sifa": ("聊城市司法局", None, "其他", AgencyKind.DEPARTMENT),
    "fagai": ("聊城市发展和改革委员会", None, "其他", AgencyKind.DEPARTMENT),
    "gongxin": ("聊城市工业和信息化局", None, "其他", AgencyKind.DEPARTMENT),
    "caizheng": ("聊城市财政局", None, "其他", AgencyKind.DEPARTMENT),
    "shangwu": ("聊城市商务局", None, "其他", AgencyKind.DEPARTMENT),
    "tuijun": ("聊城市退役军人事务局", None, "其他", AgencyKind.DEPARTMENT),
    "shenji": ("聊城市审计局", None, "其他", AgencyKind.DEPARTMENT),
    "tongji": ("聊城市统计局", None, "其他", AgencyKind.DEPARTMENT),
    "keji": ("聊城市科学技术局", None, "其他", AgencyKind.DEPARTMENT),
    "guozi": ("聊城市人民政府国有资产监督管理委员会", None, "其他", AgencyKind.DEPARTMENT),
    "dashuju": ("聊城市大数据局", None, "其他", AgencyKind.DEPARTMENT),
    "gongjijin": ("聊城市住房公积金管理中心", None, "其他", AgencyKind.OTHER),
}
DOMAINS = [
    "公安",
    "自然资源",
    "住建",
    "市场监管",
    "生态环境",
    "人社",
    "交通运输",
    "城管综合执法",
    "农业农村",
    "卫生健康",
    "教育",
    "税务",
    "民政",
    "应急管理",
    "水利",
    "医疗保障",
    "行政审批",
    "文化旅游",
    "政务公开",
    "其他",
]


@dataclass(frozen=True)
class Template:
    """A kind of suit: who is sued (a department key, "government" or "township"), for what."""

    defendant: str
    domain: str
    cause: str
    act: str
    weight: float
    persons: float = 0.7  # share of plaintiffs who are citizens; the rest are companies or organisations
    reconsideration: float = 0.2  # share with the reconsideration body as co-defendant


TEMPLATES = [
    Template("gongan", "公安", "治安管理行政处罚", "行政处罚决定", 12, 0.95, 0.25),
    Template("gongan", "公安", "道路交通管理行政处罚", "公安交通管理行政处罚决定", 4, 0.9, 0.1),
    Template("gongan", "公安", "户籍管理", "不予办理户口登记的决定", 1, 1.0, 0.1),
    Template("ziran", "自然资源", "不动产登记", "不动产登记行为", 5, 0.7, 0.2),
    Template("ziran", "自然资源", "土地行政处罚", "责令退还非法占用土地的行政处罚决定", 4, 0.6, 0.25),
    Template("ziran", "自然资源", "建设工程规划许可", "建设工程规划许可证", 2, 0.5, 0.2),
    Template("zhujian", "住建", "商品房预售许可", "商品房预售许可", 2, 0.6, 0.15),
    Template("zhujian", "住建", "房屋登记", "房屋登记行为", 2, 0.8, 0.2),
    Template("government", "住建", "房屋征收补偿", "国有土地上房屋征收补偿决定", 5, 0.85, 0.0),
    Template("government", "自然资源", "土地征收", "土地征收决定", 2, 0.7, 0.0),
    Template("government", "政务公开", "政府信息公开", "政府信息公开答复", 4, 0.9, 0.0),
    Template("government", "其他", "行政复议", "不予受理行政复议申请决定", 2, 0.8, 0.0),
    Template("township", "城管综合执法", "强制拆除", "强制拆除房屋的行为", 8, 0.9, 0.1),
    Template("township", "住建", "行政协议", "征收补偿安置协议", 2, 0.85, 0.05),
    Template("chengguan", "城管综合执法", "城市管理行政处罚", "行政处罚决定", 4, 0.8, 0.2),
    Template("chengguan", "城管综合执法", "强制拆除违法建筑", "限期拆除决定", 4, 0.8, 0.2),
    Template("renshe", "人社", "工伤认定", "工伤认定决定", 9, 0.5, 0.3),
    Template("renshe", "人社", "劳动保障监察", "劳动保障监察行为", 2, 0.8, 0.2),
    Template("shichang", "市场监管", "市场监管行政处罚", "行政处罚决定", 4, 0.3, 0.25),
    Template("shichang", "市场监管", "投诉举报处理", "不予立案告知", 3, 0.9, 0.3),
    Template("shengtai", "生态环境", "环境保护行政处罚", "行政处罚决定", 3, 0.2, 0.25),
    Template("jiaotong", "交通运输", "交通运输行政处罚", "行政处罚决定", 3, 0.6, 0.2),
    Template("nongye", "农业农村", "农村宅基地管理", "宅基地审批行为", 2, 0.9, 0.2),
    Template("weijian", "卫生健康", "医疗卫生行政处罚", "行政处罚决定", 1, 0.4, 0.2),
    Template("jiaoyu", "教育", "教育行政管理", "学籍处理决定", 1, 1.0, 0.2),
    Template("shuiwu", "税务", "税务行政处理", "税务处理决定", 1, 0.3, 0.3),
    Template("minzheng", "民政", "婚姻登记", "婚姻登记行为", 1, 1.0, 0.1),
    Template("yingji", "应急管理", "安全生产行政处罚", "行政处罚决定", 0.5, 0.2, 0.2),
    Template("shuili", "水利", "水行政处罚", "行政处罚决定", 0.5, 0.5, 0.2),
    Template("yibao", "医疗保障", "医疗保障行政处理", "医保待遇核定", 0.5, 0.9, 0.2),
    Template("shenpi", "行政审批", "行政许可", "不予行政许可决定", 0.8, 0.3, 0.2),
    Template("wenlv", "文化旅游", "文化市场行政处罚", "行政处罚决定", 0.3, 0.3, 0.2),
    Template("fagai", "其他", "价格行政管理", "价格行政处理决定", 0.3, 0.3, 0.2),
    Template("guozi", "其他", "国有资产管理", "产权登记行为", 0.2, 0.2, 0.2),
    Template("gongjijin", "其他", "住房公积金管理", "住房公积金提取审批", 0.4, 1.0, 0.1),
]
# Outcomes of a first-instance case decided after a hearing (weights; losses are scaled by time).
JUDGMENT_OUTCOMES = {
    Outcome.CLAIMS_DISMISSED: 46,
    Outcome.SUIT_DISMISSED: 18,
    Outcome.REVOKED: 2.2,
    Outcome.UNLAWFUL: 1.6,
    Outcome.ORDERED_TO_PERFORM: 0.7,
    Outcome.VOID: 0.2,
    Outcome.ORDERED_TO_PAY: 0.3,
    Outcome.MODIFIED: 0.2,
    Outcome.COMPENSATION: 0.3,
    Outcome.WITHDRAWN: 10,
    Outcome.WITHDRAWN_AFTER_CHANGE: 4,
    Outcome.SETTLED: 5,
    Outcome.MEDIATED: 3,
    Outcome.TERMINATED: 0.8,
    Outcome.TRANSFERRED: 0.8,
}
COMPENSATION_OUTCOMES = {
    Outcome.COMPENSATION: 30,
    Outcome.CLAIMS_DISMISSED: 35,
    Outcome.SUIT_DISMISSED: 10,
    Outcome.MEDIATED: 15,
    Outcome.WITHDRAWN: 10,
}
# A case withdrawn before its hearing: the hearing is cancelled.
WITHDRAWAL_OUTCOMES = {Outcome.WITHDRAWN: 55, Outcome.WITHDRAWN_AFTER_CHANGE: 25, Outcome.SETTLED: 20}
LOSSES = {
    Outcome.REVOKED,
    Outcome.UNLAWFUL,
    Outcome.VOID,
    Outcome.ORDERED_TO_PERFORM,
    Outcome.ORDERED_TO_PAY,
    Outcome.MODIFIED,
    Outcome.COMPENSATION,
}
APPEALABLE = LOSSES | {Outcome.CLAIMS_DISMISSED, Outcome.SUIT_DISMISSED}
ABSENCE_REASONS = {
    AbsenceReason.OFFICIAL_DUTY: 50,
    AbsenceReason.OTHER_LEGITIMATE: 25,
    AbsenceReason.ACCIDENT: 15,
    AbsenceReason.FORCE_MAJEURE: 10,
}
ABSENCE_DETAIL = {
    AbsenceReason.OFFICIAL_DUTY: "负责人参加市政府专题会议，需履行他人不能代替的公务。",
    AbsenceReason.OTHER_LEGITIMATE: "负责人因病住院治疗。",
    AbsenceReason.ACCIDENT: "负责人赴庭途中遇交通事故。",
    AbsenceReason.FORCE_MAJEURE: "暴雨红色预警，道路封闭。",
}

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛"
    "叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健俊帆帅旭宁欣亮建国峰"
    "海波荣新春志东文博立庆振兴德胜福祥瑞晓晨雪梅兰菊琳颖倩婷蕾莉佳琪嘉怡丹阳光宏昌盛泽源清远润涵"
)
FIRMS = [
    "山东鲁西律师事务所",
    "山东水城律师事务所",
    "山东凤凰律师事务所",
    "山东运河律师事务所",
    "山东聊大律师事务所",
]
ENTERPRISE_WORDS = "鑫源 恒通 华泰 金诚 瑞丰 宏达 东岳 鲁西 昌润 运河 水城 凤凰 长城 泰和 嘉禾 德润 天成 永盛 信达 开元".split()
INDUSTRIES = "商贸 置业 建材 物流 食品 机械 化工 纺织 农业科技 餐饮管理 建筑工程 房地产开发".split()
HEARING_TIMES = [dt.time(9, 0), dt.time(9, 30), dt.time(10, 0), dt.time(14, 30), dt.time(15, 0)]


@dataclass
class Post:
    official: Official
    role: str
    start: dt.date
    end: dt.date | None

    def held_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass
class Unit:
    """An agency with what the generator knows about it: its posts and its habits in court."""

    agency: Agency
    key: str  # a department key, "government" or "township"
    county: str | None  # None at city level
    court: Court | None  # the basic court for suits against it (None: the intermediate court)
    government: Unit | None  # the government above it: the reconsideration body
    active_from: dt.date | None
    diligence: float  # chance a head appears at the start of the demo's years
    gain: float  # how much that chance has grown by today
    principal_pref: float  # chance the head who appears is the principal
    spoke_pref: float
    loss_factor: float
    firm: str  # the law firm that represents it
    posts: list[Post] = field(default_factory=list)

    def active_on(self, day: dt.date) -> bool:
        return self.active_from is None or self.active_from <= day

    def holders(self, day: dt.date, *roles: str) -> list[Official]:
        return [p.official for p in self.posts if p.role in roles and p.held_on(day)]


@dataclass
class HearingPlan:
    date: dt.date
    status: str
    head_required: bool = False
    obj: Hearing | None = None


@dataclass
class CasePlan:
    case_type: str
    court: Court
    filed_on: dt.date
    defendants: list[tuple[Unit, str, bool]]  # (unit, capacity, head_waived)
    template: Template
    plaintiff: tuple[str, str]
    hearings: list[HearingPlan]
    concluded_on: dt.date | None = None
    outcome: str | None = None
    previous: CasePlan | None = None
    compensation_claimed: bool = False
    number: str = ""
    obj: Case | None = None

    @property
    def held(self) -> list[HearingPlan]:
        return [h for h in self.hearings if h.status == HearingStatus.HELD]


@dataclass
class DemoSummary:
    counts: dict[str, int]
    seconds: float


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role, what they see) of the demo logins, in the order they are printed."""
    return [
        ("admin", "superuser", "一切数据 / everything (Django admin: /admin/)"),
        ("officer_city", UserRole.OFFICER, "聊城市人民政府及其下属全部机关"),
        ("officer_dongchangfu", UserRole.OFFICER, "东昌府区人民政府及其部门、街道"),
        ("liaison", UserRole.LIAISON, "聊城市中级人民法院、聊城市东昌府区人民法院的案件"),
        ("agency_gongan", UserRole.AGENCY, "聊城市公安局"),
        ("api_client", UserRole.API_CLIENT, "聊城市人民政府（REST API, token）"),
    ]


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _weekday(day: dt.date) -> dt.date:
    """Courts sit Monday to Friday: a weekend date moves to the Monday."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


class DemoBuilder:
    def __init__(
        self,
        *,
        seed: int = 1,
        years: int = 4,
        scale: float = 1.0,
        today: dt.date | None = None,
        log: Callable[[str], None] = lambda message: None,
    ):
        self.rng = random.Random(seed)
        self.today = today or local_today()
        self.months = max(1, years) * 12
        self.start = _add_months(dt.date(self.today.year, self.today.month, 1), 1 - self.months)
        self.scale = scale
        self.log = log
        self._used_names: set[str] = set()
        self.units: list[Unit] = []
        self.cases: list[CasePlan] = []
        self._needed = self._misses = self._heads = self._silent = 0

    # --- helpers -------------------------------------------------------------------------------------
    def progress(self, day: dt.date) -> float:
        """0 at the start of the demo's years, 1 today."""
        span = (self.today - self.start).days or 1
        return min(1.0, max(0.0, (day - self.start).days / span))

    def person_name(self, unique: bool = False) -> str:
        for _attempt in range(1000):
            given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
            name = self.rng.choice(SURNAMES) + given
            if not unique or name not in self._used_names:
                self._used_names.add(name)
                return name
        raise RuntimeError("ran out of names")

    def day_in_month(self, month_start: dt.date) -> dt.date:
        last = (_add_months(month_start, 1) - dt.timedelta(days=1)).day
        return month_start + dt.timedelta(days=self.rng.randrange(last))

    # --- the directory ---------------------------------------------------------------------------------
    def build_directory(self) -> None:
        rng = self.rng
        self.domains = {}
        for order, name in enumerate(DOMAINS, start=1):
            self.domains[name] = _domain_create(name=name, order=order)
        court = court_create(
            name=INTERMEDIATE_COURT[0], level=CourtLevel.INTERMEDIATE, code=INTERMEDIATE_COURT[1]
        )
        self.intermediate = court
        self.basic_courts = {
            county: court_create(name=court_name, level=CourtLevel.BASIC, code=code)
            for county, _suffix, court_name, code, _prefix, _towns in COUNTIES
        }
        city = agency_create(name=CITY, kind=AgencyKind.GOVERNMENT, circular_prefix="聊司通")
        self.city = self._unit(city, "government", None, None, None)
        self._staff_posts(self.city, "市长", "副市长", "市政府秘书长")
        self.by_key: dict[tuple[str | None, str], Unit] = {}
        self.townships: dict[str, list[Unit]] = {}
        self.governments: dict[str, Unit] = {}
        city_court_choices = [self.basic_courts["东昌府区"], self.basic_courts["茌平区"]]
        for key, (city_name, _pattern, _domain, kind) in DEPARTMENTS.items():
            agency = agency_create(name=city_name, kind=kind, parent=city)
            # Suits against city departments go to the city seat's court, some to a neighbouring one.
            court = city_court_choices[0] if rng.random() < 0.8 else city_court_choices[1]
            unit = self._unit(agency, key, None, court, self.city)
            self.by_key[(None, key)] = unit
            self._department_posts(unit, city_name)
        for county, suffix, _court_name, _code, prefix, towns in COUNTIES:
            gov_agency = agency_create(
                name=f"{county}人民政府", kind=AgencyKind.GOVERNMENT, parent=city, circular_prefix=prefix
            )
            gov = self._unit(gov_agency, "government", county, None, self.city)
            self.governments[county] = gov
            self._staff_posts(gov, f"{suffix}长", f"副{suffix}长", "政府党组成员")
            for key, (_city_name, pattern, _domain, kind) in DEPARTMENTS.items():
                if pattern is None:
                    continue
                name = pattern.format(c=county)
                agency = agency_create(name=name, kind=kind, parent=gov_agency)
                unit = self._unit(agency, key, county, self.basic_courts[county], gov)
                self.by_key[(county, key)] = unit
                self._department_posts(unit, name)
            self.townships[county] = []
            new_towns = [NEW_TOWNSHIP[1]] if county == NEW_TOWNSHIP[0] else []
            for town in towns + new_towns:
                active_from = None
                if town in new_towns:
                    active_from = _add_months(self.start, self.months // 2)
                street = town.endswith("街道")
                agency = agency_create(
                    name=f"{county}{town}{'办事处' if street else '人民政府'}",
                    kind=AgencyKind.TOWNSHIP,
                    parent=gov_agency,
                    active_from=active_from,
                )
                unit = self._unit(agency, "township", county, self.basic_courts[county], gov, active_from)
                self.townships[county].append(unit)
                if street:
                    self._staff_posts(unit, "主任", "副主任", "党工委委员")
                else:
                    self._staff_posts(unit, "镇长", "副镇长", "党委委员")

    def _unit(self, agency, key, county, court, government, active_from=None) -> Unit:
        rng = self.rng
        is_government = key == "government"
        unit = Unit(
            agency=agency,
            key=key,
            county=county,
            court=court,
            government=government,
            active_from=active_from,
            diligence=rng.uniform(0.74, 0.97),
            gain=rng.uniform(0.04, 0.3),
            principal_pref=rng.uniform(0.08, 0.25) if is_government else rng.uniform(0.22, 0.58),
            spoke_pref=rng.uniform(0.7, 0.95),
            loss_factor=rng.uniform(0.5, 1.6),
            firm=rng.choice(FIRMS),
        )
        self.units.append(unit)
        return unit

    def _department_posts(self, unit: Unit, name: str) -> None:
        head = "主任" if name.endswith(("委员会", "中心")) else "局长"
        self._staff_posts(unit, head, f"副{head}", "党组成员")

    def _staff_posts(self, unit: Unit, principal: str, deputy: str, other: str) -> None:
        """A principal (changed once or twice for some agencies), 1–3 deputies, maybe another head,
        1–3 staff who handle the suits."""
        rng = self.rng
        begin = unit.active_from or self.start
        latest_change = self.today - dt.timedelta(days=30)

        def hire(
            role: str, title: str, start: dt.date, end: dt.date | None = None, official=None
        ) -> Official:
            official = official or official_create(name=self.person_name(unique=True))
            position_create(
                official=official, agency=unit.agency, role=role, start_date=start, end_date=end, title=title
            )
            unit.posts.append(Post(official, role, start, end))
            return official

        def before(day: dt.date) -> dt.date:
            return day - dt.timedelta(days=rng.randint(90, 2200)) if unit.active_from is None else day

        deputies_start = [before(begin) for _ in range(rng.randint(1, 3))]
        changes = sorted(
            begin + dt.timedelta(days=rng.randint(60, max(61, (latest_change - begin).days)))
            for _ in range(rng.choices((0, 1, 2), weights=(60, 33, 7))[0])
        )
        start = before(begin)
        for change in changes:
            if change <= start:
                continue
            hire(PositionRole.PRINCIPAL, principal, start, change - dt.timedelta(days=1))
            start = change
        # Half the new principals were a deputy of the same agency the day before.
        promoted = None
        if changes and rng.random() < 0.5 and deputies_start:
            promoted = official_create(name=self.person_name(unique=True))
            hire(PositionRole.DEPUTY, deputy, deputies_start.pop(), start - dt.timedelta(days=1), promoted)
            hire(PositionRole.DEPUTY, deputy, start)  # the deputy post is filled again
        hire(PositionRole.PRINCIPAL, principal, start, official=promoted)
        for deputy_start in deputies_start:
            if rng.random() < 0.2:  # this deputy leaves and is replaced
                leave = deputy_start + dt.timedelta(days=rng.randint(400, 2500))
                if leave < latest_change and leave > begin:
                    hire(PositionRole.DEPUTY, deputy, deputy_start, leave - dt.timedelta(days=1))
                    hire(PositionRole.DEPUTY, deputy, leave)
                    continue
            hire(PositionRole.DEPUTY, deputy, deputy_start)
        if rng.random() < 0.45:
            hire(PositionRole.OTHER_HEAD, other, before(begin))
        for index in range(rng.randint(1, 3)):
            hire(PositionRole.STAFF, "法制科科长" if index == 0 else "科员", before(begin))

    # --- the cases -------------------------------------------------------------------------------------
    def plan_cases(self) -> None:
        rng = self.rng
        templates = {t: t.weight for t in TEMPLATES}
        per_month = 43 * self.scale
        firsts: list[CasePlan] = []
        for month in range(self.months):
            month_start = _add_months(self.start, month)
            seasonal = 0.8 if month_start.month in (1, 2) else 1.1 if month_start.month in (6, 7, 12) else 1.0
            expected = per_month * (0.9 ** (month / 12)) * seasonal
            count = max(0, round(rng.gauss(expected, max(0.5, expected**0.5 / 2))))
            for _ in range(count):
                filed_on = self.day_in_month(month_start)
                if filed_on > self.today:
                    continue
                plan = self._plan_first_instance(_weighted(rng, templates), filed_on)
                if plan:
                    firsts.append(plan)
        self.cases.extend(firsts)
        self._ensure_every_outcome()
        for plan in firsts:
            self._plan_appeal(plan)
        self._ensure_retrial()
        self.cases.sort(key=lambda p: (p.filed_on, p.case_type))
        sequences: dict[tuple[int, str, str], int] = {}
        for plan in self.cases:
            key = (plan.filed_on.year, plan.court.code, plan.case_type)
            sequences[key] = sequences.get(key, 0) + rng.choice((1, 1, 1, 2))
            plan.number = f"（{plan.filed_on.year}）{plan.court.code}{plan.case_type}{sequences[key]}号"

    def _pick_county(self) -> str:
        return _weighted(self.rng, COUNTY_WEIGHTS)

    def _plan_first_instance(self, template: Template, filed_on: dt.date) -> CasePlan | None:
        rng = self.rng
        county = self._pick_county()
        if template.defendant == "government":
            unit = self.governments[county] if rng.random() < 0.8 else self.city
            court = (
                self.intermediate
            )  # suits against a county-level government start at the intermediate court
        elif template.defendant == "township":
            unit = rng.choice([u for u in self.townships[county] if u.active_on(filed_on)])
            court = unit.court
        else:
            local = self.by_key.get((county, template.defendant))
            unit = local if local and rng.random() < 0.78 else self.by_key[(None, template.defendant)]
            court = unit.court
        defendants = [(unit, DefendantCapacity.ACTED, False)]
        if unit.government and template.defendant != "government" and rng.random() < template.reconsideration:
            # Reconsideration upheld the act: the reconsideration body is a co-defendant (ALL art. 26);
            # the court often designates the acting agency's head to appear for both (SPC 2020 art. 3).
            defendants.append((unit.government, DefendantCapacity.RECONSIDERATION, rng.random() < 0.65))
        elif template.defendant == "township" and rng.random() < 0.15:
            partner = self.by_key.get((county, "chengguan"))
            if partner:
                defendants.append((partner, DefendantCapacity.ACTED, False))
        compensation = template.domain in ("住建", "城管综合执法", "自然资源") and rng.random() < 0.08
        case_type = CaseType.COMPENSATION_FIRST if compensation and rng.random() < 0.5 else CaseType.FIRST
        persons = template.persons
        kind = rng.choices(
            [PlaintiffKind.PERSON, PlaintiffKind.ENTERPRISE, PlaintiffKind.ORGANIZATION],
            weights=[persons, (1 - persons) * 0.85, (1 - persons) * 0.15 + 0.01],
        )[0]
        plan = CasePlan(
            case_type=case_type,
            court=court,
            filed_on=filed_on,
            defendants=defendants,
            template=template,
            plaintiff=(self._plaintiff(kind, county), kind),
            hearings=[],
            compensation_claimed=compensation,
        )
        withdrawn_on = self._plan_hearings(plan, filed_on + dt.timedelta(days=rng.randint(25, 75)))
        self._conclude(plan, withdrawn_on, COMPENSATION_OUTCOMES if compensation else JUDGMENT_OUTCOMES)
        return plan

    def _plaintiff(self, kind: str, county: str) -> str:
        rng = self.rng
        if kind == PlaintiffKind.PERSON:
            return self.person_name()
        if kind == PlaintiffKind.ENTERPRISE:
            prefix = rng.choice(["聊城市", "山东", f"{county}", "聊城"])
            return f"{prefix}{rng.choice(ENTERPRISE_WORDS)}{rng.choice(INDUSTRIES)}有限公司"
        if rng.random() < 0.7:
            return f"{county}{rng.choice(SURNAMES)}{rng.choice('庄屯集楼寨店')}村村民委员会"
        return f"{rng.choice(ENTERPRISE_WORDS)}花园小区业主委员会"

    def _plan_hearings(self, plan: CasePlan, first: dt.date) -> dt.date | None:
        """Append the case's hearings; return the date of a withdrawal before trial, if any."""
        rng = self.rng
        day = _weekday(first)
        while True:
            held_before = bool(plan.held)
            if day > self.today or (day >= self.today - dt.timedelta(days=3) and rng.random() < 0.35):
                # Still to be held, or held in the last few days and not yet recorded by the liaison.
                plan.hearings.append(
                    HearingPlan(day, HearingStatus.SCHEDULED, held_before and rng.random() < 0.4)
                )
                return None
            roll = rng.random()
            if roll < 0.07 and not held_before:
                plan.hearings.append(HearingPlan(day, HearingStatus.CANCELLED))
                return day
            if roll < 0.15:
                plan.hearings.append(HearingPlan(day, HearingStatus.POSTPONED))
                day = _weekday(day + dt.timedelta(days=rng.randint(14, 45)))
                continue
            # Art. 7: at a later hearing the court may require the head to appear again.
            plan.hearings.append(HearingPlan(day, HearingStatus.HELD, held_before and rng.random() < 0.4))
            if len(plan.held) < 3 and rng.random() < 0.13:
                day = _weekday(day + dt.timedelta(days=rng.randint(20, 60)))
                continue
            return None

    def _conclude(self, plan: CasePlan, withdrawn_on: dt.date | None, outcomes: dict) -> None:
        rng = self.rng
        if withdrawn_on:
            plan.concluded_on, plan.outcome = withdrawn_on, _weighted(rng, WITHDRAWAL_OUTCOMES)
            return
        if not plan.hearings or plan.hearings[-1].status != HearingStatus.HELD:
            if plan.hearings or plan.case_type not in (CaseType.SECOND, CaseType.COMPENSATION_SECOND):
                return
            # A second instance decided on the papers, without a hearing.
            concluded = plan.filed_on + dt.timedelta(days=rng.randint(40, 100))
        else:
            concluded = plan.hearings[-1].date + dt.timedelta(days=rng.randint(10, 75))
        if concluded > self.today:
            return
        unit = plan.defendants[0][0]
        # Losses grow rarer as the years go by, and some agencies lose more than others.
        loss_scale = unit.loss_factor * (1.3 - 0.6 * self.progress(concluded))
        weights = {k: w * (loss_scale if k in LOSSES else 1) for k, w in outcomes.items()}
        plan.concluded_on, plan.outcome = concluded, _weighted(rng, weights)

    def _plan_appeal(self, first: CasePlan) -> None:
        rng = self.rng
        if first.outcome not in APPEALABLE or first.court == self.intermediate:
            return
        if rng.random() >= (0.4 if first.outcome in LOSSES else 0.25):
            return
        filed_on = first.concluded_on + dt.timedelta(days=rng.randint(20, 45))
        if filed_on > self.today:
            return
        appeal = CasePlan(
            case_type=CaseType.COMPENSATION_SECOND
            if first.case_type == CaseType.COMPENSATION_FIRST
            else CaseType.SECOND,
            court=self.intermediate,
            filed_on=filed_on,
            defendants=list(first.defendants),
            template=first.template,
            plaintiff=first.plaintiff,
            hearings=[],
            previous=first,
            compensation_claimed=first.compensation_claimed,
        )
        if rng.random() < 0.55:  # the rest are decided on the papers
            self._plan_hearings(appeal, filed_on + dt.timedelta(days=rng.randint(30, 70)))
        self._conclude(
            appeal,
            None,
            {first.outcome: 85, Outcome.CLAIMS_DISMISSED if first.outcome in LOSSES else Outcome.REVOKED: 15},
        )
        self.cases.append(appeal)
        if appeal.outcome and rng.random() < 0.04:
            self._plan_retrial(appeal)

    def _plan_retrial(self, previous: CasePlan) -> None:
        rng = self.rng
        filed_on = previous.concluded_on + dt.timedelta(days=rng.randint(60, 200))
        if filed_on > self.today:
            return
        retrial = CasePlan(
            case_type=CaseType.RETRIAL,
            court=self.intermediate,
            filed_on=filed_on,
            defendants=list(previous.defendants),
            template=previous.template,
            plaintiff=previous.plaintiff,
            hearings=[],
            previous=previous,
        )
        self._plan_hearings(retrial, filed_on + dt.timedelta(days=rng.randint(30, 60)))
        self._conclude(
            retrial, None, {previous.outcome: 60, Outcome.REVOKED: 25, Outcome.CLAIMS_DISMISSED: 15}
        )
        self.cases.append(retrial)

    def _ensure_every_outcome(self) -> None:
        """Every outcome appears at least once, however small the demo: a missing one replaces the
        outcome of a decided first-instance case whose outcome is the most frequent."""
        decided = [p for p in self.cases if p.outcome and p.case_type == CaseType.FIRST and p.held]
        self.rng.shuffle(decided)
        for outcome in Outcome.values:
            counts: dict[str, int] = {}
            for plan in decided:
                counts[plan.outcome] = counts.get(plan.outcome, 0) + 1
            if outcome in counts:
                continue
            commonest = max(counts, key=counts.get, default=None)
            if commonest is None or counts[commonest] < 2:
                return
            next(p for p in decided if p.outcome == commonest).outcome = outcome

    def _ensure_retrial(self) -> None:
        """A retrial appears at least once, however small the demo."""
        appeals = [p for p in self.cases if p.case_type == CaseType.SECOND and p.outcome]
        for appeal in appeals:
            if any(p.case_type == CaseType.RETRIAL for p in self.cases):
                return
            self._plan_retrial(appeal)

    # --- writing the cases -----------------------------------------------------------------------------
    def create_cases(self) -> None:
        rng = self.rng
        for index, plan in enumerate(self.cases, start=1):
            template = plan.template
            acting = plan.defendants[0][0].agency
            plan.obj = case_create(
                number=plan.number,
                court=plan.court,
                filed_on=plan.filed_on,
                plaintiff_name=plan.plaintiff[0],
                plaintiff_kind=plan.plaintiff[1],
                cause=template.cause,
                domain=self.domains[template.domain],
                compensation_claimed=plan.compensation_claimed,
                challenged_act=f"{acting.name}作出的{template.act}",
                previous_case=plan.previous.obj if plan.previous else None,
                concluded_on=plan.concluded_on,
                defendants=[
                    DefendantInput(
                        agency=unit.agency, outcome=plan.outcome, head_waived=waived, capacity=capacity
                    )
                    for unit, capacity, waived in plan.defendants
                ],
            )
            court_room = "行政审判庭" if plan.court == self.intermediate else f"第{rng.randint(1, 6)}法庭"
            headed: set[int] = set()  # defendants whose head already appeared in this case
            for hearing_plan in plan.hearings:
                hearing_plan.obj = hearing_create(
                    case=plan.obj,
                    date=hearing_plan.date,
                    status=hearing_plan.status,
                    head_required=hearing_plan.head_required,
                    time=rng.choice(HEARING_TIMES),
                    courtroom=court_room,
                )
                if hearing_plan.status == HearingStatus.HELD:
                    self._record_attendance(plan, hearing_plan, headed)
                elif hearing_plan.status == HearingStatus.SCHEDULED:
                    self._file_heads(plan, hearing_plan, 0.6)
            if index % 500 == 0:
                self.log(f"  {index} cases …")

    def _chance_of_head(self, unit: Unit, day: dt.date) -> float:
        return min(1.0, unit.diligence + unit.gain * self.progress(day) * 1.4)

    def _record_attendance(self, plan: CasePlan, hearing_plan: HearingPlan, headed: set[int]) -> None:
        rng = self.rng
        hearing, day = hearing_plan.obj, hearing_plan.date
        for unit, _capacity, waived in plan.defendants:
            people: list[dict] = []
            needed = not waived and (hearing_plan.head_required or unit.agency.pk not in headed)
            attends = rng.random() < (
                self._chance_of_head(unit, day) if needed else 0.2 if not waived else 0.0
            )
            if needed:
                # However small the demo, it shows a missed obligation and a head who did not speak.
                self._needed += 1
                attends = attends and not (self._needed >= 8 and self._misses == 0)
                self._misses += not attends
            head = None
            if attends:
                principals = unit.holders(day, PositionRole.PRINCIPAL)
                others = unit.holders(day, PositionRole.DEPUTY, PositionRole.OTHER_HEAD)
                pick_principal = principals and (rng.random() < unit.principal_pref or not others)
                head = principals[0] if pick_principal else rng.choice(others)
                spoke = rng.random() < min(0.99, unit.spoke_pref + 0.15 * self.progress(day))
                spoke = spoke and not (self._heads >= 8 and self._silent == 0)
                self._heads += 1
                self._silent += not spoke
                people.append({"official": head, "spoke": spoke})
                headed.add(unit.agency.pk)
            if (not attends and not (waived and rng.random() < 0.4)) or (attends and rng.random() < 0.7):
                people.extend(self._companions(unit, day, alone=not attends))
            for person in people:
                appearance_create(hearing=hearing, agency=unit.agency, **person)
            if needed and not attends and rng.random() < 0.75:
                reason = _weighted(rng, ABSENCE_REASONS)
                absence_set(
                    hearing=hearing,
                    agency=unit.agency,
                    reason=reason,
                    explanation_filed=rng.random() < 0.85,
                    detail=ABSENCE_DETAIL[reason],
                )
            if needed and rng.random() < 0.35:
                filed = head or rng.choice(unit.holders(day, PositionRole.DEPUTY) or [None])
                if filed:
                    head_filing_set(hearing=hearing, agency=unit.agency, official=filed)

    def _companions(self, unit: Unit, day: dt.date, *, alone: bool) -> list[dict]:
        """Staff or a lawyer beside the head; without a head, the same people alone."""
        rng = self.rng
        roll = rng.random()
        people = []
        if roll < 0.6 or (alone and roll < 0.75):
            staff = unit.holders(day, PositionRole.STAFF)
            if staff and rng.random() < 0.7:
                people.append({"official": rng.choice(staff)})
            else:
                people.append({"person_name": self.person_name(), "capacity": ExternalCapacity.STAFF})
        if roll >= 0.4:
            firm = unit.firm
            people.append(
                {"person_name": f"{self.person_name()}（{firm}）", "capacity": ExternalCapacity.LAWYER}
            )
        return people

    def _file_heads(self, plan: CasePlan, hearing_plan: HearingPlan, share: float) -> None:
        """Art. 6: before the hearing, agencies file which head will appear."""
        rng = self.rng
        for unit, _capacity, waived in plan.defendants:
            if waived or rng.random() >= share:
                continue
            heads = unit.holders(hearing_plan.date, PositionRole.PRINCIPAL, PositionRole.DEPUTY)
            if heads:
                head_filing_set(hearing=hearing_plan.obj, agency=unit.agency, official=rng.choice(heads))

    # --- events and disputes ---------------------------------------------------------------------------
    def create_events(self) -> None:
        rng = self.rng
        observed_courts = {self.intermediate.pk, self.basic_courts["东昌府区"].pk}
        by_month: dict[tuple[int, int], list[HearingPlan]] = {}
        for plan in self.cases:
            if plan.court.pk in observed_courts:
                for h in plan.held:
                    by_month.setdefault((h.date.year, h.date.month), []).append(h)
        for month in range(self.months):
            month_start = _add_months(self.start, month)
            candidates = by_month.get((month_start.year, month_start.month))
            if candidates:
                watched = rng.choice(candidates)
                day, court = watched.date, watched.obj.case.court
            else:
                day, watched, court = (
                    month_start + dt.timedelta(days=rng.randint(8, 20)),
                    None,
                    self.intermediate,
                )
            if day <= self.today:
                self._event(
                    EventKind.TRIAL_OBSERVATION,
                    day,
                    f"{day.year}年{day.month}月行政机关负责人庭审观摩（{court.name}）",
                    court.name,
                    watched.obj if watched else None,
                    self.units,
                    base=0.3,
                )
            # Training: the city's in the middle month of each quarter, each county's in the first or
            # the last month, so that some training runs every month.
            quarter, position = (month_start.month - 1) // 3 + 1, (month_start.month - 1) % 3
            day = month_start + dt.timedelta(days=rng.randint(5, 24))
            if position == 1 and day <= self.today:
                self._event(
                    EventKind.TRAINING,
                    day,
                    f"{day.year}年第{quarter}季度行政机关负责人法治培训",
                    "中共聊城市委党校",
                    None,
                    self.units,
                    base=0.7,
                )
            for index, county in enumerate(COUNTY_NAMES):
                day = month_start + dt.timedelta(days=rng.randint(3, 26))
                if position == (0 if index % 2 == 0 else 2) and day <= self.today:
                    self._event(
                        EventKind.TRAINING,
                        day,
                        f"{county}{day.year}年第{quarter}季度法治专题培训",
                        f"{county}人民政府",
                        None,
                        [u for u in self.units if u.county == county],
                        base=0.5,
                    )

    def _event(
        self, kind: str, day: dt.date, title: str, location: str, hearing, units: list[Unit], *, base: float
    ) -> None:
        rng = self.rng
        agencies, officials = [], []
        for unit in units:
            if not unit.active_on(day):
                continue
            chance = base + (unit.diligence - 0.74) + 0.2 * self.progress(day)
            if rng.random() < chance:
                agencies.append(unit.agency)
                heads = unit.holders(day, PositionRole.PRINCIPAL, PositionRole.DEPUTY)
                if heads:
                    officials.append(rng.choice(heads))
        event_create(
            kind=kind,
            date=day,
            title=title,
            location=location,
            hearing=hearing,
            agencies=agencies,
            officials=officials,
        )

    def create_disputes(self) -> None:
        """Disputes brought to the pre-trial settlement centre: most resolved with a head taking part,
        some still open, some that went to court anyway."""
        rng = self.rng
        respondents = [u for u in self.units if u.county or u.key != "government"]
        weights = [0.1 if u.key == "government" else 1.0 if u.county else 0.5 for u in respondents]
        per_month = 15 * self.scale
        planned: list[tuple[Unit, dt.date, str]] = []
        for month in range(self.months):
            month_start = _add_months(self.start, month)
            for _ in range(max(0, round(rng.gauss(per_month, max(0.5, per_month**0.5 / 2))))):
                received = self.day_in_month(month_start)
                unit = rng.choices(respondents, weights=weights)[0]
                if received > self.today or not unit.active_on(received):
                    continue
                recent = (self.today - received).days < 45
                status = _weighted(
                    rng,
                    {DisputeStatus.OPEN: 60, DisputeStatus.RESOLVED: 40}
                    if recent
                    else {DisputeStatus.RESOLVED: 80, DisputeStatus.LITIGATED: 12, DisputeStatus.OPEN: 8},
                )
                planned.append((unit, received, status))
        # Every status appears, however small the demo.
        for status in DisputeStatus.values:
            if all(s != status for _u, _r, s in planned):
                resolved = [i for i, (_u, _r, s) in enumerate(planned) if s == DisputeStatus.RESOLVED]
                if len(resolved) > 1:
                    unit, received, _s = planned[resolved[0]]
                    planned[resolved[0]] = (unit, received, status)
        cases_by_agency: dict[int, list[CasePlan]] = {}
        for plan in self.cases:
            if plan.case_type == CaseType.FIRST:
                cases_by_agency.setdefault(plan.defendants[0][0].agency.pk, []).append(plan)
        for unit, received, status in planned:
            resolved_on, case = None, None
            if status == DisputeStatus.RESOLVED:
                resolved_on = min(self.today, received + dt.timedelta(days=rng.randint(3, 60)))
            if status == DisputeStatus.LITIGATED:
                later = [p for p in cases_by_agency.get(unit.agency.pk, []) if p.filed_on >= received]
                case = later[0].obj if later else None
            participated = rng.random() < {DisputeStatus.RESOLVED: 0.96, DisputeStatus.LITIGATED: 0.7}.get(
                status, 0.5
            )
            heads = unit.holders(received, PositionRole.PRINCIPAL, PositionRole.DEPUTY)
            template = rng.choice([t for t in TEMPLATES if t.defendant == unit.key] or TEMPLATES)
            dispute_create(
                agency=unit.agency,
                received_on=received,
                resolved_on=resolved_on,
                status=status,
                head_participated=participated and bool(heads),
                heads=[rng.choice(heads)] if participated and heads else [],
                case=case,
                summary=f"{self.person_name()}与{unit.agency.name}{template.cause}争议",
            )

    # --- users ---------------------------------------------------------------------------------------
    def create_users(self) -> None:
        city = self.city.agency
        _user_create(username="admin", name="演示管理员")
        _user_create(username="officer_city", name="市司法局演示账号", role=UserRole.OFFICER, agency=city)
        _user_create(
            username="officer_dongchangfu",
            name="东昌府区司法局演示账号",
            role=UserRole.OFFICER,
            agency=self.governments["东昌府区"].agency,
        )
        _user_create(
            username="liaison",
            name="法院联络员演示账号",
            role=UserRole.LIAISON,
            courts=[self.intermediate, self.basic_courts["东昌府区"]],
        )
        _user_create(
            username="agency_gongan",
            name="市公安局应诉联络员演示账号",
            role=UserRole.AGENCY,
            agency=self.by_key[(None, "gongan")].agency,
        )
        _user_create(username="api_client", name="考核平台演示客户端", role=UserRole.API_CLIENT, agency=city)

    def build(self) -> None:
        with transaction.atomic():
            started = time.monotonic()
            self.build_directory()
            self.log(f"  directory: {len(self.units)} agencies ({time.monotonic() - started:.1f} s)")
            self.plan_cases()
            self.create_cases()
            self.log(f"  cases: {len(self.cases)} ({time.monotonic() - started:.1f} s)")
            self.create_events()
            self.create_disputes()
            self.create_users()
            self.log(f"  events, disputes, users ({time.monotonic() - started:.1f} s)")


def _domain_create(*, name: str, order: int) -> Domain:
    # cases.services has no writer for the domain list (officers keep it in the admin).
    domain = Domain(name=name, order=order)
    domain.full_clean()
    domain.save()
    return domain


def _user_create(
    *, username: str, name: str, role: str = "", agency: Agency | None = None, courts: Sequence[Court] = ()
) -> User:
    if not role:
        # The services create portal users only; the demo's superuser comes from Django's own helper.
        return User.objects.create_superuser(username=username, password=DEMO_PASSWORD, first_name=name)
    user = user_create(
        username=username, password=DEMO_PASSWORD, role=role, agency=agency, courts=courts, first_name=name
    )
    if role == UserRole.API_CLIENT:
        Token.objects.create(user=user)
    return user


def recent_periods(today: dt.date) -> list[str]:
    """The periods the beat jobs would have computed lately: the last six complete months, the last
    four complete quarters and the last complete year, newest first."""
    this_month = dt.date(today.year, today.month, 1)
    months = [_add_months(this_month, -n) for n in range(1, 7)]
    quarter_start = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    quarters = [_add_months(quarter_start, -3 * n) for n in range(1, 5)]
    return (
        [f"{m.year}-{m.month:02d}" for m in months]
        + [f"{q.year}-Q{(q.month - 1) // 3 + 1}" for q in quarters]
        + [str(today.year - 1)]
    )


def demo_is_loaded() -> bool:
    return Agency.objects.exists() or Case.objects.exists()


def build_demo(
    *,
    seed: int = 1,
    years: int = 4,
    scale: float = 1.0,
    today: dt.date | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> DemoSummary:
    """Build the demo city in an empty database; all or nothing."""
    started = time.monotonic()
    DemoBuilder(seed=seed, years=years, scale=scale, today=today, log=log).build()
    return DemoSummary(counts=demo_counts(), seconds=time.monotonic() - started)


def demo_counts() -> dict[str, int]:
    return {
        "agencies": Agency.objects.count(),
        "officials": Official.objects.count(),
        "positions": Position.objects.count(),
        "courts": Court.objects.count(),
        "cases": Case.objects.count(),
        "hearings": Hearing.objects.count(),
        "appearances": Appearance.objects.count(),
        "absence explanations": AbsenceExplanation.objects.count(),
        "events": Event.objects.count(),
        "disputes": Dispute.objects.count(),
    }
