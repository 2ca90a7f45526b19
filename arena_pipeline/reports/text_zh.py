"""Every Chinese sentence the reports publish, in one place, so wording is reviewed and changed
here alone. Renderers only fill in values; placeholders are str.format fields. The names of
arenas and categories are data shared with the boards table: config/board_titles.csv."""

from arena_pipeline.history.boards import names_of

# --- shared -----------------------------------------------------------------------------------

# The CSV source's arenas (its `image` is the dataset's `text_to_image`).
ARENA_NAMES = {arena: names_of("arena")[arena] for arena in ("text", "vision", "image")}

NO_DATA = "暂无数据"  # unknown knowledge cutoff, organization or license
NOT_PUBLISHED = "—"  # a column the upstream did not publish for this data version

GENERATED_AT = "> **数据更新时间**: {utc} UTC / {beijing} CST (北京时间)"
# The three dates every current page keeps apart: when the data last changed, the newest release
# checked, and when the page was generated (GENERATED_AT, the line above them).
# The age is counted to the day the page was generated (UTC; `report --now` sets it).
DATA_VERSION_DATE = "> **数据版本**: {date}，距今 {days} 天（上游数据最近一次发生变化的日期，按生成日 {today} 计）"
LATEST_RELEASE_DATE = "> **最新检查的发布**: {date}（上游每天发布一次，内容可能与上一次相同）"
STALE_NOTICE = (
    '{{% hint style="warning" %}}\n'
    "上游数据自 {date} 起未更新，到本页生成日 {today} 已 {days} 天：截至 {checked} 的每次发布都重复这一版本的数据。\n"
    "{{% endhint %}}"
)
DATASET_STALE_NOTICE = (
    '{{% hint style="warning" %}}\n'
    "LMArena 官方数据集中该榜单自 {date} 起没有新的发布，到本页生成日 {today} 已 {days} 天。\n"
    "{{% endhint %}}"
)

# Which source a trend page of the CSV source shows (the official dataset's say DATASET_SOURCE_LINE).
CSV_SOURCE_LINE = (
    "> **数据来源**: 开源项目 [fboulnois/llm-leaderboard-csv](https://github.com/fboulnois/llm-leaderboard-csv)"
    " 每天发布的 LMArena 排行榜 CSV"
)

# --- leaderboard_zh.md ------------------------------------------------------------------------

LEADERBOARD_TITLE = {
    "text": "# LLM Arena 排行榜 (实时更新)",
    "vision": "# LLM Arena 视觉排行榜 (实时更新)",
    "image": "# LLM Arena 文生图排行榜 (实时更新)",
}
LEADERBOARD_TITLE_OTHER = "# LLM Arena {arena} 排行榜 (实时更新)"

LEADERBOARD_INTRO = (
    "本页展示 LMArena（原 Chatbot Arena）{arena}竞技场的当前排行榜，共 {count} 个模型。"
    "排名来自真实用户对匿名模型回答的两两投票，每次导入新数据后自动更新。"
)

LEADERBOARD_HINT = "点击模型名即可打开该模型的介绍页（链接由上游数据提供）。"

LEADERBOARD_HEADING = "## 排行榜"
LEADERBOARD_COLUMNS = (
    "排名(UB)",
    "排名(StyleCtrl)",
    "模型名",
    "分数",
    "置信区间",
    "票数",
    "服务商",
    "许可协议",
    "知识截止日期",
)
LEADERBOARD_EMPTY = "本数据版本中没有可展示的模型。"

# Shown above the table when a column is not what the upstream published.
NOTE_V3_RANKS = (
    "> **注**：该数据版本（v3 格式）中，上游把排名上界（未做风格控制的最终排名）放在名为 "
    "`rank_stylectrl` 的列里，`rank` 只是行号；本页「排名(UB)」即该排名上界。"
    "v3 数据不再发布风格控制排名，因此「排名(StyleCtrl)」显示为 —。"
)
NOTE_NO_STYLECTRL = (
    "> **注**：该数据版本的上游文件尚未发布风格控制排名，「排名(StyleCtrl)」列显示为"
    f"「{NOT_PUBLISHED}」。"
)

NOTE_OMITTED_COLUMNS = "> **注**：上游没有为本榜单的任何模型发布{columns}，这些列已省略。"

EXPLANATION_HEADING = "## 说明"
EXPLANATION = (
    "- **排名(UB)**：排名上界（Upper Bound），等于 1 加上在统计上显著优于该模型的模型数"
    "（即置信区间下界高于该模型置信区间上界的模型数）。分数接近、无法区分高下的模型会并列同一名次，"
    "因此名次可以重复，也可以跳号。",
    "- **排名(StyleCtrl)**：风格控制后的排名。LMArena 在统计时扣除回答长度、Markdown 格式等"
    "“风格”因素对投票的影响，更接近回答内容本身的质量。"
    f"「{NOT_PUBLISHED}」表示该数据版本未发布此列。",
    "- **模型名**：模型在排行榜上的名称，按数据来源原样显示；同一模型改名后以新名称出现。"
    "名称带链接时，点击即可打开该模型的介绍页（链接由数据来源提供）。",
    "- **分数**：Arena 分数，依据用户投票结果用 Bradley-Terry 模型估计的 Elo 式评分，"
    "分数越高表示越常在对战中胜出；分差越大，胜率差距越大。",
    "- **置信区间**：分数的 95% 置信区间，写作“+上/-下”，衡量分数估计的不确定性。"
    "例如 `+5/-4` 表示区间从“分数 − 4”到“分数 + 5”；票数越多，区间通常越窄。",
    "- **票数**：该模型参与并计入统计的匿名对战投票数。",
    "- **服务商**：开发或发布该模型的公司或机构。",
    "- **许可协议**：模型的使用许可。Proprietary 表示闭源专有模型，"
    "其余多为开源或开放权重许可（如 Apache 2.0、MIT 或各家自定义许可），按上游原文显示。",
    "- **知识截止日期**：模型训练数据的截止时间（年/月），按上游原文显示；"
    f"Online 表示模型可联网获取实时信息；「{NO_DATA}」表示上游未公布。",
)

SOURCE_HEADING = "## 数据来源与更新频率"
SOURCE = (
    "- 数据来源：开源项目 [fboulnois/llm-leaderboard-csv](https://github.com/fboulnois/llm-leaderboard-csv)"
    "（MPL-2.0 许可），它每天从 [LMArena](https://lmarena.ai) 排行榜抓取数据并以 CSV 文件发布。",
    "- 更新频率：上游每天发布一次；本页在每次导入新数据后自动重新生成。"
    "LMArena 本身并非每天都更新排名，数据未变化的日子排行榜内容与前一天相同。",
)

DISCLAIMER_HEADING = "## 免责声明"
DISCLAIMER = (
    "- 本榜单仅供参考，不构成对任何模型的推荐或质量保证。排名与分数是基于众包投票的统计估计，"
    "只反映参与投票用户的偏好。",
    "- 随着新投票加入、LMArena 调整统计方法或修订历史数据，排名、分数和其他信息都可能变化。",
    "- 使用任何模型前，请查阅并遵守其许可协议与服务条款。本项目与 LMArena 及各模型服务商均无隶属关系。",
)

# --- trend reports ----------------------------------------------------------------------------

DIGEST_TITLE = "# LLM Arena {arena}排行榜动态：{date}"
DIGEST_COMPARED = "> **对比区间**: {previous} → {current}（相邻两个数据版本）"
DIGEST_FIRST = "> **对比区间**: {current} 是最早的数据版本，没有可对比的上一版本。"

PERIOD_TITLE = {"weekly": "# LLM Arena {arena}排行榜周报", "monthly": "# LLM Arena {arena}排行榜月报"}
PERIOD_RANGE = "> **统计区间**: {start} 至 {end}（与 {baseline} 的数据版本相比）"
PERIOD_RANGE_NO_BASELINE = "> **统计区间**: {start} 至 {end}（区间开始前没有数据版本可供对比）"

NOTHING_CHANGED = "本期无变化：没有新上榜模型、榜首变更、显著升降、改名、上下榜或方法变更。"

NEW_MODELS_HEADING = "## 新上榜模型"
NEW_MODELS_EMPTY = "本期没有新上榜的模型。"
NEW_MODELS_COLUMNS = ("模型", "排名(UB)", "分数", "票数", "服务商")
# Beside 排名(UB) on boards whose style-controlled twin is published (the official dataset's).
STYLECTRL_COLUMN = "排名(StyleCtrl)"

LEADER_HEADING = "## 榜首变更"
LEADER_EMPTY = "本期榜首没有变化。"
LEADER_ITEM = "{previous} → **{model}**"
LEADER_ITEM_NO_PREVIOUS = "**{model}** 登上榜首"
LEADER_CURRENT = "当前榜首：**{model}**。"
LEADER_TIED = "当前并列第一（排名上界同为 1，分数差距在置信区间之内）：{models}。"
LEADER_TIED_SEPARATOR = "、"
LEADER_RULE = "榜首指唯一排名上界为 1 的模型；多个模型并列第一时不算榜首变更。"

UP_HEADING = "## 显著上升"
UP_EMPTY = "本期没有分数显著且可比的上升。"
DOWN_HEADING = "## 显著下降"
DOWN_EMPTY = "本期没有分数显著且可比的下降。"
MOVES_COLUMNS = ("模型", "排名(UB)", "名次变化", "分数", "分数变化")
MOVES_INTRO = (
    "只列出分数变化在统计上显著、且前后两个版本口径可比的模型，按分数变化大小排列。"
    "上游整体平移分数时，“分数变化”已扣除平移量，只反映相对其他模型的变化。"
    "名次变化以排名上界计，“↑”表示名次上升（数字变小）；其他模型进出榜单也会让名次变化，"
    "所以名次与分数的方向不一定相同。"
)
MOVES_TRUNCATED = "只列出分数变化最大的 {shown} 个，另有 {count} 个未列出。"
RANK_UP = "↑{n}"
RANK_DOWN = "↓{n}"
RANK_SAME = "持平"

RENAME_HEADING = "## 改名记录"
RENAME_EMPTY = "本期没有模型改名。"
RENAME_ITEM = "{previous} → {model}"

DROP_HEADING = "## 下榜与回归"
DROP_EMPTY = "本期没有模型下榜或重新上榜。"
DROP_COLUMNS = ("模型", "变化")
DROPPED = "下榜"
RETURNED = "回归"
# Models hidden or shown again by a listing change of the upstream: one line per version, the
# names folded away (GitBook renders HTML <details>).
LISTING_HIDDEN = "上游一次性隐藏了 {count} 个模型（多为已弃用模型）：这是上游榜单展示范围的调整，不是模型本身的变化。"
LISTING_RESHOWN = "上游一次性重新展示了 {count} 个此前隐藏的模型：这是上游榜单展示范围的调整，不是模型本身的变化。"
LISTING_NAMES = "展开名单"

METHOD_HEADING = "## 方法变更提示"
METHOD_EMPTY = "本期没有方法变更，所有排名变动前后口径一致。"
METHOD_ITEM_NO_DETAILS = "上游数据格式或排名口径发生变化。"
# One explanation per kind of data_versions.method_changes.
METHOD_RANK_IS_POSITION = (
    "数据格式由 {before} 变为 {after}：上游的 rank 列从此只是行号，排名上界改放在名为 "
    "rank_stylectrl 的列中，且不再发布风格控制排名；本项目的「排名(UB)」始终取上游发布的排名上界。"
)
METHOD_RANK_MEANING = "数据格式由 {before} 变为 {after}，排名列的含义随之改变。"
METHOD_LISTING_HIDDEN = (
    "上游一次性隐藏了 {count} 个模型：榜单展示范围改变，其余模型的名次因此整体前移，"
    "并不是这些模型的表现发生了变化。"
)
METHOD_LISTING_RESHOWN = (
    "上游一次性重新展示了 {count} 个此前隐藏的模型：榜单展示范围改变，其余模型的名次因此整体后移。"
)
METHOD_SCORE_OFFSET = "上游整体平移了 {shift} 分，已从分数变化中扣除；扣除后只有相对其他模型的变化才计入升降榜。"
METHOD_SCORE_SCALE = (
    "上游重新标定了分数尺度（新旧分数的斜率为 {slope}，头尾差距因此改变约 {stretch} 分；"
    "扣除整体平移后，{common} 个共同模型中仍有 {moved} 个的变化超出置信区间），前后分数不可直接比较。"
)
METHOD_CI_METHOD = (
    "上游更换了置信区间的计算方法（对称置信区间的比例由 {before}% 变为 {after}%），"
    "前后两期的显著性检验口径不一致。"
)
# The official dataset's Elo era (2023) publishes no bounds: the first version with them.
METHOD_CI_APPEARED = "上游从这一版本起发布置信区间（上一版本没有置信区间），前后两期的显著性检验口径不一致。"
METHOD_CI_VANISHED = "上游在这一版本不再发布置信区间（上一版本有），前后两期的显著性检验口径不一致。"
METHOD_SEVERAL = "上游在这一版本同时有 {count} 处方法变更："
METHOD_WHY = (
    "方法变更当天，名次或分数的跳动主要来自计算口径的调整，而不是模型表现的变化，"
    "因此这些变动不计入上面的“显著上升 / 显著下降”。"
)
METHOD_EXCLUDED = "本期另有 {count} 条显著的分数变化因前后口径不可比而未列入升降榜。"

DRIFT_HEADING = "## 持续变化"
DRIFT_INTRO = (
    "与 {days} 天前的数据版本相比（已扣除其间上游的整体平移），分数变化超过两端合并置信区间的模型；"
    "可以发现逐期小幅、累积起来却显著的上升或下降。"
)
DRIFT_EMPTY = "本期没有显著的持续变化。"
DRIFT_COLUMNS = ("模型", "对比版本", "排名(UB)", "分数", "分数变化")

ORG_HEADING = "## 厂商格局"
ORG_EMPTY = "本期没有可统计的模型。"
ORG_UNKNOWN = "本期前 20 名的模型都没有服务商信息（数据源未公布），不统计厂商格局。"
ORG_INTRO = "按排名上界（并列时按榜单顺序）取前 10 名与前 20 名，统计各服务商所占席位；变化与 {baseline} 相比。"
ORG_INTRO_NO_BASELINE = (
    "按排名上界（并列时按榜单顺序）取前 10 名与前 20 名，统计各服务商所占席位；没有可对比的基准版本。"
)
ORG_COLUMNS = ("服务商", "前 10 席位", "变化", "前 20 席位", "变化")
ORG_SEATS = "{count}（{share}%）"

DATE_COLUMN = "日期"
# A list item; in weekly/monthly reports it starts with the day the event happened.
ITEM = "- {text}"
DATED_ITEM = "- {date}：{text}"
NESTED_ITEM = "  - {text}"

CHARTS_HEADING = "## 走势图"
CHARTS_EMPTY = "本期没有生成走势图。"
CHART_SCORE_ALT = "当前前十名模型近 90 天分数走势"
CHART_RANK_ALT = "当前前十名模型近 90 天排名走势"

INDEX_TITLE = "# LLM Arena 排行榜动态索引"
INDEX_INTRO = (
    "按竞技场分组：每个数据版本（排行榜内容有变化的发布日）一篇动态，并注明这一版发生了什么；"
    "另有滚动更新的周报与月报。"
)
# What counts as news on a board outside the headline boards (feeds.MINOR_NEWS_TOP).
INDEX_MINOR_NEWS = (
    "头条榜单（{headline}）报告每一条动态；其余榜单只把进入前 {top} 名的新模型与改名算作动态，"
    "新榜首、进入前十、方法变更照常报告（订阅源同此）。"
)
INDEX_WEEKLY = "最近 7 天周报"
INDEX_MONTHLY = "最近 30 天月报"
INDEX_LEADERBOARD = "当前排行榜"
INDEX_DIGESTS_EMPTY = "暂时还没有每日动态。"
INDEX_ARENA_HEADING = "## {arena}竞技场"
INDEX_BOARD_HEADING = "{arena} · {board}"  # another board of the arena: "## 文本竞技场 · 中文提示词排行榜"
INDEX_MONTH_HEADING = "### {month}"

# --- book navigation (SUMMARY.md, month pages) --------------------------------------------------

SUMMARY_TITLE = "# 目录"
SUMMARY_INDEX = "排行榜动态索引"
SUMMARY_ARENA_HEADING = "## {arena}竞技场"
# The CSV source's trend pages of an arena that has other boards, listed after them in SUMMARY.md.
SUMMARY_MAIN_BOARD_TRENDS = "排行榜动态（fboulnois CSV 源）"
DIGEST_LINK = "{date}"
MONTH_NAME = "{year} 年 {month} 月"
MONTH_TITLE = "# LLM Arena {arena}排行榜动态：{month}"
MONTH_INTRO = "本月共 {count} 个数据版本，每个版本一篇动态，最新的在前。"

# One data version in a few words, in this order; "{count}" is the number of such events.
VERSION_SUMMARY_PARTS = {
    "new_leader": "榜首变更",
    "new_model": "{count} 个新模型",
    "significant_move": "{count} 个显著变动",
    "renamed": "{count} 个改名",
    "dropped": "{count} 个下榜",
    "returned": "{count} 个回归",
    "delisted": "上游隐藏 {count} 个模型",
    "relisted": "上游重新展示 {count} 个模型",
    "method_change": "方法变更",
    "score_offset": "分数整体平移",
}
VERSION_SUMMARY_FIRST = "最早的数据版本"
VERSION_SUMMARY_NOTHING = "无显著变化"
VERSION_SUMMARY_SEPARATOR = " · "

# --- charts -----------------------------------------------------------------------------------

CHART_SCORE_TITLE = "当前前十名模型分数走势"
CHART_RANK_TITLE = "当前前十名模型排名走势（排名上界，越靠上越好）"
CHART_RANGE = "{start} 至 {end}，共 {count} 个数据版本"
CHART_Y_SCORE = "分数"
CHART_Y_RANK = "排名(UB)"
CHART_EMPTY = "暂无数据"
CHART_LEGEND = "图例（按当前名次排列，括号内为最新值）"
CHART_X_NOTE = "刻度只标在数据版本（排行榜有变化的日期）上；并列的模型上下错开几个像素"
CHART_METHOD_CHANGE = "方法变更 {date}"
CHART_RANK_OFF_SCALE = "排在第 {rank} 名之后的点画在底边，上方标出实际名次"

# --- events feeds (plain text: no Markdown) ------------------------------------------------------

FEED_TITLE = "LLM Arena {arena}排行榜动态"
FEED_TITLE_ALL = "LLM Arena 排行榜动态（全部竞技场）"
FEED_DESCRIPTION = (
    "LMArena 排行榜上值得关注的变化：新榜首、进入前 10 名的模型、新模型、改名、方法变更，"
    "以及上游数据长期未更新的提醒。每条都链接到当期动态。"
)
FEED_AUTHOR = "arena_pipeline"
FEED_ENTRY_TITLE = "[{arena}] {title}"
# (title, text) per event type; values: arena, model, previous, rank, rank_before, score, date.
FEED_EVENTS = {
    "new_leader": ("新榜首：{model}",
                   "{date} 的数据版本中，{model} 取代 {previous} 成为{arena}榜唯一排名第一的模型（{score} 分）。"),
    "entered_top10": ("进入前 10：{model}",
                      "{date} 的数据版本中，{model} 的排名(UB) 由 {rank_before} 升至 {rank}，"
                      "进入{arena}榜前 10 名（{score} 分）。"),
    "new_model": ("新模型：{model}",
                  "{date} 的数据版本中，{model} 首次登上{arena}榜：排名(UB) {rank}，{score} 分。"),
    "renamed": ("改名：{previous} → {model}",
                "{date} 的数据版本中，{previous} 在上游更名为 {model}；本项目把两个名字的历史合并为同一个模型。"),
    "method_change": ("方法变更",
                      "{date} 的数据版本中，上游改变了{arena}榜的数据格式或计分方法："
                      "前后两期的名次与分数不能直接比较，详见当期动态。"),
}
FEED_NEW_LEADER_FIRST = ("新榜首：{model}", "{date} 的数据版本中，{model} 登上{arena}榜首（{score} 分）。")
FEED_STALE = ("上游数据已 {days} 天未更新",
              "自 {data_date} 起，上游每天发布的{arena}榜都是同一份数据（到 {since} 已满 {days} 天）；"
              "在上游恢复更新之前，排行榜和动态都不会变化。")
FEED_KIND_LABELS = {
    "new_leader": "榜首变更",
    "entered_top10": "进入前 10",
    "new_model": "新模型",
    "renamed": "改名",
    "method_change": "方法变更",
    "stale": "上游停更",
}

# --- pages from LMArena's official dataset (lmarena-ai/leaderboard-dataset) -------------------

DATASET_ARENA_NAMES = {arena: name for arena, name in names_of("arena").items() if arena != "image"}
DATASET_CATEGORY_NAMES = names_of("category")
DATASET_TITLE = {
    ("text", "overall"): "# LLM Arena 排行榜 (实时更新)",
    ("text", "chinese"): "# LLM Arena 中文提示词排行榜 (实时更新)",
    ("text", "coding"): "# LLM Arena 编程排行榜 (实时更新)",
}
# A category's board listed under its arena in SUMMARY.md and the index.
DATASET_BOARD_LABEL = "{category}排行榜"
# The dataset's overall board of an arena the CSV source has too: its trend reports, listed
# under that arena beside the CSV source's, and named so in their titles.
DATASET_MAIN_BOARD_LABEL = "官方数据集综合榜动态"
DATASET_MAIN_BOARD_NAME = "{arena}（官方数据集）"
DATASET_TITLE_OTHER = "# LLM Arena {arena}排行榜 · {category} (实时更新)"
DATASET_TITLE_OVERALL = "# LLM Arena {arena}排行榜 (实时更新)"
DATASET_INTRO = (
    "本页展示 LMArena {arena}竞技场「{category}」类别的排行榜，共 {count} 个模型。"
    "排名来自真实用户对匿名模型回答的两两投票，每次导入 LMArena 官方数据集的新版本后自动更新。"
)
# A digest is the page of one past publish date: its date, without an age (it is not redrawn daily).
DATASET_DIGEST_DATE = "> **数据版本**: {date}（LMArena 官方数据集中该榜单的发布日期）"
DATASET_SNAPSHOT_DATE = ("> **数据版本**: {date}，距今 {days} 天（LMArena 官方数据集中该榜单的发布日期，"
                         "按生成日 {today} 计）")
DATASET_SOURCE_LINE = (
    "> **数据来源**: LMArena 官方数据集 `lmarena-ai/leaderboard-dataset`（子集 `{subset}`，类别 `{category}`）"
)
# The revision the pipeline last found when it asked the dataset whether anything changed.
DATASET_REVISION_CHECKED = "> **最新检查的数据集版本**: `{revision}`（{date} 检查）"
DATASET_HINT = ("官方数据集只提供模型标识符（小写），不提供模型链接与知识截止日期：fboulnois CSV 源也收录过的模型"
                "显示其在该源中的名称、链接与知识截止日期，其余模型按官方数据集原样显示。")
# What the published `rank` column of a board and publish date is (dataset_snapshots.rank_kind,
# read from the data at load), then where 排名(StyleCtrl) comes from.
DATASET_RANKS_PUBLISHED_UB = (
    "> **注**：这一天官方数据集的 rank 列是排名上界（有并列：1 加上统计上显著领先该模型的模型数），"
    "本页「排名(UB)」按原样显示，并列的模型按分数排序。"
)
DATASET_RANKS_DERIVED = {
    "position": "> **注**：这一天官方数据集的 rank 列是按分数排序的名次（无并列）；",
    "other": "> **注**：这一天官方数据集的 rank 列既不是名次也不是排名上界；",
    None: "> **注**：",
}
DATASET_RANKS_DERIVED_TAIL = ("本页「排名(UB)」由本项目根据分数与置信区间推算"
                              "（1 加上置信区间下界高于该模型上界的模型数）。")
DATASET_STYLECTRL_FROM = ("「排名(StyleCtrl)」取自同日发布的风格控制榜（子集 `{arena}_style_control`）中同一模型的"
                          "排名(UB)，未列出的模型显示为「—」。")
DATASET_NO_STYLECTRL = "该竞技场在这一天没有发布风格控制榜，「排名(StyleCtrl)」显示为「—」。"


DATASET_SOURCE = (
    "- 数据来源：LMArena 官方发布的排行榜历史数据集 "
    "[lmarena-ai/leaderboard-dataset](https://huggingface.co/datasets/lmarena-ai/leaderboard-dataset)"
    "（CC-BY-4.0 许可，版权归 LMArena 所有），本页按原样展示其分数、票数、置信区间与已发布的排名上界，"
    "仅在未发布排名上界的日期推算「排名(UB)」。",
    "- 更新频率：LMArena 不定期发布新榜单（通常每周数次），官方数据集约在发布次日更新；"
    "本页在每次导入数据集新版本后自动重新生成，页首「数据版本」即该榜单的发布日期。",
)
