// Search over the whole paper with Pagefind, in either script.
// The index holds each story's source text with every Han character as its own word, so a query
// is folded to the source script, spaced the same way, and asked for as an exact phrase.
// What the reader sees (title, excerpt) is the page's own script, from the index's metadata.

const form = document.querySelector("form.search-page");
const input = form.elements.q;
const status = document.querySelector(".search-status");
const list = document.querySelector("ol.results");
const more = document.querySelector("button.more");
const data = { fold: {}, phrases: JSON.parse(document.getElementById("search-phrases").textContent) };
const words = JSON.parse(document.getElementById("search-words").textContent);
const bundle = new URL(form.dataset.pagefind, document.baseURI).href;
const SHOWN = 20;
const MAX_VARIANTS = 8;

let pagefind;
let shown = [];

async function load() {
  if (!pagefind) {
    data.fold = await (await fetch(form.dataset.fold)).json(); // 發 -> 发: see search.py
    pagefind = await import(bundle);
    await pagefind.options({ excerptLength: 0 });
    await fillFilters(await pagefind.filters());
  }
  return pagefind;
}

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

function filters() {
  const chosen = {};
  for (const name of ["page", "year", "month"]) if (form.elements[name].value) chosen[name] = form.elements[name].value;
  return chosen;
}

async function find(query) {
  const pf = await load();
  const terms = query.split(/\s+/).filter((term) => spaced(term));
  if (!terms.length) return [];
  const ask = (spelling) => pf.search(`"${spaced(spelling)}"`, { filters: filters(), sort: { date: "desc" } });
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

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
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
  const begin = Math.max(0, (first === -1 ? 0 : first) - 30);
  const end = Math.min(chars.length, begin + 110);
  let html = begin > 0 ? "…" : "";
  for (let i = begin; i < end; i++) {
    const char = chars[i] === "\n" ? "" : escapeHtml(chars[i]); // paragraphs run on, as in a summary
    const open = marks[i] && (i === begin || !marks[i - 1]);
    const close = marks[i] && (i === end - 1 || !marks[i + 1]);
    html += (open ? "<mark>" : "") + char + (close ? "</mark>" : "");
  }
  return html + (end < chars.length ? "…" : "");
}

async function show(results, terms, from) {
  const batch = await Promise.all(results.slice(from, from + SHOWN).map((r) => r.data()));
  for (const item of batch) {
    const li = document.createElement("li");
    li.className = "result";
    const href = new URL(item.url, document.baseURI).href; // Pagefind prefixes its own location
    li.innerHTML =
      `<h2><a href="${escapeHtml(href)}">${escapeHtml(item.meta.title)}</a></h2>` +
      `<p class="where">${escapeHtml(item.meta.date)} · ${escapeHtml(item.meta.page)}</p>` +
      `<p class="excerpt">${excerpt(item.meta.text, terms)}</p>`;
    list.append(li);
  }
  more.hidden = from + SHOWN >= results.length;
}

async function run() {
  const query = input.value.trim();
  list.replaceChildren();
  more.hidden = true;
  if (!query) return (status.textContent = "");
  status.textContent = words.loading;
  try {
    const results = await find(query);
    shown = results;
    const terms = query.split(/\s+/).filter((term) => spaced(term));
    await show(results, terms, 0);
    status.textContent = results.length ? words.found.replace("{}", results.length) : words.none.replace("{}", query);
    more.onclick = () => show(shown, terms, list.children.length);
  } catch (error) {
    status.textContent = words.unavailable;
    console.error(error);
  }
}

async function fillFilters(available) {
  const params = new URLSearchParams(location.search);
  const natural = (a, b) => a.localeCompare(b, "zh", { numeric: true });
  for (const name of ["page", "year", "month"]) {
    const select = form.elements[name];
    const values = Object.keys(available[name] || {}).sort(natural);
    if (name !== "page") values.reverse(); // newest first
    for (const value of values) select.append(new Option(value, value, false, params.get(name) === value));
  }
}

function fromAddress() {
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  return load().then(run, () => (status.textContent = words.unavailable));
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const params = new URLSearchParams();
  for (const name of ["q", "page", "year", "month"]) if (form.elements[name].value) params.set(name, form.elements[name].value);
  history.replaceState(null, "", `?${params}`);
  run();
});
for (const name of ["page", "year", "month"]) form.elements[name].addEventListener("change", () => form.requestSubmit());

fromAddress();
