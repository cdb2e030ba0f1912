// The dashboard's city map: wheel to zoom, drag to pan, click a device or a fibre for its details.
// Details come from the page's data attribute and are written with textContent: never as markup.
(function () {
  "use strict";
  const box = document.getElementById("citymap");
  if (!box) { return; }
  const svg = box.querySelector("svg");
  const panel = document.getElementById("mapdetails");
  const details = JSON.parse(box.dataset.details || "{}");
  if (!svg) { return; }
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  const start = svg.viewBox.baseVal;
  const home = { x: start.x, y: start.y, w: start.width, h: start.height };
  let view = Object.assign({}, home);
  const apply = () => svg.setAttribute("viewBox", `${view.x} ${view.y} ${view.w} ${view.h}`);
  const zoom = (k, cx, cy) => {
    view.x = cx - (cx - view.x) * k; view.y = cy - (cy - view.y) * k; view.w *= k; view.h *= k; apply();
  };
  const toMap = (e) => {
    const r = svg.getBoundingClientRect();
    return [view.x + (e.clientX - r.left) / r.width * view.w, view.y + (e.clientY - r.top) / r.height * view.h];
  };
  svg.addEventListener("wheel", (e) => { e.preventDefault(); const [x, y] = toMap(e); zoom(e.deltaY < 0 ? 0.8 : 1.25, x, y); },
                       { passive: false });
  let drag = null;
  svg.addEventListener("mousedown", (e) => { drag = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y, moved: false }; });
  window.addEventListener("mousemove", (e) => {
    if (!drag) { return; }
    const r = svg.getBoundingClientRect();
    if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) > 3) { drag.moved = true; }
    view.x = drag.vx - (e.clientX - drag.x) / r.width * view.w;
    view.y = drag.vy - (e.clientY - drag.y) / r.height * view.h;
    apply();
  });
  window.addEventListener("mouseup", () => { setTimeout(() => { drag = null; }, 0); });
  for (const [id, k] of [["zoomin", 0.8], ["zoomout", 1.25]]) {
    const b = document.getElementById(id);
    if (b) { b.addEventListener("click", () => zoom(k, view.x + view.w / 2, view.y + view.h / 2)); }
  }
  const reset = document.getElementById("zoomreset");
  if (reset) { reset.addEventListener("click", () => { view = Object.assign({}, home); apply(); }); }

  const line = (label, value, href) => {
    const p = document.createElement("p");
    const b = document.createElement("b");
    b.textContent = label + ": ";
    p.appendChild(b);
    if (href) { const a = document.createElement("a"); a.href = href; a.textContent = value; p.appendChild(a); }
    else { p.appendChild(document.createTextNode(value)); }
    return p;
  };
  svg.addEventListener("click", (e) => {
    if (drag && drag.moved) { return; }
    const node = e.target.closest("g.node");
    const edge = e.target.closest("g.edge");
    panel.replaceChildren();
    if (node) {
      const id = (node.querySelector("title") || {}).textContent;
      const d = (details.nodes || {})[id];
      if (!d) { return; }
      panel.append(line("device", d.device), line("role", d.role), line("site", d.site));
      if (d.pd) { panel.append(line("PD", `${d.pd_name} (${d.pd})`, "/pd/" + encodeURIComponent(d.pd))); }
      if (d.verdict) { panel.append(line("redundancy", d.verdict)); }
    } else if (edge) {
      const cable = (edge.querySelector("text") || {}).textContent;
      const c = (details.cables || {})[cable];
      if (!c) { return; }
      panel.append(line("fibre", cable), line("ends", `${c.a} – ${c.b}`), line("length", `${c.length_m || "?"} m`));
      if (c.state) { panel.append(line("last sweep", c.state)); }
      for (const d of c.ducts) { panel.append(line("duct", `${d.id} (${d.route})`, "/dashboard?duct=" + encodeURIComponent(d.id))); }
    }
  });
}());
