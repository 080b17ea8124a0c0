// Reader comforts that pages do not need: text size and high contrast (remembered), the page
// strip opened at the current page, arrow keys and swipes between pages (版), the scan's zoom
// viewer. Without JavaScript every page reads and navigates the same.
(() => {
  const KEY = "shuzibao-size";
  const SIZES = ["1", "2", "3", "4", "5"]; // 2 is the default; see site.css
  const root = document.documentElement;
  const control = document.querySelector(".text-size");
  if (control) {
    control.hidden = false;
    control.addEventListener("click", (event) => {
      const step = Number(event.target.closest("button")?.dataset.step || 0);
      const now = SIZES.indexOf(root.dataset.size || "2");
      const next = SIZES[Math.min(SIZES.length - 1, Math.max(0, now + step))];
      root.dataset.size = next;
      try {
        localStorage.setItem(KEY, next);
      } catch (error) {
        // private mode: the size holds for this page only
      }
    });
  }

  // High contrast, kept as the text size is (the page's head applies both before the first paint).
  const CONTRAST = "shuzibao-contrast";
  const contrast = document.querySelector("button.contrast");
  if (contrast) {
    contrast.hidden = false;
    contrast.setAttribute("aria-pressed", String(root.dataset.contrast === "high"));
    contrast.addEventListener("click", () => {
      const on = root.dataset.contrast !== "high";
      if (on) root.dataset.contrast = "high";
      else delete root.dataset.contrast;
      contrast.setAttribute("aria-pressed", String(on));
      try {
        if (on) localStorage.setItem(CONTRAST, "high");
        else localStorage.removeItem(CONTRAST);
      } catch (error) {
        // private mode: for this page only
      }
    });
  }

  // Browsers without ::details-content cannot hold the masthead's menu open by style alone.
  const menu = document.querySelector("details.menu");
  if (menu && !CSS.supports("selector(::details-content)") && matchMedia("(min-width: 48rem)").matches) menu.open = true;

  // The page strip opens at the current page, and its edges say where more pages are.
  const strip = document.querySelector(".page-strip");
  const row = strip?.querySelector("ol");
  if (row) {
    const current = row.querySelector("[aria-current]");
    if (current && row.scrollWidth > row.clientWidth) {
      const item = current.closest("li");
      row.scrollLeft = item.offsetLeft - row.offsetLeft - (row.clientWidth - item.offsetWidth) / 2;
    }
    const edges = () => {
      const more = [];
      if (row.scrollLeft > 2) more.push("left");
      if (row.scrollLeft + row.clientWidth < row.scrollWidth - 2) more.push("right");
      strip.dataset.more = more.join(" ");
    };
    edges();
    row.addEventListener("scroll", edges, { passive: true });
    addEventListener("resize", edges);
  }

  // Search runs as a module, which browsers do not run from a file:// page: say so, plainly.
  const fromFile = document.querySelector(".search-file");
  if (fromFile && location.protocol === "file:") fromFile.hidden = false;

  // Printed, an article shows its address: the canonical one, else where it was opened.
  const address = document.querySelector(".print-address span");
  if (address && !address.textContent) address.textContent = location.href.replace(/#.*$/, "");

  // ← and → turn the pages, as in a printed paper; only where the page has such links.
  const turn = (rel) => document.querySelector(`.pager a[rel="${rel}"]`)?.click();
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.target.closest("input, select, textarea, dialog")) return;
    if (event.key === "ArrowLeft") turn("prev");
    if (event.key === "ArrowRight") turn("next");
  });

  // On a page with its scan, pointing at an article in the list lights its area on the scan.
  for (const area of document.querySelectorAll(".areas a[href]")) {
    const item = document.querySelector(`.teaser .title a[href="${CSS.escape(area.getAttribute("href"))}"]`);
    if (!item) continue;
    const light = (on) => () => area.classList.toggle("lit", on);
    for (const [type, on] of [["mouseenter", true], ["mouseleave", false], ["focus", true], ["blur", false]]) item.addEventListener(type, light(on));
  }

  // A firm horizontal swipe on a page (版) view turns to the next or previous page, unless the
  // reader has zoomed in (to read the scan) and is moving about in it.
  if (document.querySelector("section.page h1")) {
    let start = null;
    const zoomed = () => window.visualViewport && window.visualViewport.scale > 1.05;
    document.addEventListener("touchstart", (e) => (start = e.touches.length === 1 && !zoomed() ? e.touches[0] : null), { passive: true });
    document.addEventListener("touchend", (e) => {
      if (!start || e.target.closest(".page-strip, dialog")) return;
      const dx = e.changedTouches[0].clientX - start.clientX;
      const dy = e.changedTouches[0].clientY - start.clientY;
      if (Math.abs(dx) > 80 && Math.abs(dx) > 2 * Math.abs(dy)) turn(dx < 0 ? "next" : "prev");
    });
  }
})();
