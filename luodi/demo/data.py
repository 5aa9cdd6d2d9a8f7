"""Static lists for the demo college: places, names, courses, teachers.

Plain data that ``builder.py`` draws from with a seeded random generator. The province, its cities
and districts carry their real names and GB/T 2260 codes; streets, communities and people are
plausible inventions, except the communities, cadres and teachers named in the article about the
college's fifth anniversary. Long lists are kept as text tables so that they stay readable.
"""


def _rows(text: str) -> list[list[str]]:
    """The ``|``-separated cells of each non-blank line of a text table."""
    return [[cell.strip() for cell in line.split("|")] for line in text.strip().splitlines()]


def _words(text: str) -> list[str]:
    return text.split()


def _weights(text: str) -> dict[str, float]:
    """``"王 75 李 70"`` → ``{"王": 75.0, "李": 70.0}``."""
    words = text.split()
    return {words[i]: float(words[i + 1]) for i in range(0, len(words), 2)}


# Sizes at scale 1; the 14 cities, the categories, methods and class types do not scale.
SIZES = _weights("""
communities 1500 full_time 25 part_time 35 courses 80 field_sites 10 cases 12 classes_per_year 25
""")
# How likely a random start date in each month is kept: few classes around the Spring Festival
# and in the summer holidays.
MONTH_WEIGHTS = [0.2, 0.15, 0.9, 1, 0.9, 1, 0.6, 0.4, 1, 0.8, 1, 0.6]
CAPACITIES = {int(size): weight for size, weight in _weights("60 5 80 15 100 40 120 40").items()}

PROVINCE = ("辽宁省", "210000")

# A city line (name, code, per-mille share of the communities), then its districts and codes.
_CITIES = """
沈阳市 210100 190
  和平区 210102 沈河区 210103 大东区 210104 皇姑区 210105
  铁西区 210106 浑南区 210112 于洪区 210114
大连市 210200 160
  中山区 210202 西岗区 210203 沙河口区 210204 甘井子区 210211
  旅顺口区 210212 金州区 210213
鞍山市 210300 80
  铁东区 210302 铁西区 210303 立山区 210304 千山区 210311
抚顺市 210400 60
  新抚区 210402 东洲区 210403 望花区 210404 顺城区 210411
本溪市 210500 40
  平山区 210502 溪湖区 210503 明山区 210504 南芬区 210505
丹东市 210600 50
  元宝区 210602 振兴区 210603 振安区 210604
锦州市 210700 60
  古塔区 210702 凌河区 210703 太和区 210711
营口市 210800 60
  站前区 210802 西市区 210803 鲅鱼圈区 210804 老边区 210811
阜新市 210900 50
  海州区 210902 新邱区 210903 太平区 210904 清河门区 210905 细河区 210911
辽阳市 211000 50
  白塔区 211002 文圣区 211003 宏伟区 211004 弓长岭区 211005 太子河区 211011
盘锦市 211100 50
  双台子区 211102 兴隆台区 211103 大洼区 211104
铁岭市 211200 40
  银州区 211202 清河区 211204
朝阳市 211300 50
  双塔区 211302 龙城区 211303
葫芦岛市 211400 60
  连山区 211402 龙港区 211403 南票区 211404
"""


def _cities(text: str) -> list[tuple[str, str, int, list[tuple[str, str]]]]:
    cities = []
    for line in text.strip().splitlines():
        words = line.split()
        if not line.startswith(" "):
            cities.append((words[0], words[1], int(words[2]), []))
        else:
            cities[-1][3].extend(zip(words[::2], words[1::2], strict=True))
    return cities


# (name, code, share of the province's communities in per mille, [(district, code), ...])
CITIES = _cities(_CITIES)

# The communities the article names: city | district code | community name without 社区.
ARTICLE_COMMUNITIES = _rows("""
大连市 | 210203 | 拥警
葫芦岛市 | 211402 | 大世界
阜新市 | 210902 | 民治
鞍山市 | 210302 | 新一中
抚顺市 | 210402 | 新和
盘锦市 | 211103 | 宏盛
辽阳市 | 211002 | 韩夹河
锦州市 | 210711 | 东湖
""")

# The cadres the article names, each the party secretary of an article community: name, gender,
# community, age, years in community work, classes attended. 史艳红 is the returning trainee who
# has "attended N terms since becoming deputy secretary".
ARTICLE_CADRES = [
    (name, gender, community, int(age), int(tenure), int(classes))
    for name, gender, community, age, tenure, classes in _rows("""
宋娟 | F | 拥警 | 47 | 24 | 3
周丽艳 | F | 大世界 | 51 | 20 | 2
孙运 | M | 民治 | 49 | 15 | 2
寇淑青 | F | 新一中 | 54 | 22 | 2
赵宾宾 | M | 新和 | 42 | 12 | 3
史艳红 | F | 宏盛 | 46 | 14 | 8
李星陈 | M | 韩夹河 | 39 | 9 | 1
黄浩然 | M | 东湖 | 44 | 13 | 2
""")
]
TRAINEE_CADRE = "宋娟"
RETURNING_CADRE = "史艳红"
LAW_CADRE = "李星陈"  # the trainee who reopened 孙萍's courseware to found a homeowners' committee

# Words that name streets (街道), communities and roads; combined with suffixes for variety.
PLACE_WORDS = _words("""
新华 胜利 解放 人民 和平 光明 建设 站前 北市 南湖 长白 五里河 太原 八一 青年 文化 民主 东湖
西湖 北山 南山 滨河 桃源 春风 朝阳 向阳 红旗 工人村 铁路 园林 兴华 永安 富民 新民 长青 青松
白云 龙山 虎山 凤凰 金山 银河 星海 黄河 长江 松江 滨江 临江 海滨 港湾 林园 杏林 丰收 幸福
振兴 繁荣 前进 友谊 团结 新城 新开 西塔 北陵 泉园 万泉 华山 泰山 嵩山 天山 燕山 昆明 重庆
辽河 浑河 太子河 大凌河 小凌河 绕阳 双台 兴隆 渤海 黄海 鸭绿 锦华 锦江 锦绣 春华 秋实 长安
福安 康乐 和谐 佳园 阳光 翠湖 碧水 丽景 金色 紫荆 丁香 玉兰 海棠 牡丹 樱花 梧桐 枫林 松园
柳城 杨柳 荷花 梅园 竹林 兰亭 东风 北斗 启明 曙光 红星 卫星 育才 学府 书香 文苑 宏伟 盛世
华夏 中华 东方 西园 南站 北站 铁东 河畔 湖滨 山水 龙泉 凤鸣 富强 复兴 安居 乐业 惠民 利民
便民 爱民 拥军 光华 瑞丰 瑞祥 吉祥 如意 祥和 泰和 顺城 福寿 百合 紫金 金桥 银桥 虹桥 北海
南海 东港 西港 新港 渔港 船厂 机床 钢城 矿山 煤城 石化 油田 电厂 化工 纺织 宏达 永丰 新立
新兴 新风 东山 西山
""")
STREET_SUFFIX = "街道"
# Plain names ("新华社区") are the commonest, so the empty suffix is listed four times.
COMMUNITY_SUFFIXES = ["", "", "", "", "里", "园", "苑", "家园", "花园", "新村"]
NUMERALS = list("一二三四五六七八九十")
DIRECTIONS = list("东西南北中新")
ROAD_SUFFIXES = ["路", "路", "街", "大街", "大路"]

# Surnames weighted roughly by frequency in Liaoning (关, 佟, 曲 are commoner here than elsewhere).
SURNAMES = _weights("""
王 75 李 70 张 68 刘 60 杨 30 赵 28 陈 25 孙 25 于 18 高 18 马 15 徐 13 周 13 黄 12 郭 12
吴 11 韩 10 姜 10 朱 10 胡 10 宋 9 董 9 崔 9 郑 8 田 8 林 7 冯 7 梁 7 魏 7 许 7 何 6 曹 6
杜 6 吕 6 任 6 付 6 金 6 石 6 白 6 孟 6 唐 6 肖 5 程 5 苏 5 丁 5 姚 5 卢 5 范 5 贾 5 闫 5
侯 5 罗 5 谢 5 邓 4 彭 4 袁 4 潘 4 蒋 4 蔡 4 沈 4 夏 4 方 4 秦 4 尹 4 薛 4 关 4 曲 4 郝 4
邵 4 常 4 齐 4 武 4 史 4 邹 3 佟 3 邱 3 江 3 段 3 雷 3 贺 3 顾 3 毛 3 孔 3 温 3 康 3 牛 3
葛 3 邢 3 安 3 乔 3 汪 3 谭 3 陆 3 余 3 叶 3 曾 3 樊 2 庞 2 庄 2 鲁 2 岳 2 翟 2 耿 2 宫 2
隋 2 钱 2 汤 2 戴 2 万 2 严 2 殷 1 申 1 鞠 1 栾 1 初 1 那 1 寇 1 欧阳 1
""")
MALE_GIVEN = list(
    "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林洋阳峰东亮成新春海兵文国志建立"
    "永庆福德忠良振宏博然晨岩松森川彬昊哲学金宝喜光胜利"
)
# 丽 and 艳 appear twice: they are the commonest.
FEMALE_GIVEN = list(
    "丽娟艳敏静秀玲芳燕红霞梅丹萍莉婷雪琳颖慧洁晶倩月莹英华兰凤玉佳欣悦琪蕾薇爽冬楠妍淑桂春"
    "丽艳晓秋媛娜岚菲"
)
# A first character common in the given names of an older generation.
OLDER_MALE_FIRST = list("志建国德振宝长福永庆")
OLDER_FEMALE_FIRST = list("淑秀玉桂凤春丽晓")

# Per post: age (youngest, oldest, commonest) | years in community work (fewest, most).
POST_PROFILES = {
    post: ([int(a) for a in ages.split()], [float(y) for y in years.split()])
    for post, ages, years in _rows("""
secretary | 34 58 48 | 5 26
deputy_secretary | 30 56 42 | 3 20
director | 32 58 46 | 3 22
committee_member | 25 58 38 | 1 15
grid_worker | 25 48 33 | 0.3 8
other | 25 58 38 | 0.3 12
""")
}
# Posts beyond secretary, director and deputy; then political status and education by age.
EXTRA_POSTS = _weights("committee_member 55 grid_worker 40 other 5")
POLITICAL_UNDER_35 = _weights("party_member 45 probationary 6 league_member 25 masses 24")
POLITICAL_OVER_35 = _weights("party_member 62 probationary 3 democratic_party 2 masses 33")
EDUCATION_UNDER_40 = _weights("postgraduate 6 bachelor 60 college 30 secondary 4")
EDUCATION_OVER_40 = _weights("postgraduate 2 bachelor 38 college 45 secondary 13 junior 2")
ETHNICITIES = _weights("汉族 840 满族 115 蒙古族 20 回族 12 朝鲜族 9 锡伯族 4")
PHONE_PREFIXES = _words("""
130 131 132 133 135 136 137 138 139 150 151 152 155 156 157 158 159 176 177 180 181 182 183 185
186 187 188 189 199
""")

EXPERTISE_TAGS = _words("""
社区治理 基层党建 法治建设 社区服务 居民自治 社会工作 网格化管理 应急管理 群众工作 党史党性教育
物业管理 养老服务 矛盾调解 公共管理 城市社会学 心理健康 公文写作 信息化建设 志愿服务 社区文化
""")

# Course categories: name | expertise tags that qualify a teacher | the focus of its courses.
CATEGORIES = [
    (name, tags.split(), focus)
    for name, tags, focus in _rows("""
理想信念与党性教育 | 党史党性教育 基层党建 | 坚定理想信念、加强党性修养
社区党建 | 基层党建 党史党性教育 | 党建引领基层治理
社区治理 | 社区治理 居民自治 公共管理 城市社会学 | 社区治理创新
社区服务 | 社区服务 养老服务 社会工作 志愿服务 社区文化 | 社区服务提质增效
法治建设 | 法治建设 矛盾调解 物业管理 | 运用法治思维和法治方式开展社区工作
平安社区与应急管理 | 应急管理 网格化管理 | 平安社区建设和突发事件应对
群众工作与能力素质 | 群众工作 公文写作 心理健康 信息化建设 | 提升社区干部履职能力
""")
]

LAW_COURSE = "依法治国与社区法治"
CASE_COURSE = "社区治理与服务创新案例解析"
CLOSING_COURSE = "结业座谈：学以致用"
# The catalogue: category number | title | teaching method | default hours. On-site courses
# marked "red" visit memorial halls; the others visit exemplary communities.
_COURSES = """
0 | 习近平新时代中国特色社会主义思想专题辅导 | lecture | 3
0 | 党的创新理论学习与基层实践 | lecture | 3
0 | 坚定理想信念 锤炼党性修养 | lecture | 3
0 | 中国共产党历史专题 | lecture | 3
0 | 新时代党员干部的责任与担当 | lecture | 2.5
0 | 廉洁自律与基层作风建设 | lecture | 2.5
0 | 党章党规党纪学习 | lecture | 2
0 | 影视党课：《焦裕禄》观影与研讨 | film | 2.5
0 | 影视党课：《第一书记》观影与研讨 | film | 2
0 | 现场教学：红色教育基地参观学习 | on_site | 3
0 | 现场教学：重温入党誓词与革命传统教育 | on_site | 3
1 | 党建引领城市基层治理 | lecture | 3
1 | 社区党组织书记的角色定位与履职能力 | lecture | 3
1 | 街道社区党建与区域化党建 | lecture | 2.5
1 | 社区党组织标准化规范化建设 | lecture | 2.5
1 | “三会一课”与党内组织生活 | lecture | 2
1 | 红色物业：党建引领物业服务 | case_analysis | 2.5
1 | 社区党员教育管理 | lecture | 2
1 | 在职党员进社区“双报到”实务 | experience | 2
1 | 优秀社区党组织书记经验介绍 | experience | 2
1 | 现场教学：社区党群服务中心建设 | on_site | 3
1 | 两新组织党建与社区共建 | lecture | 2
1 | 情景模拟：组织一次主题党日活动 | simulation | 2
1 | 研讨交流：党建引领基层治理的难点与对策 | discussion | 2
2 | 社区治理与服务创新案例解析 | case_analysis | 3
2 | 社区治理体系与治理能力现代化 | lecture | 3
2 | 居民自治与社区协商民主 | lecture | 3
2 | 城市社区网格化管理 | lecture | 2.5
2 | 老旧小区改造中的社区治理 | case_analysis | 2.5
2 | 业主委员会组建与物业管理 | lecture | 2.5
2 | 情景模拟：社区议事会的组织与运行 | simulation | 2.5
2 | 智慧社区建设与数字化治理 | lecture | 2
2 | 社区社会组织培育与发展 | lecture | 2
2 | “五社联动”与社区社会工作 | lecture | 2
2 | 现场教学：社区协商议事实践 | on_site | 3
2 | 城市基层治理的国内外比较 | lecture | 2
2 | 分组研讨：我所在社区的治理难题 | discussion | 2
3 | 社区养老服务体系建设 | lecture | 2.5
3 | 社区公共服务与便民服务 | lecture | 2
3 | 社区志愿服务的组织与管理 | experience | 2
3 | 社区社会工作方法 | lecture | 2.5
3 | 困难群体关爱服务 | lecture | 2
3 | 社区文化建设与活动策划 | experience | 2
3 | 现场教学：社区居家养老服务 | on_site | 3
3 | 社区就业与社会保障政策 | lecture | 2
3 | “一站式”社区服务大厅建设 | case_analysis | 2
3 | 社区儿童与青少年服务 | lecture | 1.5
4 | 依法治国与社区法治 | lecture | 3
4 | 《民法典》与社区工作 | lecture | 3
4 | 人民调解与矛盾纠纷化解 | lecture | 2.5
4 | 《城市居民委员会组织法》解读 | lecture | 2
4 | 物业纠纷的法律处理 | case_analysis | 2.5
4 | 社区工作中的依法办事 | lecture | 2
4 | 《信访工作条例》与群众诉求办理 | lecture | 2
4 | 法治社区建设案例 | case_analysis | 2
4 | 社区普法宣传实务 | experience | 1.5
4 | 模拟调解：邻里纠纷化解 | simulation | 2.5
5 | 社区突发事件应急管理 | lecture | 3
5 | 社区疫情防控经验与反思 | experience | 2
5 | 平安社区建设与社会治安综合治理 | lecture | 2.5
5 | 社区消防安全与隐患排查 | lecture | 2
5 | 应急演练：社区防汛与避险转移 | simulation | 2.5
5 | 社区安全风险评估 | lecture | 2
5 | 网格员在应急处置中的作用 | experience | 2
5 | 现场教学：智慧平安小区建设 | on_site | 3
5 | 公共卫生事件中的社区动员 | case_analysis | 2.5
5 | 影视欣赏：《中国医生》 | film | 2.5
6 | 新时代群众工作方法 | lecture | 3
6 | 社区干部沟通与协调能力 | lecture | 2.5
6 | 公文写作与信息报送 | lecture | 2.5
6 | 社区干部心理调适与压力管理 | lecture | 2
6 | 情景模拟：媒体沟通与舆情应对 | simulation | 2.5
6 | 社区工作者职业发展 | lecture | 1.5
6 | 情景模拟：入户走访 | simulation | 2
6 | 情景模拟：群众来访接待 | simulation | 2
6 | 学员论坛：社区工作难点与对策 | discussion | 2
6 | 分组讨论：学习体会交流 | discussion | 2
6 | 结业座谈：学以致用 | discussion | 2
6 | 团队建设与拓展训练 | simulation | 3
6 | 社区工作数字化办公技能 | lecture | 2
6 | 调查研究方法与社区调研 | lecture | 2
"""
COURSES = [(int(cat), title, method, hours) for cat, title, method, hours in _rows(_COURSES)]

# Need topics (需求主题), a few per course category: category number | topic | words of the
# course titles that cover it. A course covers the topics of its category whose words its
# title holds (at most three), else one of them by its number (``need_topics_of``).
NEED_TOPICS = [
    (int(cat), name, words.split())
    for cat, name, words in _rows("""
0 | 理想信念与党性修养 | 理想信念 党性 党史 入党誓词 焦裕禄
0 | 党的创新理论学习 | 思想 创新理论 党章
0 | 廉洁自律与作风建设 | 廉洁 作风 责任
1 | 党建引领基层治理 | 党建引领 区域化 两新 共建
1 | 党组织书记履职能力 | 书记 标准化 主题党日 经验
1 | 党员教育管理 | 党员 三会一课 双报到
2 | 社区协商议事 | 协商 议事 自治
2 | 网格化与数字化治理 | 网格 智慧 数字化
2 | 物业管理与老旧小区改造 | 物业 老旧小区 业主
2 | 社区社会组织培育 | 社会组织 五社 治理难题
3 | 养老与困难群体服务 | 养老 困难群体 儿童
3 | 社区志愿服务与文化 | 志愿 文化
3 | 便民服务与社会保障 | 便民 就业 一站式 公共服务 社会工作
4 | 法律知识与依法办事 | 法治 民法典 组织法 依法 普法
4 | 矛盾纠纷化解 | 调解 纠纷 信访
5 | 突发事件应急处置 | 应急 突发 疫情 防汛 公共卫生 医生
5 | 平安社区与安全隐患排查 | 平安 消防 安全 网格员
6 | 群众工作与沟通 | 群众 沟通 来访 入户 媒体
6 | 公文写作与调查研究 | 公文 调查研究 办公
6 | 心理调适与团队建设 | 心理 团队 职业 学习体会 学以致用 难点
""")
]


def need_topics_of(cat: int, title: str, number: int) -> list[str]:
    """The need topics a course covers: those of its category its title names (at most
    three), else one of them by the course's number. No random draw: adding topics changed
    nothing else in the demo."""
    own = [(name, words) for c, name, words in NEED_TOPICS if c == cat]
    named = [name for name, words in own if any(w in title for w in words)]
    return named[:3] or [own[number % len(own)][0]]


RED_SITE_COURSES = {"现场教学：红色教育基地参观学习", "现场教学：重温入党誓词与革命传统教育"}
# Suffixes that make further course titles when a large scale asks for more than the catalogue.
EXTRA_COURSE_SUFFIXES = _rows("""
政策解读 | lecture
实务操作 | lecture
热点问题 | lecture
典型案例 | case_analysis
经验分享 | experience
研讨交流 | discussion
情景演练 | simulation
能力提升 | lecture
问题与对策 | lecture
""")

METHOD_BLURBS = {
    "lecture": "专题辅导。围绕“{title}”，讲授{focus}的理论要点、政策要求和工作方法，"
    "结合辽宁社区工作实际答疑解惑。",
    "on_site": "现场教学。走进现场教学点实地观摩，听取一线社区干部介绍做法，"
    "围绕{focus}现场交流互动。",
    "case_analysis": "案例剖析。选取典型社区案例，剖析问题成因、解决过程与成效，"
    "引导学员在{focus}中举一反三、学以致用。",
    "simulation": "情景模拟。设置真实工作场景，学员分组扮演不同角色演练“{title}”，"
    "教师现场点评，提升{focus}的实战能力。",
    "film": "影视欣赏。集中观看影片并开展研讨，从先进典型身上汲取精神力量，围绕{focus}谈体会。",
    "experience": "经验介绍。邀请优秀社区党组织书记和业务骨干分享{focus}的实践经验。",
    "discussion": "讨论交流。学员分组围绕“{title}”开展研讨，交流经验、查找问题、提出对策，"
    "形成小组成果并大会交流。",
}
NAMED_COURSE_DESCRIPTIONS = {
    CASE_COURSE: "案例剖析。以罗湖社区协商议事制度等典型案例为线索，讲解社区议事会的组织方式、"
    "议题产生与协商程序，帮助学员把协商方法用于采暖、物业、邻里纠纷等身边事。",
    LAW_COURSE: "专题辅导。讲解全面依法治国的基本要求和社区工作常用的法律知识，包括居民委员会"
    "组织法、民法典物权编与业主委员会的设立，课件供学员课后查阅。",
}

# The teachers the article names: name | unit | title | expertise | biography.
NAMED_TEACHERS = [
    (name, unit, title, tags.split(), bio)
    for name, unit, title, tags, bio in _rows("""
张雷 | 东北大学文法学院 | 教授 | 公共管理 基层党建 社区治理 | 东北大学文法学院院长，辽宁社区干部学院副院长，长期研究城市基层治理与社区建设。
张平 | 东北大学文法学院 | 教授 | 社区治理 居民自治 城市社会学 | 长期研究城市社区治理与服务创新，多次承担全国社区治理和服务创新实验区跟踪指导、结项验收工作。
孙萍 | 东北大学文法学院 | 教授 | 法治建设 公共管理 社区治理 | 主要研究法治政府与基层法治建设，讲授依法治国与社区法治等课程。
""")  # noqa: E501
]
FULL_TIME_UNITS = _weights("""
东北大学文法学院 60 东北大学马克思主义学院 20 东北大学工商管理学院 10 东北大学江河建筑学院 5
东北大学医学与生物信息工程学院 5
""")
FULL_TIME_TITLES = _weights("教授 30 副教授 45 讲师 25")
FULL_TIME_TAGS = {
    unit: tags.split()
    for unit, tags in _rows("""
东北大学文法学院 | 社区治理 公共管理 法治建设 居民自治 社会工作 城市社会学
东北大学马克思主义学院 | 党史党性教育 基层党建 群众工作
东北大学工商管理学院 | 公共管理 信息化建设 物业管理
东北大学江河建筑学院 | 社区治理 物业管理 应急管理
东北大学医学与生物信息工程学院 | 心理健康 养老服务 应急管理
""")
}
# Where part-time teachers come from: unit | weight | titles | expertise. "{street}" becomes a real
# street office; "community" means an outstanding community secretary, linked to their cadre.
PART_TIME_SOURCES = [
    (unit, int(weight), titles.split(), tags.split())
    for unit, weight, titles, tags in _rows("""
中共辽宁省委组织部 | 12 | 处长 副处长 一级调研员 | 基层党建 党史党性教育 群众工作
辽宁省民政厅 | 12 | 处长 副处长 二级调研员 | 社区治理 社区服务 养老服务 社会工作
中共辽宁省委党校 | 18 | 教授 副教授 | 党史党性教育 基层党建 法治建设 群众工作
中共沈阳市委党校 | 8 | 教授 副教授 讲师 | 党史党性教育 公文写作 群众工作 基层党建
中共大连市委党校 | 7 | 教授 副教授 讲师 | 党史党性教育 社区治理 应急管理
{street}办事处 | 13 | 党工委书记 主任 副主任 | 网格化管理 应急管理 群众工作 矛盾调解
community | 30 | - | 群众工作 居民自治 矛盾调解 志愿服务 社区文化 养老服务
""")
]
SECRETARY_TITLES = {
    "committee": "社区党委书记",
    "general_branch": "社区党总支书记",
    "branch": "社区党支部书记",
}

# Field-teaching sites: name | kind | article community ("-" for none) | address | description.
FIELD_SITES = _rows("""
九·一八历史博物馆 | red | - | 沈阳市大东区望花南街46号 | 重温东北抗战历史，开展爱国主义和革命传统教育。
大连市拥警社区党群服务中心 | community | 拥警 | - | 观摩“网格+楼长”的疫情防控与日常服务机制。
抚顺雷锋纪念馆 | red | - | 抚顺市望花区和平路东段 | 学习雷锋精神，开展为民服务宗旨教育。
盘锦市宏盛社区议事厅 | community | 宏盛 | - | 旁听社区议事会，了解采暖改造中协商化解分歧的过程。
抚顺市新和社区党群服务中心 | community | 新和 | - | 了解“聚心行动”五心工程的做法与成效。
丹东抗美援朝纪念馆 | red | - | 丹东市振兴区山上街7号 | 缅怀先烈，传承伟大抗美援朝精神。
锦州市东湖社区居家养老服务中心 | community | 东湖 | - | 观摩社区嵌入式养老和助餐服务。
鞍山市新一中社区红色物业服务站 | community | 新一中 | - | 了解党建引领物业服务、老旧小区托底管理的做法。
辽阳市韩夹河社区业主委员会活动室 | community | 韩夹河 | - | 了解物业弃管小区依法组建业主委员会的经过。
阜新市民治社区民情恳谈室 | community | 民治 | - | 观摩“民情恳谈日”收集和办理居民诉求的流程。
""")  # noqa: E501
# One way by coach from the college in Shenyang, in minutes (other sites: half an hour). A site
# more than an hour away takes a whole day when the timetable is built automatically.
FIELD_SITE_TRAVEL = {
    "九·一八历史博物馆": 25,
    "大连市拥警社区党群服务中心": 150,  # by high-speed rail
    "抚顺雷锋纪念馆": 60,
    "盘锦市宏盛社区议事厅": 120,
    "抚顺市新和社区党群服务中心": 60,
    "丹东抗美援朝纪念馆": 150,
    "锦州市东湖社区居家养老服务中心": 120,
    "鞍山市新一中社区红色物业服务站": 70,
    "辽阳市韩夹河社区业主委员会活动室": 60,
    "阜新市民治社区民情恳谈室": 120,
}
FIELD_SITE_SUFFIXES = _words("""
党群服务中心 新时代文明实践站 网格化管理服务中心 居民议事厅 居家养老服务中心 红色物业服务站
综治中心 志愿服务站
""")

# The case library: title | article community ("-" for none) | courses it serves (";") | summary.
CASES = [
    (title, community, courses.split(";"), summary)
    for title, community, courses, summary in _rows("""
罗湖社区协商议事制度 | - | 社区治理与服务创新案例解析;居民自治与社区协商民主;情景模拟：社区议事会的组织与运行 | 社区建立议事会、听证会、协调会相结合的协商议事制度，居民提出议题、共同商量、共同决定，化解了停车、加装电梯等一批难题。
宏盛社区议事会化解采暖面积核查分歧 | 宏盛 | 社区治理与服务创新案例解析;老旧小区改造中的社区治理 | 小区采暖管线改造后交由社区接管，采暖面积核查出现分歧。社区党组织召开议事会，请居民代表、供热企业和物业共同核对，顺利化解矛盾。
韩夹河社区依法组建业主委员会 | 韩夹河 | 业主委员会组建与物业管理;物业纠纷的法律处理;法治社区建设案例 | 物业资不抵债退出后小区无人接管，社区书记依据课件中的法律规定，组织业主依法成立业主委员会，小区管理重回正轨。
新和社区“聚心行动”五心工程 | 新和 | 社区治理与服务创新案例解析;红色物业：党建引领物业服务 | 以聚心、贴心、真心、暖心、乐心五项行动，让党员形象树起来、组织堡垒强起来、矛盾纠纷少起来。
拥警社区“网格+楼长”疫情防控机制 | 拥警 | 公共卫生事件中的社区动员;网格员在应急处置中的作用 | 把党员楼长编入网格，实行包楼包户，疫情期间做到底数清、情况明、服务到位。
大世界社区党员先锋岗 | 大世界 | 红色物业：党建引领物业服务 | 设立党员先锋岗和党员责任区，党员亮身份、当先锋，带动居民参与社区事务。
民治社区“民情恳谈日” | 民治 | 社区治理与服务创新案例解析;“一站式”社区服务大厅建设 | 每月固定一天由社区“两委”成员接待居民，诉求登记、限时办理、结果公开。
新一中社区红色物业联建 | 新一中 | 红色物业：党建引领物业服务;老旧小区改造中的社区治理 | 社区党组织与物业企业党支部联建，老旧小区实现有人管事、有钱办事、有章理事。
东湖社区品牌化服务 | 东湖 | “一站式”社区服务大厅建设 | 围绕“一老一小”打造服务品牌，整合辖区单位资源，提升居民获得感。
老旧小区改造中的“居民点单” | - | 老旧小区改造中的社区治理 | 改造项目由居民投票排序，施工方案公开征求意见，减少了改造中的矛盾。
物业弃管小区的托底管理 | - | 物业纠纷的法律处理;法治社区建设案例 | 街道和社区组建临时物业服务队，过渡期保障保洁、安保和维修。
邻里纠纷“三调联动”化解 | - | 法治社区建设案例;公共卫生事件中的社区动员 | 人民调解、行政调解、司法调解衔接联动，把纠纷化解在社区。
""")  # noqa: E501
]
CASE_PRACTICES = _words("""
“楼栋议事会”实践 党建引领物业服务实践 网格化服务管理实践 居家养老服务探索 居民公约修订过程
志愿服务积分制 矛盾纠纷多元化解 老旧小区改造协商 “一老一小”服务品牌 应急避险转移演练
""")

# Class types: name | usual days | posts it trains | weight in a year | weights of the seven
# categories in its timetable | description.
CLASS_TYPES = [
    (name, int(days), posts.split(), int(weight), [int(w) for w in cats.split()], description)
    for name, days, posts, weight, cats, description in _rows("""
社区党组织书记培训班 | 5 | secretary deputy_secretary | 34 | 2 3 3 1 2 1 1 | 面向社区党组织书记、副书记的主体班次。
社区居委会主任培训班 | 5 | director deputy_secretary | 16 | 1 1 3 3 2 1 2 | 面向社区居民委员会主任的履职能力培训。
新任社区党组织书记培训班 | 6 | secretary deputy_secretary | 10 | 2 3 2 1 1 1 2 | 面向任职不满一年的社区党组织书记，帮助尽快进入角色。
社区网格员培训班 | 3 | grid_worker other committee_member | 14 | 1 0 2 1 1 3 3 | 面向专职网格员的业务技能培训。
社区工作者能力提升培训班 | 4 | committee_member grid_worker other deputy_secretary director | 16 | 1 1 2 3 1 1 3 | 面向社区“两委”成员和社区工作者的综合能力培训。
示范培训班 | 3 | secretary director | 10 | 2 2 3 1 1 0 0 | 面向优秀社区党组织书记和居委会主任的示范班次。
""")  # noqa: E501
]
SECRETARY_CLASS = "社区党组织书记培训班"
# The classes the article's returning trainee came to since becoming deputy secretary.
RETURNING_CLASS_TYPES = [
    SECRETARY_CLASS,
    "社区居委会主任培训班",
    "社区工作者能力提升培训班",
    "示范培训班",
]
NEW_SECRETARY_CLASS = "新任社区党组织书记培训班"

# Classrooms of the college, the main ones first; further rooms are numbered.
ROOMS = _words("""
学院楼报告厅 学院楼多功能厅 学院楼201教室 学院楼202教室 学院楼301教室 学院楼302教室
学院楼研讨室A 学院楼研讨室B
""")

# Demo accounts: username | role | display name ("-": the linked teacher's or cadre's name).
DEMO_USERS = _rows("""
admin | admin | 系统管理员
staff | staff | 王晓雪
headteacher | head_teacher | -
teacher | teacher | -
liaison | liaison | 刘洋
trainee | trainee | -
supervisor | supervisor | 陈建国
""")
LIAISON_CITY = "大连市"

# Reflections (培训心得) in the trainees' own words, as the article quotes them.
REFLECTIONS = [
    "带着问题来，带着方法走。协商议事的课让我知道，居民的事要和居民商量着办。",
    "现场教学看到别的社区怎么做，回去就把楼院议事会建起来了。",
    "老师讲的社区法治很实用，物业纠纷终于知道从哪里入手。",
    "案例剖析贴近我们的工作，网格化管理的做法准备在社区推广。",
    "和各地书记交流经验收获很大，服务群众要多用心、多跑腿。",
    "党建引领基层治理的思路更清楚了，回去要把党员作用发挥出来。",
    "情景模拟让我练了怎么接待来访群众，比只听课记得牢。",
    "学院的课接地气，学了就能用，希望以后多组织这样的培训。",
]

# Banks where part-time teachers take their honoraria.
BANKS = ("中国工商银行", "中国建设银行", "中国银行", "中国农业银行", "交通银行", "盛京银行")
