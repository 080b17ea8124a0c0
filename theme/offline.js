// Reading offline (issue 18), the pages' side: register the service worker (sw.js at the site's
// root, its code in theme/offline-worker.js), run an issue's 离线保存本期 box and the offline
// page's list of saved issues. Where there are no service workers (file://, a browser or a reader
// that has them off, an address that is not secure) it does nothing: the box stays hidden and
// every page reads as it always did.
(() => {
  const script = document.currentScript;
  if (!("serviceWorker" in navigator) || !window.isSecureContext || !/^https?:$/.test(location.protocol)) return;
  const worker = new URL(script.dataset.worker, document.baseURI);
  // Registered once the page has loaded: the worker's first install fetches the theme and the
  // offline pages, which must not compete with what the reader is waiting for.
  const loaded = new Promise((resolve) => (document.readyState === "complete" ? resolve() : addEventListener("load", resolve, { once: true })));
  const registered = loaded.then(() => navigator.serviceWorker.register(worker.href, { scope: new URL("./", worker).href })).catch(() => null);
  const wordsData = document.getElementById("offline-words");
  const words = wordsData ? JSON.parse(wordsData.textContent) : {};
  const say = (text, ...values) => values.reduce((out, value) => out.replace("{}", value), text);
  const size = (bytes) => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`);

  // A question to the worker, answered on a channel of its own; `each` hears how it goes.
  async function ask(message, each) {
    const registration = await navigator.serviceWorker.ready;
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = ({ data }) => (data.done ? resolve(data) : each && each(data));
      registration.active.postMessage(message, [channel.port2]);
    });
  }

  async function box(section) {
    const list = new URL(section.dataset.list, document.baseURI).href;
    const save = section.querySelector(".offline-save");
    const remove = section.querySelector(".offline-remove");
    const status = section.querySelector(".offline-status");
    let files;
    try {
      files = await (await fetch(list)).json(); // offline and not saved: nothing to offer
    } catch (error) {
      return;
    }
    const show = (issue) => {
      save.hidden = Boolean(issue);
      remove.hidden = !issue;
      status.textContent = issue ? say(words.saved, size(issue.bytes)) : say(words.size, size(files.bytes));
    };
    show((await ask({ type: "list" })).saved.find((issue) => issue.list === list));
    section.hidden = false;
    save.addEventListener("click", async () => {
      save.disabled = true;
      if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => false); // saved issues are not evicted unasked
      const answer = await ask({ type: "save", list }, (step) => (status.textContent = say(words.saving, step.count, step.total)));
      save.disabled = false;
      if (answer.saved) show(answer.saved);
      else status.textContent = say(words.failed, answer.why === "room" ? say(words.no_room, size(answer.short)) : words.no_network);
    });
    remove.addEventListener("click", async () => {
      await ask({ type: "remove", list });
      show(null);
    });
  }

  // The offline page: every saved issue, newest first, each with its size and a way to remove it.
  async function savedList(ul) {
    if (!/offline\.html$/.test(location.pathname)) document.querySelector(".offline-away").hidden = false; // standing in for a page not saved
    const total = document.querySelector(".offline-total");
    const { saved } = await ask({ type: "list" });
    ul.replaceChildren(
      ...saved.map((issue) => {
        const li = document.createElement("li");
        const link = document.createElement("a");
        link.href = issue.url;
        link.textContent = `${issue.paper} ${issue.title}`;
        const about = document.createElement("span");
        about.className = "size";
        about.textContent = ` ${issue.script} · ${size(issue.bytes)} `;
        const remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = words.remove;
        remove.addEventListener("click", async () => {
          await ask({ type: "remove", list: issue.list });
          savedList(ul);
        });
        li.append(link, about, remove);
        return li;
      }),
    );
    total.textContent = saved.length ? say(words.total, saved.length, size(saved.reduce((sum, issue) => sum + issue.bytes, 0))) : words.none;
  }

  registered.then((registration) => {
    if (!registration) return; // refused (service workers off): nothing changes
    const section = document.querySelector("section.offline[data-list]");
    if (section) box(section);
    const ul = document.querySelector("ul.offline-saved");
    if (ul) savedList(ul);
  });
})();
