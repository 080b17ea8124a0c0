// Reading offline (issue 18): the service worker's code, imported by sw.js at the site's root,
// which sets self.shuzibao: each script's offline page and the theme, kept from the start.
//
// Its caches, each named for this site's scope (several sites may share a host):
//   shell     the offline pages and the theme, made on install and replaced with the next version
//   pages     the pages a reader opened: the RECENT_PAGES last, the oldest dropped first
//   files     the images those pages loaded: the RECENT_FILES last
//   issue …   an issue the reader saved (离线保存本期): every file of its offline.json, until removed
// So the browser's storage holds no more than the issues a reader saved and a few recent pages.
// Pages, and files whose names do not change with their content, come from the network first (a
// new day's issue is there as soon as there is a network), from a cache only without one; files
// named by their content (theme files with ?v=, the copies of scans, photos and clips) from a
// cache first. Search (pagefind/) is never kept and never answered from a cache: it needs the network.
(() => {
  const config = self.shuzibao;
  const scope = self.registration.scope;
  const PREFIX = `shuzibao ${scope} `;
  const SHELL = `${PREFIX}shell ${digest(JSON.stringify(config))}`;
  const PAGES = `${PREFIX}pages`;
  const FILES = `${PREFIX}files`;
  const ISSUE = `${PREFIX}issue `;
  const RECENT_PAGES = 40;
  const RECENT_FILES = 80;
  const AT_ONCE = 4; // files fetched at once while saving an issue
  const COPY = /^(.*-[0-9a-f]{10}-)(\d+)w\.(?:jpg|webp)$/; // a copy of a scan, photo or clip: page-6e1ecb723a-800w.webp
  const LIST = "/offline.json";
  const saving = new Map(); // list address -> the save under way, so that a second tap joins it

  function digest(text) {
    let hash = 2166136261; // FNV-1a: a name for this version's shell, not a secret
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
    return (hash >>> 0).toString(16);
  }

  const here = (link) => new URL(link, self.location).href;
  const named = (url) => COPY.test(url.pathname) || url.search.startsWith("?v=");

  self.addEventListener("install", (event) => {
    event.waitUntil(
      (async () => {
        const shell = await caches.open(SHELL);
        await shell.addAll([...config.offline, ...config.shell].map(here));
        await self.skipWaiting();
      })(),
    );
  });

  self.addEventListener("activate", (event) => {
    event.waitUntil(
      (async () => {
        for (const name of await caches.keys()) if (name.startsWith(`${PREFIX}shell `) && name !== SHELL) await caches.delete(name);
        await self.clients.claim(); // the page that registered the worker is served by it at once
      })(),
    );
  });

  self.addEventListener("fetch", (event) => {
    const request = event.request;
    const url = new URL(request.url);
    if (request.method !== "GET" || !url.href.startsWith(scope)) return; // another site's, or not ours to keep
    if (/(^|\/)pagefind\//.test(url.href.slice(scope.length))) return;
    if ((request.headers.get("accept") || "").includes("text/event-stream")) return;
    if (request.mode === "navigate") event.respondWith(page(event, url));
    else if (named(url)) event.respondWith(cacheFirst(event, url));
    else event.respondWith(networkFirst(event, url));
  });

  // A page: from the network (revalidated, so that a new issue is seen at once), kept among the
  // recent pages and in any saved issue that holds it; without a network, from a cache, or the
  // offline page in the page's script.
  async function page(event, url) {
    const key = url.origin + url.pathname;
    try {
      const response = await fetch(event.request, { cache: "no-cache" });
      if (response.ok && response.type === "basic") {
        const [recent, newer] = [response.clone(), response.clone()]; // cloned now: the page reads the response itself
        event.waitUntil(keep(PAGES, key, recent, RECENT_PAGES).then(() => refresh(key, newer)));
      }
      return response;
    } catch (error) {
      const index = key.endsWith("/") && (await lookup(`${key}index.html`)); // the site's folder itself: a saved list names its index.html
      return (await lookup(key)) || index || (await offlinePage(url)) || Response.error();
    }
  }

  async function cacheFirst(event, url) {
    const found = await lookup(url.href);
    if (found) return found;
    try {
      const response = await fetch(event.request);
      if (response.ok && response.type === "basic") event.waitUntil(keep(FILES, url.href, response.clone(), RECENT_FILES));
      return response;
    } catch (error) {
      return (await standIn(url)) || Response.error();
    }
  }

  async function networkFirst(event, url) {
    try {
      const response = await fetch(event.request);
      if (response.ok && response.type === "basic" && event.request.destination === "image") event.waitUntil(keep(FILES, url.href, response.clone(), RECENT_FILES));
      return response;
    } catch (error) {
      return (await lookup(url.href)) || Response.error();
    }
  }

  // Kept at the end of a cache of at most `limit` entries: the oldest go first.
  async function keep(name, key, response, limit) {
    const cache = await caches.open(name);
    await cache.delete(key);
    await cache.put(key, response);
    const keys = await cache.keys();
    for (const old of keys.slice(0, Math.max(0, keys.length - limit))) await cache.delete(old);
  }

  // A saved issue's copy of a page is replaced by the newer one (a correction), not left stale.
  async function refresh(key, response) {
    for (const name of await saved()) {
      const cache = await caches.open(name);
      if (await cache.match(key)) await cache.put(key, response.clone());
    }
  }

  // Our caches, in the order to look in: the theme, the recent pages, the saved issues newest first.
  async function ours() {
    const names = await caches.keys();
    return [SHELL, PAGES, FILES].filter((name) => names.includes(name)).concat(await saved(names));
  }

  async function saved(names) {
    const issues = (names || (await caches.keys())).filter((name) => name.startsWith(ISSUE));
    const day = (name) => name.slice(ISSUE.length).split("/").pop(); // "zh-hant/2021-12-10" -> "2021-12-10"
    return issues.sort((a, b) => day(b).localeCompare(day(a)) || a.localeCompare(b));
  }

  async function lookup(key) {
    for (const name of await ours()) {
      const found = await (await caches.open(name)).match(key);
      if (found) return found;
    }
    return null;
  }

  // Offline, a copy of an image at another width (the pages offer several; an issue saves the
  // one a phone takes), or another version of a theme file, stands in for the one asked for.
  async function standIn(url) {
    const copy = url.pathname.match(COPY);
    const wanted = copy ? Number(copy[2]) : 0;
    const same = copy
      ? (other) => other.pathname.startsWith(copy[1]) && COPY.test(other.pathname) && !other.pathname.slice(copy[1].length).includes("-")
      : (other) => other.pathname === url.pathname;
    let best = null;
    for (const name of await ours()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const other = new URL(request.url);
        if (!same(other)) continue;
        const width = copy ? Number(other.pathname.match(COPY)[2]) : 0;
        const better = !best || Math.abs(width - wanted) < Math.abs(best.width - wanted);
        if (better) best = { width, request, cache };
      }
    }
    return best && best.cache.match(best.request);
  }

  // The offline page of the page's script, with a base, so that its links work at any address.
  async function offlinePage(url) {
    const path = url.href.slice(scope.length);
    const folder = (page) => page.slice(0, page.lastIndexOf("/") + 1);
    const page = config.offline.filter((p) => path.startsWith(folder(p))).sort((a, b) => b.length - a.length)[0];
    const found = page && (await lookup(here(page)));
    if (!found) return null;
    const html = (await found.text()).replace("<head>", `<head><base href="${here(page)}">`);
    return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
  }

  // --- what the pages ask (theme/offline.js): each question on a channel of its own ------------

  self.addEventListener("message", (event) => {
    const port = event.ports[0];
    const { type, list } = event.data || {};
    if (!port) return;
    const answer = (data) => port.postMessage(data);
    if (type === "list") event.waitUntil(everySaved().then((issues) => answer({ done: true, saved: issues })));
    if (!ourList(list)) return;
    if (type === "save") event.waitUntil(save(list, answer));
    if (type === "remove") event.waitUntil(caches.delete(issueCache(list)).then(() => answer({ done: true })));
  });

  const ourList = (list) => typeof list === "string" && list.startsWith(scope) && list.endsWith(LIST);
  const issueCache = (list) => ISSUE + list.slice(scope.length, -LIST.length);

  async function everySaved() {
    const issues = [];
    for (const name of await saved()) {
      const found = await (await caches.open(name)).match(`${scope}${name.slice(ISSUE.length)}${LIST}?saved`);
      if (found) issues.push(await found.json());
    }
    return issues;
  }

  function save(list, answer) {
    if (!saving.has(list)) saving.set(list, fetchIssue(list, answer).finally(() => saving.delete(list)));
    return saving.get(list).then((outcome) => answer({ done: true, ...outcome }));
  }

  // Every file of the issue's list into a cache of its own, all or nothing.
  async function fetchIssue(list, answer) {
    const name = issueCache(list);
    try {
      const response = await fetch(list, { cache: "no-cache" });
      if (!response.ok) throw new Error(`${response.status} ${list}`);
      const files = await response.clone().json();
      const room = await spare();
      if (files.bytes > room) return { why: "room", short: files.bytes - room };
      await caches.delete(name); // a fresh copy: nothing of an older save is kept
      const cache = await caches.open(name);
      const addresses = files.files.map((file) => new URL(file.url, list).href);
      let count = 0;
      let bytes = 0;
      await inTurn(addresses, async (address) => {
        const got = (named(new URL(address)) && (await lookup(address))) || (await fetch(address, { cache: "no-cache" }));
        if (!got.ok) throw new Error(`${got.status} ${address}`);
        await cache.put(address, got.clone());
        const body = await got.blob(); // read before adding: `bytes += await …` would lose the other tasks' sums
        bytes += body.size;
        answer({ count: ++count, total: addresses.length });
      });
      await cache.put(list, response);
      const issue = { list, url: new URL(files.url, list).href, paper: files.paper, script: files.script, date: files.date, title: files.title, files: count, bytes };
      await cache.put(`${list}?saved`, new Response(JSON.stringify(issue), { headers: { "Content-Type": "application/json" } }));
      return { saved: issue };
    } catch (error) {
      await caches.delete(name);
      return { why: error && error.name === "QuotaExceededError" ? "room" : "network", short: 0 };
    }
  }

  async function spare() {
    if (!navigator.storage || !navigator.storage.estimate) return Infinity;
    const { quota, usage } = await navigator.storage.estimate();
    return quota - usage;
  }

  // `task` for every item, AT_ONCE at a time; the first failure fails the whole.
  async function inTurn(items, task) {
    let next = 0;
    const run = async () => {
      while (next < items.length) await task(items[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(AT_ONCE, items.length) }, run));
  }
})();
