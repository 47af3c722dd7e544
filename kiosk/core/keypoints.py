"""Which of a question's key points an answer covered, and with which of its words.

Offline and explainable: no model, only rules a user can check against the transcript.

1. **The answer is read once** (:class:`AnswerText`): each word is NFKC-folded and
   lower-cased, numbers are written as digits whether they were said as digits or as
   Chinese numerals (百分之三十 → ``30%``, 两倍 → ``2倍``, 零点八 → ``0.8``) or English number
   words (forty percent → ``40%``), English words are reduced to their stem (``measured``
   → ``measur``, British ``-ise`` read as ``-ize``) and punctuation becomes a boundary.
   Every character of that *match text* remembers the transcript word and characters it
   came from, so a match can be highlighted in the transcript.
2. **A key point becomes terms** (:func:`key_point_terms`): its content words, Mandarin
   segmented with jieba, English split on spaces; function words dropped; a phrase from the
   synonym table (:data:`SYNONYMS`) kept whole (检索增强, A/B, north star); words after a
   contrast (``not``, ``rather than``, 而非) dropped, since the key point says they are not
   needed; alternatives joined by ``or`` / 或 made into one term that any of them fills.
   Key points that are advice about *how* to answer (``avoid …``, 不要…, 总分总结构) have no
   terms to listen for and are shown as not checked.
3. **A term is heard** when one of its forms appears in the match text: the word itself
   (same stem in English), a synonym from the table, or — for 数字 / numbers / quantified —
   any quantity (a percentage, a multiple, an amount with a unit, a number of 10 or more).
   A single Han character counts only as a word of its own (准 is not heard in 标准).
4. **A key point is covered** when the terms heard close together — within
   :data:`WINDOW_UNITS` units (Han characters or words), about two sentences — carry at
   least :data:`COVERED_SHARE` of its weight; **partly** when some of its specific terms
   were heard; **missing** otherwise. Terms the question itself uses, and very general
   words (用户, data, 产品 …), weigh half: repeating the question is not covering a point.

Pure: the standard library, jieba (Mandarin segmentation, its dictionary ships in the
package) and snowballstemmer (English stems); nothing is downloaded.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from kiosk.core.transcript import Word, is_han, join_words

Status = Literal["covered", "partly", "missing", "not_checked"]
How = Literal["same", "synonym", "number", "parts", "shared"]

WINDOW_UNITS = 50
"""The terms of one key point must be heard within this many units (Han characters or
words) of each other: one idea is said in one place, about two sentences."""
COVERED_SHARE = 0.6
"""Share of a key point's term weight that must be heard together for "covered"."""
WEAK_WEIGHT = 0.5
"""Weight of a term the question already uses, or of a very general word."""
NUM = "<num>"
DEGREE = frozenset("越更很太较最非常好了得")
"""Characters that may stand beside a one-character word without making a new word."""
"""The form that stands for any quantity in the answer."""

STATUS_MARK = {"covered": "✓", "partly": "◐", "missing": "✗", "not_checked": "·"}
HOW_WORDS = {
    "same": "same word",
    "synonym": "synonym",
    "number": "a number",
    "parts": "its parts",
    "shared": "a shared character",
}
SHARED = "<shared>"
"""The form of a hit that only shares a character with the term (half its weight)."""

# ---- vocabulary -----------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SYNONYMS: tuple[str, ...] = (
    # Each line is one group of interchangeable forms (Mandarin, English, abbreviations).
    # A key point term found in a group may be heard as any form of the group. Numbers are
    # written as digits (the matcher folds numerals before comparing).
    # -- LLM techniques
    "检索增强|rag|检索增强生成|检索|知识库|retrieval|retrieve|retrieval augmented|向量库",
    "微调|fine-tune|fine-tuning|finetune|finetuning|精调|再训练|重新训练|训练一下",
    "langchain|编排框架|编排|框架|orchestration|开发框架",
    "提示词|prompt|prompts|prompting|提示|指令",
    "提示词注入|prompt injection|注入|越狱|jailbreak",
    "大模型|llm|大语言模型|large language model",
    "小模型|smaller model|small model|轻量模型|小一点的模型|cheaper model",
    "长上下文|long context|长窗口|上下文越长|更长的上下文|上下文长|long contexts|longer context",
    "窗口|上下文窗口|context window|window",
    "上下文|context|context length|上下文长度",
    "摘要|summary|summaries|summarise|summarize|总结|概括",
    "分段|切分|切块|分块|切成|chunk|chunking|split",
    "汇总|合并|整合|merge|combine",
    "片段|段落|passage|passages|chunks|相关内容|几段",
    "幻觉|hallucination|hallucinate|编造|瞎编|胡编|硬编|make things up|made up",
    "引用|出处|来源|citation|cite|source|sources|原文",
    "拒答|拒绝回答|不回答|回答不了|答不了|转人工|decline|refuse|says it doesn't know",
    "不确定|没把握|不知道|uncertain|unsure|not sure|低置信",
    "校验|验证|检查|核对|check|verify|validation|validate|verifier",
    "后置|生成后|生成完之后|输出后|之后|after generation",
    "监控|监测|盯着|观察|每天看|定期看|持续关注|跟踪|monitor|monitoring|track|tracking|"
    "dashboard|看板",
    "回流|收集回来|反馈回|补到|feedback loop|fed back|回收",
    "限制|限定|约束|只能|limit|limits|restrict|scope",
    "范围|边界|scope|range|超出范围",
    "温度|temperature",
    "随机性|随机|多样|randomness|random|diversity|多样性",
    "事实类|事实|准确的|factual|facts",
    "创意类|创意|创作|creative|brainstorm|头脑风暴|文案",
    "调低|设低|降低|低一点|lower|低",
    "调高|设高|提高|高一点|higher|raise",
    "token|tokens|词元",
    "计费|收费|收钱|付费|价格|billing|billed|price|pricing|charge",
    "长度单位|长度|单位|unit|length",
    "换算|对应|折算|convert",
    "中文|汉字|chinese",
    "英文|英语|单词|english",
    "信息|内容|information|content",
    "贵|昂贵|成本高|花钱|费钱|expensive|costly|花的钱",
    "慢|速度慢|延迟高|slow|slower|latency",
    "快|速度快|效率高|高效|跑得快|fast|faster|quick|quickly",
    "准|准确|精准|可靠|accurate|precise|reliable",
    "偏差|偏见|偏好|偏爱|bias|biased|skew",
    "过拟合|overfitting|overfit|死记硬背",
    "训练集|训练数据|training data|training set",
    "新数据|没见过|未见过|unseen|new data",
    "留出集|验证集|hold-out|holdout|validation set|留一部分",
    "交叉验证|cross-validation|cross validation",
    "分布外|out-of-distribution|ood|不同分布",
    "曲线|curve|curves|两条线",
    "分叉|分开|背离|diverge|gap",
    "评测集|测试集|评估集|eval set|evaluation set|test set|benchmark|基准",
    "回归|regression|回归测试",
    "评测|评估|测评|evaluation|evaluate|测试|test|testing",
    "人工|人类|标注员|human|manual|人来",
    "自动|自动化|automatic|automated|机器",
    "初筛|筛选|过一遍|筛掉|pre-screen|filter|first pass",
    "抽检|抽查|抽样|sample|sampling|spot check|spot-check",
    "校准|calibrate|calibration|一致性",
    "定期|每周|每月|周期性|regularly|periodically|每次",
    "灰度|小流量|canary|gradual|gradually|逐步放量|分批|in stages|stages|one site first",
    "回滚|回退|切回|roll back|rollback|revert",
    "逐项|逐条|一条条|item by item|one by one|case by case",
    "对比|比较|compare|comparison|versus|vs|对照",
    "关键场景|核心场景|重要的几个业务场景|重要场景|key scenarios|critical cases",
    "污染|contamination|contaminated|泄露到训练|见过",
    "虚高|偏高|inflated|虚|背过答案",
    "私有|不公开|内部|private|私有化|in-house",
    "更换|替换|轮换|换|refresh|rotate|replace",
    "改写|换个说法|改一下|重写|paraphrase|rewrite|rephrase",
    "题目|原题|题|questions|items",
    "规则|rule|rules|关键词|keyword",
    "百分百|100%|绝对|完全确定|必须准确|deterministic|determinism",
    "成本|花费|费用|开销|钱|cost|costs|expense|bill|money",
    "收益|收入|产出|回报|revenue|income|benefit|return|earn",
    "延迟|响应速度|速度|时延|响应时间|等待时间|变慢|更慢|latency|response time|毫秒",
    "重排序|重排|精排|rerank|re-rank|reranking|re-ranking",
    "极严|特别高|很高|极高|严格|strict",
    "不足|太少|不够|缺少|凑不齐|insufficient|too little|too few|not enough",
    "单次|一次调用|每次|per call|per request|per query|each query|every query",
    "分级路由|路由|route|routing|router|分流",
    "缓存|cache|caching|cached",
    "批处理|批量|batch|batching|queue|离线",
    "定价|涨价|价格|price|pricing",
    "额度|次数|quota|limit|配额|用量",
    "收缩|砍掉|下线|去掉|缩减|cut|kill|remove|shut down|drop",
    "日活|dau|daily active users|日活跃用户|active users",
    "下降|下滑|掉了|降了|减少|drop|dropped|fell|decline|declined|went down",
    "埋点|统计口径|口径|logging|tracking|data pipeline|pipeline|数据管道",
    "有误|出错|错误|有问题|bug|broken|wrong|error",
    "内部|我们自己|自己的|internal|internally|ourselves|we shipped|ship",
    "变更|改动|改了|发版|发了新版本|change|changes|changed|release",
    "外部|外部因素|外面|external|outside|competitor|竞品|节假日|holiday",
    "事件|新闻|活动|event|events",
    "平台|安卓|ios|android|platform|web|端",
    "版本|版本号|version|versions",
    "渠道|投放|channel|channels|acquisition",
    "拆分|拆开|细分|分开看|分|按|segment|break down|breakdown|split|by",
    "定位|找到原因|找到|根因|locate|root cause|pinpoint",
    "行动|措施|动作|action|act|fix|修",
    "样本量|样本|sample size|samples|流量|用户数",
    "时长|时间|跑的时间|周期|duration|long enough|weeks|days",
    "人群|用户群|新老用户|新用户|老用户|segment|segments|cohort|user group|用户拆开",
    "实验设计|实验|experiment|a/b|ab测试|ab实验|a/b test|split test|对照实验",
    "a/b|ab测试|ab实验|a/b test|ab test|split test|对照实验|对照组",
    "定性|访谈|用户访谈|反馈|qualitative|interview|interviews|feedback",
    "显著|显著性|significant|significance|statistically",
    "目标|goal|goals|target|objective",
    "使用率|渗透率|使用|usage|adoption|活跃",
    "留存|retention|retain|churn|流失|次留|回访",
    "核心指标|北极星|北极星指标|north star|north-star|关键指标",
    "指标|metric|metrics|kpi|数据|数字|measure success|measured by|衡量",
    "场景|scenario|scenarios|use case|情况",
    "用户|user|users|customer|customers|客户|患者|医生",
    "安全|safety|safe|兜底|风险|risk",
    "合规|监管|法规|注册|compliance|compliant|regulation|regulator|regulatory",
    "知识库|knowledge base|文档库|资料库",
    "提示|提示词|prompt",
    "分层|两层|分两层|layers|layered|分级",
    "算法指标|算法的指标|准确率|召回率|precision|recall|accuracy|f1|模型指标",
    "业务指标|转化率|留存|gmv|收入|解决率|business metric|business metrics",
    "坏案例|bad case|bad cases|badcase|错误案例|失败案例|failure cases",
    "分析|排查|归类|analyse|analyze|analysis|dig",
    "下一步|下一阶段|下个版本|后续|next step|next steps|roadmap|计划|plan",
    "有害|违法|暴力|色情|harmful|toxic|有害内容",
    "隐私|个人信息|身份证|手机号|privacy|personal data|pii|敏感信息",
    "泄露|泄漏|说出来|暴露|leak|leaks|exposed",
    "输入|用户输入|input|inputs",
    "输出|模型输出|output|outputs",
    "过滤|拦|拦截|检测|filter|block|moderation",
    "双向|两头|两边|both ways|both sides|in and out",
    "红队|red team|red teaming|攻击测试",
    "效果|性能|能力|quality|performance|表现|更强",
    "差距|差不多|差别|gap|difference",
    "数据安全|数据不能出|不出内网|内网|data security|数据隔离",
    "私有部署|私有化部署|本地部署|on-premise|on-prem|self-host|自己部署",
    "成本结构|按调用量付费|买gpu|gpu|前期投入|付费方式",
    "定制|定制化|customise|customize|customisation|可改",
    "运维|维护|ops|operations|maintain|maintenance",
    # -- product & process
    "明确|搞清楚|弄清楚|清楚|clarify|define|precise",
    "优化|改进|提升|improve|optimise|optimize|improvement",
    "知识|knowledge|信息",
    "多变|变化快|经常变|经常更新|更新频繁|实时更新|每周都在变|changes often|change often|"
    "changes every week|changing",
    "风格|语气|话术|style|tone|voice",
    "格式|json|format|structure|结构化",
    "结合|一起用|组合|混合|combine|together|hybrid|both",
    "行为|回答方式|behaviour|behavior",
    "补|补充|补进去|supplement|add",
    "串|串成|串起来|链|chain|串联",
    "流程|步骤|workflow|process|pipeline",
    "时效|时效性|实时|最新|freshness|up to date|up-to-date",
    "可控|可控性|可解释|黑盒|control|controllable|排查",
    "权衡|平衡|取舍|性价比|trade-off|tradeoff|balance|weigh",
    "背景|当时|起因|background|context|situation",
    "问题|困难|难题|挑战|痛点|麻烦|不方便|problem|issue|challenge|pain|pain point|losing|"
    "struggling|struggle",
    "角色|负责|职责|role|responsible|owned|owner|i was",
    "动作|行动|措施|做法|做了|推动|我先|我自己|我主动|我决定|我推动|我组织|我找了|"
    "action|actions|did|took action|i decided|i ran|i set up|i talked|i built|i led|what i did",
    "结果|效果|最后|最终|上线后|上线以后|按时上线|result|results|outcome|impact|as a result|"
    "we launched|launched on|on time|after launch|reached|提升了|降低了|提高了|减少了|增长了|"
    "increased|reduced|improved|saved|grew",
    "复盘|反思|总结|lesson|learned|learnt|retrospective|postmortem",
    "学到|学会|教训|收获|lesson|learned|learnt|takeaway",
    "竞品|竞争对手|competitor|competitors",
    "团队|组|部门|同事|team|teams|engineers|designer|designers|colleagues",
    "重点|最重要|优先|priority|priorities|focus|最重要的工作",
    "当前|现在|目前|这个阶段|current|now|this year",
    "日常|平时|每天|day-to-day|daily|typical day",
    "工作|任务|work|job",
    "期待|期望|希望|expect|expectation|expectations",
    "新人|新同学|刚加入|new hire|newcomer|someone new",
    "规模|多少人|size|how big",
    "分工|怎么分|division|who does what",
    "入职|加入|joining|start",
    "协作|合作|打交道|配合|collaborate|collaboration|work together|work with",
    "经历|实习|经验|experience|internship",
    "岗位|职位|role|position|job",
    "适合|匹配|契合|fit|suits|match",
    "短期|前一两年|近期|short term|short-term|first year",
    "中期|三到五年|medium term|mid-term",
    "长期|long term|long-term|未来",
    "方向|direction|领域|赛道",
    "一致|契合|吻合|aligned|align|matches",
    "公司|贵司|company|战略",
    "能力|技能|skill|skills|ability",
    "做好|做扎实|扎实|熟悉|master|solid",
    "独立负责|负责一条|owner|own",
    "own|on me|my fault|my mistake|take responsibility|my responsibility|我的责任|怪我|我的问题",
    # -- English key points
    "check|verify|confirm|make sure|确认|核实|看一下",
    "segment|break down|split|拆分|by",
    "region|country|countries|地区|地域",
    "hypothesis|hypotheses|explanation|explanations|guess|假设",
    "form|write down|come up|list|提出",
    "long-term|long term|长期|keep getting value|over time",
    "value|价值|valuable",
    "reflect|tell|tells|show|shows|indicate",
    "ship|launch|release|上线|发布",
    "iterate|iteration|redesign|test again|迭代",
    "drop|kill|abandon|放弃|砍掉",
    "reason|reasons|reasoning|why|原因|理由|because",
    "tied|tie|linked|based on|related",
    "deliver|delivered|gets|get",
    "accepted|accept|accepts|采纳",
    "suggestion|suggestions|建议",
    "guardrail|guardrails|护栏|底线",
    "complaint|complaints|投诉|差评|complain",
    "task|tasks|任务|get their task done|done",
    "completion|complete|completed|done|finish|完成",
    "handoff|handoffs|hand off|escalate|escalated|escalation|转人工|transfer",
    "agent|agents|human agent|人工客服|坐席",
    "rate|rates|比例|率|how often|share",
    "resolved|resolve|resolution|解决",
    "conversation|conversations|对话|会话",
    "clean|干净|高质量",
    "labelled|labeled|label|labels|标注",
    "retraining|retrain|重新训练|再训练",
    "re-validation|revalidation|re-validate|revalidate|重新验证|re-run the validation|validation",
    "bar|quality bar|standard|要求|meets|good enough",
    "embedding|embeddings|embed|向量化|嵌入",
    "one-off|one-time|once|一次性|one time",
    "document|documents|文档|doc|docs",
    "generation|generate|生成",
    "dominate|dominates|most of|where the money goes|主要|大头",
    "query|queries|request|requests|请求|查询",
    "shorter|fewer|less|更短|更少",
    "memory|显存|内存",
    "attention|注意力|key value|kv",
    "grow|grows|增长|增加|fills up|goes up",
    "concurrent|concurrency|at the same time|同时|并发",
    "whole|entire|整篇|整本|全部",
    "harm|harmful|dangerous|危险|伤害",
    "budget|budgets|预算|容忍",
    "different|differ|不同|each|per",
    "review|reviews|审核|人工审核|human ratings|ratings",
    "situation|stakes|背景|at stake|high",
    "listen|listened|listening|hear|倾听|听",
    "settle|resolve|decide|决定",
    "relationship|relations|关系|work really well together|since then|get along",
    "afterwards|afterward|since then|after that|later|后来|之后|事后",
    "failure|failed|fail|失败|没人用|nobody used|didn't work|flop|flopped",
    "found out|discovered|noticed|learned|发现",
    "lasting|still|since|always|一直",
    "warning|warnings|signal|signals|sign|signs|预警|征兆",
    "early|早|提前|before",
    "scope|date|quality|范围|日期|质量",
    "moved|cut|slipped|delayed|dropped|kept",
    "communication|communicate|told|update|informed|沟通|同步",
    "stakeholder|stakeholders|相关方|老板|leadership",
    "belief|believed|assumed|thought|prior|以为|认为",
    "collected|collection|gathered|收集",
    "decision|decided|决定|决策",
    "changed|change|switched|改变",
    "biggest|main|最大",
    "success|successful|成功",
    "measured|measure|measurement|衡量|评估",
    "first three months|first 90 days|前三个月|头三个月|3个月",
    "product|产品|pm|product managers",
    "engineering|engineers|engineer|研发|工程师|开发",
    "future|next|下一步|want|excited",
    "why|because|reason|为什么",
    "hands-on|use them|i use|build|built|动手|用过",
    "hype|热点|buzz",
    "limit|limits|limitation|limitations|fall short|局限|make things up",
    "patient|patients|患者|病人|older adult|older adults|elderly|老人|老年人",
    "family|家属|家人|子女|children|adult children|relatives",
    "carer|carers|caregiver|caregivers|护工|照护者|nurse|nurses",
    "missed|miss|forget|forgetting|漏服|忘记",
    "dose|doses|medication|pills|用药",
    "small first version|mvp|最小可行|first version|第一版",
    "prompt|prompts|the prompt itself|提示词",
    "provider|vendor|供应商|model provider",
    "sent|send|sends|go to|goes to|发送|传给|发给|上传",
    "log|logs|logging|日志",
    "audit|audit trail|audit trails|审计|可追溯",
    "redaction|redact|脱敏|mask",
    "retention|retention period|retention periods|保留期限|保存期限",
    "access control|access|restrict access|权限|by role",
    "pin|pinned|固定版本|锁定版本",
    "invalidate|no longer|失效|not the one",
    "protocol|流程",
)

ZH_STOP = _words(
    "的 地 得 了 着 过 和 与 及 或 或者 而 而且 并 并且 是 要 在 把 对 用 按 看 先 再 后 可 "
    "可以 能 能够 会 就 也 都 让 给 为 被 从 "
    "到 更 多 少 个 一个 这 那 这个 那个 其 之 中 上 下 时 具体 讲清 说清 讲 说 说出 讲讲 怎么 "
    "什么 如何 哪些 哪个 分别 各自 每 每个 各 有 "
    "没有 你 我 他 她 它 自己 我们 你们 他们 对于 关于 以及 还是 但 但是 不 非 而非 如 例如 "
    "比如 一句 一句话 带过 清楚 真实 相关 方面 点 些 "
    "出 来 去 做 等 里 内 加 即 该 所 问 怎样 为何 哪 说明 一 两 三 需要 如果 谁 举 举个 一种 "
    "最 自己的 为什么 结尾 落到 开头 收尾 个人 段 "
    "逐条 讲出"
    " 是否 是不是 有没有 能否"
)
EN_STOP = _words(
    "a an the of to in on for with and or by at as is are be been being your you their "
    "its it what which how who whom why when where that this these those there from into "
    "about more very any each per than then so such do does did done can could would "
    "should will may might not no nor one's our we they them he she his her my i me us "
    "up out over under only also e.g. eg example like what's it's there's vs versus "
    "rather instead first whether was were had has have exactly end start plus specific "
    "concrete"
)
WEAK_WORDS = _words(
    "用户 产品 数据 问题 方案 场景 功能 能力 业务 模型 结果 效果 做法 情况 工作 经历 信息 user "
    "users product products data "
    "problem feature features model models thing things way use work team effect "
    # verbs that say little on their own
    "找到 进行 提供 给出 选 做 做好 使用 find pick include make get keep give take look see "
    "know say go come put set show want need needed"
)
NUMBER_WORDS = _words(
    "数字 量化 可量化 数值 数据对比 number numbers quantified quantify figures figure"
)
NOT_CHECKED = re.compile(
    r"^(?:不要|不|别|避免|勿|avoid\b|don't\b|do not\b|never\b|no\b|keep it\b)"
    r"|结构|顺序|in that order|控制在|几分钟|空泛|诚实|如实|坦诚|得体|honest",
    re.IGNORECASE,
)
"""Key points that are advice on how to answer, not content one can listen for."""
CONTRAST = re.compile(
    r"(?:,\s*not\b|\bnot\b|\brather than\b|\binstead of\b|而非|而不是|而不只|不只是?)"
    r"[^,;:，、；：]*",
    re.IGNORECASE,
)
OR_EN = re.compile(r"\bor\b", re.IGNORECASE)

# ---- numbers --------------------------------------------------------------------------

_ZH_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}  # fmt: skip
_ZH_UNIT = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10_000, "亿": 100_000_000}
_ZH_NUMERAL = re.compile(
    r"(百分之)?([零〇一二两三四五六七八九十百千万亿]+)(点[零〇一二三四五六七八九]+)?"
)
_ZH_MEASURE = tuple(
    _words(
        "个百分点 个小时 个月 小时 分钟 毫秒 个 位 名 条 次 年 月 天 周 秒 倍 成 期 款 种 家 人 "
        "元 块 段 项 轮 步 类 万 亿 千 百 份 张 本 "
        "套 组 台"
    )
)
_ZH_NOT_NUMBER = ("十分", "万一", "千万", "一一", "一二", "三三两两", "一万个", "百分百")
_EN_ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "half": 0.5,
}  # fmt: skip
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
            "seventy": 70, "eighty": 80, "ninety": 90}  # fmt: skip
_EN_SCALE = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 10**9}
_UNIT_AFTER = re.compile(
    r"^\s*(?:%|倍|x\b|times\b|个百分点|百分点|points?\b|pp\b|percentage points?\b|"
    r"个小时|小时|分钟|毫秒|秒|天|周|个月|元|块|美元|万|亿|"
    r"hours?\b|days?\b|weeks?\b|months?\b|minutes?\b|seconds?\b|ms\b|dollars?\b|"
    r"k\b|m\b)"
)
"""What after a number makes it a quantity even when it is small (5 天, 2 倍, 3 weeks)."""


def zh_numeral_value(text: str) -> float | None:
    """The value of a Chinese numeral (三十五 → 35, 两千 → 2000, 一百万 → 1000000), or None."""
    if not text or any(c not in _ZH_DIGIT and c not in _ZH_UNIT and c not in _ZH_BIG
                       for c in text):  # fmt: skip
        return None
    if all(c in _ZH_DIGIT for c in text) and len(text) > 1:
        if len(text) == 2:  # 两三, 七八: "two or three", not 23
            return None
        return float("".join(str(_ZH_DIGIT[c]) for c in text))  # 二零二四, digit by digit
    total, section, digit = 0, 0, None
    for c in text:
        if c in _ZH_DIGIT:
            digit = _ZH_DIGIT[c]
        elif c in _ZH_UNIT:
            section += (1 if digit is None else digit) * _ZH_UNIT[c]
            digit = None
        else:  # 万 亿
            section += digit or 0
            total += (section or 1) * _ZH_BIG[c]
            section, digit = 0, None
    return float(total + section + (digit or 0))


def _number_text(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


# ---- the answer as match text ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number the answer gives (``30%``, ``2倍``, ``10 小时``), found after folding."""

    text: str
    """The words as said (``百分之三十``)."""
    value: str
    """As digits (``30%``)."""
    span: tuple[int, int]
    """Where it is in the match text."""


class _Builder:
    """Appends pieces to the match text, each with the source characters it stands for."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.src: list[tuple[int, int] | None] = []

    def add(self, text: str, src: tuple[int, int] | None) -> None:
        self.parts.append(text)
        self.src.extend([src] * len(text))

    def attach(self, text: str, src: tuple[int, int] | None) -> None:
        """Append right after the previous piece (``%`` after a number)."""
        if self.parts and self.parts[-1].endswith(" "):
            self.parts[-1] = self.parts[-1][:-1]
            self.src.pop()
        self.add(text, src)

    def text(self) -> str:
        return "".join(self.parts)


_LATIN = re.compile(r"[a-z0-9]+(?:['’./\-][a-z0-9]+)*")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def _fold(raw: str) -> tuple[str, list[int]]:
    """NFKC + lower-case, one output character per input character where possible;
    returns the text and, per output character, its index in ``raw``."""
    out: list[str] = []
    idx: list[int] = []
    for j, ch in enumerate(raw):
        for c in unicodedata.normalize("NFKC", ch).lower():
            out.append(c)
            idx.append(j)
    return "".join(out), idx


_BRITISH = re.compile(r"(?<=[a-z]{3})is(e|ed|es|ing|ation|ations)$")
_BRITISH_KEEP = _words(
    "advise advised advises advising exercise exercised exercising promise promised "
    "precise otherwise expertise enterprise enterprises surprise surprised surprising "
    "concise supervise supervised revise revised revising raise raised wise noise "
    "franchise compromise premise premises devise televise"
)


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """The English stem used to compare words (``summarising`` = ``summarizing``)."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if w not in _BRITISH_KEEP:
        w = _BRITISH.sub(lambda m: "iz" + m.group(1), w)
    if any(c.isdigit() for c in w) or len(w) <= 2:
        return w
    return _stemmer().stemWord(w)


_STEMMER: Any = None
_LOCK = threading.Lock()


def _stemmer() -> Any:
    global _STEMMER
    with _LOCK:
        if _STEMMER is None:
            import snowballstemmer

            _STEMMER = snowballstemmer.stemmer("english")
        return _STEMMER


_JIEBA: Any = None


def _segmenter() -> Any:
    """A jieba tokenizer that knows the synonym table's Mandarin phrases (built once)."""
    global _JIEBA
    with _LOCK:
        if _JIEBA is None:
            with warnings.catch_warnings():  # jieba 0.42 still imports pkg_resources
                warnings.simplefilter("ignore")
                import jieba

            jieba.setLogLevel(logging.WARNING)
            tk = jieba.Tokenizer()
            for group in SYNONYMS:
                for form in group.split("|"):
                    if len(form) >= 2 and all(is_han(c) for c in form):
                        tk.add_word(form, freq=20000)
            tk.initialize()
            _JIEBA = tk
        return _JIEBA


def warm_up() -> None:
    """Load the Mandarin segmenter now (about a second, once per process), so that the first
    report does not wait for it."""
    _segmenter()


def segment(text: str) -> list[str]:
    """Mandarin words of ``text`` (jieba, with the synonym table's phrases as words)."""
    return [w for w in _segmenter().lcut(text, HMM=True) if w.strip()]


@dataclass
class AnswerText:
    """The answer as one *match text*: folded, numbers as digits, English stems, with a map
    from every character back to the transcript (word index, character in that word)."""

    words: tuple[str, ...]
    text: str = ""
    src: list[tuple[int, int] | None] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    han_words: set[tuple[int, int]] = field(default_factory=set)
    """Spans of the match text that jieba found to be one Mandarin word."""
    units: list[int] = field(default_factory=list)
    """Per character of the match text, the index of its unit (Han char or word)."""
    raw: str = ""
    raw_src: list[tuple[int, int] | None] = field(default_factory=list)

    @classmethod
    def of(cls, words: Sequence[str]) -> AnswerText:
        answer = cls(tuple(words))
        answer._build()
        return answer

    # -- building

    def _build(self) -> None:
        raw: list[str] = []
        raw_src: list[tuple[int, int] | None] = []
        prev = ""
        for i, w in enumerate(self.words):
            text = w.strip()
            if not text:
                continue
            if prev and join_words([prev, text]) != prev + text:
                raw.append(" ")
                raw_src.append(None)
            folded, idx = _fold(w)
            offset = len(w) - len(w.lstrip())
            for c, j in zip(folded, idx, strict=True):
                if j < offset or j >= offset + len(text):
                    continue
                raw.append(c)
                raw_src.append((i, j))
            prev = text
        self.raw = "".join(raw)
        self.raw_src = raw_src
        out = _Builder()
        AnswerText._translate(self.raw, out)
        text = out.text()
        # collapse runs of spaces, keeping the map aligned
        keep = [k for k, c in enumerate(text) if not (c == " " and k > 0 and text[k - 1] == " ")]
        self.text = "".join(text[k] for k in keep)
        self.src = [out.src[k] for k in keep]
        if not self.text.startswith(" "):
            self.text, self.src = " " + self.text, [None, *self.src]
        if not self.text.endswith(" "):
            self.text, self.src = self.text + " ", [*self.src, None]
        self._index()

    @staticmethod
    def _translate(raw: str, out: _Builder) -> None:
        """Write the folded text ``raw`` as match text into ``out``."""
        pos = 0
        n = len(raw)
        while pos < n:
            ch = raw[pos]
            zh = _ZH_NUMERAL.match(raw, pos)
            end = AnswerText._zh_number(raw, zh, out) if zh else None
            if end is not None:
                pos = end
                continue
            if ch.isascii() and ch.isalnum():
                m = _LATIN.match(raw, pos)
                assert m is not None
                end = AnswerText._latin(raw, m, out)
                pos = end
                continue
            if is_han(ch):
                out.add(ch, (pos, pos + 1))
            elif ch == "%":
                out.attach("% ", (pos, pos + 1))
            elif ch.isspace():
                out.add(" ", None)
            else:  # punctuation: a boundary that remembers which mark it was
                out.add(" ", None)
                out.add("|", (pos, pos + 1))
                out.add(" ", None)
            pos += 1

    @staticmethod
    def _zh_number(raw: str, m: re.Match[str], out: _Builder) -> int | None:
        """Write a Chinese numeral as digits; return where it ends, None if it is not one.

        A numeral counts when it is a percentage (百分之…), has a decimal (零点八), has two
        or more characters (三十, 两千), comes after 第, or comes before a measure word
        (三个, 五天, 两倍); 十分 (very), 万一 (in case), 千万 (by all means) are words.
        """
        percent, body, decimal = m.group(1), m.group(2), m.group(3)
        after = raw[m.end() : m.end() + 4]
        before = raw[max(0, m.start() - 1) : m.start()]
        whole = m.group(0)
        if not percent and any(x in whole for x in _ZH_NOT_NUMBER):
            return None
        measured = any(after.startswith(u) for u in _ZH_MEASURE)
        if not (percent or decimal or len(body) >= 2 or measured or before == "第"):
            return None
        value = zh_numeral_value(body)
        if value is None:
            return None
        if decimal:
            value = float(f"{int(value)}.{''.join(str(_ZH_DIGIT[c]) for c in decimal[1:])}")
        if after.startswith("成") and not percent:  # 三成 = 30 %
            out.add(" " + _number_text(value * 10) + "% ", (m.start(), m.end() + 1))
            return m.end() + 1
        out.add(" " + _number_text(value) + ("%" if percent else "") + " ", (m.start(), m.end()))
        return m.end()

    @staticmethod
    def _latin(raw: str, m: re.Match[str], out: _Builder) -> int:
        token = m.group(0)
        start, end = m.start(), m.end()
        if _DIGITS.fullmatch(token.replace("'", "")):
            pct = re.match(r"\s*(?:percent|per cent)\b", raw[end:])
            stop = end + (pct.end() if pct else 0)
            out.add(" " + token.replace(",", "") + ("% " if pct else " "), (start, stop))
            return stop
        words = [token]
        value = AnswerText._en_number(raw, m)
        if value is not None:
            val, stop = value
            pct = re.match(r"\s*(?:percent|per cent)\b", raw[stop:])
            if pct:
                out.add(" " + _number_text(val) + "% ", (start, stop + pct.end()))
                return stop + pct.end()
            out.add(" " + _number_text(val) + " ", (start, stop))
            return stop
        if token == "percent":
            out.attach("% ", (start, end))
            return end
        for part in words:
            pieces = re.split(r"[/\-]", part) if "/" in part else [part]
            if len(pieces) > 1 and all(len(p) == 1 for p in pieces):  # a/b → ab
                out.add(" " + "".join(pieces) + " ", (start, end))
                continue
            if "-" in part and not any(c.isdigit() for c in part):
                # hands-on, re-run: keep the hyphenated word and its stems apart
                out.add(" " + " ".join(stem(p) for p in part.split("-")) + " ", (start, end))
                continue
            out.add(" " + stem(part) + " ", (start, end))
        return end

    @staticmethod
    def _en_number(raw: str, m: re.Match[str]) -> tuple[float, int] | None:
        """An English number in words starting at ``m`` (forty five, two hundred)."""
        token = m.group(0)
        if token not in _EN_ONES and token not in _EN_TENS:
            return None
        value = 0.0
        current = float(_EN_ONES.get(token, _EN_TENS.get(token, 0)))
        stop = m.end()
        while True:
            nxt = re.match(r"[\s-]+([a-z]+)", raw[stop:])
            if not nxt:
                break
            word = nxt.group(1)
            if word in _EN_ONES and current % 10 == 0 and current >= 20 and word != "half":
                current += _EN_ONES[word]
            elif word in _EN_SCALE:
                current *= _EN_SCALE[word]
                if _EN_SCALE[word] >= 1000:
                    value, current = value + current, 0.0
            else:
                break
            stop += nxt.end()
        return value + current, stop

    def _index(self) -> None:
        text = self.text
        # units: a Han character or a run of non-space, non-bar characters is one unit
        units: list[int] = []
        unit = -1
        in_word = False
        for c in text:
            if is_han(c):
                unit += 1
                in_word = False
            elif c in " |":
                in_word = False
            elif not in_word:
                unit += 1
                in_word = True
            units.append(max(unit, 0))
        self.units = units
        for run in re.finditer(r"[^\s|a-z0-9%.\-']+", text):
            pos = run.start()
            for w in segment(run.group()):
                self.han_words.add((pos, pos + len(w)))
                pos += len(w)
        for q in re.finditer(r"(?<= )(\d+(?:\.\d+)?)(%?) ", text):
            if self._is_quantity(q):
                span = (q.start(), q.end() - 1)
                self.quantities.append(Quantity(self.said(*span), q.group(1) + q.group(2), span))

    def _is_quantity(self, q: re.Match[str]) -> bool:
        number, percent = q.group(1), q.group(2)
        if percent:
            return True
        before = self.raw_before(q.start())
        if before.endswith(("第", "top", "no.")):
            return False
        value = float(number)
        if 1900 <= value <= 2100 and "." not in number:
            return False  # a year
        after = self.text[q.end() : q.end() + 8]
        raw_after = self.raw_after(q.end() - 1)
        return bool(
            value >= 10 or "." in number or _UNIT_AFTER.match(after) or _UNIT_AFTER.match(raw_after)
        )

    # -- reading back

    def raw_range(self, a: int, b: int) -> tuple[int, int] | None:
        """The raw (folded transcript) range the match text [a, b) came from."""
        spans = [s for s in self.src[a:b] if s is not None]
        if not spans:
            return None
        return min(s[0] for s in spans), max(s[1] for s in spans)

    def raw_before(self, a: int) -> str:
        r = self.raw_range(a, a + 1)
        return "" if r is None else self.raw[max(0, r[0] - 4) : r[0]]

    def raw_after(self, b: int) -> str:
        r = self.raw_range(b - 1, b)
        return "" if r is None else self.raw[r[1] : r[1] + 6]

    def marks(self, a: int, b: int) -> tuple[tuple[int, int, int], ...]:
        """(word index, start char, end char) ranges of the transcript for match text [a, b)."""
        r = self.raw_range(a, b)
        if r is None:
            return ()
        by_word: dict[int, list[int]] = {}
        for k in range(r[0], r[1]):
            src = self.raw_src[k]
            if src is not None:
                by_word.setdefault(src[0], []).append(src[1])
        return tuple((w, min(cs), max(cs) + 1) for w, cs in sorted(by_word.items()))

    def said(self, a: int, b: int) -> str:
        """The words of the transcript behind match text [a, b), as said."""
        pieces = [self.words[w][s:e].strip() for w, s, e in self.marks(a, b)]
        return join_words(pieces)

    @property
    def is_mandarin(self) -> bool:
        """More Han characters than Latin words."""
        han = sum(1 for c in self.text if is_han(c))
        latin = len(re.findall(r"(?<= )[a-z0-9][^ |]*", self.text))
        return han >= latin

    def unit_at(self, pos: int) -> int:
        return self.units[min(max(pos, 0), len(self.units) - 1)] if self.units else 0

    # -- searching

    def _own_word(self, pos: int) -> bool:
        """Is the Han character at ``pos`` a word of its own (准, 越贵, 很慢), not part of a
        longer word (标准)?"""
        for a, b in self.han_words:
            if a <= pos < b:
                rest = self.text[a:pos] + self.text[pos + 1 : b]
                return all(c in DEGREE for c in rest)
        return False

    def find(self, form: str) -> list[tuple[int, int]]:
        """Where a form (already in match-text shape, see :func:`form_key`) occurs."""
        if form == NUM:
            return [q.span for q in self.quantities]
        hits: list[tuple[int, int]] = []
        core = form.strip()
        if not core:
            return hits
        needle = form
        start = self.text.find(needle)
        while start >= 0:
            a, b = start, start + len(needle)
            # trim the boundary spaces out of the reported span
            while a < b and self.text[a] == " ":
                a += 1
            while b > a and self.text[b - 1] == " ":
                b -= 1
            if len(core) > 1 or not is_han(core) or self._own_word(a):
                hits.append((a, b))
            start = self.text.find(needle, start + 1)
        return hits


@lru_cache(maxsize=8192)
def form_key(form: str) -> str:
    """A phrase in the shape of match text, so it can be found by substring search:
    English stems and digits between spaces, Han characters as they are."""
    raw, _ = _fold(form)
    out = _Builder()
    AnswerText._translate(raw, out)
    text = re.sub(r" {2,}", " ", out.text().replace(" | ", " "))
    han_only = text.strip() and all(is_han(c) for c in text.strip())
    if han_only:
        return text.strip()
    # Latin (or mixed) forms need word boundaries at their Latin ends.
    core = text.strip()
    left = " " if core and not is_han(core[0]) else ""
    right = " " if core and not is_han(core[-1]) else ""
    return left + core + right


# ---- key points -> terms -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """One thing to listen for: ``label`` as the key point says it, and the forms that
    count as hearing it."""

    label: str
    forms: frozenset[str]
    weight: float = 1.0


@lru_cache(maxsize=1)
def _groups() -> tuple[dict[str, list[frozenset[str]]], list[str]]:
    """form key → the synonym groups holding it; and every phrase, longest first."""
    index: dict[str, list[frozenset[str]]] = {}
    phrases: set[str] = set()
    for line in SYNONYMS:
        forms = [f.strip() for f in line.split("|") if f.strip()]
        keys = frozenset(form_key(f) for f in forms)
        for f in forms:
            index.setdefault(form_key(f), []).append(keys)
            if " " in f.strip() or "/" in f or (len(f) >= 2 and all(is_han(c) for c in f)):
                phrases.add(f)
    return index, sorted(phrases, key=len, reverse=True)


def _term(label: str) -> Term | None:
    key = form_key(label)
    if not key.strip() or key.strip() in ("|",):
        return None
    if label.lower() in NUMBER_WORDS:
        return Term(label, frozenset({NUM, key}))
    index, _ = _groups()
    forms = {key}
    for group in index.get(key, ()):
        forms |= group
    return Term(label, frozenset(forms))


def _split_clause(text: str) -> list[str]:
    """Content words and known phrases of a clause, in order."""
    _, phrases = _groups()
    out: list[str] = []
    rest = text
    lowered = rest.lower()
    # known phrases first (longest first), replaced by a separator so they are not re-split
    found: list[tuple[int, str]] = []
    for p in phrases:
        pl = p.lower()
        start = lowered.find(pl)
        while start >= 0:
            end = start + len(pl)
            ascii_p = pl.isascii()
            ok = not ascii_p or (
                (start == 0 or not lowered[start - 1].isalnum())
                and (end == len(lowered) or not lowered[end].isalnum())
            )
            if ok:
                found.append((start, rest[start:end]))
                lowered = lowered[:start] + "\x00" * len(pl) + lowered[end:]
            start = lowered.find(pl, start + 1)
    pieces: list[tuple[int, str]] = list(found)
    for m in re.finditer(r"[^\x00]+", lowered):
        chunk = rest[m.start() : m.end()]
        pos = m.start()
        for token in re.finditer(r"[A-Za-z0-9][A-Za-z0-9'’/\-]*|[^\sA-Za-z0-9]+", chunk):
            t = token.group()
            if t.isascii():
                pieces.append((pos + token.start(), t))
            else:
                at = pos + token.start()
                for w in segment(t):
                    pieces.append((at, w))
                    at += len(w)
    index, _ = _groups()
    for _, word in sorted(pieces):
        w = word.strip().strip("'’")
        if all(c in _ZH_DIGIT or c in _ZH_UNIT for c in w) or w.lower() in _EN_ONES:
            continue  # 两三 (段), one or two: how many is not what to listen for
        if is_han(w[0]) and form_key(w) not in index and all(c in ZH_STOP for c in w):
            continue  # 问对 (新人的期待): function characters jieba happened to join
        if len(w) == 1 and is_han(w) and w not in index:
            continue  # 清 (说清), 人, 找: a lone character the table does not know as a word
        if (
            len(w) >= 2
            and all(is_han(c) for c in w)
            and form_key(w) not in index
            and all(c in index or c in ZH_STOP for c in w)
            and any(c in index for c in w)
        ):  # 贵慢 → 贵, 慢; 更贵 → 贵: each character is a word the table knows
            out.extend(c for c in w if c not in ZH_STOP)
            continue
        if not w or not any(c.isalnum() for c in w):
            continue
        if w.lower() in EN_STOP or w in ZH_STOP:
            continue
        out.append(w)
    return out


_PREPOSITION = re.compile(r"\b(?:for|with|to|of|in|on|by|at|from|per)\b", re.IGNORECASE)


def _or_terms(clause: str) -> list[Term]:
    """Terms of a clause with alternatives (``A, B or C``, 甲或乙): one term that any
    alternative fills, plus the words around the list as terms of their own.

    The last word of each alternative but the last is the alternative (调整定价或额度: 定价
    or 额度, and 调整 on its own); the last alternative runs up to a preposition (``limits
    for very long inputs``: limits, then long and inputs on their own)."""
    alternatives = re.split(r"\bor\b|或者|或|[,，、]", clause, flags=re.IGNORECASE)
    alternatives = [a for a in alternatives if a.strip()]
    forms: list[str] = []
    own: list[str] = []
    for n, alt in enumerate(alternatives):
        if n == len(alternatives) - 1:
            parts = _PREPOSITION.split(alt, maxsplit=1)
            tail = parts[1] if len(parts) > 1 else ""
            forms += _split_clause(parts[0])
            own += _split_clause(tail)
            continue
        words = _split_clause(alt)
        if not words:
            continue
        forms.append(words[-1])
        if n == 0:
            own += [w for w in words[:-1] if not (len(w) == 1 and is_han(w))]
    made = [t for t in (_term(w) for w in forms) if t is not None]
    terms = [t for t in (_term(w) for w in own) if t is not None]
    if made:
        union = frozenset().union(*(t.forms for t in made))
        terms.insert(0, Term(" / ".join(t.label for t in made), union))
    return terms


def key_point_terms(key_point: str) -> tuple[Term, ...]:
    """What to listen for in an answer to cover ``key_point`` (empty: not checkable)."""
    text = unicodedata.normalize("NFKC", key_point).strip()
    if NOT_CHECKED.search(text):
        return ()
    text = CONTRAST.sub("", text)
    terms: list[Term] = []
    for clause in re.split(r"[;:；：]", text):
        if OR_EN.search(clause) or "或" in clause:
            terms += [t for t in _or_terms(clause) if all(t.label != o.label for o in terms)]
            continue
        for w in _split_clause(clause):
            t = _term(w)
            if t is not None and all(t.label != o.label for o in terms):
                terms.append(t)
    return tuple(terms)


# ---- results -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Match:
    """Words of the answer that were heard as one term of a key point."""

    term: str
    """The key point's term (its label)."""
    text: str
    """The words as said in the answer."""
    how: How
    marks: tuple[tuple[int, int, int], ...]
    """(word index, start char, end char) ranges in the transcript, for highlighting."""
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class KeyPointResult:
    """One key point: covered, partly, missing or not checked, and the evidence."""

    text: str
    status: Status
    matches: tuple[Match, ...] = ()
    missing: tuple[str, ...] = ()
    """Labels of the terms not heard (with the others)."""
    note: str = ""

    @property
    def mark(self) -> str:
        return STATUS_MARK[self.status]

    @property
    def words(self) -> tuple[int, ...]:
        return tuple(sorted({w for m in self.matches for w, _, _ in m.marks}))


# ---- matching --------------------------------------------------------------------------


def _times(words: Sequence[Word], marks: Iterable[tuple[int, int, int]]) -> tuple[float, float]:
    idx = [w for w, _, _ in marks]
    if not idx:
        return 0.0, 0.0
    return words[min(idx)].start, words[max(idx)].end


def _weigh(term: Term, question: AnswerText | None) -> Term:
    weak = term.label.lower() in WEAK_WORDS or (
        question is not None and any(question.find(f) for f in term.forms if f != NUM)
    )
    return Term(term.label, term.forms, WEAK_WEIGHT if weak else 1.0)


def _hits(answer: AnswerText, term: Term) -> list[tuple[int, int, str]]:
    """Every place a term is heard: (start, end, form) in the match text."""
    out = []
    for form in term.forms:
        for a, b in answer.find(form):
            out.append((a, b, form))
    if not out:
        out = _parts_hits(answer, term)
    if not out:
        out = _shared_hits(answer, term)
    return sorted(out, key=lambda h: (h[0], h[0] - h[1]))  # longest first at one place


COMMON_CHARS = frozenset(
    "的一是不了人我在有他这中大来上个们到说和地也子时道出而要于就下得可你年生自会那后能对着事"
    "其里所去行过家十用发天如然作方成者多日都三小二无同么经法当起与好看学进种将还分此心前面又定"
    "见只主没公从性化品度量高产户数据模型问题功力率点实现以等加之为最很更些各该把被让给做"
)
"""Characters too common to show, on their own, that a word was meant (的, 产, 性 …)."""


def _shared_hits(answer: AnswerText, term: Term) -> list[tuple[int, int, str]]:
    """A two-character Mandarin word not heard in any form may be *partly* heard as an
    answer word of two or three characters sharing an uncommon character with it (示例 ~
    例子, 抽样 ~ 随机抽): half its weight. Longer terms are compounds, heard by their parts."""
    label = term.label
    if len(label) != 2 or not all(is_han(c) for c in label):
        return []
    wanted = set(label) - COMMON_CHARS
    return [
        (a, b, SHARED)
        for a, b in sorted(answer.han_words)
        if 2 <= b - a <= 3 and wanted & set(answer.text[a:b])
    ]


def _parts_hits(answer: AnswerText, term: Term) -> list[tuple[int, int, str]]:
    """A long Mandarin term not heard whole may be heard as its parts side by side
    (评测集 → 评测 … 集 is not enough; 回归评测集 → 回归 + 评测集 within a few characters)."""
    label = term.label
    if len(label) < 3 or not all(is_han(c) for c in label):
        return []
    parts = [p for p in segment(label) if len(p) >= 2]
    if len(parts) < 2:
        return []
    found = [answer.find(form_key(p)) for p in parts]
    if not all(found):
        return []
    out = []
    for a, b in found[0]:
        unit = answer.unit_at(a)
        near = [
            next((h for h in hits if abs(answer.unit_at(h[0]) - unit) <= 8), None)
            for hits in found[1:]
        ]
        if all(n is not None for n in near):
            out.append((a, b, "<parts>"))
            out.extend((n[0], n[1], "<parts>") for n in near if n is not None)
            break
    return out


def _how(term: Term, form: str) -> How:
    if form == NUM:
        return "number"
    if form == SHARED:
        return "shared"
    if form == "<parts>":
        return "parts"
    return "same" if form == form_key(term.label) else "synonym"


def check_key_point(
    key_point: str,
    answer: AnswerText,
    words: Sequence[Word],
    question: AnswerText | None = None,
) -> KeyPointResult:
    """Is ``key_point`` covered by the answer? With the words that show it."""
    terms = tuple(_weigh(t, question) for t in key_point_terms(key_point))
    if not terms:
        return KeyPointResult(
            key_point, "not_checked", note="advice on how to answer, not words to listen for"
        )
    if question is not None and all(
        any(question.find(f) for f in t.forms if f != NUM) for t in terms
    ):
        return KeyPointResult(
            key_point,
            "not_checked",
            note="asks for the question itself to be answered well; no new words to listen for",
        )
    hits = {t.label: _hits(answer, t) for t in terms}
    total = sum(t.weight for t in terms)
    anchors = sorted({answer.unit_at(a) for hs in hits.values() for a, _, _ in hs})
    best: tuple[float, int, dict[str, tuple[int, int, str]]] = (0.0, 0, {})
    for anchor in anchors:
        chosen: dict[str, tuple[int, int, str]] = {}
        for t in terms:
            near = [
                h for h in hits[t.label] if anchor <= answer.unit_at(h[0]) <= anchor + WINDOW_UNITS
            ]
            if near:
                chosen[t.label] = near[0]
        weight = sum(
            t.weight * (0.5 if chosen[t.label][2] == SHARED else 1.0)
            for t in terms
            if t.label in chosen
        )
        strong = sum(
            1
            for t in terms
            if t.label in chosen and t.weight >= 1.0 and chosen[t.label][2] != SHARED
        )
        if (weight, strong) > (best[0], best[1]):
            best = (weight, strong, chosen)
    weight, strong, chosen = best
    matches: list[Match] = []
    for t in terms:
        if t.label not in chosen:
            continue
        a, b, form = chosen[t.label]
        marks = answer.marks(a, b)
        start, end = _times(words, marks)
        matches.append(Match(t.label, answer.said(a, b), _how(t, form), marks, start, end))
    missing = tuple(t.label for t in terms if t.label not in chosen)
    if weight >= COVERED_SHARE * total and (strong or all(t.weight < 1.0 for t in terms)):
        status: Status = "covered"
    elif strong or any(
        chosen[t.label][2] == SHARED for t in terms if t.label in chosen and t.weight >= 1.0
    ):
        status = "partly"
    else:
        status = "missing"
    note = ""
    if status == "missing" and matches:
        note = "only words the question already uses, or very general ones, were heard"
    matches.sort(key=lambda m: m.start)
    return KeyPointResult(key_point, status, tuple(matches), missing, note)


def check_key_points(
    words: Sequence[Word], key_points: Sequence[str], question_text: str = ""
) -> tuple[KeyPointResult, ...]:
    """Every key point checked against the transcript ``words``."""
    if not key_points:
        return ()
    answer = AnswerText.of([w.text for w in words])
    question = AnswerText.of([question_text]) if question_text else None
    return tuple(check_key_point(k, answer, words, question) for k in key_points)
