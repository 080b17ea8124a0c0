"""The reader's paper's own words beyond the site's (scripts/site_words.py): the compact masthead's
menu, high contrast, the scan's viewer, the archive by year, the footer's furniture, search from
a file. Written once in simplified Chinese and converted for each script as the site's words are.
"""

from __future__ import annotations

import dataclasses
import functools
import re

from ..model import Site, Variant
from ..scripts.conversion import Converter
from ..scripts.site_words import Words, words_for

READER_WORDS = {
    "menu": "搜索与设置",
    "menu_short": "菜单",
    "contrast": "高对比度",
    "archive_years": "按年份浏览",
    "archive_months": "跳到月份",
    "month_only": "{}月",
    "latest_issue": "最新一期",
    "to_scan_short": "看版面图",
    "zoom_open": "放大查看版面图",
    "zoom_viewer": "版面图（可缩放）",
    "zoom_in": "放大",
    "zoom_out": "缩小",
    "zoom_reset": "复原",
    "zoom_close": "关闭",
    "zoom_hint": "双指或滚轮缩放，拖动移动，点选稿件阅读；键盘：加号、减号缩放，方向键移动，Esc 关闭",
    "print_address": "本文网址：",
    "search_from_file": (
        "这个页面是从本地文件打开的，浏览器不允许从文件里搜索：搜索要通过网站服务器打开。"
        "在电脑上预览时，可以在网站文件夹里运行 python3 -m http.server 8000，再用浏览器打开 http://127.0.0.1:8000/search/ 。"
        "也可以在往期回顾中按日期浏览全部报纸："
    ),
    "icp_register": "工业和信息化部政务服务平台 ICP/IP 地址/域名信息备案管理系统",
    "police_register": "全国互联网安全管理服务平台",
}
ICP_REGISTER = "https://beian.miit.gov.cn/"  # where the rules ask the ICP number to link
POLICE_REGISTER = "https://beian.mps.gov.cn/#/query/webSearch?code={}"  # the record's own page, by its number


def _converter(variant: Variant) -> Converter | None:
    return None if variant.opencc is None else Converter(variant.opencc, {}, variant.quotes == "corner")


@functools.cache  # the same words for every page of a script
def words(variant: Variant) -> Words:
    """The site's words and the reader's paper's, in the variant's script."""
    converter = _converter(variant)
    extra = READER_WORDS if converter is None else {key: converter.text(value) for key, value in READER_WORDS.items()}
    return Words({**words_for(variant), **extra})


def localize_furniture(site: Site, variant: Variant) -> Site:
    """The copyright line in the variant's script; the registration numbers stay as registered."""
    converter = _converter(variant)
    if converter is None or site.copyright is None:
        return site
    return dataclasses.replace(site, copyright=converter.text(site.copyright))


def police_link(number: str) -> str | None:
    """The register's page of a 公安备案号 (晋公网安备 14010502000123号 -> its digits), if it has any."""
    digits = re.sub(r"\D", "", number)
    return POLICE_REGISTER.format(digits) if digits else None
