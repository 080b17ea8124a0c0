// Search over the whole paper with Pagefind, in either script.
// The index holds each story's source text with every Han character as its own word, so a query
// is folded to the source script, spaced the same way, and asked for as an exact phrase.
// One index serves every script: what the reader sees (title, date, page, excerpt) is the page's
// own script, from the index's metadata named by the script (title.zh-Hant).

const form = document.querySelector("form.search-page");
const input = form.elements.q;
const status = document.querySelector(".search-status");
const list = document.querySelector("ol.results");
const more = document.querySelector("button.more");
const data = { fold: null, phrases: JSON.parse(document.getElementById("search-phrases").textContent) };
const words = JSON.parse(document.getElementById("search-words").textContent);
// The index is one Pagefind bundle per month (see search.py), listed newest first.
const scope = JSON.parse(document.getElementById("search-scope").textContent);
const bundles = new URL(form.dataset.bundles, document.baseURI).href;
const root = new URL(form.dataset.root, document.baseURI).pathname;
const field = (item, name) => item.meta[`${name}.${form.dataset.script}`];
const SHOWN = 20; // results shown at a time
const ROUND = 12; // shards added at most before showing what was found: a year of a daily
const AT_ONCE = 3; // shards added between two looks at the results
const MAX_VARIANTS = 8;
const chosen = months(); // the shards this page searches, newest first: a filter change loads the page anew

let pagefind = null; // one Pagefind: the newest shard, then older ones merged into it as needed
let merged = 0; // how many of `chosen` it holds
let search = null; // the running search: its query, terms and results
let opening = null; // the newest shard's Pagefind being loaded: asked for once, by whoever is first
let folding = null; // the same for the folding table

// The newest chosen shard, with its code, WebAssembly and metadata. Merged shards share them;
// each adds only its own small index files. Loaded as the page opens (see warm), so that a
// search waits only for its words' index and results; a failure lets the next search try again.
function open() {
  opening ??= (async () => {
    const loaded = await import(`${bundles}${chosen[0]}/pagefind.js`);
    // In this page's own thread: Pagefind's web worker is one more file and hop before the first
    // results (50 to 60 ms of 550 at ten years, measured), and this page does nothing meanwhile.
    await loaded.options({ excerptLength: 0, baseUrl: root, noWorker: true });
    await loaded.init();
    pagefind = loaded;
    merged = 1;
  })().catch((error) => {
    opening = null;
    throw error;
  });
  return opening;
}

async function widen(count) {
  for (const month of chosen.slice(merged, merged + count)) {
    await pagefind.mergeIndex(`${bundles}${month}/`, { excerptLength: 0, baseUrl: root });
    merged += 1;
  }
}

function fold() {
  folding ??= fetch(form.dataset.fold) // 發 -> 发: see search.py
    .then((response) => response.json())
    .then((table) => (data.fold = table))
    .catch((error) => {
      folding = null;
      throw error;
    });
  return folding;
}

// What every search needs, fetched side by side: the folding table and the newest shard.
const warm = () => Promise.all([fold(), open()]);

// 資料中心 -> 数据中心 (the glossary's forms), then 發展 -> 发展, character by character.
// A character that can stand for more than one source character yields every spelling.
function spellings(term) {
  for (const [form, phrase] of Object.entries(data.phrases)) term = term.split(form).join(phrase);
  let out = [""];
  for (const char of term) {
    const options = [...(data.fold[char] || char)];
    out = out.flatMap((s) => options.map((o) => s + o)).slice(0, MAX_VARIANTS);
  }
  return out;
}

// The same words as the index's (see search.py): Han characters alone, letters and digits in runs.
const spaced = (text) =>
  text.replace(/[^\p{L}\p{N}]+/gu, " ").replace(/(\p{Script=Han})/gu, " $1 ").replace(/\s+/g, " ").trim();

function months() {
  const params = new URLSearchParams(location.search);
  const year = params.get("year") || "";
  const month = params.get("month") || "";
  return scope.shards.map((s) => s.id).filter((id) => (!year || id.startsWith(year)) && (!month || id === month));
}

// The matches in the shards merged so far, all terms present, newest first: each shard sorts its
// own by date, and exact-phrase results carry no score, so Pagefind keeps the shards in order.
async function find(terms) {
  const filters = form.elements.page.value ? { page: form.elements.page.value } : {};
  const ask = (spelling) => pagefind.search(`"${spaced(spelling)}"`, { filters, sort: { date: "desc" } });
  if (terms.length === 1 && spellings(terms[0]).length === 1) return (await ask(spellings(terms[0])[0])).results;
  // Several terms (all must match) or several spellings (any may): combine, then restore the order.
  let matches = null;
  for (const term of terms) {
    const found = new Map();
    for (const spelling of spellings(term)) for (const r of (await ask(spelling)).results) found.set(r.id, r);
    matches = matches === null ? found : new Map([...matches].filter(([id]) => found.has(id)));
  }
  const loaded = await Promise.all([...matches.values()].map(async (r) => ({ id: r.id, d: await r.data() })));
  loaded.sort((a, b) => (a.d.meta.key < b.d.meta.key ? 1 : -1));
  return loaded.map(({ id, d }) => ({ id, data: async () => d }));
}

// Search the shards merged so far; merge older ones until there is a screenful more, every
// shard is in, or a round's worth has been added.
async function gather(state) {
  await open();
  for (let added = 0; ; ) {
    const results = await find(state.terms);
    if (state !== search) return; // a newer search has started
    state.results = results;
    if (merged >= chosen.length || results.length >= list.children.length + SHOWN || added >= ROUND) return;
    const count = Math.min(AT_ONCE, chosen.length - merged);
    await widen(count);
    added += count;
  }
}

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

// A cut at `at` (between chars[at - 1] and chars[at]) moved, in `direction`, out of a number or a
// Latin word: an excerpt shows 12月9日, never …2月9日; 3.5% and 1,200 are numbers whole.
const WORD = /[0-9A-Za-z\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/;
const JOINS = /[.,:%-]/;
function unbroken(chars, at, direction) {
  const inWord = (i) => WORD.test(chars[i] || "") || (JOINS.test(chars[i] || "") && WORD.test(chars[i - 1] || "") && WORD.test(chars[i + 1] || ""));
  let cut = at;
  while (cut > 0 && cut < chars.length && inWord(cut - 1) && inWord(cut)) cut += direction;
  return cut;
}

// The passage around the first match, every match marked, in the page's own script.
function excerpt(text, terms) {
  const folded = [...text].map((c) => (data.fold[c] || c)[0]).join("");
  const chars = [...text];
  const marks = new Array(chars.length).fill(false);
  let first = -1;
  for (const term of terms) {
    for (const needle of new Set([term, ...spellings(term)].map((t) => [...t].map((c) => (data.fold[c] || c)[0]).join("")))) {
      if (!needle) continue;
      for (let at = folded.indexOf(needle); at !== -1; at = folded.indexOf(needle, at + 1)) {
        const start = [...folded.slice(0, at)].length;
        const length = [...needle].length;
        for (let i = start; i < start + length; i++) marks[i] = true;
        if (first === -1 || start < first) first = start;
      }
    }
  }
  const begin = unbroken(chars, Math.max(0, (first === -1 ? 0 : first) - 30), -1);
  const end = unbroken(chars, Math.min(chars.length, begin + 110), 1);
  let html = begin > 0 ? "…" : "";
  for (let i = begin; i < end; i++) {
    const char = chars[i] === "\n" ? "" : escapeHtml(chars[i]); // paragraphs run on, as in a summary
    const open = marks[i] && (i === begin || !marks[i - 1]);
    const close = marks[i] && (i === end - 1 || !marks[i + 1]);
    html += (open ? "<mark>" : "") + char + (close ? "</mark>" : "");
  }
  return html + (end < chars.length ? "…" : "");
}

async function show(state) {
  const from = list.children.length;
  // Asked for all at once, shown in order as each arrives: the first results need not wait for the last.
  const pending = state.results.slice(from, from + SHOWN).map((r) => r.data());
  for (const loading of pending) {
    const item = await loading;
    if (state !== search) return;
    const li = document.createElement("li");
    li.className = "result";
    const href = new URL(item.url, document.baseURI).href;
    li.innerHTML =
      `<h2><a href="${escapeHtml(href)}">${escapeHtml(field(item, "title"))}</a></h2>` +
      `<p class="where">${escapeHtml(field(item, "date"))} · ${escapeHtml(field(item, "page"))}</p>` +
      `<p class="excerpt">${excerpt(field(item, "text"), state.terms)}</p>`;
    list.append(li);
  }
  const count = state.results.length;
  const everything = merged >= chosen.length;
  if (!everything) {
    const reached = scope.shards.find((s) => s.id === chosen[merged - 1]);
    status.textContent = words.partial.replace("{}", count).replace("{}", reached.month);
    more.textContent = list.children.length < count ? words.more : words.earlier;
  } else {
    status.textContent = count ? words.found.replace("{}", count) : words.none.replace("{}", state.query);
    more.textContent = words.more;
  }
  more.hidden = list.children.length >= count && everything;
}

async function next() {
  const state = search;
  more.hidden = true;
  list.setAttribute("aria-busy", "true"); // for screen readers (and tests): more results are coming
  try {
    await gather(state);
    if (state === search) await show(state);
  } catch (error) {
    unavailable();
    console.error(error);
  } finally {
    if (state === search) list.removeAttribute("aria-busy");
  }
}

async function run() {
  const query = input.value.trim();
  list.replaceChildren();
  more.hidden = true;
  const terms = query.split(/\s+/).filter((term) => spaced(term));
  search = { query, terms, results: [] };
  if (!terms.length) return (status.textContent = "");
  if (!chosen.length) return (status.textContent = words.none.replace("{}", query));
  status.textContent = words.loading;
  try {
    await warm();
  } catch (error) {
    unavailable();
    return;
  }
  await next();
}

// Offline (issue 18): search needs the network (its index is never saved for reading offline), so
// say that, with the link to the issues saved on this device, rather than that there is no index.
// Whether there is a network is asked of the host itself (a HEAD, past every cache): the browser's
// cache may hold some of the index, and navigator.onLine is true on a network that reaches nothing.
async function unavailable() {
  const reached = () => fetch(form.dataset.fold, { method: "HEAD", cache: "no-store" }).then(() => true, () => false);
  if (navigator.onLine && (await reached())) return (status.textContent = words.unavailable);
  const saved = document.createElement("a");
  saved.href = form.dataset.offline;
  saved.textContent = words.offline_list;
  status.replaceChildren(words.offline, saved);
}

function fillFilters() {
  const params = new URLSearchParams(location.search);
  const options = {
    page: scope.pages,
    year: [...new Map(scope.shards.map((s) => [s.id.slice(0, 4), s.year]))],
    month: scope.shards.map((s) => [s.id, s.month]),
  };
  for (const [name, values] of Object.entries(options)) {
    // An address from before the shared index names the page in words (page=第3版): still chosen.
    for (const [value, label] of values) form.elements[name].append(new Option(label, value, false, [value, label].includes(params.get(name))));
  }
}

function fromAddress() {
  fillFilters();
  input.value = new URLSearchParams(location.search).get("q") || "";
  // No query yet: load what a search needs while the reader types. A failure here is said when
  // they search (run tries again), not now.
  if (!input.value.trim() && chosen.length) warm().catch(() => {});
  return run();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const params = new URLSearchParams();
  for (const name of ["q", "page", "year", "month"]) if (form.elements[name].value) params.set(name, form.elements[name].value);
  const here = new URLSearchParams(location.search);
  if (["year", "month"].some((name) => (params.get(name) || "") !== (here.get(name) || ""))) {
    location.search = `?${params}`; // other shards: the page anew, with a fresh Pagefind
    return;
  }
  history.replaceState(null, "", `?${params}`);
  run();
});
for (const name of ["page", "year", "month"]) form.elements[name].addEventListener("change", () => form.requestSubmit());
more.addEventListener("click", next);

fromAddress();
