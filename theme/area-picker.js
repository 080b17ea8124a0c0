// The preview's area picker (热区标注): draw an article's area on the page scan and copy the
// `area:` line for its front matter, in the scan's own pixels. Loaded only by the preview.
// Drag for a rectangle; or click the corners of a polygon one by one and double-click to close.
(() => {
  const figure = document.querySelector("figure.scan");
  const svg = figure?.querySelector("svg.areas");
  if (!svg) return;
  const [, , width, height] = svg.getAttribute("viewBox").split(" ").map(Number);
  const NS = "http://www.w3.org/2000/svg";

  const tools = document.createElement("div");
  tools.className = "area-picker";
  tools.innerHTML =
    '<button type="button" aria-pressed="false">标注热区</button>' +
    '<span hidden>拖动画矩形；或逐个点击多边形的顶点，双击结束。</span>' +
    '<output hidden></output> <button type="button" class="copy" hidden>复制</button>';
  figure.append(tools);
  const [toggle, copy] = tools.querySelectorAll("button");
  const hint = tools.querySelector("span");
  const result = tools.querySelector("output");
  const shape = document.createElementNS(NS, "polygon");
  shape.setAttribute("class", "picked");
  let on = false;
  let points = [];
  let drag = null;

  const at = (event) => {
    const box = svg.getBoundingClientRect();
    const x = Math.round(((event.clientX - box.left) / box.width) * width);
    const y = Math.round(((event.clientY - box.top) / box.height) * height);
    return [Math.min(width, Math.max(0, x)), Math.min(height, Math.max(0, y))];
  };
  const show = (corners, line) => {
    shape.setAttribute("points", corners.map((p) => p.join(",")).join(" "));
    if (!shape.isConnected) svg.append(shape);
    if (line) {
      result.textContent = line;
      result.hidden = copy.hidden = false;
    }
  };
  const rectangle = ([x1, y1], [x2, y2]) => [Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)];

  toggle.addEventListener("click", () => {
    on = !on;
    toggle.setAttribute("aria-pressed", String(on));
    hint.hidden = !on;
    figure.classList.toggle("picking", on);
    points = [];
  });
  copy.addEventListener("click", () => navigator.clipboard?.writeText(result.textContent));
  svg.addEventListener("click", (event) => on && event.preventDefault(), true); // no article opens while drawing
  svg.addEventListener("pointerdown", (event) => {
    if (!on) return;
    event.preventDefault();
    drag = at(event);
    svg.setPointerCapture(event.pointerId);
  });
  svg.addEventListener("pointermove", (event) => {
    if (!on || !drag) return;
    const [x1, y1, x2, y2] = rectangle(drag, at(event));
    if (x2 - x1 > 4 || y2 - y1 > 4) show([[x1, y1], [x2, y1], [x2, y2], [x1, y2]]);
  });
  svg.addEventListener("pointerup", (event) => {
    if (!on || !drag) return;
    const [x1, y1, x2, y2] = rectangle(drag, at(event));
    drag = null;
    if (x2 - x1 > 4 || y2 - y1 > 4) {
      points = [];
      show([[x1, y1], [x2, y1], [x2, y2], [x1, y2]], `area: [${x1}, ${y1}, ${x2}, ${y2}]`);
    } else {
      points.push(at(event)); // a click: one more corner of a polygon
      show(points);
    }
  });
  svg.addEventListener("dblclick", (event) => {
    if (!on) return;
    event.preventDefault();
    const corners = points.filter((p, i) => i === 0 || p.join() !== points[i - 1].join());
    if (corners.length >= 3) show(corners, `area: [${corners.map((p) => `[${p.join(", ")}]`).join(", ")}]`);
    points = [];
  });
})();
