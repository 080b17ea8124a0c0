// Reader comforts that pages do not need: text size (remembered), arrow keys and swipes
// between pages (版). Without JavaScript every page reads and navigates the same.
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

  // ← and → turn the pages, as in a printed paper; only where the page has such links.
  const turn = (rel) => document.querySelector(`.pager a[rel="${rel}"]`)?.click();
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.target.closest("input, select, textarea")) return;
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
      if (!start || e.target.closest(".page-strip")) return;
      const dx = e.changedTouches[0].clientX - start.clientX;
      const dy = e.changedTouches[0].clientY - start.clientY;
      if (Math.abs(dx) > 80 && Math.abs(dx) > 2 * Math.abs(dy)) turn(dx < 0 ? "next" : "prev");
    });
  }
})();
