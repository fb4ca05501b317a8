"""Small hand-made editions (Chinese and English) for warehouse tests and the
reader-during-load measurement; no PDF stage involved."""

from __future__ import annotations

import datetime as dt
import hashlib

from tasks.model import Article, Edition, PageLayout, Person, Quarantined, Tag

_ZH_STORIES = [
    ("市气象台发布暴雨橙色预警", "防汛指挥部启动四级应急响应",
     ["本报讯 4月5日，市气象台发布暴雨橙色预警，预计未来24小时内全市大部地区有大到暴雨。",
      "市防汛指挥部随即启动防汛四级应急响应，要求各区做好山洪、城市内涝防范工作。"],
     [("孙庆辉", "reporter"), ("冯志斌", "correspondent")], ["气象", "防汛"], ["暴雨", "预警", "防汛"]),
    ("高新区举行招商引资签约仪式", "",
     ["本报讯 4月5日上午，高新区举行2022年第二季度重大项目集中签约仪式，共签约项目18个。",
      "管委会主任王建国表示，将持续优化营商环境，为企业发展提供全方位服务。"],
     [("李明", "reporter")], ["经济"], ["招商引资", "签约", "营商环境"]),
    ("全市中小学开展春季安全教育", "",
     ["本报讯 日前，全市中小学集中开展春季安全教育活动，内容涵盖防溺水、交通安全和消防安全。"],
     [("张华", "reporter")], ["教育"], ["安全教育", "防溺水"]),
    ("城区新增三条公交线路", "方便市民绿色出行",
     ["本报讯 4月6日起，城区新增3条公交线路，覆盖高铁站、产业园区和大型居住区。",
      "市交通运输局相关负责人介绍，新线路均采用新能源公交车。"],
     [("王磊", "reporter"), ("陈静", "photographer")], ["交通"], ["公交", "新能源"]),
]

_EN_STORIES = [
    ("Flood warnings issued as river rises", "Residents near the valley told to prepare",
     ["BEIJING, April 5 — Authorities issued flood warnings on Tuesday as the river rose after three days of heavy rain.",
      "Emergency crews were sent to low-lying districts, officials said."],
     [("Zhang Wei", "reporter")], ["weather", "disaster"], ["flood", "warning", "river"]),
    ("New metro line opens to passengers", "",
     ["SHANGHAI, April 5 — A new metro line opened on Tuesday, linking the airport with the business district.",
      "The line is expected to carry 300,000 passengers a day."],
     [("Li Na", "reporter"), ("Tom Brown", "photographer")], ["transport"], ["metro", "airport"]),
    ("Tech park signs investment deals", "",
     ["SHENZHEN, April 5 — The high-tech park signed 18 investment agreements worth 12 billion yuan."],
     [("Chen Jing", "correspondent")], ["economy"], ["investment", "technology"]),
]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def demo_edition(
    publication: str = "gxsb",
    edition_date: dt.date = dt.date(2022, 4, 6),
    variant: int = 0,
    pages: int = 2,
    articles_per_page: int = 2,
    quarantine_one: bool = False,
) -> Edition:
    """A realistic little edition; ``variant`` > 0 is a corrected re-issue
    (different file hashes, edited headlines)."""
    english = publication.endswith("en") or publication in {"sdt", "cd"}
    stories = _EN_STORIES if english else _ZH_STORIES
    language, script = ("en", "latin") if english else ("zh", "simplified")
    files = [
        (f"/inbox/{publication}/{edition_date.isoformat()}/page_{i + 1:02d}.pdf",
         _sha(f"{publication}|{edition_date}|{i}|v{variant}"))
        for i in range(pages)
    ]
    layouts = [
        PageLayout(source_file=path, page_index=0, width=842.0, height=1191.0, blocks=[],
                   page_number=i + 1, header_text=f"{publication} {edition_date} 第{i + 1}版", sha256=sha)
        for i, (path, sha) in enumerate(files)
    ]
    arts: list[Article] = []
    n = 0
    for page in range(1, pages + 1):
        for seq in range(articles_per_page):
            headline, sub, paras, people, topics, keywords = stories[n % len(stories)]
            if variant:
                headline = f"{headline}（更正{variant}）" if not english else f"{headline} (corrected {variant})"
            if n >= len(stories):
                headline = f"{headline} {n}"
            arts.append(
                Article(
                    publication=publication,
                    edition_date=edition_date,
                    paragraphs=list(paras),
                    headline=headline,
                    subheadline=sub,
                    byline=" ".join(name for name, _ in people),
                    dateline=paras[0].split("，")[0].split(" — ")[0][:20],
                    dateline_date=edition_date - dt.timedelta(days=1),
                    page_numbers=[page] + ([page + 1] if page < pages and seq == 0 and n == 0 else []),
                    source_files=[files[page - 1][0]],
                    boxes=[(page, (36.0 + 200 * seq, 100.0, 230.0 + 200 * seq, 600.0))],
                    raw_text="\n".join(paras),
                    language=language,
                    script=script,
                    kind="article",
                    sequence=seq,
                    people=[Person(name=name, role=role) for name, role in people],
                    tags=[Tag("topic", t, 0.9) for t in topics] + [Tag("keyword", k, 0.5) for k in keywords],
                )
            )
            n += 1
    quarantined = []
    if quarantine_one:
        bad = (f"/inbox/{publication}/{edition_date.isoformat()}/scan.pdf", _sha(f"scan{variant}"))
        files.append(bad)
        quarantined.append(Quarantined(path=bad[0], sha256=bad[1], status="needs_ocr", reason="no text layer"))
    return Edition(publication=publication, edition_date=edition_date, pages=layouts, articles=arts,
                   quarantined=quarantined, files=files, date_source="path")
