// The page scan's viewer: the printed page over the whole screen, made of the copies the page
// already has (its srcset: the browser fetches wider ones as the reader zooms in). Two fingers
// or the wheel zoom about their point, a drag moves it, + − 0 and the arrow keys do the same from
// the keyboard, Esc or the close button leave. The areas stay links: a tap opens the article, a
// drag does not. Without JavaScript the links it takes over lead to the scan and the original.
(() => {
  const figure = document.querySelector("figure.scan");
  const parts = document.getElementById("viewer-parts");
  if (!figure || !parts) return;
  const label = document.currentScript?.dataset.label || "";
  const MAX = 8; // times the size that fits the screen
  let viewer = null;

  function open(event) {
    event.preventDefault();
    if (viewer) return;
    viewer = build();
    document.body.append(viewer.dialog);
    viewer.dialog.showModal();
    viewer.fit();
  }

  function build() {
    const dialog = document.createElement("dialog");
    dialog.className = "viewer";
    dialog.setAttribute("aria-label", label);
    const stage = document.createElement("div");
    stage.className = "stage";
    const map = figure.querySelector(".scan-map").cloneNode(true);
    for (const named of map.querySelectorAll("[id]")) named.removeAttribute("id"); // the page keeps its own
    for (const source of map.querySelectorAll("source[media]")) source.remove(); // every copy, not a phone's two
    const image = map.querySelector("img");
    image.loading = "eager";
    stage.append(map);
    dialog.append(stage, parts.content.cloneNode(true));
    dialog.querySelector("[data-close]").autofocus = true; // the keys work from the start, Esc or Enter leaves
    const ratio = Number(image.getAttribute("height")) / Number(image.getAttribute("width"));
    const view = { scale: 1, x: 0, y: 0, base: 0 };

    const draw = () => {
      const width = view.base * view.scale;
      map.style.width = `${width}px`;
      stage.style.transform = `translate(${view.x}px, ${view.y}px)`;
      const sizes = `${Math.ceil(width)}px`;
      for (const candidate of map.querySelectorAll("source, img")) candidate.sizes = sizes;
    };
    const clamp = () => {
      const width = view.base * view.scale;
      const height = width * ratio;
      const keep = (offset, size, room) => (size <= room ? (room - size) / 2 : Math.min(0, Math.max(room - size, offset)));
      view.x = keep(view.x, width, dialog.clientWidth);
      view.y = keep(view.y, height, dialog.clientHeight);
    };
    const zoomAt = (factor, px, py) => {
      const scale = Math.min(MAX, Math.max(1, view.scale * factor));
      view.x = px - ((px - view.x) * scale) / view.scale;
      view.y = py - ((py - view.y) * scale) / view.scale;
      view.scale = scale;
      clamp();
      draw();
    };
    const fit = () => {
      view.base = Math.min(dialog.clientWidth, dialog.clientHeight / ratio);
      view.scale = 1;
      clamp();
      draw();
    };
    const middle = () => [dialog.clientWidth / 2, dialog.clientHeight / 2];
    const pan = (dx, dy) => {
      view.x += dx;
      view.y += dy;
      clamp();
      draw();
    };

    // Pointers: one drags, two pinch. A drag of more than a few pixels is not a tap on an area.
    const pointers = new Map();
    let moved = 0;
    let pinch = null;
    dialog.addEventListener("pointerdown", (event) => {
      if (event.target.closest(".bar")) return;
      pointers.set(event.pointerId, [event.clientX, event.clientY]);
      if (pointers.size === 1) moved = 0;
      if (pointers.size === 2) pinch = spread();
    });
    dialog.addEventListener("pointermove", (event) => {
      const last = pointers.get(event.pointerId);
      if (!last) return;
      const now = [event.clientX, event.clientY];
      pointers.set(event.pointerId, now);
      if (pointers.size === 2 && pinch) {
        const next = spread();
        zoomAt(next.distance / pinch.distance, next.x, next.y);
        pan(next.x - pinch.x, next.y - pinch.y);
        pinch = next;
        moved = Infinity;
      } else if (pointers.size === 1) {
        moved += Math.abs(now[0] - last[0]) + Math.abs(now[1] - last[1]);
        if (moved > 6) pan(now[0] - last[0], now[1] - last[1]);
      }
    });
    const lift = (event) => {
      pointers.delete(event.pointerId);
      if (pointers.size < 2) pinch = null;
    };
    dialog.addEventListener("pointerup", lift);
    dialog.addEventListener("pointercancel", lift);
    const spread = () => {
      const [[x1, y1], [x2, y2]] = [...pointers.values()];
      return { distance: Math.hypot(x2 - x1, y2 - y1) || 1, x: (x1 + x2) / 2, y: (y1 + y2) / 2 };
    };
    stage.addEventListener("click", (event) => moved > 6 && event.preventDefault(), true);
    stage.addEventListener("dragstart", (event) => event.preventDefault());

    dialog.addEventListener("wheel", (event) => {
      event.preventDefault();
      zoomAt(Math.exp(-event.deltaY / 300), event.clientX, event.clientY);
    }, { passive: false });
    dialog.addEventListener("keydown", (event) => {
      const step = Math.round(dialog.clientWidth / 8);
      const keys = {
        "+": () => zoomAt(1.5, ...middle()),
        "=": () => zoomAt(1.5, ...middle()),
        "-": () => zoomAt(1 / 1.5, ...middle()),
        0: fit,
        ArrowLeft: () => pan(step, 0),
        ArrowRight: () => pan(-step, 0),
        ArrowUp: () => pan(0, step),
        ArrowDown: () => pan(0, -step),
      };
      if (keys[event.key] && !event.altKey && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        keys[event.key]();
      }
    });
    dialog.querySelector(".bar").addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button) return;
      if (button.hasAttribute("data-close")) return dialog.close();
      const step = Number(button.dataset.zoom);
      if (step === 0) fit();
      else zoomAt(step > 0 ? 1.5 : 1 / 1.5, ...middle());
    });
    dialog.addEventListener("close", () => {
      dialog.remove();
      viewer = null;
    });
    const refit = () => viewer && fit();
    addEventListener("resize", refit);
    dialog.addEventListener("close", () => removeEventListener("resize", refit));
    return { dialog, fit };
  }

  for (const link of document.querySelectorAll("a[data-zoom]")) link.addEventListener("click", open);
})();
