"""Entities: people, organisations and places named in an article's text.

Offline rules over jieba's segmentation (Chinese) and capitalisation
(English).  People are found where newspapers name them: after a title
(``管委会主任张红军``, ``Mayor Jane Doe``) or before a speech verb
(``张红军表示``, ``Jane Doe said``).  Organisations end in a suffix
(银行/分行/集团/公司/局/大学/…; Bank, University, Council, Inc., …) and
take the longest well-formed span to their left.  Places come from shipped
gazetteers (tasks/data/*_places.txt) and administrative suffixes
(郑州高新区, 关庄村).

Speed: jieba's part-of-speech cut is most of tagging's cost, so it runs only
on the blocks (runs between punctuation) a rule can fire in, with jieba's own
algorithm re-done in leaner loops (``_posseg_block``, ``cut_words``); words
and tags are jieba's exactly (tests/test_tag.py compares them).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from importlib import resources

from tasks.bylines import _to_simplified, is_cjk, surname_length, surnames
from tasks.model import Person, Tag

# --------------------------------------------------------------------------
# jieba, initialised once per process and kept quiet
# --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba


@lru_cache(maxsize=256)
def _pos_tokens(text: str) -> tuple[tuple[str, str, int], ...]:
    """(word, pos, start offset) for ``text`` (cached: several rules read the same text)."""
    return tuple(_cut(text))


def _cut(text: str) -> list[tuple[str, str, int]]:
    jieba = _jieba()
    out: list[tuple[str, str, int]] = []
    pos = 0
    for pair in jieba.posseg.cut(text, HMM=True):
        out.append((pair.word, pair.flag, pos))
        pos += len(pair.word)
    return out


# posseg segments each run of Han, ASCII letters and digits on its own (its
# ``re_han_internal``); everything between runs comes out as 'x' tokens.
_POSSEG_BLOCK = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&\._]+)")


@lru_cache(maxsize=8192)
def _block_tokens(block: str) -> tuple[tuple[str, str], ...]:
    """(word, pos) for one posseg block (cached: datelines, titles and stock phrases repeat)."""
    return tuple(_posseg_block(block))


@lru_cache(maxsize=256)
def _rule_tokens(text: str) -> tuple[tuple[str, str, int], ...]:
    """``_pos_tokens`` for the rules, POS-cut only where a rule can fire.

    A block (a run between punctuation, which jieba segments on its own) that
    holds no speech verb, organisation suffix, gazetteer name or place suffix
    cannot yield a person, organisation or place, so it is kept whole as one
    'x' token instead of being POS-tagged, the costly part of tagging.  The
    tokens of every other block are exactly jieba's; 'x' tokens stop every
    rule that walks across tokens, as punctuation does.
    """
    trigger = _rule_trigger()
    out: list[tuple[str, str, int]] = []
    pos = 0
    for i, part in enumerate(_POSSEG_BLOCK.split(text)):
        if not part:
            continue
        if i % 2 and trigger.search(part):
            for word, flag in _block_tokens(part):
                out.append((word, flag, pos))
                pos += len(word)
        else:
            out.append((part, "x", pos))
            pos += len(part)
    return tuple(out)


def _dict_tag(word: str) -> str | None:
    return _jieba().posseg.dt.word_tag_tab.get(word)


# --------------------------------------------------------------------------
# jieba's POS cut of one block, with a leaner Viterbi (same result)
# --------------------------------------------------------------------------

_MIN_FLOAT = -3.14e100
_MIN_INF = float("-inf")
_RE_HAN_DETAIL = re.compile("([\u4E00-\u9FD5]+)")
_RE_SKIP_DETAIL = re.compile(r"([\.0-9]+|[a-zA-Z0-9]+)")
_RE_NUM = re.compile(r"[\.0-9]+")
_RE_ENG = re.compile("[a-zA-Z0-9]+")


@lru_cache(maxsize=1)
def _hmm() -> tuple[dict, dict, dict, dict]:  # type: ignore[type-arg]
    """posseg's joint segmentation + POS model: char states, start, transition, emission."""
    posseg = _jieba().posseg
    posseg.dt.makesure_userdict_loaded()
    return posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P


def _viterbi(obs: str) -> list[tuple[str, str]]:
    """jieba.posseg.viterbi's best state path: the same maximum, ties to the greater state.

    jieba builds a (probability, state) tuple for every pair of states and
    takes ``max``; this keeps the same arithmetic and tie-break in plain loops.
    """
    states, start_p, trans_p, emit_p = _hmm()
    all_states = trans_p.keys()
    c = obs[0]
    v = {y: start_p[y] + emit_p[y].get(c, _MIN_FLOAT) for y in states.get(c, all_states)}
    back: list[dict[tuple[str, str], tuple[str, str] | str]] = [dict.fromkeys(v, "")]
    for t in range(1, len(obs)):
        c = obs[t]
        prev = [(x, v[x], trans_p[x]) for x in v if trans_p[x]]
        expect: set[tuple[str, str]] = set()
        for _x, _p, tr in prev:
            expect.update(tr)
        obs_states = set(states.get(c, all_states)) & expect
        if not obs_states:
            obs_states = expect if expect else set(all_states)
        nv: dict[tuple[str, str], float] = {}
        nb: dict[tuple[str, str], tuple[str, str] | str] = {}
        for y in obs_states:
            e = emit_p[y].get(c, _MIN_FLOAT)
            best_p = _MIN_INF
            best_s = None
            for x, px, tr in prev:
                tp = tr.get(y)
                p = _MIN_INF if tp is None else px + tp + e
                if best_s is None or p > best_p or (p == best_p and x > best_s):
                    best_p, best_s = p, x
            nv[y] = best_p
            nb[y] = best_s  # type: ignore[assignment]
        v = nv
        back.append(nb)
    _prob, state = max((p, y) for y, p in v.items())
    route: list[tuple[str, str]] = [("", "")] * len(obs)
    for i in range(len(obs) - 1, -1, -1):
        route[i] = state
        state = back[i][state]  # type: ignore[index]
    return route


@lru_cache(maxsize=8192)
def _hmm_cut(run: str) -> tuple[tuple[str, str], ...]:
    """posseg's ``__cut_detail``: words and tags for a run of characters jieba does not know."""
    out: list[tuple[str, str]] = []
    for blk in _RE_HAN_DETAIL.split(run):
        if not blk:
            continue
        if _RE_HAN_DETAIL.match(blk):
            route = _viterbi(blk)
            begin = nexti = 0
            for i, ch in enumerate(blk):
                bmes, tag = route[i]
                if bmes == "B":
                    begin = i
                elif bmes == "E":
                    out.append((blk[begin : i + 1], tag))
                    nexti = i + 1
                elif bmes == "S":
                    out.append((ch, tag))
                    nexti = i + 1
            if nexti < len(blk):
                out.append((blk[nexti:], route[nexti][1]))
        else:
            for x in _RE_SKIP_DETAIL.split(blk):
                if x:
                    out.append((x, "m" if _RE_NUM.match(x) else "eng" if _RE_ENG.match(x) else "x"))
    return tuple(out)


_LOG_FREQ: dict[str, float] = {}


def _best_route(block: str) -> list[int]:
    """End (exclusive) of the word jieba's max-probability route takes at each start.

    ``Tokenizer.get_DAG`` and ``Tokenizer.calc`` in one right-to-left pass, with
    the same arithmetic (log(freq) - log(total) + rest) and tie-break (the
    longer word) and each word's log-frequency computed once per process.
    """
    tokenizer = _jieba().dt
    freq = tokenizer.FREQ
    logtotal = math.log(tokenizer.total)
    logs = _LOG_FREQ
    n = len(block)
    score = [0.0] * (n + 1)
    end = [0] * (n + 1)
    for k in range(n - 1, -1, -1):
        best_p = best_x = None
        i = k
        frag = block[k]
        while i < n:
            f = freq.get(frag)
            if f is None:
                break
            if f:
                lp = logs.get(frag)
                if lp is None:
                    lp = logs[frag] = math.log(f) - logtotal
                p = lp + score[i + 1]
                if best_p is None or p > best_p or p == best_p and i > best_x:  # type: ignore[operator]
                    best_p, best_x = p, i
            i += 1
            frag = block[k : i + 1]
        if best_x is None:  # no dictionary word starts here: the character alone, log(1)
            best_p, best_x = 0.0 - logtotal + score[k + 1], k
        score[k] = best_p  # type: ignore[assignment]
        end[k] = best_x + 1
    return end


_RE_CUT_BLOCK = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)")


def cut_words(text: str) -> list[str]:
    """``jieba.cut(text)`` without the punctuation and whitespace between blocks (only their words)."""
    jieba = _jieba()
    freq = jieba.dt.FREQ
    hmm_cut = jieba.finalseg.cut
    out: list[str] = []
    for block in _RE_CUT_BLOCK.split(text)[1::2]:
        end = _best_route(block)
        buf = ""
        x, n = 0, len(block)
        while x <= n:
            y = end[x] if x < n else n + 1
            if x < n and y - x == 1:
                buf += block[x]
            else:
                if len(buf) == 1:
                    out.append(buf)
                elif buf:
                    out.extend(hmm_cut(buf) if not freq.get(buf) else buf)
                buf = ""
                if x < n:
                    out.append(block[x:y])
            x = y
    return out


def _posseg_block(block: str) -> list[tuple[str, str]]:
    """``jieba.posseg.cut(block)`` for one block of Han, letters and digits: (word, tag)."""
    jieba = _jieba()
    tokenizer = jieba.dt
    tags = jieba.posseg.dt.word_tag_tab
    ends = _best_route(block)
    out: list[tuple[str, str]] = []
    buf = ""

    def flush() -> None:
        if len(buf) == 1:
            out.append((buf, tags.get(buf, "x")))
        elif not tokenizer.FREQ.get(buf):
            out.extend(_hmm_cut(buf))
        else:
            out.extend((ch, tags.get(ch, "x")) for ch in buf)

    x, n = 0, len(block)
    while x < n:
        y = ends[x]
        word = block[x:y]
        if y - x == 1:
            buf += word
        else:
            if buf:
                flush()
                buf = ""
            out.append((word, tags.get(word, "x")))
        x = y
    if buf:
        flush()
    return out


@lru_cache(maxsize=4)
def _lines(name: str) -> tuple[str, ...]:
    text = resources.files("tasks").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return tuple(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


# --------------------------------------------------------------------------
# Chinese people
# --------------------------------------------------------------------------

# Job titles printed right before a name (副X forms are matched through 副).
ZH_TITLES = sorted(
    set(
        "书记 主任 局长 行长 总裁 董事长 总经理 经理 负责人 主席 部长 厅长 处长 科长 市长 省长 区长 县长 镇长 乡长 "
        "村长 校长 院长 所长 站长 队长 组长 社长 会长 理事长 秘书长 总监 董事 监事 委员 常委 主委 教授 研究员 "
        "工程师 总工程师 总会计师 总经济师 医生 医师 主编 总编辑 专家 代表 调研员 巡视员 民警 警官 法官 检察官 "
        "律师 老师 教师 主管 总理 总书记 指挥长 政委 司令员 网格员 创始人 合伙人 发言人 大使 行长助理 "
        "党组书记 支部书记 总干事 馆长 园长 台长 团长 班长 馆员 审判长 检察长 庭长 主任医师 "
        "市民 村民 居民 职工 员工 游客 家长 学生 患者 网友 业主 商户 工人 农民 志愿者 店主 司机 "
        "同学 先进个人 获奖者 劳动模范 长官 司长 署长 议员 总统 首相 外长 国务卿 总领事 立法会议员".split()
    ),
    key=len,
    reverse=True,
)
# Words that follow a name (and so end it): 张杰等, 吴岩一行, 赵毅带队.
ZH_AFTER_NAME = sorted(
    set(
        "一行 一同 等 及 和 与 同志 对 在 主持 会见 带队 带领 率队 率 参加 出席 表示 指出 强调 要求 说 称 介绍 认为 "
        "为 向 陪同 到 是 就 也 都 首先 并 于 以 从 给 把 被 将 已 了 的 作 接受 听取 视频 调研 考察 检查 来到 讲 "
        "致辞 发表 提出 希望 透露 告诉 回答 当选 宣布 签署 分别 亲自 详细 深入 专门 重点 围绕 现场 谈 做 坐 还 又 "
        "曾 则 先后 共同 同时 对于 出任 担任 任 主讲 作为 代表 通过 坦言 回忆 笑 说道 看望 慰问 走访 前往 赴".split()
    ),
    key=len,
    reverse=True,
)
def _with_traditional(words: list[str]) -> list[str]:
    """Words plus their traditional forms (书记 → 書記), longest first."""
    to_trad = {s: t for t, s in _to_simplified().items()}
    both = set(words) | {"".join(to_trad.get(c, c) for c in w) for w in words}
    return sorted(both, key=len, reverse=True)


ZH_TITLES = _with_traditional(ZH_TITLES)
ZH_AFTER_NAME = _with_traditional(ZH_AFTER_NAME)

_TITLE_ENDS = tuple(ZH_TITLES)
_AFTER_NAME_STARTS = tuple(ZH_AFTER_NAME)

# Speech and action verbs that mark a bare name as a person (张红军表示).
ZH_SPEECH = tuple(_with_traditional(["表示", "指出", "强调", "介绍", "认为", "说", "透露", "坦言", "告诉记者", "要求", "称"]))
NOT_GIVEN_NAMES = ("女士", "先生", "某", "某某", "师傅", "老师", "同志", "大爷", "阿姨", "大妈", "小姐", "总")
_PUNCT_BOUNDARY = re.compile(r"[，。；：！？“”‘’（）()《》〈〉「」『』,.;:!?\s]")
_BEFORE_TITLE_STOPS = (
    "视频会见", "会见了", "会见", "听取了", "了", "由", "及", "和", "与", "对", "在", "向", "同", "陪同", "带领",
    "邀请", "是", "为", "等", "主持", "指出", "表示", "到", "看望", "慰问", "获悉", "据", "记者", "其中", "包括",
)


def _stop_before_name(rest: str) -> bool:
    return rest.startswith(_AFTER_NAME_STARTS)


def _read_name(text: str, pos: int) -> str | None:
    """The 2–4 character name starting at ``pos`` (after a title), or None."""
    n = surname_length(text[pos : pos + 2])
    if n == 0:
        return None
    two = text[pos : pos + n + 1]
    three = text[pos : pos + n + 2]
    if len(two) < n + 1 or not is_cjk(two) or _stop_before_name(text[pos + n :]):
        return None
    name = two
    if len(three) == n + 2 and is_cjk(three) and not _stop_before_name(text[pos + n + 1 :]):
        if text.count(two) <= text.count(three):  # 赵毅 appears more often than 赵毅带
            name = three
    given = name[n:]
    if any(given.startswith(w) for w in NOT_GIVEN_NAMES):
        return None
    if _is_common_word(name):
        return None  # 高度, 全面: a word, not a name
    first = next(iter(_jieba().cut(text[pos : pos + 8])), "")
    tag = _dict_tag(first)
    if len(first) >= 2 and not name.startswith(first) and tag is not None and not tag.startswith("nr") and (
        len(first) > len(name) or _jieba().dt.FREQ.get(first, 0) >= 100
    ):
        return None  # 书记高度重视: jieba reads the word 高度重视 where a name would be
    return name


def _is_common_word(word: str) -> bool:
    """A frequent dictionary word that is not a name (高度, 全面, 高新区 as a place)."""
    tag = _dict_tag(word)
    if tag is None:
        return False
    freq = _jieba().dt.FREQ.get(word, 0)
    if tag.startswith("nr"):  # jieba tags some everyday words as names: 文明, 智慧, 胡同
        return len(word) == 2 and freq >= 1000
    return freq >= 100


def _title_before(text: str, title_start: int, name_start: int) -> str:
    """The job title chain printed before a name: 党工委副书记、管委会主任."""
    seg = text[max(0, title_start - 40) : name_start]
    parts = seg.split("、")
    kept = [parts.pop()]
    while parts and any(parts[-1].endswith(t) for t in ZH_TITLES + ["委员"]):
        kept.insert(0, parts.pop())
    title = "、".join(kept)
    title = _PUNCT_BOUNDARY.split(title)[-1]
    for stop in sorted(_BEFORE_TITLE_STOPS, key=len, reverse=True):
        i = title.rfind(stop)
        if i >= 0 and i + len(stop) <= len(title) - 2:
            # keep the title only if the stop word is not inside a title word (会长)
            if not any(title[i:].startswith(t) for t in ZH_TITLES):
                title = title[i + len(stop) :]
    return title


def _strip_leading_org(title: str) -> str:
    for org, _start, _end in _zh_org_spans(title):
        if title.startswith(org) and len(title) > len(org):
            return title[len(org) :]
    return title


# last characters that make a word a place or a body, not a person: 高新区, 管委会
_NOT_NAME_FINAL = tuple("区市县村镇乡局委会部院校厂司行所组办处队站省州党社团室科股馆")


@lru_cache(maxsize=1)
def _name_then_speech() -> re.Pattern[str]:
    """A clause that opens with a name and a speech verb: 。高立介绍了… / 据李晓明介绍."""
    verbs = "|".join(map(re.escape, ZH_SPEECH))
    return re.compile(rf"(?:^|(?<=[，。；：！？\n“”])|(?<=据))([\u4e00-\u9fff]{{2,4}}?)(?:{verbs})")


@lru_cache(maxsize=1)
def _title_then_name() -> re.Pattern[str]:
    """A title word followed by a character that can open a surname."""
    single, compound = surnames()
    starts = single | {c[0] for c in compound}
    starts |= {t for t, s in _to_simplified().items() if s in starts}  # 陳 for 陈
    first = "".join(sorted(starts))
    return re.compile("(" + "|".join(map(re.escape, ZH_TITLES)) + f")(?=[{first}])")


def _plausible_bare_name(word: str) -> bool:
    """A name found without a title before it: surname + 1–2 characters, not 王某/李女士/高新区/高度."""
    if not (2 <= len(word) <= 4 and is_cjk(word)):
        return False
    n = surname_length(word)
    if n == 0 or not 1 <= len(word) - n <= 2 or any(word[n:].startswith(w) for w in NOT_GIVEN_NAMES):
        return False
    return not word.endswith(_NOT_NAME_FINAL) and not _is_common_word(word)


def extract_zh_people(text: str) -> list[Person]:
    """People named in Chinese text, with the title printed before them."""
    found: dict[str, Person] = {}
    for m in _title_then_name().finditer(text):
        name = _read_name(text, m.end())
        if not name or name in found:
            continue
        title = _strip_leading_org(_title_before(text, m.start(), m.end()))
        found[name] = Person(name, "mentioned", title)
    # a sentence that opens with a name and a speech verb: 。高立介绍了… / ，李晓明指出
    for m in _name_then_speech().finditer(text):
        name = m.group(1)
        if name not in found and _plausible_bare_name(name):
            found[name] = Person(name, "mentioned", "")
    # bare names before a speech verb: 张红军表示 (jieba must read them as names)
    tokens = _rule_tokens(text)
    for i, (word, flag, _start) in enumerate(tokens[:-1]):
        if not flag.startswith("nr") or word in found or not _plausible_bare_name(word):
            continue
        if tokens[i + 1][0] in ZH_SPEECH or tokens[i + 1][0] in ("在", "对") and tokens[i + 2 : i + 3] and tokens[i + 2][0] in ZH_SPEECH:
            found[word] = Person(word, "mentioned", "")
    return list(found.values())


# --------------------------------------------------------------------------
# Chinese organisations
# --------------------------------------------------------------------------

ZH_ORG_SUFFIXES = sorted(
    set(
        "股份有限公司 有限责任公司 有限公司 分公司 公司 集团 银行 分行 支行 委员会 办事处 大学 学院 医院 中学 小学 "
        "学校 幼儿园 研究院 研究所 科学院 协会 学会 商会 基金会 联合会 法院 检察院 公安局 派出所 局 厅 日报 晚报 "
        "时报 电视台 新华社 交易所 事务所 合作社 俱乐部 总行 分局 中心".split()
    ),
    key=len,
    reverse=True,
)
_BRANCH_SUFFIXES = ("分行", "支行", "分公司", "分局", "总行")
_PARENT_SUFFIXES = ("银行", "公司", "集团", "局", "保险")
# words that end in a suffix but are not organisations
_NOT_ORG_WORDS = frozenset(
    "布局 格局 大局 全局 当局 结局 开局 胜局 僵局 残局 时局 政局 骗局 困局 破局 变局 新格局 总公司 子公司 母公司 "
    "本公司 该公司 上市公司 商业银行 银行 公司 集团 中心 核心 重心 中心城区 市中心 中小学 大中小学 高校 "
    "各级学校 医疗机构".split()
)
_GENERIC_ORG_HEADS = frozenset(
    "商业 国有 股份制 地方 村镇 城市商业 外资 民营 该 本 这家 各 有关 相关 政府 上市 科技 投资 子 母 分 总 一家 "
    "多家 两家 发展 管理 标准 社区 服务 全国 全省 全市 全区 各级 大型 中小 新 老 企业 金融 平台 集团 公司 银行 "
    "指挥 数据 运营 孵化 研发 创新 培训 活动 文化 体育 服务中 政务服务 便民服务".split()
)
_ORG_STOP_WORDS = frozenset(
    "了 的 会见 视频 与 和 及 对 在 到 是 为 向 同 由 将 把 被 等 从 于 据 并 或 就 也 还 已 又 让 给 请 邀请 携手 "
    "联合 走访 调研 考察 参观 签约 来到 召开 举行 主持 表示 指出 强调 要求 介绍 希望 带队 陪同 深入 前往 赴 入驻 "
    "落户 落地 设立 成立 组织 参加 出席 支持 推动 依托 以 其 该 这 各 本 我 我们 他们 全 积极 位于 作为 通过 "
    "会议 听取 获悉 记者 本报讯 讯 并且 以及 其中 包括 如 同时 目前 今年 去年 近日 日前 此次 这次".split()
)
_ORG_STOP_CHARS = frozenset("和与及同的了在对向由把被将从为是")
_ORG_STOP_POS = ("p", "c", "u", "r", "d", "q", "m", "t", "w", "x", "y", "e", "o")
_ORG_VERBS_OK = frozenset(
    "投资 发展 建设 创新 改革 管理 服务 保险 科技 开发 交通 运输 研究 设计 控股 实业 贸易 置业 物流 制造 生产 "
    "教育 保障 监督 检验 检测 监测 规划 建筑 装备 传媒 出版 分行 支行 集智 产城 电子 通信 安全 应急 生态 环境".split()
)
_MAX_ORG = 20


_ORG_SUFFIX_ENDS = tuple(ZH_ORG_SUFFIXES)


@lru_cache(maxsize=65536)
def _org_suffix(word: str) -> str | None:
    """The longest organisation suffix ``word`` ends in (None for 布局, 上市公司, …)."""
    if not word.endswith(_ORG_SUFFIX_ENDS) or word in _NOT_ORG_WORDS and word not in ZH_ORG_SUFFIXES:
        return None
    return next((s for s in ZH_ORG_SUFFIXES if word.endswith(s)), None)


def _zh_org_spans(text: str) -> list[tuple[str, int, int]]:
    """Well-formed organisation spans (name, start, end), longest first wins."""
    tokens = _rule_tokens(text)
    spans: list[tuple[int, int]] = []
    for i, (word, _flag, start) in enumerate(tokens):
        suffix = _org_suffix(word)
        if suffix is None:
            continue
        end = start + len(word)
        begin = start
        j = i - 1
        while j >= 0:
            w, f, s = tokens[j]
            if w in ("以来", "今年以来", "近年来", "截至", "目前") or f.startswith("i"):
                break
            if f == "m" and len(w) == 1 and w in "一二三四五六七八九十" and (j == 0 or not is_cjk(tokens[j - 1][0])
                                                                    or tokens[j - 1][0] in _ORG_STOP_WORDS):
                begin = s  # 五龙口办事处: a numeral that opens a place name
                break
            if re.fullmatch(r"第[一二三四五六七八九十0-9]{1,3}", w):  # 第一附属医院
                begin = s
                j -= 1
                continue
            if len(w) > 1 and w[0] in _ORG_STOP_CHARS and _dict_tag(w) is None and is_cjk(w):
                begin = s + 1  # jieba glued a conjunction to a name: 和汉威
                break
            if not is_cjk(w) or w in _ORG_STOP_WORDS or f.startswith(_ORG_STOP_POS) or w.endswith(_TITLE_ENDS):
                break
            if f.startswith("v") and w not in _ORG_VERBS_OK and not _org_suffix(w):
                break
            if end - s > _MAX_ORG:
                break
            begin = s
            j -= 1
        if text[end - 1 : end + 1] in ZH_TITLES and len(suffix) == 1:
            end -= 1  # 体育局局长: the second 局 belongs to the title
            if text[end - 1] != suffix:
                continue
        spans.append((begin, end))
    out: list[tuple[str, int, int]] = []
    for begin, end in sorted(spans, key=lambda se: (se[0] - se[1], se[0])):
        name = text[begin:end]
        if any(b <= begin and end <= e for _n, b, e in out):
            continue
        if _valid_zh_org(name):
            out.append((name, begin, end))
    return sorted(out, key=lambda t: t[1])


_PROPER_POS = ("ns", "nr", "nt", "nz", "j", "eng")
_GOVERNMENT_SUFFIXES = ("局", "委员会", "厅", "法院", "检察院", "公安局", "分局", "办公室", "办事处")


def _distinctive(head: str) -> bool:
    """An organisation name needs a part that names it: 渤海, 中电光谷, 郑州 (not 社区服务, 配套建设)."""
    if head[:1] in "区市省县镇乡" and len(head) >= 3:
        return True  # 区城市管理局: the zone's own bureau, abbreviated
    jieba = _jieba()
    for word, flag, _start in _pos_tokens(head):
        if not is_cjk(word):
            continue
        freq = jieba.dt.FREQ.get(word, 0)
        if _zh_place_name(word) or word.endswith(("高新区", "新区")):
            return True
        if flag.startswith(_PROPER_POS) and freq < 5000:
            return True
        if 2 <= len(word) <= 3 and freq < 700:
            return True  # a rare word or a name jieba does not know: 光谷, 中铁, 石佛
    return False


def _valid_zh_org(name: str) -> bool:
    if name in _NOT_ORG_WORDS or not is_cjk(name) or len(name) < 3:
        return False
    suffix = _org_suffix(name)
    if suffix is None:
        return False
    head = name[: -len(suffix)]
    if len(head) < 2 or head in _GENERIC_ORG_HEADS:
        return False
    if suffix in ("局", "厅", "中心") and len(head) < 3:
        return False
    if suffix in _BRANCH_SUFFIXES and not any(p in head for p in _PARENT_SUFFIXES):
        return False  # 高新区支行, 郑州分行: a branch without its bank
    if head[:1] in "区市省县镇乡" and suffix not in _GOVERNMENT_SUFFIXES and not _distinctive(head[1:]):
        return False
    return _distinctive(head)


def extract_zh_orgs(text: str) -> Counter[str]:
    """Organisation name → mentions; a short form inside a longer one counts for it."""
    counts: Counter[str] = Counter(name for name, _b, _e in _zh_org_spans(text))
    for short in sorted(counts, key=len):
        longer = [o for o in counts if o != short and short in o]
        if longer:
            target = max(longer, key=lambda o: (counts[o], len(o)))
            counts[target] += counts.pop(short)
    return counts


# --------------------------------------------------------------------------
# Chinese places
# --------------------------------------------------------------------------

_ZH_ADMIN_SUFFIXES = ("特别行政区", "自治区", "自治州", "省", "市", "区", "县", "镇", "乡", "村", "街道")
_ZH_ZONES = ("经济技术开发区", "高新技术产业开发区", "航空港经济综合实验区", "航空港区", "高新区", "经开区", "新区", "开发区", "自贸区")
_GENERIC_PLACES = frozenset(
    "高新区 全区 城区 市区 辖区 园区 社区 景区 核心区 开发区 新区 本区 该区 两区 郊区 山区 灾区 试验区 示范区 片区 "
    "街区 小区 专区 地区 农村 乡村 山村 新农村 城乡 全市 全省 全县 本市 该市 城市 全镇 各区 各县 各市 省市 市县 "
    "入市 上市 全村 本村 该村 街道 南方区 北方区 东区 西区 南区 北区 城中村".split()
)


@lru_cache(maxsize=1)
def _zh_gazetteer() -> frozenset[str]:
    return frozenset(_lines("zh_places.txt"))


def _zh_place_name(word: str) -> str | None:
    """Canonical place for a word: 河南省 → 河南, 关庄村 → 关庄村, else None."""
    gaz = _zh_gazetteer()
    if word in gaz:
        return word
    if word == "中华人民共和国":
        return "中国"
    for suffix in _ZH_ADMIN_SUFFIXES:
        if word.endswith(suffix) and word[: -len(suffix)] in gaz:
            return word[: -len(suffix)]
    return None


@lru_cache(maxsize=1)
def _rule_trigger() -> re.Pattern[str]:
    """Any word a person, organisation or place rule keys on (see ``_rule_tokens``)."""
    words = set(ZH_SPEECH) | set(ZH_ORG_SUFFIXES) | set(_zh_gazetteer()) | {"中华人民共和国", "街道"}
    chars = "".join(sorted(set("村镇乡县省市")))
    alternatives = sorted((w for w in words if not (len(w) == 1 and w in chars)), key=lambda w: (-len(w), w))
    return re.compile(f"[{chars}]|" + "|".join(map(re.escape, alternatives)))


@lru_cache(maxsize=1)
def _zone_pattern() -> re.Pattern[str]:
    """A gazetteer place and a zone: 郑州高新区, 郑州市经济技术开发区."""
    gaz_re = "|".join(sorted(map(re.escape, _zh_gazetteer()), key=lambda w: (-len(w), w)))
    return re.compile(f"({gaz_re})(?:市)?({'|'.join(_ZH_ZONES)})")


def extract_zh_places(text: str, org_spans: list[tuple[str, int, int]] | None = None) -> Counter[str]:
    """Place name → mentions (gazetteer, zones such as 郑州高新区, villages and towns)."""
    org_spans = _zh_org_spans(text) if org_spans is None else org_spans
    inside = [(b, e) for _n, b, e in org_spans]
    counts: Counter[str] = Counter()
    zones = _zone_pattern()
    zone_spans: list[tuple[int, int]] = []
    for m in zones.finditer(text):
        if not any(b <= m.start() and m.end() <= e for b, e in inside):
            counts[m.group(1) + m.group(2)] += 1
            zone_spans.append((m.start(), m.end()))
    taken = inside + zone_spans
    for word, flag, start in _rule_tokens(text):
        if flag == "x" and len(word) > 8:
            continue  # a block no place rule fires in (see _rule_tokens)
        name = _zh_place_name(word)
        if name is None and flag in ("ns", "nr", "nz") and 3 <= len(word) <= 8 and is_cjk(word):
            if word.endswith(("村", "镇", "乡", "街道", "县")) and word not in _GENERIC_PLACES:
                name = word
        if name is None and flag == "ns" and 3 <= len(word) <= 6 and word.endswith(("省", "市", "县")) and word not in _GENERIC_PLACES:
            name = word
        if name and name not in _GENERIC_PLACES:
            end = start + len(word)
            if not any(b <= start and end <= e for b, e in taken):
                counts[name] += 1
    return counts


# --------------------------------------------------------------------------
# English
# --------------------------------------------------------------------------

EN_TITLES = (
    "Mr. Mrs. Ms. Miss Dr. Prof. Gov. Sen. Rep. Sgt. Lt. Capt. Col. Gen. Det. President Mayor Governor Senator "
    "Representative Minister Secretary Chancellor Chairman Chairwoman Chair Director Commissioner Superintendent "
    "Chief Judge Justice Councilman Councilwoman Officer Ambassador Spokesman Spokeswoman Professor Coach "
    "Detective Sheriff Treasurer Speaker King Queen Prince Princess Pope Premier CEO Manager Administrator "
    "Leader Spokesperson Executive Officer Adviser Advisor Lawmaker Councilor Alderman Coroner Inspector "
    "Archbishop Bishop Rev. Father Sister Rabbi Imam"
).split()
EN_ORG_SUFFIXES = (
    "Inc. Inc Corp. Corp Corporation Co. Company Ltd. Ltd LLC PLC plc Group Holdings Bank Bancorp University "
    "College Institute Ministry Department Council Association Authority Agency Commission Committee Hospital "
    "Fund Foundation Bureau Court Party Federation Union Organization Organisation Board District Academy "
    "Police Service Services Airlines Club Society Trust Chamber Reserve Parliament Congress Senate Office "
    "Nations Alliance Institution Laboratory Laboratories Network Partners Systems Technologies"
).split()
_EN_STOP_CAPS = frozenset(
    "The A An In On At For From With By And But Or If When While After Before Since During This That These Those "
    "It Its He She They We I His Her Their Our Monday Tuesday Wednesday Thursday Friday Saturday Sunday "
    "January February March April May June July August September October November December Jan Feb Mar Apr Aug "
    "Sept Oct Nov Dec Officials Residents Some Many Most All Both Each Other Another "
    "According Last Next New Meanwhile However Also Still Yet Even Now Then There Here".split()
)
_CAP = r"[A-Z][a-zA-Z'’-]+"
_EN_NAME = rf"{_CAP}(?:\s+[A-Z]\.)?(?:\s+{_CAP}){{1,2}}"
_EN_SPEECH = r"(?:said|says|told|added|noted|explained|wrote|announced|argued|warned)"


def _en_title_re() -> re.Pattern[str]:
    titles = "|".join(re.escape(t) for t in sorted(EN_TITLES, key=len, reverse=True))
    return re.compile(rf"\b((?:{_CAP}\s+){{0,3}}(?:{titles}))(?<=\w|\.)\s+({_EN_NAME})")


_EN_FUNCTION_CAPS = frozenset(
    "The A An In On At For From With By And But Or If When While After Before Since During This That These Those "
    "It Its He She They We I His Her Their Our According Meanwhile However Also Officials Residents".split()
)


def _strip_stop_caps(words: list[str], stops: frozenset[str] = _EN_STOP_CAPS) -> list[str]:
    while words and words[0] in stops:
        words = words[1:]
    return words


def extract_en_people(text: str) -> list[Person]:
    found: dict[str, Person] = {}
    places = set(_lines("en_places.txt"))
    for m in _en_title_re().finditer(text):
        title_words = _strip_stop_caps(m.group(1).split())
        name = m.group(2)
        if any(w in EN_ORG_SUFFIXES for w in name.split()) or name in places:
            continue
        found.setdefault(name, Person(name, "mentioned", " ".join(title_words)))
    longer_name = rf"{_CAP}(?:\s+[A-Z]\.)?(?:\s+{_CAP}){{1,4}}"
    for pattern in (rf"\b({_EN_NAME}),?\s+{_EN_SPEECH}\b", rf"\b{_EN_SPEECH}\s+({longer_name})\b"):
        for m in re.finditer(pattern, text):
            if re.search(r"\b(?:of|for|and|the|at|from)\s+$", text[max(0, m.start(1) - 6) : m.start(1)]):
                continue  # the tail of a longer name: National Institute of ... Infectious Diseases said
            words = m.group(1).split()
            while len(words) > 2 and (words[0] in _EN_STOP_CAPS or words[0] in EN_TITLES or words[1] in EN_TITLES):
                words = words[1:]  # said Fed Chair Jerome Powell → Jerome Powell
            while words and (words[0] in _EN_STOP_CAPS or words[0] in EN_TITLES):
                words = words[1:]
            name = " ".join(words)
            if not 2 <= len(words) <= 3 or any(w in EN_ORG_SUFFIXES or w in _EN_STOP_CAPS for w in words):
                continue
            if name in places or any(set(words) & set(p.split()) for p in found):
                continue
            found.setdefault(name, Person(name, "mentioned", ""))
    return list(found.values())


def extract_en_orgs(text: str) -> Counter[str]:
    suffixes = "|".join(re.escape(s) for s in sorted(EN_ORG_SUFFIXES, key=len, reverse=True))
    org = re.compile(
        rf"\b((?:{_CAP}|[A-Z]{{2,}}|&)(?:\s+(?:{_CAP}|[A-Z]{{2,}}|&|of|for|and))*?\s+(?:{suffixes})(?![a-z])"
        rf"(?:\s+(?:of|for)\s+(?:the\s+)?{_CAP}(?:\s+(?:and\s+)?{_CAP})*)?)"
        rf"|\b((?:{suffixes})\s+(?:of|for)\s+(?:the\s+)?{_CAP}(?:\s+(?:and\s+)?{_CAP})*)"
    )
    counts: Counter[str] = Counter()
    for m in org.finditer(text):
        words = (m.group(1) or m.group(2)).split()
        words = _strip_stop_caps(words, _EN_FUNCTION_CAPS) if m.group(1) else words
        if len(words) < 2 or words[0] in ("of", "for", "and", "&"):
            continue
        counts[" ".join(words).rstrip(".,")] += 1
    return counts


def extract_en_places(text: str) -> Counter[str]:
    names = sorted(_lines("en_places.txt"), key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")
    counts: Counter[str] = Counter()
    taken: list[tuple[int, int]] = []
    for m in pattern.finditer(text):
        if not any(b <= m.start() < e for b, e in taken):
            counts[m.group(1)] += 1
            taken.append(m.span())
    return counts


# --------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------


def extract_people(text: str, language: str = "zh") -> list[Person]:
    """People mentioned in ``text`` (role 'mentioned', title as printed before them)."""
    return extract_en_people(text) if language == "en" else extract_zh_people(text)


def _scored(kind: str, counts: Counter[str]) -> list[Tag]:
    if not counts:
        return []
    top = max(counts.values())
    return [Tag(kind, name, round(n / top, 3)) for name, n in counts.most_common()]


def extract_entities(text: str, language: str) -> list[Tag]:
    """Person, organisation and place tags; score = mentions relative to the most mentioned of its kind."""
    return people_and_entities(text, language)[1]


def people_and_entities(text: str, language: str) -> tuple[list[Person], list[Tag]]:
    """``extract_people`` and ``extract_entities`` in one pass over the text."""
    if language == "en":
        people = extract_en_people(text)
        person_counts = Counter({p.name: max(1, text.count(p.name)) for p in people})
        tags = _scored("person", person_counts) + _scored("organization", extract_en_orgs(text)) + _scored(
            "place", extract_en_places(text)
        )
        return people, tags
    people = extract_zh_people(text)
    person_counts = Counter({p.name: max(1, text.count(p.name)) for p in people})
    spans = _zh_org_spans(text)
    orgs: Counter[str] = Counter(name for name, _b, _e in spans)
    for short in sorted(orgs, key=len):
        longer = [o for o in orgs if o != short and short in o]
        if longer:
            orgs[max(longer, key=lambda o: (orgs[o], len(o)))] += orgs.pop(short)
    tags = _scored("person", person_counts) + _scored("organization", orgs) + _scored("place", extract_zh_places(text, spans))
    if language == "mixed":
        tags += _scored("organization", extract_en_orgs(text)) + _scored("place", extract_en_places(text))
    return people, tags
