"""The site's own words (navigation, labels, dates), written once in simplified Chinese.

Each variant gets them converted by its OpenCC config, so the chrome is always in the page's script.
"""

from __future__ import annotations

import datetime as dt
import functools

from ..model import Variant
from .conversion import Converter

WORDS = {
    "home": "首页",
    "latest": "最新一期",
    "archive": "往期回顾",
    "archive_intro": "按年月浏览全部报纸",
    "issue_count": "期",
    "pages": "版面导航",
    "page_list": "本期版面",
    "articles": "本版稿件",
    "prev_page": "上一版",
    "next_page": "下一版",
    "prev_issue": "上一期",
    "next_issue": "下一期",
    "prev_article": "上一篇",
    "next_article": "下一篇",
    "back_to_page": "返回本版",
    "jump_out": "下转",
    "jump_in": "上接",
    "continued": "续",
    "whole_story": "阅读全文",
    "story_continues_on": "本文转至",
    "photo": "摄",
    "photo_role": "摄影",
    "not_found": "找不到这个页面",
    "not_found_text": "网址可能有误，或者这个页面已经不在了。可以从这里接着看：",
    "not_found_day": "这一天的报纸",
    "moved": "本文已移至",
    "feed_subtitle": "数字报：最近几期的全部稿件",
    "editor": "责任编辑",
    "issue_number": "总第{}期",
    "no_articles": "本版暂无稿件",
    "scan": "版面图",
    "areas": "版面图上的稿件",
    "areas_hint": "点选版面图上的稿件即可阅读",
    "scan_original": "查看原图",
    "to_scan": "看本版版面图 ↓",
    "page_pdf": "下载本版 PDF",
    "on_the_page": "在版面图上的位置",
    "no_issues": "还没有出版的报纸",
    "draft": "草稿",
    "draft_note": "草稿：仅在预览中可见，不会发布",
    "script": "字形",
    "tools": "字形与工具",
    "text_size": "字号",
    "text_smaller": "缩小字号",
    "text_larger": "放大字号",
    "pages_nav": "翻版",
    "issues_nav": "翻期",
    "articles_nav": "翻篇",
    "skip": "跳到正文",
    "search": "搜索",
    "search_label": "搜索全部报纸",
    "search_placeholder": "输入词语，如：数据中心",
    "search_all_pages": "全部版面",
    "search_all_years": "全部年份",
    "search_all_months": "全部月份",
    "search_found": "找到 {} 篇",
    "search_none": "没有找到包含“{}”的稿件",
    "search_more": "更多结果",
    "search_partial": "已找到 {} 篇（已搜索至{}）",
    "search_earlier": "搜索更早的报纸",
    "search_loading": "正在搜索……",
    "search_unavailable": "搜索暂不可用：本站的搜索索引尚未生成。",
    "search_needs_js": "搜索需要浏览器开启 JavaScript。也可以在往期回顾中按日期浏览全部报纸：",
    "year": "{}年",
    # the reader's paper: the compact masthead's menu, high contrast, the scan's viewer, the
    # archive by year, the footer's furniture, search from a file
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
    # issue 18: reading offline, listening (朗读), the clip of the printed story (剪报)
    "offline": "离线阅读",
    "offline_save": "离线保存本期",
    "offline_size": "约 {}",
    "offline_saving": "正在保存：{} / {} 个文件……",
    "offline_saved": "本期已保存在本机（{}），没有网络也能阅读",
    "offline_failed": "没有保存完：{}请联网后再试。",
    "offline_no_room": "本机的存储空间不够（还需 {}）。",
    "offline_no_network": "网络断了。",
    "offline_remove": "删除",
    "offline_list": "本机保存的报纸",
    "offline_none": "本机还没有保存的报纸。联网时打开任何一期，点“离线保存本期”即可保存。",
    "offline_total": "共 {} 期，占用 {}",
    "offline_manage": "管理本机保存的报纸",
    "offline_title": "现在没有网络",
    "offline_text": "这一页没有保存在本机，联网后刷新即可打开。没有网络时可以阅读本机保存的报纸：",
    "offline_about": "保存的报纸只占用本机浏览器的存储，随时可以删除；不保存时，浏览器只留下最近看过的几十个页面。",
    "search_offline": "搜索要联网：现在没有网络。没有网络时可以阅读本机保存的报纸：",
    "listen": "朗读",
    "listen_pause": "暂停",
    "listen_resume": "继续",
    "listen_stop": "停止",
    "listen_reading": "正在朗读",
    "listen_paused": "已暂停",
    "listen_no_voice": "这台设备上没有{}的语音，不能朗读。可以在系统的“语音”或“文字转语音”设置里添加。",
    "listen_unsupported": "这个浏览器不能朗读。",
    "listen_failed": "朗读出错，已停止。",
    "voice_zh_cn": "普通话",
    "voice_zh_tw": "台湾国语",
    "voice_zh_hk": "粤语",
    "clip": "看原版",
    "clip_alt": "{}上这篇稿件的原版",
    "clip_place": "在版面上的位置",
    "clip_download": "下载剪报",
    # end of issue 18
    "icp_register": "工业和信息化部政务服务平台 ICP/IP 地址/域名信息备案管理系统",
    "police_register": "全国互联网安全管理服务平台",
}
WEEKDAYS = "一二三四五六日"


class Words(dict[str, str]):
    """Words by key, plus the few phrases built from numbers."""

    def page(self, shown_label: str) -> str:
        return f"第{shown_label}版"

    def date(self, day: dt.date) -> str:
        return f"{day.year}年{day.month}月{day.day}日 星期{self['weekdays'][day.weekday()]}"

    def month(self, year: int, month: int) -> str:
        return f"{year}年{month}月"


@functools.cache  # the same words for every page of a script
def words_for(variant: Variant) -> Words:
    words = Words(WORDS, weekdays=WEEKDAYS)
    if variant.opencc is None:
        return words
    converter = Converter(variant.opencc, {}, variant.quotes == "corner")
    return Words({key: converter.text(value) for key, value in words.items()})
