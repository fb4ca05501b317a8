"""Entities: people, organisations and places named in an article's text.

Offline rules over jieba's segmentation and part-of-speech tags (Chinese) and
capitalisation (English).  Chinese people are jieba's name words (nr, nrfg,
nrt) that pass a name check, plus names after a title (``管委会主任张红军``)
or before a speech verb (``张红军表示``); English ones come after a title
(``Mayor Jane Doe``) or beside a speech verb (``Jane Doe said``).  Organisations end in a suffix
(银行/分行/集团/公司/局/大学/…; Bank, University, Council, Inc., …) and
take the longest well-formed span to their left.  Places come from shipped
gazetteers (tasks/data/*_places.txt) and administrative suffixes
(郑州高新区, 关庄村).

Speed: jieba's part-of-speech cut is most of tagging's cost.  It runs once per
text on every block (runs between punctuation), with jieba's own algorithm
re-done in leaner loops (``_posseg_block``, ``cut_words``); words and tags are
jieba's exactly (tests/test_tag.py compares them).  The keyword step reads the
same cached tokens.
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
    """``_pos_tokens`` with jieba's words and tags for every block (the fast cut of each block).

    A block is a run of Han, letters and digits, which jieba segments on its
    own; the text between blocks comes out as one 'x' token, which stops every
    rule that walks across tokens, as punctuation does.
    """
    out: list[tuple[str, str, int]] = []
    pos = 0
    for i, part in enumerate(_POSSEG_BLOCK.split(text)):
        if not part:
            continue
        if i % 2:
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
    for org, _start, _end in _zh_suffix_org_spans(title):
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


# words jieba tags nr that end in a word that is no part of the name: 邓小平理论, 毛泽东思想
_NAME_TAILS = ("同志", "先生", "女士", "夫人", "主席", "总理", "总统", "委员长", "总书记")
# words that end a name into something else: 邓小平理论 is a doctrine, not a mention of 邓小平
_NAMED_THINGS = ("理论", "思想", "时代", "故居", "纪念馆", "纪念堂", "主义", "体", "式", "法", "奖", "杯", "号")
# characters of transliterated names (克林顿, 奥尔布赖特, 内塔尼亚胡): a foreign name jieba
# guesses is made of these, a word it mistags (努力提高, 吉祥物, 许可证) is not
_TRANSLIT = frozenset(
    "阿埃艾爱安昂奥澳巴拜班邦保鲍贝本比彼宾波伯勃博布查茨达代戴丹道德登迪蒂丁东杜敦多厄恩尔法凡范菲费芬丰"
    "弗福富盖甘冈戈格根贡古瓜圭哈海汉豪赫黑亨洪侯胡华怀霍基吉纪加佳贾杰捷金久卡凯坎康考柯科克肯库夸奎昆拉"
    "莱赖兰朗劳勒雷蕾黎里理利莉丽连廉列林琳铃隆娄卢鲁陆路伦罗洛吕马玛迈麦曼芒毛梅美门蒙孟米密敏明缪莫墨默"
    "姆牟穆纳娜奈南瑙内妮尼涅宁纽农努诺欧帕潘庞培佩彭皮珀普齐奇契恰乔切钦琴丘屈让热荣茹瑞若萨塞赛桑瑟森"
    "沙莎山尚绍舍申什施史士舒斯松宋苏素索塔泰坦汤唐陶特图托瓦万汪旺威韦维温文翁沃乌伍武西希锡席夏谢辛"
    "欣休许雅亚扬耶叶伊依因英尤于约泽扎詹兹佐卓祖尊哥达克顿夫娃娅丝茜黛琼琪柴采迦伽犹翰逊蒂莎瓦"
)
_NOT_PEOPLE = frozenset("白宫 厄尔尼诺 欧佩克 麦当劳 希尔顿 金字塔 迪斯尼 可口可乐 奥林匹克 诺贝尔 马拉松 桑拿 沙龙 卡拉 拉力赛".split())
_NAME_SEPS = "·・•‧"
# tokens a name never spans: pronouns, particles, the plural 们 (向他们, 高兴地, 常委们)
_NOT_IN_NAME_POS = ("r", "u", "k", "p", "c", "y", "e", "o", "w", "x", "m", "q", "t", "f")
_FUNCTION_POS = ("r", "u", "k", "p", "c", "y", "e", "o", "w", "x")
# what follows a name and confirms it: a title after it (江泽民主席), a speech verb, 等
_AFTER_NAME_CUES = tuple(
    _with_traditional(
        "主席 总理 总统 首相 总书记 委员长 副主席 副总理 国务委员 部长 外长 大使 书记 同志 先生 女士 夫人 教授 院士 "
        "一行 等 说 表示 指出 强调 认为 介绍 透露 会见 会谈 出席 主持 宣布 发表 致辞 讲话 谈 称 希望 告诉 回答 "
        "率领 陪同 访问 访华 抵达 离开 签署 看望 慰问 参加 在 和 与 及 说道 问道 笑道 分别 夫妇 一家".split()
    )
)


def _is_place_word(word: str) -> bool:
    return _zh_place_name(word) is not None or word in _zh_gazetteer()


def _strip_name_tail(word: str) -> str:
    if word.endswith(_NAMED_THINGS) and len(word) >= 4:
        return ""
    for tail in _NAME_TAILS:
        if word.endswith(tail) and len(word) - len(tail) >= 2:
            return word[: -len(tail)]
    return word


def _name_strength(word: str, flag: str) -> int:
    """2: a name wherever it stands; 1: a name only with a cue beside it; 0: no name.

    Chinese names are a known surname and one or two characters (three-character
    names are rarely anything else; two-character dictionary words often are:
    文明, 祝贺).  Transliterated names (jieba's nrt) of three or more characters
    that are not places count too; dictionary words jieba tags as names but
    that are frequent everyday words (令人, 崇高, 今天下午) do not.
    """
    if not is_cjk(word) or len(word) < 2 or _is_place_word(word) or word in _NOT_PEOPLE:
        return 0
    freq = _jieba().dt.FREQ.get(word, 0)
    tags = _jieba().posseg.dt.word_tag_tab
    if word.endswith(_NOT_NAME_FINAL_CHARS) or any(c in "们的地" for c in word[1:]):
        return 0
    n = surname_length(word)
    given = len(word) - n
    if n and 1 <= given <= 2 and not any(word[n:].startswith(w) for w in NOT_GIVEN_NAMES):
        rest = word[n:]
        if rest in ZH_TITLES or rest in ("总", "老", "某", "家"):
            return 0  # 周总理, 冷科长: a surname and a title
        if given == 2:
            if freq and _jieba().dt.FREQ.get(rest, 0) >= 100 and not str(tags.get(rest, "")).startswith("nr"):
                return -1  # 高素质, 强降雨: a surname-like character before a word (张万年 needs a title)
            return 2 if freq < 5000 or flag.startswith("nr") else 0
        if freq == 0:
            return 2  # a name jieba's model read from the characters: 王磊, 常昊
        return 1 if freq < 2000 else 0
    if flag == "nrt" or (flag.startswith("nr") and freq == 0):
        if freq >= 300 or sum(c not in _TRANSLIT for c in word) > (1 if len(word) >= 4 and not freq else 0):
            return 0
        return 2 if len(word) >= 3 and flag == "nrt" else 1
    if flag.startswith("nr") and len(word) == 3 and freq < 300 and all(c in _TRANSLIT for c in word):
        return 2 if freq >= 50 else 1  # 克林顿, 希拉克: a transliterated name jieba knows well
    return 0


_NOT_NAME_FINAL_CHARS = tuple("区市县村镇乡局委会部院校厂司行所办处队站省州党社团室科股馆")


def _token_names(text: str) -> dict[str, int]:
    """Names jieba's tags point at (nr, nrfg, nrt): name → strength (see ``_name_strength``).

    Names joined by a middle dot stay whole (铁木尔·达瓦买提, 于贝尔·韦德里纳);
    a weak name needs a cue in the text: a title before it, a cue word after it
    (``_AFTER_NAME_CUES``) or a strong name beside it in a 、 list.
    """
    tokens = _rule_tokens(text)
    n = len(tokens)
    found: dict[str, int] = {}
    spans: list[tuple[str, int, int, int]] = []  # name, strength, first token, last token
    i = 0
    while i < n:
        word, flag, _start = tokens[i]
        j = i
        parts = [word]
        # a dotted chain: name · name (· name)
        while j + 2 < n and tokens[j + 1][0] in _NAME_SEPS and is_cjk(tokens[j + 2][0]) and tokens[j + 2][1] not in _NOT_IN_NAME_POS:
            parts += [tokens[j + 1][0], tokens[j + 2][0]]
            j += 2
            # a part jieba cut in two (安东尼奥·古|特雷斯): join transliteration pieces that follow a
            # one-character piece or are names themselves
            while j + 1 < n and _translit_piece(*tokens[j + 1][:2]) and (len(tokens[j][0]) == 1 or tokens[j + 1][1].startswith("nr")):
                parts.append(tokens[j + 1][0])
                j += 1
        if j > i and is_cjk(word) and (flag.startswith("nr") or any(tokens[k][1].startswith("nr") for k in range(i, j + 1, 2))):
            name = "".join(parts)
            if len(name) <= 20:
                spans.append((name, 2, i, j))
            i = j + 1
            continue
        if flag.startswith("nr") and len(word) == 2 and i + 1 < n and _double_surname_name(word, tokens, i):
            spans.append((word + tokens[i + 1][0], 2, i, i + 1))  # 陈方安生: a married name, two surnames
            i += 2
            continue
        if flag.startswith("nr") and i + 1 < n and (_org_suffix(tokens[i + 1][0]) or tokens[i + 1][0] in _ORG_TAIL_SET):
            i += 1
            continue  # 石佛办事处, 希尔顿集团: the name of a body, not a person
        if flag.startswith("nr"):
            name = _strip_name_tail(word)
            strength = _name_strength(name, flag)
            if strength:
                spans.append((name, strength, i, i))
        i += 1
    # well-known people (tasks/data/zh_people.txt) on word boundaries, also where jieba reads
    # another word (周恩来/t, 罗干/ns, 万里/m); a two-character one needs a cue like any weak name
    index = {st: k for k, (_w, _f, st) in enumerate(tokens)}
    ends = {st + len(w): k for k, (w, _f, st) in enumerate(tokens)}
    pattern = _people_pattern()
    for m in pattern.finditer(text) if pattern else ():
        a, b = index.get(m.start()), ends.get(m.end())
        if a is not None and b is not None:
            spans.append((m.group(0), 2 if len(m.group(0)) >= 3 else 1, a, b))
    strong = {name for name, st, _a, _b in spans if st == 2}
    cued: set[str] = set()
    for name, st, a, b in spans:
        if st == 2:
            continue
        before = tokens[a - 1][0] if a > 0 else ""
        if st == -1:  # only a title before it will do
            if before.endswith(_TITLE_ENDS):
                cued.add(name)
            continue
        after = "".join(t[0] for t in tokens[b + 1 : b + 3])
        joins = ("、", "和", "与", "及", "同")
        listed = (before in joins and a > 1 and tokens[a - 2][0] in strong) or (
            after.startswith(joins) and b + 2 < n and tokens[b + 2][0] in strong
        )
        if before.endswith(_TITLE_ENDS) or after.startswith(_AFTER_NAME_CUES) or listed:
            cued.add(name)
    for name, st, _a, _b in spans:
        if st == 2 or name in cued:
            found.setdefault(name, st)
    return found


def _translit_piece(word: str, flag: str) -> bool:
    """A token made only of transliteration characters, no function word (特雷斯 of 古特雷斯)."""
    return is_cjk(word) and all(c in _TRANSLIT for c in word) and not flag.startswith(_NOT_IN_NAME_POS)


def _double_surname_name(word: str, tokens: tuple[tuple[str, str, int], ...], i: int) -> bool:
    """陈方/nr 安生/an: two surnames and a two-character given name cut in two (Hong Kong married names)."""
    single, _compound = surnames()
    nxt, flag, _s = tokens[i + 1]
    after = tokens[i + 2][0] if i + 2 < len(tokens) else ""
    return (
        word[0] in single and word[1] in single and len(nxt) == 2 and is_cjk(nxt)
        and not flag.startswith(("v", "p", "c", "u", "d", "r", "m", "q", "t", "f", "nr", "ns", "nt"))
        and (not after or not is_cjk(after[:1]) or after.startswith(_AFTER_NAME_CUES))
    )


_PEOPLE_LIST = {"on": True}


def use_people_list(on: bool) -> None:
    """Read the well-known people list (tasks/data/zh_people.txt) or not (``eval --entities --no-people-list``).

    Off, every name must come from the rules alone; this is how the 2026 front
    page is tested (tests/test_entities.py) and how the list's share of the
    dev-set figures is measured.
    """
    _PEOPLE_LIST["on"] = on
    _people_pattern.cache_clear()


def known_people() -> frozenset[str]:
    """The names of tasks/data/zh_people.txt (empty while ``use_people_list(False)``)."""
    return frozenset(_lines("zh_people.txt")) if _PEOPLE_LIST["on"] else frozenset()


@lru_cache(maxsize=1)
def _people_pattern() -> re.Pattern[str] | None:
    names = sorted(known_people(), key=lambda w: (-len(w), w))
    return re.compile("|".join(map(re.escape, names))) if names else None


def _aligned(text: str, start: int, name: str) -> bool:
    """The name starts and ends at jieba's token boundaries and spans no pronoun or particle."""
    end = start + len(name)
    tokens = _rule_tokens(text)
    starts = {s for _w, _f, s in tokens}
    ends = {s + len(w) for w, _f, s in tokens}
    if start not in starts or end not in ends:
        return False
    inside = [(w, f, s) for w, f, s in tokens if s >= start and s + len(w) <= end]
    if len(inside) == 2 and len(inside[0][0]) == 1 and inside[0][1].startswith(("p", "c", "d", "v")):
        rest, rflag = inside[1][0], inside[1][1]
        if not rflag.startswith("nr") and _jieba().dt.FREQ.get(rest, 0) >= 300:
            return False  # 向农民, 对群众: a preposition before a word
    # a surname character can carry any tag (张/q, 向/p); what follows it must not be a
    # pronoun, particle or the plural 们 (向他们, 高兴地, 常委们)
    return not any(f.startswith(_FUNCTION_POS) and (k or len(w) > 1) for k, (w, f, s) in enumerate(inside))


def _glued_to_verb(text: str, start: int, end: int, verb_end: int) -> bool:
    """jieba joined the name's last character to the speech verb after it (韩|正说): the name is whole."""
    tokens = _rule_tokens(text)
    first = next(((w, f) for w, f, s in tokens if s == start), None)
    tag = _dict_tag(text[start:end])
    if first is None or first[1].startswith(("d", "p", "c", "r", "u")) or tag is not None and not tag.startswith("nr"):
        return False  # 莫|要说: an adverb before a verb, 莫要 a word
    glued = next(((w, s) for w, _f, s in tokens if s < end < s + len(w)), None)
    if glued is None or glued[1] + len(glued[0]) != verb_end or glued[1] <= start:
        return False
    return _aligned(text, start, text[start : glued[1]]) or glued[1] - start == 1


def _token_at(text: str, start: int) -> tuple[str, str] | None:
    for w, f, s in _rule_tokens(text):
        if s == start:
            return w, f
        if s > start:
            return None
    return None


def _title_of(text: str, name: str) -> str:
    """The title printed right before the name's first mention (国家主席习近平), else ''."""
    at = text.find(name)
    while at > 0:
        if text[:at].endswith(_TITLE_ENDS):
            title = _strip_leading_org(_title_before(text, max(0, at - 12), at))
            return re.sub(r"^.*\d日[电讯]", "", title)  # 新华社北京1月5日电国家主席 → 国家主席
        at = text.find(name, at + 1)
    return ""


def extract_zh_people(text: str) -> list[Person]:
    """People named in Chinese text, with the title printed before them."""
    found: dict[str, Person] = {}
    tokens_names = _token_names(text)

    def fix(name: str, start: int) -> str | None:
        """A rule's name checked against jieba's words: 陈方安 → 陈方安生, 向他们 → None."""
        for longer in tokens_names:
            if longer != name and longer.startswith(name) and text.startswith(longer, start):
                return longer  # 韦德里 → 韦德里纳, 陈方安 → 陈方安生
        if _aligned(text, start, name):
            return name
        # the name ends inside a word (马丁会 of 马丁会见): cut it back to the word before
        for w, _f, s in _rule_tokens(text):
            if s < start + len(name) < s + len(w):
                shorter = text[start:s]
                return shorter if s > start and _plausible_bare_name(shorter) and _aligned(text, start, shorter) else None
        return None

    for m in _title_then_name().finditer(text):
        name = _read_name(text, m.end())
        if not name:
            continue
        name = fix(name, m.end())
        if not name or name in found or _is_place_word(name):
            continue
        title = _strip_leading_org(_title_before(text, m.start(), m.end()))
        found[name] = Person(name, "mentioned", title)
    # a sentence that opens with a name and a speech verb: 。高立介绍了… / ，李晓明指出
    for m in _name_then_speech().finditer(text):
        name = m.group(1)
        if name not in found and _plausible_bare_name(name) and (
            _aligned(text, m.start(1), name) or _glued_to_verb(text, m.start(1), m.end(1), m.end())
        ):
            found[name] = Person(name, "mentioned", "")
    # every name jieba reads, with a cue where the word could be something else
    for name in tokens_names:
        if name not in found and not any(name != other and name in other for other in tokens_names if "·" in other):
            found[name] = Person(name, "mentioned", _title_of(text, name))
    # a name only ever printed as part of a longer one found (康强 of 康强丽) is that one
    return [p for p in found.values()
            if not any(p.name != o and p.name in o and text.count(p.name) == text.count(o) for o in found)]


# --------------------------------------------------------------------------
# Chinese organisations
# --------------------------------------------------------------------------

ZH_ORG_SUFFIXES = sorted(
    set(
        "股份有限公司 有限责任公司 有限公司 分公司 公司 集团 银行 分行 支行 委员会 办事处 大学 学院 医院 中学 小学 "
        "学校 幼儿园 研究院 研究所 科学院 协会 学会 商会 基金会 联合会 法院 检察院 公安局 派出所 局 厅 "
        "电视台 新华社 交易所 事务所 合作社 俱乐部 总行 分局 中心 队 男排 女排 男篮 女篮 男足 女足 乐团 交响乐团 "
        "话剧团 芭蕾舞团 歌舞团 艺术团 剧团 出版社 杂志社 报社 红十字会 研究会 促进会".split()
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
    "各级学校 医疗机构 当局 台湾当局 部队 球队 团队 军队 车队 国家队 主力队 梯队 乐队 排队 插队 站队 入队 归队 领队 "
    "带队 率队 连队 舰队 船队 护卫队 突击队 服务队 工作队 医疗队 救援队 志愿队 代表队 先锋队 联队 主队 客队 男队 女队 "
    "青年队 少年队 分队 小分队 出版社 报社 剧团".split()
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
    "会议 听取 获悉 记者 本报讯 讯 并且 以及 其中 包括 如 同时 目前 今年 去年 近日 日前 此次 这次 "
    "日讯 日电 报道 消息 关键 单位 合作方 投资方 荣誉 原 间 统揽 顾全 合理 生产".split()
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
    if word.endswith(("布局", "格局", "大局", "全局", "当局", "结局", "开局", "僵局", "骗局", "出局", "入局", "定局", "赌局")):
        return None
    tag = _dict_tag(word)
    if word not in ZH_ORG_SUFFIXES and tag is not None and not tag.startswith(("n", "j")):
        return None  # 统揽全局, 顾全大局: an idiom that ends in 局
    return next((s for s in ZH_ORG_SUFFIXES if word.endswith(s)), None)


def _zh_suffix_org_spans(text: str) -> list[tuple[str, int, int]]:
    """Organisations that end in a suffix (name, start, end), longest first wins."""
    tokens = _rule_tokens(text)
    spans: list[tuple[int, int]] = []
    for i, (word, _flag, start) in enumerate(tokens):
        suffix = _org_suffix(word)
        if suffix is None or word in _zh_org_names():
            continue  # 新华社 is a name of its own (本栏均据|新华社)
        end = start + len(word)
        begin = start
        j = i - 1
        while j >= 0:
            w, f, s = tokens[j]
            if w in ("以来", "今年以来", "近年来", "截至", "目前") or f.startswith("i"):
                break
            if w in ("电", "讯") and j > 0 and tokens[j - 1][0].endswith("日"):
                break  # 1月5日电新华社: the dateline's end
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
            if (f.startswith("nr") and j + 1 < i and tokens[j + 1][1].startswith("nr") and _plausible_bare_name(w)
                    and _plausible_bare_name(tokens[j + 1][0])):
                break  # 马晓春|周鹤洋|出局: a list of names, no body's name
            if f.startswith("v") and w not in _ORG_VERBS_OK and not _org_suffix(w):
                break
            if end - s > _MAX_ORG:
                break
            begin = s
            j -= 1
            if (_is_place_token(w, f) and j >= 0 and not _is_place_token(*tokens[j][:2]) and tokens[j][1] != "nt"
                    and not _org_suffix(tokens[j][0])):
                break  # a name opens with its place: 百年老矿|江西萍乡矿务局 (but 渤海银行郑州分行)
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


# words after a place or an organisation that make it a body: 西藏自治区政府, 北京市委, 新华社香港分社
ZH_ORG_TAILS = (
    "人民政府 政府 党委 市委 省委 县委 区委 州委 地委 工委 委员会 常委会 人大常委会 人大 政协 办公厅 办公室 分社 总社 "
    "议会 国民议会 国会 内阁 大使馆 领事馆 总领事馆 代表处 军区 书记处 体育部 新闻部 外交部 国防部 财政部 "
    "秘书处 常设委员会 特委会 安理会 理事会 执委会 法院 检察院 公安局 公安厅 政府军 统战部 组织部 宣传部 "
    "政治局 纪委"
).split()
_ORG_TAIL_SET = frozenset(ZH_ORG_TAILS)
# organisations jieba tags nt that the annotation counts as places or as no name at all
_NT_NOT_ORG = frozenset(
    "人民大会堂 北京人民大会堂 人大常委会 解放军 人民代表大会 商业银行 党和政府 公安局 高级人民法院 音乐会 国家机关 "
    "中央政治局常委 中西部 人民政府 国家有关 安理会 党政机关 香港特别行政区 民主党 党组织 武警部队 联谊会 广播电视 "
    "中央银行 新政府 上市公司 广大观众 全国代表大会 中美关系 新进展 人民军队 新华书店 联合政府 联合会 人民法院 国民党 "
    "理工学院 国际化 共产党 国家队 国际舞台 暨 人民检察院 国有银行 新格局 国民议会 特区政府 财政局 中科院 社科院 "
    "中宣部 中联部 外经贸部 国家教委 北约 欧盟 东盟 中共 全国人大 党工委 管委会 党委 市委 省委 县委 区委 党支部 "
    "村委会 居委会 政府 人民政府 常委会 纪委 工委".split()
)


@lru_cache(maxsize=1)
def _zh_org_names() -> frozenset[str]:
    return frozenset(_lines("zh_orgs.txt"))


@lru_cache(maxsize=1)
def _org_name_pattern() -> re.Pattern[str]:
    names = sorted(_zh_org_names(), key=lambda w: (-len(w), w))
    return re.compile("|".join(map(re.escape, names)))


def _is_org_token(word: str, flag: str) -> bool:
    """A word that names an organisation on its own: listed, or jieba's nt with a place in it (中国记协)."""
    m = _ORDINAL_SESSION.match(word)
    if m and len(word) - m.end() >= 3:
        word = word[m.end() :]  # 九届全国人大
    if word in _NT_NOT_ORG or _is_named_venue(word) or len(word) < 2:
        return False
    if word in _zh_org_names():
        return True
    if flag != "nt" or _jieba().dt.FREQ.get(word, 0) >= 200:
        return False
    if word[0] in _COUNTRY_ABBR and (word[1:] in _zh_org_names() or word[1:] in _ORG_TAIL_SET):
        return word[1:] != "政府"  # 俄外交部, 以议会 (俄政府, 美政府: the government, no named body)
    if len(word) >= 4 and word.startswith(_NATIONAL) and not _opens_with_place(word):
        rest = word[2:]
        # 中央财政, 全国公安, 中国林业: the nation's finances or police, no body (国家计委, 中央军委 are)
        return not (_dict_tag(rest) in ("n", "vn", "an") and _jieba().dt.FREQ.get(rest, 0) >= 500)
    return _opens_with_place(word)


_COUNTRY_ABBR = frozenset("中美俄英法德日韩朝以巴伊印越泰澳加意")
_NATIONAL = ("国家", "中国", "中华", "全国", "中央", "国务院")
_ORDINAL_SESSION = re.compile(r"^第?[一二三四五六七八九十]+届")


def _is_body_token(word: str, flag: str) -> bool:
    """jieba's nt word for a kind of body (公安局, 人民政府): an organisation after a place (北京公安局)."""
    return flag == "nt" and len(word) >= 2 and not _is_named_venue(word)


@lru_cache(maxsize=8192)
def _opens_with_place(word: str) -> bool:
    gaz = _zh_gazetteer()
    for n in range(min(len(word) - 1, 8), 1, -1):
        if word[:n] in gaz or _zh_place_name(word[:n]):
            return True
    first = next(iter(_jieba().cut(word, HMM=False)), "")
    return len(first) >= 2 and _dict_tag(first) == "ns" and first not in _GENERIC_PLACES


def _is_venue(word: str) -> bool:
    """Buildings and halls the annotation counts as places: 人民大会堂, 北京音乐厅."""
    return word in _zh_gazetteer() or word.endswith(_VENUE_SUFFIXES)


_VENUE_SUFFIXES = ("大会堂", "音乐厅", "礼堂", "体育馆", "体育场", "大剧院", "广场", "机场", "火车站", "纪念堂", "国宾馆",
                   "美术馆", "科技馆", "科学技术馆", "会展中心", "会议中心", "大戏院")
_HALL_WORDS = ("展厅", "影厅", "大厅", "宴会厅", "演播厅", "武术馆", "体育中心", "办公楼门厅")


def _is_named_venue(word: str) -> bool:
    """A hall with its name (北京音乐厅), not the bare word (广场, 机场)."""
    if word in _VENUE_NAMES:
        return True
    # one C call rejects most words before the per-suffix test (called for every token)
    return word.endswith(_VENUE_SUFFIXES) and any(
        word.endswith(v) and len(word) >= len(v) + 2 for v in _VENUE_SUFFIXES)


_VENUE_NAMES = frozenset("人民大会堂 中南海 钓鱼台国宾馆 钓鱼台 怀仁堂 紫光阁 天安门 天安门广场 人民英雄纪念碑 故宫 长城 八达岭 "
                         "克里姆林宫 外滩".split())


def _zh_org_spans(text: str) -> list[tuple[str, int, int]]:
    """Organisation spans (name, start, end): ``_zh_org_and_venue_spans`` without the halls."""
    return _zh_org_and_venue_spans(text)[0]


def _zh_venues(text: str) -> list[str]:
    """Halls and galleries the organisation rules read (中国美术馆, 北京国际会议中心): places, not bodies."""
    return _zh_org_and_venue_spans(text)[1]


@lru_cache(maxsize=64)
def _zh_org_and_venue_spans(text: str) -> tuple[list[tuple[str, int, int]], list[str]]:
    """Well-formed organisation spans (name, start, end), longest first wins.

    Three sources: jieba's organisation tag (nt) and the shipped list of
    organisations (tasks/data/zh_orgs.txt), each joined to the places and
    organisations right before it and the body words right after it (中国国务院,
    北京市委, 新华社香港分社); a place and a body word (贝宁政府); and the suffix
    rule (``_zh_suffix_org_spans``: 渤海银行郑州分行).
    """
    tokens = _rule_tokens(text)
    n = len(tokens)
    spans: list[tuple[int, int]] = [(b, e) for _name, b, e in _zh_suffix_org_spans(text)]
    starts = {st for _w, _f, st in tokens}
    ends = {st + len(w) for w, _f, st in tokens}
    for m in _org_name_pattern().finditer(text):
        if m.start() in starts and m.end() in ends:  # not 外交部 inside 外交部长 (the minister)
            spans.append(m.span())
    for i, (word, flag, start) in enumerate(tokens):
        org = _is_org_token(word, flag)
        after_place = i > 0 and _is_place_token(*tokens[i - 1][:2])
        tail_after_place = after_place and (word in _ORG_TAIL_SET or _is_body_token(word, flag))
        if not (org or tail_after_place):
            continue
        a = b = i
        while a > 0 and _is_place_token(*tokens[a - 1][:2]) and a - 1 >= i - 2:
            a -= 1  # 中国国务院, 北京市委: a place before a body (新华社联合国 is a dateline: no org + org)
        while b + 1 < n and b + 1 <= i + 2:
            if tokens[b + 1][0] in _ORG_TAIL_SET:
                b += 1
            elif b + 2 < n and _is_place_token(*tokens[b + 1][:2]) and tokens[b + 2][0] in _ORG_TAIL_SET:
                b += 2  # 新华社香港分社
            else:
                break
        if not org and a == i:
            continue
        begin, end = tokens[a][2], tokens[b][2] + len(tokens[b][0])
        m = _ORDINAL_SESSION.match(text[begin:end])
        if m and end - begin - m.end() >= 3:
            begin += m.end()  # 九届全国人大 → 全国人大
        if org or b > i or a < i:
            spans.append((begin, end))
    spans = [(_trim_leading_words(tokens, begin, end), end) for begin, end in spans]
    out: list[tuple[str, int, int]] = []
    venues: list[str] = []
    for begin, end in sorted(set(spans), key=lambda se: (se[0] - se[1], se[0])):
        if any(b <= begin and end <= e for _n, b, e in out) or any(b < begin < e < end or begin < b < end < e for _n, b, e in out):
            continue
        name = text[begin:end]
        if _is_named_venue(name) and not _is_place_word(name) and name not in _zh_org_names():
            venues.append(name)  # 中国美术馆, 北京站: a place the annotation counts as one
            continue
        if name.endswith(_HALL_WORDS):
            continue  # 珠江钢琴展厅, 天山宴会厅: a room, neither a body nor a place the paper names
        if (name in _NT_NOT_ORG or _is_place_word(name) or _common_body_word(name) or _generic_org(name)
                or _team_of_a_league(text, name, end) or _REGION_TAIL.search(name) or _pos_tokens(name)[-1][0].endswith(_FORMATIONS)
                or name.endswith("党") and text[end : end + 1] == "人"):
            continue
        out.append((name, begin, end))
    return _with_sub_units(text, tokens, sorted(out, key=lambda t: t[1])), venues


# the unit of a body printed right after it is one name with it (国家计委|科技司, 京华银行|董事会, 广电部|党组)
_SUB_UNITS = ("司", "处", "科", "系", "所", "室", "厂", "分院", "分校", "分局", "分所", "分社", "营业部", "党委", "党组",
              "董事会", "办公室", "总队", "支队", "大队", "中队", "派出所", "分理处", "研究所", "研究室", "研究中心", "教研室")


def _with_sub_units(text: str, tokens: tuple[tuple[str, str, int], ...],
                    spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Join an organisation and the unit of it printed right after (中办老干部局 is 中办|老干部局 as one)."""
    out: list[tuple[str, int, int]] = []
    by_start = {st: k for k, (_w, _f, st) in enumerate(tokens)}
    for name, begin, end in spans:
        if begin >= 2 and text[begin - 2 : begin] in ("中共", "武警") and begin - 2 in by_start and _opens_with_place(name) and (
            name.endswith("委") if text[begin - 2 : begin] == "中共" else name.endswith("队")
        ):
            begin -= 2  # 中共|黑龙江省委, 武警|广东总队: the party's or the armed police's own body
            name = text[begin:end]
        k = by_start.get(end)
        new_end = end
        while k is not None and k < len(tokens) and tokens[k][2] + len(tokens[k][0]) - end <= 10:
            word, flag, st = tokens[k]
            if not is_cjk(word) or word in _ORG_STOP_WORDS or flag.startswith(_ORG_STOP_POS) or flag.startswith("v"):
                break
            if flag.startswith("nr") or _is_place_token(word, flag) or str(_dict_tag(word)).startswith("v"):
                break  # 新华社|莫斯科, 步长公司立案|查处
            if word.endswith("处") and not word.endswith(("分理处", "办事处")) and len(word) >= 4 and _jieba().dt.FREQ.get(word, 0):
                break  # 立案查处: a word that ends in 处, no unit
            if word.endswith(_SUB_UNITS) and len(word) >= 2 and word not in ZH_TITLES and not word.endswith(_TITLE_ENDS):
                nxt = text[st + len(word) : st + len(word) + 2]
                if not nxt.startswith(tuple(ZH_TITLES)) or len(word) >= 3:
                    new_end = st + len(word)
                break
            k += 1
        out.append((text[begin:new_end], begin, new_end) if new_end > end else (name, begin, end))
    return out


# words that open an organisation's name although they are common words (国际米兰队, 团中央, 空军联航队)
_NAME_OPENING_WORDS = frozenset("国际 世界 团 空军 海军 陆军 武警 工人 国营 中共 人民 亚洲 欧洲 东方 西方 北方 南方 东北 西北 "
                                "华北 华东 华南 西南 中南".split()) | frozenset(_NATIONAL)
_TEAM_SUFFIXES = ("男篮", "女篮", "男排", "女排", "男足", "女足")
_LEAGUE_WORDS = ("甲A", "甲Ａ", "甲B", "甲Ｂ", "甲级", "联赛", "职业联赛", "锦标赛", "比赛", "领先")


def _is_proper_token(word: str, flag: str) -> bool:
    return flag.startswith(("ns", "nr", "nt", "nz", "j")) or _is_place_word(word) or word in _zh_org_names()


def _trim_leading_words(tokens: tuple[tuple[str, str, int], ...], begin: int, end: int) -> int:
    """Where a name starts once common words glued before it are cut off: 战胜|解放军女排, 最近|中国社科院.

    A run of frequent words that are no name (jieba's dictionary words, not
    places, not 国际/中央 which open names) before a place or a name opens no
    organisation: 大型企业|春兰集团, 原告|周村区法院, 需经|欧盟兽医委员会.
    """
    inside = [(w, f, st) for w, f, st in tokens if begin <= st and st + len(w) <= end]
    freq = _jieba().dt.FREQ
    for k, (word, flag, st) in enumerate(inside):
        if k and word in _GLUED_VERBS:
            continue
        if k and _is_proper_token(word, flag):
            # not when the name is the body word itself (石油天然气总公司|财务局, 联邦|环保局)
            last = k == len(inside) - 1 and not (_valid_zh_org(word) or _is_org_token(word, flag))
            rest = text_of(inside[k:])
            return begin if last or len(rest) < 3 or _org_suffix(rest) and not _valid_zh_org(rest) else st
        if word in _GLUED_VERBS or word in _ORG_STOP_WORDS:
            continue
        if (_is_proper_token(word, flag) or word in _NAME_OPENING_WORDS or word.startswith("第")
                or freq.get(word, 0) < 300 or not is_cjk(word) or len(word) == 1 and not flag.startswith(("v", "f", "d", "p", "c")) and word not in _GLUED_CHARS):
            return begin  # 新|象|文教基金会: a character that may open the name
    return begin


# one-character words jieba leaves before a name, whatever tag it gives them (负|江苏队, 经|中纪委, 原|省电力局)
_GLUED_CHARS = frozenset("负胜经往前原率")
# verbs the paper prints right before a body's name: results, reports, offices held
_GLUED_VERBS = frozenset("战胜 险胜 大胜 击败 负于 效力 委托 中断 欣闻 需经 须经 须报 报经 历任 曾任 现任 名列 发往 "
                         "隶属 来自 加入 退出 致电 致函 原告 被告 最近".split())


def text_of(tokens: list[tuple[str, str, int]]) -> str:
    return "".join(w for w, _f, _s in tokens)


# kinds of bodies, not names (jieba's common nouns): 秧歌队, 消防队, 跨国公司, 储蓄银行, 函授大学
_BODY_KIND_ENDS = ("队", "公司", "集团", "银行", "学校", "小学", "中学", "大学", "局", "医院")


def _common_body_word(name: str) -> bool:
    """秧歌队, 跨国公司, 国家集训队, 快速反应救护队: a common noun jieba knows, no place or name before it."""
    if name in _zh_org_names() or _opens_with_place(name):
        return False
    tag = _dict_tag(name)
    if tag == "n" and name.endswith(_BODY_KIND_ENDS) and not name.startswith(tuple(_NATIONAL)):
        return True
    toks = _pos_tokens(name)
    last, flag, _s = toks[-1]
    return (len(toks) > 1 and len(last) >= 3 and last.endswith("队") and _dict_tag(last) == "n"
            and not any(_is_proper_token(w, f) for w, f, _st in toks[:-1]))


_REGION_TAIL = re.compile("[东南西北中]{2}部$")  # 中国中西部, 河北中南部: a region
_FORMATIONS = ("编队", "列队", "方队", "排队")


# modifiers that make a head generic: 国营银行, 跨国公司, 民办学校, 数家银行, 四大国有银行
_GENERIC_MODIFIERS = ("国营", "国有", "跨国", "民办", "民营", "私营", "外资", "合资", "独资", "全资", "上市", "非上市", "数家",
                      "多家", "几家", "各家", "三大", "四大", "五大", "各大", "县级", "市级", "省级", "国家级", "区域性",
                      "大型", "中小", "海内外", "国际性", "地方", "短途", "长途", "下级", "上级",
                      "同级", "高耗能", "临街", "新建", "国产")


def _generic_org(name: str) -> bool:
    """No name in it: a kind of body (烟草公司, 国营银行, 盲人学校), not one body.

    The head before the suffix is one frequent everyday word that jieba does
    not know joined to the suffix (世界银行 and 清华大学 it knows), or generic
    modifiers and at most one such word.
    """
    if name in _zh_org_names():
        return False
    if re.match(r"[一二三四五六七八九十两几数多各][所家个国大]", name):
        return True  # 八所大学, 三国政府, 数家银行
    suffix = _org_suffix(name)
    if suffix is None or _jieba().dt.FREQ.get(name, 0):
        return False
    head = name[: -len(suffix)]
    freq = _jieba().dt.FREQ
    if head.endswith(("型", "性")):
        return True  # 八所大学, 三国政府, 技术开发型研究所, 多科性大学
    if head.startswith(("国际", "外国", "海外")) and head[2:].startswith(_GENERIC_MODIFIERS):
        head = head[2:]  # 国际跨国公司, 外国跨国公司
    lead = next((w for w, _f, _s in _pos_tokens(head)), "")
    if _is_place_word(lead) and head[len(lead):].startswith(_GENERIC_MODIFIERS):
        head = head[len(lead):]  # 美国|大型石油公司, 欧洲|大型企业集团
    for mod in _GENERIC_MODIFIERS:
        rest = head[len(mod):]
        if head.startswith(mod) and rest.startswith(_GENERIC_MODIFIERS):
            return True  # 全资国有公司
        if head.startswith(mod) and (head == mod or _dict_tag(head[len(mod):]) in ("n", "vn", "l") and not _opens_with_place(head[len(mod):])):
            return True
    toks = _pos_tokens(head)
    if len(toks) != 1:
        return False
    word, flag, _s = toks[0]
    return (flag in ("n", "l", "vn", "v", "an", "a", "b", "d") and freq.get(word, 0) >= 100 and not _is_place_word(word)
            and word not in _NAME_OPENING_WORDS)


def _team_of_a_league(text: str, name: str, end: int) -> bool:
    """希尔顿全国男篮|甲A联赛, 豫沪男排|领先: a league or a match, not a team."""
    return name.endswith(_TEAM_SUFFIXES) and text[end : end + 4].startswith(_LEAGUE_WORDS)


def _is_place_token(word: str, flag: str) -> bool:
    return len(word) >= 2 and is_cjk(word) and (flag == "ns" or _is_place_word(word)) and word not in _GENERIC_PLACES


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
    if head[:1] in "市省县镇乡" and not _opens_with_place(name):
        return False  # 省高级人民法院, 市邮电局, 县环保局: a body of some province or city, unnamed
    if head[:1] == "区" and suffix not in _GOVERNMENT_SUFFIXES and not _distinctive(head[1:]):
        return False  # (区城市管理局: the zone's own bureau)
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


_PLACE_TAILS = ("特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "县", "区", "州", "镇", "乡", "村", "盟", "旗", "街道")
_NS_MAX_FREQ = 200


def _place_strength(word: str, flag: str) -> bool:
    """A token that names a place: gazetteer, jieba's ns with a place suffix, or a rare ns word."""
    if len(word) < 2 or not is_cjk(word) or word in _GENERIC_PLACES or word in _NOT_PLACES:
        return False
    if _is_place_word(word) or _is_named_venue(word) and flag in ("ns", "nt", "nz", "n"):
        return True
    if flag in ("ns", "nr", "nz") and 3 <= len(word) <= 8 and word.endswith(("村", "镇", "乡", "街道", "县")):
        return _jieba().dt.FREQ.get(word, 0) < _NS_MAX_FREQ  # 关庄村, 楚门镇: villages and towns jieba does not know
    if flag != "ns" or word.endswith(("军区", "联盟")):
        return False
    # jieba's ns words without a place suffix are mostly not places (两国, 中美, 擂台赛): the gazetteer
    # speaks for those; with a suffix, a rare word is a place (永胜县, 象角村), a frequent one a phrase (大城市)
    freq = _jieba().dt.FREQ.get(word, 0)
    if word.endswith(_GEO_TAILS) and len(word) >= 3 and freq < _NS_MAX_FREQ:
        return True  # 大渡河, 孟良崮, 长安街: rivers, mountains, streets
    return word.endswith(_PLACE_TAILS) and len(word) >= 3 and 0 < freq < _NS_MAX_FREQ


_GEO_TAILS = ("河", "江", "湖", "山", "岭", "峰", "崮", "湾", "岛", "峡", "流域", "路", "街", "大街", "高原", "盆地",
              "平原", "半岛", "群岛", "水库", "运河")


# jieba's ns words that are no place name in a newspaper's sense
_NOT_PLACES = frozenset(
    "两国 外国 大国 三国 东西 新春 新建 喜庆 上市 新鲜 美丽 普及 英雄 上岗 大都 广大干部 建国 长达 太阳 爱国 回国 "
    "海洋 山坡 波及 科教兴国 城镇 滑坡 上门 高原 海关 治安 共和国 大关 重大意义 香港回归 华夏 古城 大街 大中城市 "
    "北方地区 南方地区 各国 本国 全国各地 各地 异国 他乡 故乡 家乡 祖国 中华 东方 西方 南方 北方 东北地区 西北地区 "
    "沿海地区 华南地区 黄淮地区 欧洲地区 海湾地区 西南地区 华北地区 华东地区 中部地区 东部地区 西部地区 小城镇 大城市 "
    "大都市 文明城市 文明村 百强县 各县市 各乡镇 崇山峻岭 贫困县 贫困村 重点县".split()
)


def _two_places(word: str) -> tuple[str, str] | None:
    if word in _zh_gazetteer() or len(word) < 4:
        return None
    for k in range(2, len(word) - 1):
        head, rest = word[:k], word[k:]
        if _is_place_word(head) and _is_place_word(rest) and not _is_named_venue(rest):
            return head, rest
    return None


def _leading_place(word: str) -> str | None:
    """The gazetteer place a longer word opens with, when the rest is a word of its own: 中国|围棋."""
    gaz = _zh_gazetteer()
    freq = _jieba().dt.FREQ
    for n in range(min(4, len(word) - 2), 1, -1):
        head, rest = word[:n], word[n:]
        if head in gaz and freq.get(rest, 0) > 0 and is_cjk(word):
            return head
    return None


def extract_zh_places(text: str, org_spans: list[tuple[str, int, int]] | None = None) -> Counter[str]:
    """Place name → mentions, each in the form printed (河北省 and 河北 are two names).

    jieba's ns words and the gazetteer (tasks/data/zh_places.txt, which also
    overrides jieba where it reads a place as a name: 伊拉克, 张家口); a place
    and the word after it that makes it a region or a hall (那曲 + 地区,
    北京 + 人民大会堂); zones such as 郑州高新区.  Places inside organisations
    are places too (西藏 in 西藏自治区政府).
    """
    counts: Counter[str] = Counter()
    zone_spans: list[tuple[int, int]] = []
    for m in _zone_pattern().finditer(text):
        counts[m.group(0)] += 1
        zone_spans.append((m.start(), m.end()))
    tokens = _rule_tokens(text)
    n = len(tokens)
    i = 0
    while i < n:
        word, flag, start = tokens[i]
        if not _place_strength(word, flag):
            inner = _leading_place(word) if len(word) >= 4 and flag != "x" else None
            if inner:
                counts[inner] += 1  # 中国围棋, 香港回归: a word jieba cut with a place at its head
            i += 1
            continue
        pair = _two_places(word)
        if pair:  # 韩国汉城, 新疆吐鲁番: jieba joined two places the paper prints side by side
            for part in pair:
                counts[part] += 1
            i += 1
            continue
        name, j = word, i
        if i + 1 < n:
            nxt, nflag, _s = tokens[i + 1]
            if (nxt in ("地区", "自治区", "自治州", "特别行政区") and not word.endswith(nxt)) or (
                _is_named_venue(nxt) and nflag in ("ns", "nt", "n")
            ):
                name, j = word + nxt, i + 1  # 那曲地区, 北京人民大会堂
        end = start + len(name)
        if not any(b <= start and end <= e for b, e in zone_spans):
            counts[name] += 1
        i = j + 1
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
    "Archbishop Bishop Rev. Father Sister Rabbi Imam Councillor Councilmember Sheikh Lord Lady Sir Dame"
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
_EN_PARTICLE = r"(?:von|van|der|den|de|del|da|du|di|le|la|bin|bint|ibn|al|el)"
_EN_NAME = rf"{_CAP}(?:\s+[A-Z]\.)?(?:\s+(?:{_EN_PARTICLE}\s+){{0,2}}{_CAP}){{1,3}}"
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


# party and affiliation words printed before a name (Lib Dems David Laws, Tory MP ...): not part of it
_EN_AFFILIATIONS = frozenset(
    "Dems Dem Lib Tory Tories Labour Conservative Conservatives Republican Republicans Democrat Democrats GOP SNP "
    "Liberal Liberals Green Greens Ukip UKIP Unionist Unionists MP MPs MEP Sen Rep Gop Plaid Reform".split()
)
# last words that make a capitalised run a place, a building or an outlet, never a person
_EN_NOT_PERSON_LAST = frozenset(
    "Prison Jail Live Radio News Times Post Herald Journal Gazette Tribune Telegraph Guardian Express Mirror Mail "
    "Street Road Avenue Lane Square Park Bridge Station Airport Hall House Centre Center Stadium Arena Theatre "
    "Theater Museum Gallery Library Church Cathedral Abbey Castle Palace Hotel Tower Building Prize Award Cup "
    "League Championship Festival Show Online Channel TV Hill Valley River Lake Island Islands County City Town "
    "Village Estate Court Crown Office Prisons Trains Rail Railway Railways Airways Airlines Buses Energy Water "
    "Motors Foods Airport Road Station".split()
)


def _en_person_words(words: list[str]) -> list[str] | None:
    """A run of capitalised words as a person's name, or None (Woodhill Prison, BBC Five Live)."""
    while len(words) > 2 and words[0] in _EN_AFFILIATIONS:
        words = words[1:]  # Dems David Laws → David Laws
    if not words or words[-1] in _EN_NOT_PERSON_LAST or words[0] in _EN_AFFILIATIONS:
        return None
    if any(len(w) >= 2 and w.isupper() for w in words):
        return None  # an acronym (BBC, NHS): an outlet or a body
    return words


# words of a title that follow another title word (Secretary General, Chief Executive, Attorney General)
_EN_TITLE_TAILS = frozenset("General Executive Justice Minister Secretary President Officer".split())
_EN_LOWER_TITLES = (r"(?:director|chief|executive|president|minister|secretary|spokesman|spokeswoman|spokesperson|"
                    r"chairman|chairwoman|chair|leader|head|founder|professor|mayor|governor|manager|editor|ambassador)")


def extract_en_people(text: str) -> list[Person]:
    found: dict[str, Person] = {}
    places = set(_lines("en_places.txt"))
    for m in _en_title_re().finditer(text):
        title_words = _strip_stop_caps(m.group(1).split())
        name_words = m.group(2).split()
        while len(name_words) > 1 and (name_words[0] in _EN_TITLE_TAILS or name_words[0] in EN_TITLES):
            title_words.append(name_words.pop(0))  # NATO Secretary General Mark Rutte → Mark Rutte
        kept = _en_person_words(name_words)
        if kept is None:
            continue
        name = " ".join(kept)
        if len(kept) < 2 or any(w in EN_ORG_SUFFIXES for w in kept) or name in places:
            continue
        found.setdefault(name, Person(name, "mentioned", " ".join(title_words)))
    longer_name = rf"{_CAP}(?:\s+[A-Z]\.)?(?:\s+(?:{_EN_PARTICLE}\s+){{0,2}}{_CAP}){{1,4}}"
    for pattern in (rf"\b({_EN_NAME}),?\s+{_EN_SPEECH}\b", rf"\b{_EN_SPEECH}\s+({longer_name})\b",
                    rf"\b({_EN_NAME}),\s+(?:the\s+)?(?:[a-z]+\s+)?{_EN_LOWER_TITLES}\b",  # Abba Isa Tijani, director general
                    rf"\b(?:appointed|named|elected|hired|nominated)\s+({_EN_NAME})\s+as\b"):
        for m in re.finditer(pattern, text):
            if re.search(r"\b(?:of|for|and|the|at|from)\s+$", text[max(0, m.start(1) - 6) : m.start(1)]):
                continue  # the tail of a longer name: National Institute of ... Infectious Diseases said
            words = m.group(1).split()
            while len(words) > 2 and (words[0] in _EN_STOP_CAPS or words[0] in EN_TITLES or words[1] in EN_TITLES):
                words = words[1:]  # said Fed Chair Jerome Powell → Jerome Powell
            while words and (words[0] in _EN_STOP_CAPS or words[0] in EN_TITLES):
                words = words[1:]
            kept = _en_person_words(words)
            if kept is None:
                continue
            words = kept
            name = " ".join(words)
            if not 2 <= len(words) <= 3 or any(w in EN_ORG_SUFFIXES or w in _EN_STOP_CAPS for w in words):
                continue
            if name in places or any(set(words) & set(p.split()) for p in found):
                continue
            found.setdefault(name, Person(name, "mentioned", ""))
    return list(found.values())


def _en_defined_acronyms(text: str, orgs: Counter[str]) -> Counter[str]:
    """``Full Name (ACR)`` where Full Name is an organisation and ACR its initials: ACR and its mentions are orgs."""
    counts: Counter[str] = Counter()
    for m in re.finditer(r"\(([A-Z]{2,6})\)", text):
        acr = m.group(1)
        before = text[: m.start()].rstrip()
        for org in orgs:
            if before.endswith(org):
                initials = "".join(w[0] for w in org.split() if w[:1].isupper())
                if initials == acr or initials.replace("O", "") == acr:
                    counts[acr] += len(re.findall(rf"\b{acr}\b", text))
                break
    return counts


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
        if words and words[0].endswith(("'s", "’s")):
            words = words[1:]  # Nigeria's National Commission for Museums → National Commission for Museums
        if len(words) < 2 or words[0] in ("of", "for", "and", "&"):
            continue
        counts[" ".join(words).rstrip(".,")] += 1
    return counts + _en_defined_acronyms(text, counts)


_EN_FACILITY = re.compile(
    rf"\b((?:{_CAP}\s+){{1,3}}(?:International\s+)?(?:Airport|Prison|Palace|Road|Street|Avenue|Square|Bridge|Stadium))\b"
    rf"|\b(River\s+{_CAP})\b"
)


def extract_en_places(text: str) -> Counter[str]:
    names = sorted(_lines("en_places.txt"), key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")
    counts: Counter[str] = Counter()
    taken: list[tuple[int, int]] = []
    for m in _EN_FACILITY.finditer(text):  # Heathrow Airport, Woodhill Prison, Elysee Palace, River Ouse
        words = _strip_stop_caps((m.group(1) or m.group(2)).split(), _EN_FUNCTION_CAPS)
        if len(words) >= 2:
            counts[" ".join(words)] += 1
            taken.append(m.span())
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
    orgs: Counter[str] = Counter(name for name, _b, _e in spans)  # every distinct organisation, short forms too
    places = extract_zh_places(text, spans)
    for venue in _zh_venues(text):
        places[venue] += text.count(venue)
    tags = _scored("person", person_counts) + _scored("organization", orgs) + _scored("place", places)
    if language == "mixed":
        tags += _scored("organization", extract_en_orgs(text)) + _scored("place", extract_en_places(text))
    return people, tags
