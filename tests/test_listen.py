"""朗读 (issue 18): an article read aloud by the browser's own speech, in Chromium on the built
sample under a sub-path. Chromium here has no voices, so each test gives the page a recorded
`speechSynthesis` and `SpeechSynthesisUtterance` (the browser's API, not ours): it lists the voices the test chooses, records
every utterance (its text, language and voice) and every cancel, and ends an utterance when the
test says so, as a voice finishing a sentence would."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from conftest import serve_under

if TYPE_CHECKING:  # Playwright is imported where Chromium is started: in conftest's fixture
    from playwright.sync_api import Browser, Page

DAY = "2021-12-10"
STORY = f"{DAY}/01/xinghualing.html"  # a story that jumps to page 3: its continuation is read too
VOICES = [
    {"name": "English", "lang": "en-US"},
    {"name": "普通话", "lang": "zh-CN"},
    {"name": "國語", "lang": "zh-TW"},
    {"name": "粵語", "lang": "zh-HK"},
]

# The recorded speechSynthesis, installed before the page's own scripts run.
RECORDED = """(voices) => {
  const log = { spoken: [], cancels: 0, current: null };
  window.__speech = log;
  const synth = new EventTarget();
  synth.getVoices = () => voices.map((v) => ({ ...v, localService: true, default: false, voiceURI: v.name }));
  synth.speak = (utterance) => {
    log.current = utterance;
    log.spoken.push({ text: utterance.text, lang: utterance.lang, voice: utterance.voice && utterance.voice.name });
  };
  synth.cancel = () => {
    log.cancels += 1;
    sessionStorage.setItem("cancels", String(Number(sessionStorage.getItem("cancels") || 0) + 1));
    const utterance = log.current;
    log.current = null;
    if (utterance && utterance.onerror) utterance.onerror({ error: "canceled" }); // as Chromium says of a cancelled utterance
  };
  synth.pause = () => {};
  synth.resume = () => {};
  log.finish = () => { // the voice reaches the end of the sentence
    const utterance = log.current;
    log.current = null;
    if (utterance && utterance.onend) utterance.onend({});
  };
  Object.defineProperty(window, "speechSynthesis", { value: synth, configurable: true });
  window.SpeechSynthesisUtterance = class { // Chromium's own takes only the voices of its own list
    constructor(text) { Object.assign(this, { text, lang: "", voice: null, onend: null, onerror: null }); }
  };
}"""


@pytest.fixture(scope="module")
def served(sample_site: Path) -> Iterator[str]:
    with serve_under(sample_site, "/papers/tyrb/") as base:
        yield base


def story_page(browser: Browser, address: str, voices: list[dict[str, str]] = VOICES) -> Page:
    page = browser.new_page(viewport={"width": 390, "height": 844}, reduced_motion="reduce")  # scrolled at once, not smoothly
    page.add_init_script(f"({RECORDED})({voices!r})")
    page.goto(address)
    page.locator(".listen").wait_for(state="visible")
    return page


def spoken(page: Page) -> list[dict[str, Any]]:
    said: list[dict[str, Any]] = page.evaluate("window.__speech.spoken")
    return said


def lit(page: Page) -> str | None:
    """The text of the sentence lit as it is read (the Custom Highlight API), or None."""
    text: str | None = page.evaluate("""() => {
        const lit = CSS.highlights.get("shuzibao-reading");
        return lit ? [...lit][0].toString() : null;
    }""")
    return text


def in_view(page: Page) -> bool:
    seen: bool = page.evaluate("""() => {
        const box = [...CSS.highlights.get("shuzibao-reading")][0].getBoundingClientRect();
        return box.top >= 0 && box.bottom <= innerHeight;
    }""")
    return seen


def finish(page: Page) -> None:
    page.evaluate("window.__speech.finish()")


def story_text(page: Page) -> str:
    """What a reader sees of the story to read: the headline's tiers, the body, the continuation."""
    text: str = page.evaluate("""() => [...document.querySelectorAll(
        "article.story header :is(.kicker, .title, .subtitle), article.story .body :is(p, h2, h3, h4, li, figcaption)")]
        .map((block) => block.textContent.replace("（续）", "")).join("")""")
    return re.sub(r"\s+", "", text)


def test_the_story_is_read_whole_in_the_pages_language_each_sentence_lit(browser: Browser, served: str) -> None:
    page = story_page(browser, served + STORY)
    page.get_by_role("button", name="朗读").click()
    first = spoken(page)[0]
    assert first == {"text": "为全方位高质量发展“赋能添翼”", "lang": "zh-CN", "voice": "普通话"}  # the title first, in Mandarin
    assert lit(page) == first["text"] and page.locator(".listen-status").inner_text() == "正在朗读"
    for _ in range(400):  # sentence by sentence to the end of the story
        if page.evaluate("window.__speech.current === null"):
            break
        assert lit(page) == spoken(page)[-1]["text"]  # the sentence heard is the one lit
        assert in_view(page), spoken(page)[-1]["text"]  # and kept in view
        finish(page)
    said = spoken(page)
    assert said[1]["text"].startswith("——杏花岭区深化省校合作成果初探")  # the subtitle (副题)
    assert all(s["lang"] == "zh-CN" and s["voice"] == "普通话" for s in said)
    assert all(len(s["text"]) <= 120 for s in said)  # long sentences cut at a comma
    assert "".join(re.sub(r"\s+", "", s["text"]) for s in said) == story_text(page)  # every word once, in order
    assert any("在数字经济领域" in s["text"] for s in said)  # the continuation on page 3 too
    assert lit(page) is None and page.get_by_role("button", name="朗读").is_visible()  # done: back to the start
    assert page.locator(".listen-stop").is_hidden()
    page.close()


def test_pause_resumes_at_the_sentence_and_stop_ends_the_reading(browser: Browser, served: str) -> None:
    page = story_page(browser, served + STORY)
    page.get_by_role("button", name="朗读").click()
    finish(page)
    finish(page)
    third = spoken(page)[-1]["text"]
    page.get_by_role("button", name="暂停").click()
    assert page.locator(".listen-status").inner_text() == "已暂停"
    assert page.get_by_role("button", name="暂停").count() == 0 and page.get_by_role("button", name="继续").is_visible()
    count = len(spoken(page))
    page.wait_for_timeout(200)
    assert len(spoken(page)) == count  # nothing more said while paused
    page.get_by_role("button", name="继续").click()
    assert spoken(page)[-1]["text"] == third and lit(page) == third  # from the sentence it was paused in
    assert page.get_by_role("button", name="暂停").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="停止").click()
    assert page.evaluate("window.__speech.current") is None and lit(page) is None
    assert page.locator(".listen-status").inner_text() == "" and page.locator(".listen-stop").is_hidden()
    count = len(spoken(page))
    page.get_by_role("button", name="朗读").click()
    assert spoken(page)[count]["text"] == spoken(page)[0]["text"]  # stopped: read again from the title
    page.close()


def test_the_reading_stops_when_the_reader_leaves(browser: Browser, served: str) -> None:
    page = story_page(browser, served + STORY)
    page.get_by_role("button", name="朗读").click()
    before = int(page.evaluate("sessionStorage.getItem('cancels')"))
    page.get_by_role("link", name="返回本版").first.click()
    page.wait_for_url("**/01/index.html")
    assert int(page.evaluate("sessionStorage.getItem('cancels')")) > before  # cancelled as the page went
    page.close()


@pytest.mark.parametrize(("prefix", "lang", "voice"), [("zh-hant/", "zh-TW", "國語"), ("zh-hk/", "zh-HK", "粵語")])
def test_each_script_is_read_by_its_own_voice(browser: Browser, served: str, prefix: str, lang: str, voice: str) -> None:
    page = story_page(browser, served + prefix + STORY)
    page.locator(".listen-play").click()
    assert spoken(page)[0]["lang"] == lang and spoken(page)[0]["voice"] == voice
    page.close()


def test_without_a_voice_for_the_language_the_control_says_so(browser: Browser, served: str) -> None:
    page = story_page(browser, served + "zh-hk/" + STORY, voices=[VOICES[0], VOICES[1]])  # English and Mandarin, no Cantonese
    page.get_by_text("這台設備上沒有粵語的語音，不能朗讀。").wait_for()  # in the page's script
    assert page.locator(".listen-play").is_disabled()
    page.close()
    page = story_page(browser, served + STORY, voices=[VOICES[0]])
    page.get_by_text("这台设备上没有普通话的语音，不能朗读。").wait_for()
    assert page.locator(".listen-play").is_disabled() and spoken(page) == []
    page.close()


def test_without_javascript_there_is_no_control(browser: Browser, served: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served + STORY)
    assert page.locator(".listen").is_hidden() and page.locator("article.story h1").is_visible()
    context.close()
