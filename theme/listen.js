// 朗读 (issue 18, as the 适老化 rules ask): the story read aloud by the browser's own speech (the
// Web Speech API), in the page's language, from the 引题 and title through the body and every
// part of the story; pause, resume and stop; the sentence being read is lit and kept in view; the
// reading stops when the reader leaves. Where the device has no voice for the language the
// control says so. Without JavaScript it is not shown.
(() => {
  const control = document.querySelector(".listen");
  const story = document.querySelector("article.story");
  if (!control || !story) return;
  const words = JSON.parse(control.querySelector(".listen-words").textContent);
  const play = control.querySelector(".listen-play");
  const label = play.querySelector(".listen-word");
  const stop = control.querySelector(".listen-stop");
  const status = control.querySelector(".listen-status");
  const speech = window.speechSynthesis;
  control.hidden = false;
  if (!speech || !window.SpeechSynthesisUtterance) return refuse(words.unsupported);

  // The page's language as voices name it: 简体 zh-CN, 繁體 zh-TW, 香港繁體 zh-HK; and the tags a
  // voice for it may carry, best first (Android names Cantonese yue-HK, some systems cmn-Hant-TW).
  const code = document.documentElement.lang.toLowerCase();
  const lang = /hk|mo/.test(code) ? "zh-HK" : /hant|tw/.test(code) ? "zh-TW" : "zh-CN";
  const TAGS = {
    "zh-CN": ["zh-cn", "cmn-cn", "cmn-hans-cn", "zh-hans-cn", "zh-hans", "zh-sg", "zh"],
    "zh-TW": ["zh-tw", "cmn-tw", "cmn-hant-tw", "zh-hant-tw", "zh-hant"],
    "zh-HK": ["zh-hk", "yue-hk", "yue-hant-hk", "zh-hant-hk", "yue"],
  };
  const voiceFor = (voices) => {
    const tag = (voice) => (voice.lang || "").replace(/_/g, "-").toLowerCase();
    for (const wanted of TAGS[lang]) {
      const found = voices.filter((voice) => tag(voice) === wanted);
      if (found.length) return found.find((voice) => voice.localService) || found[0];
    }
    return null;
  };
  // Browsers list their voices late (Chrome after a `voiceschanged`), some never say they have none.
  const voice = new Promise((resolve) => {
    const now = speech.getVoices();
    if (now.length) return resolve(voiceFor(now));
    const done = () => resolve(voiceFor(speech.getVoices()));
    speech.addEventListener("voiceschanged", done, { once: true });
    setTimeout(done, 2000);
  });
  voice.then((found) => found || refuse(words.no_voice.replace("{}", words.voices[lang])));

  function refuse(why) {
    play.disabled = true;
    status.textContent = why;
  }

  // What is read, in order: the headline's tiers, then every paragraph, heading, item and caption
  // of the body and of the story's other parts; each cut into sentences, each a Range of the page.
  const LONG = 120; // characters: longer sentences are cut at a comma
  const sentences = (() => {
    const found = [...story.querySelectorAll("header :is(.kicker, .title, .subtitle), .body :is(p, h2, h3, h4, h5, h6, li, figcaption, th, td)")];
    const blocks = found.filter((block) => !found.some((other) => other !== block && block.contains(other)));
    return blocks.flatMap((block) => cut(block));
  })();

  function cut(block) {
    const pieces = [];
    let text = "";
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest(".cont")) continue; // the title's （续）
      pieces.push({ node, start: text.length });
      text += node.data;
    }
    const at = (offset, end) => {
      const piece = pieces.findLast((p) => (end ? p.start < offset : p.start <= offset)) || pieces[0];
      return [piece.node, Math.min(offset - piece.start, piece.node.length)];
    };
    const out = [];
    for (const [from, to] of spans(text)) {
      const range = document.createRange();
      range.setStart(...at(from, false));
      range.setEnd(...at(to, true));
      out.push({ text: text.slice(from, to), range, block });
    }
    return out;
  }

  // Sentences end at 。！？；… (with the quotation marks and brackets that close them); a long
  // one is cut at its commas, as speech engines stop or stumble on very long utterances.
  function spans(text) {
    const out = [];
    const END = /[。！？!?；;…]+[”’」』）)"']*|\n/g;
    let start = 0;
    const add = (from, to) => {
      while (from < to && /\s/.test(text[from])) from++;
      while (to > from && /\s/.test(text[to - 1])) to--;
      if (to - from > LONG) {
        const comma = text.slice(from, from + LONG).search(/[，、,][^，、,]*$/);
        if (comma > 0) return add(from, from + comma + 1), add(from + comma + 1, to);
      }
      if (to > from) out.push([from, to]);
    };
    for (const end of text.matchAll(END)) {
      add(start, end.index + end[0].length);
      start = end.index + end[0].length;
    }
    add(start, text.length);
    return out;
  }

  // Lit: the CSS Custom Highlight API where there is one (nothing in the page changes), else the
  // sentence's paragraph; scrolled into view when it is not.
  const HIGHLIGHT = "shuzibao-reading";
  const highlights = window.CSS && CSS.highlights && window.Highlight;
  let lit = null;
  function light(sentence) {
    unlight();
    if (highlights) CSS.highlights.set(HIGHLIGHT, new Highlight(sentence.range));
    else (lit = sentence.block).classList.add("reading");
    const box = sentence.range.getBoundingClientRect();
    if (box.top < 0 || box.bottom > innerHeight) {
      const smooth = !matchMedia("(prefers-reduced-motion: reduce)").matches;
      scrollBy({ top: box.top - innerHeight / 3, behavior: smooth ? "smooth" : "auto" });
    }
  }
  function unlight() {
    if (highlights) CSS.highlights.delete(HIGHLIGHT);
    if (lit) lit.classList.remove("reading");
    lit = null;
  }

  // One utterance per sentence, so that the lit sentence is the one heard. `reading` counts the
  // readings: an utterance of one that was paused or stopped says nothing more when it ends.
  let reading = 0;
  let at = 0;
  let state = "idle";
  function read(from, chosen) {
    const mine = ++reading;
    speech.cancel();
    const go = (index) => {
      if (mine !== reading) return;
      if (index >= sentences.length) return halt();
      at = index;
      const utterance = new SpeechSynthesisUtterance(sentences[index].text);
      utterance.lang = lang;
      utterance.voice = chosen;
      utterance.onend = () => go(index + 1);
      utterance.onerror = (event) => {
        if (mine !== reading || event.error === "interrupted" || event.error === "canceled") return;
        halt();
        status.textContent = words.failed;
      };
      light(sentences[index]);
      speech.speak(utterance);
    };
    show("reading");
    go(from);
  }

  // Paused by stopping at the sentence, resumed from its start: the browsers' own pause and
  // resume do not work on every system (Android's Chrome stops for good).
  function pause() {
    reading++;
    speech.cancel();
    show("paused");
  }

  function halt() {
    reading++;
    speech.cancel();
    unlight();
    at = 0;
    show("idle");
  }

  function show(now) {
    state = now;
    label.textContent = { idle: words.listen, reading: words.pause, paused: words.resume }[now];
    play.setAttribute("aria-pressed", String(now === "reading"));
    stop.hidden = now === "idle";
    status.textContent = { idle: "", reading: words.reading, paused: words.paused }[now];
  }

  play.addEventListener("click", async () => {
    if (state === "reading") return pause();
    const chosen = await voice;
    if (chosen) read(state === "paused" ? at : 0, chosen);
  });
  stop.addEventListener("click", halt);
  addEventListener("pagehide", () => {
    if (state !== "idle") halt(); // the reader left: the story is not read on over the next page
  });
})();
