"""Make the import's fixture pages: a day's eight page PDFs as a layout system prints them, with their truth.

    .venv/bin/python bench/import_pages.py      (needs apt-get install fonts-noto-cjk and Chromium)

Each page is an HTML broadsheet (or tabloid) laid out in frames on a column grid, printed to PDF by
Debian's Chromium with Noto CJK fonts (subset by Chromium, so the files stay small). The browser
fits each story's text into its frames (a story of two frames is L-shaped), so the truth is what
was printed: tests/fixtures/pages/NN.pdf and NN.json (stories with title, kicker, subtitle,
authors, photographer, body paragraphs and blocks in pixels of the 2,200-pixel page image; the
page header; the furniture). Seeded: the same pages every run. The tests and `make bench-import`
read the committed files and need no fonts.
"""

from __future__ import annotations

import base64
import io
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent))
import import_texts as texts

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "pages"
CHROMIUM = "/usr/bin/chromium"
IMAGE_WIDTH = 2200  # the importer renders pages this wide; blocks are given in its pixels
DATE = "2021年12月10日 星期五"
# Body in a TrueType 明体 and captions in 楷体 (Chromium subsets TrueType fonts small); headlines in
# 黑体, or in Noto Serif CJK, which Chromium embeds as Type 3 glyphs (850 bytes each) with Kangxi
# radicals in its text layer (日 as ⽇): pages 01 and 03 carry that pitfall in their titles.
SERIF, KAI, SANS, NOTO = "'AR PL UMing CN'", "'AR PL UKai CN'", "'WenQuanYi Zen Hei'", "'Noto Serif CJK SC'"


@dataclass
class Photo:
    height: float  # mm
    caption: str
    photographer: str
    seed: int


@dataclass
class Story:
    key: str
    frames: list[tuple[int, int, float, float]]  # first column, columns spanned, top, bottom (mm)
    title: str = ""
    kicker: str = ""  # a "/" breaks it into two lines
    subtitle: str = ""
    paragraphs: list[str] = field(default_factory=list)  # "### ..." is a subhead
    byline: str = ""  # printed under the headline: 本报记者 王晓峰
    closing: str = ""  # （何宝国） at the end...
    closing_inline: bool = False  # ...in the last paragraph rather than on its own line
    authors: list[str] = field(default_factory=list)
    photo: Photo | None = None
    jump_out: str = ""  # （下转第3版）
    jump_in: str = ""  # （上接第1版）
    continues: str | None = None  # the head part, "01/key"
    size: float = 20  # the title's size in points
    align: str = "center"
    boxed: bool = False


@dataclass
class Furniture:
    kind: str  # masthead, header, footer, index, slogan, advert
    frame: tuple[int, int, float, float] | None  # in the grid, or None for the bands
    html: str
    text: str  # what it says, for the truth


@dataclass
class Page:
    label: str
    name: str
    editor: str
    columns: int
    stories: list[Story]
    furniture: list[Furniture] = field(default_factory=list)
    width: float = 350  # mm
    height: float = 500
    top: float = 34  # where the grid starts
    rules: bool = True  # rules between stories, else whitespace alone
    margin: float = 14
    gutter: float = 5
    gap: float = 6  # between frames stacked in a column


def filler(rng: random.Random, lead: str | None = "本报讯 ") -> list[str]:
    return texts.body(rng, 14, lead)


def news(rng: random.Random, key: str, frames: list[tuple[int, int, float, float]], headline: int, **extra: Any) -> Story:
    kicker, title, subtitle = texts.HEADLINES[headline]
    author = texts.NAMES[headline % len(texts.NAMES)]
    story = Story(key, frames, title=title, kicker=kicker, subtitle=subtitle, paragraphs=filler(rng), closing=f"（{author}）", authors=[author])
    for name, value in extra.items():
        setattr(story, name, value)
    return story


def page_one(rng: random.Random) -> Page:
    pad = filler(rng, None)
    stories = [
        Story("shuju-zhongxin", [(0, 2, 92, 202)], title="我省将打造“1+3+N”数据中心空间布局", paragraphs=texts.SHUJU + pad[:6],
              closing="（何宝国）", authors=["何宝国"], size=22),
        Story("weitao-anyong", [(2, 2, 92, 202)], title="韦韬与安永中国主席陈凯举行工作会谈", subtitle="张新伟出席", paragraphs=texts.WEITAO + pad[6:],
              authors=["赵继钊", "殷雪莺"], size=19),
        Story("tupian-xinwen", [(0, 2, 208, 300)], photo=Photo(62, texts.TIANGONG, "牛利敏", 1)),
        Story("kuaidi-jincun", [(2, 1, 208, 300)], title="快递网点实现“村村通”", paragraphs=texts.KUAIDI + pad, closing="（李涛、马卓）",
              authors=["李涛", "马卓"], size=16, align="left"),
        Story("xinghualing", [(3, 2, 196, 330), (4, 1, 336, 484)], title="为全方位高质量发展“赋能添翼”", subtitle="——杏花岭区深化省校合作成果初探",
              paragraphs=texts.XINGHUALING + pad, jump_out="（下转第3版）", size=20),
        Story("shuangchuang-jidi", [(0, 2, 306, 400)], title="我市有了两个国家双创示范基地", kicker="全面贯彻“五位一体”总体布局/和“四个全面”战略布局",
              paragraphs=texts.SHUANGCHUANG + pad[3:], closing="（何宝国）", closing_inline=True, authors=["何宝国"], size=22),
        Story("zhishi-chanquan", [(2, 1, 306, 420)], title="太原知识产权服务业集聚区建成运行", paragraphs=texts.ZHISHI + pad[5:], closing="（何宝国）",
              authors=["何宝国"], size=15),
        Story("xuanjiang", [(3, 1, 336, 484)], title="市委常委宣讲党的十九届六中全会精神", paragraphs=texts.XUANJIANG + pad, jump_out="（下转第3版）", size=15),
        Story("shewai-shequ", [(0, 2, 406, 484)], title="全省首家涉外示范社区挂牌成立", paragraphs=filler(rng), closing="（张晓丽）", authors=["张晓丽"], size=18),
        Story("lvyou-dian", [(2, 1, 426, 484)], title="13个市级工农业旅游点评出", paragraphs=filler(rng), closing="（贾尚志）", authors=["贾尚志"], size=14, align="left"),
    ]
    index = "".join(f"<li>{title}<span>（第{label}版）</span></li>" for label, title in [
        ("2", texts.HEADLINES[0][1]), ("3", texts.HEADLINES[8][1]), ("5", texts.HEADLINES[16][1]), ("7", texts.HEADLINES[24][1])])
    furniture = [
        Furniture("masthead", None, '<div class="masthead"><div class="paper">太原日报</div><div class="en">TAIYUAN DAILY</div>'
                  '<div class="dateline">2021年12月10日 星期五 辛丑年十一月初七 第23512期 今日8版</div>'
                  '<div class="pageno">第1版 要闻</div><div class="cn">国内统一连续出版物号 CN14-0008 邮发代号 21-1</div></div>', "太原日报"),
        Furniture("slogan", (0, 4, 70, 86), '<div class="slogan">深入学习贯彻党的十九届六中全会精神</div>', "深入学习贯彻党的十九届六中全会精神"),
        Furniture("index", (4, 1, 70, 190), f'<div class="index"><div class="ih">今日导读</div><ul>{index}</ul></div>', "今日导读"),
    ]
    return Page("01", "要闻", "张三", 5, stories, furniture, top=70)


def page_continued(rng: random.Random) -> Page:
    stories = [
        Story("xinghualing-xu", [(0, 2, 34, 160)], title="为全方位高质量发展“赋能添翼”", paragraphs=texts.XINGHUALING_XU + filler(rng, None),
              jump_in="（上接第1版）", continues="01/xinghualing", size=18),
        Story("xuanjiang-xu", [(2, 2, 34, 130)], title="市委常委宣讲党的十九届六中全会精神", paragraphs=texts.XUANJIANG_XU + filler(rng, None),
              jump_in="（上接第1版）", continues="01/xuanjiang", size=16),
        news(rng, "wu-g", [(2, 2, 136, 260), (3, 1, 266, 380)], 8, size=20),
        news(rng, "hangzhou", [(0, 2, 166, 300)], 9, size=20),
        news(rng, "yiliao", [(2, 1, 266, 380)], 19, size=15),
        news(rng, "jiaotong", [(0, 2, 306, 484)], 31, size=18),
        news(rng, "tushuguan", [(2, 2, 386, 484)], 30, size=18),
    ]
    return Page("03", "综合新闻", "李四", 4, stories)


def build_pages() -> list[Page]:
    rng = random.Random(20211210)
    pages = [page_one(rng)]
    pages.append(Page("02", "经济", "王五", 4, [
        news(rng, "gongnuan", [(0, 3, 34, 170)], 0, size=26),
        news(rng, "ditie", [(3, 1, 34, 170)], 1, size=16),
        news(rng, "xiangcun", [(0, 2, 176, 300)], 2, size=20),
        news(rng, "yingshang", [(2, 2, 176, 300)], 6, size=20, byline="本报记者 刘静", closing="", authors=["刘静"]),
        news(rng, "zhaopin", [(0, 1, 306, 484)], 16, size=15),
        news(rng, "haiguan", [(1, 2, 306, 484)], 28, size=20),
        news(rng, "nongchanpin", [(3, 1, 306, 484)], 14, size=15),
    ]))
    pages.append(page_continued(rng))
    pages.append(Page("04", "城事", "赵六", 4, [
        news(rng, "yanglao", [(0, 2, 30, 120)], 11, size=18),
        news(rng, "jinyanghu", [(2, 2, 30, 120)], 5, size=18),
        news(rng, "shuangjian", [(0, 3, 126, 240)], 4, size=20),
        news(rng, "xiaofang", [(3, 1, 126, 240)], 15, size=14),
        news(rng, "shitang", [(0, 2, 246, 336)], 29, size=18),
        news(rng, "zixingche", [(2, 2, 246, 336)], 26, size=18),
    ], width=250, height=350, top=30, rules=False, margin=12))
    photo = Photo(58, "12月8日，市民在晋阳湖公园冰场体验冰雪运动。", "郭宇", 2)
    pages.append(Page("05", "文化", "孙七", 5, [
        news(rng, "bowuguan", [(0, 3, 34, 200), (0, 1, 206, 330)], 21, size=24, photo=photo),
        news(rng, "yishujie", [(3, 2, 34, 200)], 10, size=20),
        news(rng, "gucheng", [(1, 2, 206, 330)], 27, size=18),
        news(rng, "keji", [(3, 2, 206, 330)], 12, size=18),
        news(rng, "jianshen", [(0, 3, 336, 484)], 25, size=22),
        news(rng, "putao", [(3, 2, 336, 484)], 23, size=18),
    ]))
    advert = Furniture("advert", (2, 2, 300, 484), '<div class="advert"><div class="tag">广告</div><div class="big">龙城年货节</div>'
                       '<div class="big2">12月18日至25日 · 太原国际会展中心</div><p>百家名优企业集中展销，山西特产、老字号美食一站购齐。</p>'
                       '<p>咨询电话：0351-1234567 地址：太原市长风街</p></div>', "龙城年货节")
    pages.append(Page("06", "民生", "周八", 4, [
        news(rng, "yibao", [(0, 2, 34, 180)], 40, size=22, kicker="便民服务"),
        news(rng, "qingjie", [(2, 2, 34, 180)], 13, size=20),
        news(rng, "shipin", [(0, 2, 186, 330)], 22, size=20, byline="本报记者 周婷 通讯员 吴凯", closing="", authors=["周婷", "吴凯"]),
        news(rng, "longcheng", [(2, 2, 186, 294)], 18, size=18),
        news(rng, "nongtian", [(0, 2, 336, 484)], 24, size=20),
    ], [advert]))
    pages.append(Page("07", "区县", "吴九", 5, [
        news(rng, "jiancaoping", [(0, 2, 34, 150)], 20, size=20),
        news(rng, "guangfu", [(2, 1, 34, 150)], 17, size=14),
        news(rng, "xiaodian", [(3, 2, 34, 150)], 34, size=18, align="left"),
        news(rng, "wanbailin", [(0, 1, 156, 300)], 33, size=14),
        news(rng, "fenhe", [(1, 3, 156, 300)], 35, size=22, paragraphs=[*texts.body(rng, 3), "### 生态廊道串起沿岸村庄", *texts.body(rng, 4, None), "### 候鸟回来了", *texts.body(rng, 6, None)]),
        news(rng, "qingxu", [(4, 1, 156, 300)], 36, size=14),
        news(rng, "yangqu", [(0, 2, 306, 484)], 37, size=18),
        news(rng, "jinyuan", [(2, 2, 306, 484)], 38, size=18),
        news(rng, "gujiao", [(4, 1, 306, 484)], 39, size=14, kicker="绿色能源"),
    ]))
    slogan = Furniture("slogan", (0, 4, 462, 484), '<div class="slogan">创建全国文明城市 共建美好幸福家园</div>', "创建全国文明城市 共建美好幸福家园")
    pages.append(Page("08", "视点", "郑十", 4, [
        news(rng, "dushuhui", [(0, 4, 34, 190)], 32, size=28, kicker="冬日文化生活", paragraphs=[
             *texts.body(rng, 3), "### 晋商文化走进社区", *texts.body(rng, 4, None), "### 孩子们的博物馆课", *texts.body(rng, 8, None)]),
        news(rng, "ditie-xu", [(0, 2, 196, 330)], 1, size=20, title="地铁站点周边慢行系统完善"),
        news(rng, "xiaofei", [(2, 2, 196, 330)], 6, size=20, boxed=True, title="线上线下消费持续回暖"),
        news(rng, "gongjiao", [(0, 1, 336, 456)], 7, size=14),
        news(rng, "jiankang", [(1, 3, 336, 456)], 9, size=20, title="健康知识进万家活动启动"),
    ], [slogan]))
    return pages


# --- HTML --------------------------------------------------------------------------------------

CSS = f"""
@page {{ size: %(w)smm %(h)smm; margin: 0 }}
* {{ box-sizing: border-box }}
body {{ margin: 0; font-family: {SERIF}; color: #111 }}
.sheet {{ position: relative; width: %(w)smm; height: %(h)smm; overflow: hidden; background: #fff }}
.abs {{ position: absolute }}
.rule {{ position: absolute; background: #222 }}
.head .kicker {{ font: 12pt/1.35 {SANS}; margin-bottom: 1.2mm }}
.head .title {{ font-family: %(title)s; font-weight: %(weight)s; line-height: 1.25 }}
.head .subtitle {{ font: 12pt/1.35 {SANS}; margin-top: 1.2mm }}
.head .byline {{ font: 9.5pt/1.5 {SANS}; margin-top: 1.5mm }}
.head {{ padding-bottom: 3mm }}
.body {{ column-fill: auto; overflow: hidden; font-size: 9.5pt; line-height: 1.6; text-align: justify }}
.body p {{ margin: 0; text-indent: 2em }}
.body p.cont {{ text-indent: 0 }}
.body p.closing {{ text-align: right }}
.body h4 {{ font: 11pt/1.5 {SANS}; margin: 1.5mm 0; text-align: center; break-after: avoid }}
figure {{ margin: 0 0 3mm 0 }}
figure img {{ display: block; width: 100%% }}
figcaption {{ font: 8.5pt/1.5 {KAI}; margin-top: 1.2mm; text-align: justify }}
.boxed {{ border: 0.8pt solid #222; padding: 2.5mm }}
.masthead {{ position: absolute; left: %(m)smm; right: %(m)smm; top: 10mm; height: 52mm; text-align: center }}
.masthead .paper {{ font: 700 54pt/1.1 {NOTO}; color: #b01e1e; letter-spacing: 6mm }}
.masthead .en {{ font: 10pt {SANS}; letter-spacing: 2mm }}
.masthead .dateline, .masthead .cn {{ font: 9pt/1.6 {SANS} }}
.masthead .pageno {{ position: absolute; left: 0; top: 0; font: 11pt {SANS} }}
.header {{ position: absolute; left: %(m)smm; right: %(m)smm; top: 10mm; height: 12mm; font: 10pt/12mm {SANS}; display: flex; justify-content: space-between }}
.header b {{ font-size: 14pt }}
.footer {{ position: absolute; left: %(m)smm; right: %(m)smm; bottom: 4mm; font: 7.5pt/1.4 {SANS}; text-align: center }}
.slogan {{ height: 100%%; border: 1pt solid #b01e1e; color: #b01e1e; font: 18pt/1 {SANS}; display: flex; align-items: center; justify-content: center; letter-spacing: 1mm }}
.index {{ height: 100%%; border: 1pt solid #222; padding: 3mm; font: 10pt/1.7 {SANS} }}
.index .ih {{ font: 14pt {SANS}; text-align: center; margin-bottom: 2mm }}
.index ul {{ margin: 0; padding: 0; list-style: none }}
.advert {{ height: 100%%; border: 1.5pt solid #222; padding: 6mm; text-align: center; font-family: {SANS}; position: relative }}
.advert .tag {{ position: absolute; right: 2mm; top: 1mm; font-size: 7pt }}
.advert .big {{ font: 40pt/1.6 {SANS}; color: #b01e1e; margin-top: 20mm }}
.advert .big2 {{ font: 15pt/1.6 {SANS} }}
.advert p {{ font-size: 10pt; margin: 4mm 0 }}
"""

FOOTER = "本报地址：太原市迎泽大街 邮编：030001 总编室：0351-4222000 广告许可证：晋工商广字001号 零售价：1.50元 印刷：太原日报社印刷厂"


def grid_box(page: Page, frame: tuple[int, int, float, float]) -> tuple[float, float, float, float]:
    """A frame's left, top, right, bottom in mm."""
    column = (page.width - 2 * page.margin - (page.columns - 1) * page.gutter) / page.columns
    first, span, top, bottom = frame
    left = page.margin + first * (column + page.gutter)
    return left, top, left + span * column + (span - 1) * page.gutter, bottom


def photo_data(seed: int, aspect: float) -> str:
    """A photograph's stand-in: sky, hills and figures, as a small JPEG of the given height/width."""
    rng = random.Random(seed)
    image = Image.new("RGB", (720, round(720 * aspect)), (120, 160, 210))
    draw = ImageDraw.Draw(image)
    for y in range(480):
        draw.line([(0, y), (720, y)], fill=(110 + y // 8, 150 + y // 12, 205 - y // 6))
    for _ in range(6):
        x, y, r = rng.randint(0, 720), rng.randint(250, 480), rng.randint(60, 200)
        draw.ellipse([x - r, y - r // 2, x + r, y + r], fill=(rng.randint(40, 90), rng.randint(90, 140), rng.randint(40, 80)))
    for _ in range(9):
        x, y = rng.randint(40, 680), rng.randint(300, 420)
        draw.rectangle([x, y, x + 22, y + 60], fill=(rng.randint(20, 200), 40, 60))
        draw.ellipse([x + 2, y - 22, x + 20, y - 2], fill=(230, 190, 160))
    data = io.BytesIO()
    image.filter(ImageFilter.GaussianBlur(1.2)).save(data, "JPEG", quality=55)
    return "data:image/jpeg;base64," + base64.b64encode(data.getvalue()).decode()


def story_html(page: Page, story: Story) -> str:
    parts = []
    for index, frame in enumerate(story.frames):
        left, top, right, bottom = grid_box(page, frame)
        inner = ""
        if index == 0:
            head = ""
            if story.kicker:
                head += f'<div class="kicker">{story.kicker.replace("/", "<br>")}</div>'
            if story.title:
                head += f'<div class="title" style="font-size:{story.size}pt">{story.title}</div>'
            if story.subtitle:
                head += f'<div class="subtitle">{story.subtitle}</div>'
            if story.byline:
                head += f'<div class="byline">{story.byline}</div>'
            inner += f'<div class="head" style="text-align:{story.align}">{head}</div>' if head else ""
            if story.photo:
                caption = f"{story.photo.caption} {story.photo.photographer} 摄"
                picture = photo_data(story.photo.seed, story.photo.height / (right - left - (5 if story.boxed else 0)))
                inner += f'<figure><img src="{picture}"><figcaption>{caption}</figcaption></figure>'
        columns, gutter = frame[1], page.gutter - (2 * 2.5 if story.boxed else 0) / max(1, frame[1] - 1)
        inner += f'<div class="body" id="{story.key}-b{index}" style="column-count:{columns};column-gap:{page.gutter}mm;flex:1;min-height:0"></div>'
        del gutter
        box = "boxed " if story.boxed else ""
        parts.append(f'<div class="abs {box}frame" style="left:{left}mm;top:{top}mm;width:{right - left}mm;height:{bottom - top}mm;display:flex;flex-direction:column">{inner}</div>')
    return "".join(parts)


def rules_html(page: Page) -> str:
    """Thin rules between stories: every frame edge inside the grid, except where the story
    goes on in its own next frame (an L-shaped story has no rule across itself)."""
    if not page.rules:
        return ""
    bottom_limit = page.height - 16
    drawn = []
    boxes: list[tuple[Story | None, tuple[float, float, float, float]]] = [(s, grid_box(page, f)) for s in page.stories for f in s.frames]
    boxes += [(None, grid_box(page, f.frame)) for f in page.furniture if f.frame]
    for owner, (left, top, right, bottom) in boxes:
        if bottom < bottom_limit - 1:
            own = [grid_box(page, f) for f in (owner.frames if owner else [])]
            spans = [(left, right)]
            for ol, ot, orr, _ in own:
                if abs(ot - (bottom + page.gap)) < 0.5:
                    spans = [piece for a, b in spans for piece in ((a, min(b, ol - 0.1)), (max(a, orr + 0.1), b)) if piece[1] - piece[0] > 2]
            for a, b in spans:
                drawn.append(f'<div class="rule" style="left:{a}mm;top:{bottom + page.gap / 2}mm;width:{b - a}mm;height:0.2mm"></div>')
        if right < page.width - page.margin - 1:
            drawn.append(f'<div class="rule" style="left:{right + page.gutter / 2}mm;top:{top}mm;width:0.2mm;height:{bottom - top}mm"></div>')
    return "".join(drawn)


def page_html(page: Page) -> str:
    noto = page.label in ("01", "03")
    css = CSS % {"w": page.width, "h": page.height, "m": page.margin, "title": NOTO if noto else SANS, "weight": 700 if noto else 400}
    bands = ""
    if page.label != "01":
        bands += (f'<div class="header"><span><b>第{int(page.label)}版</b>　{page.name}</span><span>太原日报</span>'
                  f'<span>{DATE}　责任编辑 {page.editor}</span></div>')
    bands += f'<div class="rule" style="left:{page.margin}mm;right:{page.margin}mm;top:{page.top - 6}mm;height:0.6mm"></div>'
    bands += f'<div class="rule" style="left:{page.margin}mm;right:{page.margin}mm;top:{page.height - 12}mm;height:0.3mm"></div>'
    bands += f'<div class="footer">{FOOTER}</div>'
    furniture = ""
    for item in page.furniture:
        if item.frame is None:
            furniture += item.html
        else:
            left, top, right, bottom = grid_box(page, item.frame)
            furniture += f'<div class="abs" style="left:{left}mm;top:{top}mm;width:{right - left}mm;height:{bottom - top}mm">{item.html}</div>'
    stories = "".join(story_html(page, s) for s in page.stories)
    return f"<!doctype html><html lang=zh-Hans><head><meta charset=utf-8><style>{css}</style></head><body><div class=sheet>{bands}{furniture}{stories}{rules_html(page)}</div></body></html>"


# The browser fits each story's text into its frames: as many characters as fit, the last frame
# cut back to a sentence's end, the closing byline and jump marker after it. What it printed is
# returned as the truth.
FIT = """
(stories) => {
  const fits = (body) => {
    const last = body.lastElementChild;
    if (!last) return true;
    const rects = last.getClientRects(), box = body.getBoundingClientRect();
    const r = rects[rects.length - 1];
    return r.right <= box.right + 0.5 && r.bottom <= box.bottom + 0.5 && body.scrollHeight <= body.clientHeight + 0.5;
  };
  const length = (items) => items.reduce((n, it) => n + it.text.length, 0);
  const take = (items, k, snap) => {
    const taken = [];
    for (const it of items) {
      if (k <= 0) break;
      if (it.text.length <= k) { taken.push({...it}); k -= it.text.length; continue; }
      if (it.kind === 'h') break;
      let text = it.text.slice(0, k);
      if (snap) {
        const stop = Math.max(text.lastIndexOf('。'), text.lastIndexOf('，'), text.lastIndexOf('；'));
        if (stop < 8) break;
        text = text.slice(0, stop) + '。';
      }
      taken.push({...it, text, cut: true});
      break;
    }
    return taken;
  };
  const render = (body, items) => {
    body.innerHTML = '';
    for (const it of items) {
      const el = document.createElement(it.kind === 'h' ? 'h4' : 'p');
      el.textContent = it.text;
      if (it.cont) el.className = 'cont';
      if (it.kind === 'closing') el.className = 'closing';
      body.appendChild(el);
    }
  };
  const out = {};
  for (const s of stories) {
    let rest = s.items.map((it) => ({...it}));
    const printed = [];
    for (let f = 0; f < s.frames; f++) {
      const body = document.getElementById(`${s.key}-b${f}`);
      const last = f === s.frames - 1;
      const trail = last ? s.trail : [];
      let lo = 0, hi = length(rest);
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        render(body, [...take(rest, mid, false), ...trail]);
        if (fits(body)) lo = mid; else hi = mid - 1;
      }
      let taken = take(rest, lo, last);
      if (last && taken.length && trail.length && s.closingInline && trail[0].kind === 'closing') {
        taken[taken.length - 1].text += trail[0].text;
      }
      const shown = last && s.closingInline ? [...taken, ...trail.slice(1)] : [...taken, ...trail];
      render(body, shown);
      printed.push(...shown);
      const used = taken.reduce((n, it) => n + (it.cut ? 0 : 1), 0);
      const cut = taken.length && taken[taken.length - 1].cut ? taken[taken.length - 1] : null;
      rest = rest.slice(used);
      if (cut && !last) rest[0] = {...rest[0], text: rest[0].text.slice(cut.text.length), cont: true};
    }
    out[s.key] = printed;
  }
  return out;
}
"""


def fit_items(story: Story) -> dict[str, Any]:
    items = [{"kind": "p", "text": story.jump_in}] if story.jump_in else []
    items += [{"kind": "h", "text": p[4:]} if p.startswith("### ") else {"kind": "p", "text": p} for p in story.paragraphs]
    trail = [{"kind": "closing", "text": story.closing}] if story.closing else []
    trail += [{"kind": "closing", "text": story.jump_out}] if story.jump_out else []
    return {"key": story.key, "frames": len(story.frames), "items": items, "trail": trail, "closingInline": story.closing_inline}


def truth(page: Page, printed: dict[str, list[dict[str, Any]]], size: tuple[float, float]) -> dict[str, Any]:
    """What was printed, in the words of the content contract, blocks in image pixels."""
    scale = IMAGE_WIDTH / page.width
    stories = []
    for story in page.stories:
        paragraphs: list[str] = []
        for item in printed.get(story.key, []):
            if item.get("cont") and paragraphs:
                paragraphs[-1] += item["text"]
            elif item["kind"] == "h":
                paragraphs.append("### " + item["text"])
            else:
                paragraphs.append(item["text"])
        if story.closing and paragraphs:  # the closing byline becomes `author`, not body text
            if story.closing_inline:
                paragraphs[-2 if story.jump_out else -1] = paragraphs[-2 if story.jump_out else -1].removesuffix(story.closing)
            else:
                paragraphs.remove(story.closing)
        if story.photo:
            paragraphs.insert(0, f"![{story.photo.caption}]")
        blocks = []
        for frame in story.frames:
            left, top, right, bottom = grid_box(page, frame)
            blocks.append([round(v * scale) for v in (left, top, right, bottom)])
        stories.append({
            "key": story.key, "title": story.title or None, "kicker": story.kicker.replace("/", "") or None,
            "subtitle": story.subtitle.removeprefix("——") or None, "authors": story.authors,
            "photographer": story.photo.photographer if story.photo else None, "paragraphs": paragraphs, "blocks": blocks,
            "continues": story.continues, "jumps_to": story.jump_out[4:-2] if story.jump_out else None,
        })
    return {
        "label": page.label, "name": page.name, "editor": page.editor, "page_mm": [page.width, page.height],
        "image": [IMAGE_WIDTH, round(size[1] * IMAGE_WIDTH / size[0])],
        "header": f"第{int(page.label)}版 {page.name}", "stories": stories,
        "furniture": [{"kind": f.kind, "text": f.text} for f in page.furniture] + [{"kind": "footer", "text": FOOTER}],
    }


def garbled(tab: Any) -> None:
    """A page whose font maps its glyphs to the wrong code points, as old 方正 fonts without a
    Unicode map do: valid characters, nearly all outside common Chinese (here CJK Extension A)."""
    rng = random.Random(14)
    rare = [chr(c) for c in range(0x3400, 0x3440)]
    lines = "".join(f"<p>{''.join(rng.choice(rare) for _ in range(40))}</p>" for _ in range(30))
    tab.set_content(f"<style>@page {{ size: 250mm 350mm; margin: 20mm }} p {{ font: 10pt {NOTO}; margin: 0 }}</style><h1>第2版 经济</h1>{lines}")
    tab.pdf(path=str(OUT / "garbled.pdf"), prefer_css_page_size=True)
    print(f"{(OUT / 'garbled.pdf').relative_to(ROOT)}: garbled text layer")


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page()
        for page in build_pages():
            tab.set_content(page_html(page))
            tab.evaluate("document.fonts.ready")
            printed = tab.evaluate(FIT, [fit_items(s) for s in page.stories])
            target = OUT / f"{page.label}.pdf"
            tab.pdf(path=str(target), prefer_css_page_size=True, print_background=True)
            record = truth(page, printed, (page.width, page.height))
            (OUT / f"{page.label}.json").write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            print(f"{target.relative_to(ROOT)}: {len(page.stories)} stories, {target.stat().st_size // 1024} KB")
        garbled(tab)
        browser.close()



if __name__ == "__main__":
    main()
