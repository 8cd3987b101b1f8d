// argkit map view: the map's SVG in a box that fits, zooms, pans and keeps the selected box on screen.
// Plain ES module with no imports, shipped inside the package, so it works offline.
//
// The Python side (argkit/mapview.py) draws the SVG and owns the map; this side only shows it:
// a toolbar (breadcrumb, Focus, Fold, zoom), the map's box, and a live region for screen readers.

const SVG_NS = "http://www.w3.org/2000/svg";
const XLINK_NS = "http://www.w3.org/1999/xlink";
const NODE_PREFIX = "argkit-node-";
const MORE_PREFIX = "argkit-more-";
const PX_PER_PT = 96 / 72;
const MIN_SCALE = 0.05;
const MAX_SCALE = 3;
const STEP = 1.25;
// Below this scale a box's 11-pt text is under ~9 px: selecting a box then zooms to READ, centred on it.
const SMALL = 0.6;
const READ = 0.85;

// The SVG comes from argkit's renderer, which escapes every string; parsing it in an inert
// document and dropping scripts, event handlers and links is a second line of defence, so that
// nothing in a map can run code in the JupyterLab page.
// Anything that could be an element or attribute to drop; text without any of it (every map argkit
// draws) skips the walk over every attribute, which costs more than parsing on a big map.
const SUSPECT = /<\s*(script|foreignObject|iframe|object|embed)\b|\s(on[a-z]*|href|xlink:href|target)\s*=/i;

function parseSvg(text) {
  if (!text) return null;
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== SVG_NS || root.localName !== "svg") return null;
  if (SUSPECT.test(text)) {
    for (const bad of root.querySelectorAll("script, foreignObject, iframe, object, embed")) {
      bad.remove();
    }
    for (const el of [root, ...root.querySelectorAll("*")]) {
      for (const attr of [...el.attributes]) {
        const name = attr.name.toLowerCase();
        if (name.startsWith("on") || name === "href" || name === "xlink:href" || name === "target") {
          el.removeAttribute(attr.name);
        }
      }
    }
  }
  return document.adoptNode(root);
}

// -- Redrawing only what changed ------------------------------------------------------------
// After Add, Graphviz lays the whole map out again, but almost every box is the same box moved:
// same text, same colours, every coordinate shifted by one (dx, dy). Replacing the whole SVG made
// Chromium parse, lay out and shape the text of every box again (~800 lines of text on the debate
// map). Instead the new SVG text is cut into the graph's top-level pieces (background, title,
// clusters, edges, boxes: Graphviz writes each element on its own lines), and a piece that is an
// old piece moved keeps its element, with a translate(); only new or changed pieces are parsed.
const COORDS = /\s(x|y|cx|cy|points|d)="([^"]*)"/g;
const NUMBER = /-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi;
const PATH_OK = /^[MC\d\s.,eE+-]*$/;  // Graphviz's curves: absolute M and C only
const NEAR = 0.02;  // Graphviz prints 2 decimals, so a moved coordinate may be off by 0.01

// "<g ..." or "</g>" on a line, to find where a top-level piece ends
function depthChange(line) {
  let d = 0;
  for (let i = line.indexOf("<"); i >= 0; i = line.indexOf("<", i + 1)) {
    if (line.startsWith("<g ", i) || line.startsWith("<g>", i)) d += 1;
    else if (line.startsWith("</g>", i)) d -= 1;
  }
  return d;
}

// The SVG text as {head, pieces}: head is everything up to the graph's <g id="graph0"> line, and
// each piece is the text of one top-level element of the graph. null if it is not laid out so.
function cut(text) {
  const start = text.indexOf('<g id="graph0"');
  if (start < 0) return null;
  const headEnd = text.indexOf("\n", start) + 1;
  const end = text.lastIndexOf("</g>\n</svg>");
  if (headEnd <= 0 || end < headEnd) return null;
  const pieces = [];
  let depth = 0;
  let from = headEnd;
  for (let pos = headEnd; pos < end;) {
    const nl = text.indexOf("\n", pos);
    const next = nl < 0 || nl >= end ? end : nl + 1;
    depth += depthChange(text.slice(pos, next));
    if (depth < 0) return null;
    pos = next;
    if (depth === 0) {
      pieces.push(text.slice(from, pos));
      from = pos;
    }
  }
  if (depth !== 0 || from !== end) return null;
  return { head: text.slice(0, headEnd), pieces };
}

// A piece with its coordinates taken out (skel) and kept apart (xs, ys), to compare looks.
function piece(text) {
  const xs = [];
  const ys = [];
  const skel = text.replace(COORDS, (all, name, value) => {
    if (name === "d" && !PATH_OK.test(value)) return all;
    if (name === "points" || name === "d") {
      const nums = value.match(NUMBER) || [];
      if (nums.length % 2) return all;
      for (let i = 0; i < nums.length; i += 2) { xs.push(+nums[i]); ys.push(+nums[i + 1]); }
    } else if (name === "x" || name === "cx") {
      xs.push(+value);
    } else {
      ys.push(+value);
    }
    return ` ${name}=""`;
  });
  // An edge's id is its number among the edges, which an added edge shifts: not part of its look.
  const edge = /^<g id="edge\d+" class="edge[ "]/.test(skel);
  return { text, xs, ys, skel: edge ? skel.replace(/^<g id="[^"]*"/, "<g") : skel, id: idOf(text) };
}

function idOf(text) {
  const m = /^<g id="([^"]*)"/.exec(text);
  return m ? m[1].replace(/&#45;/g, "-") : null;
}

// (dx, dy) if piece b is piece a moved, else null.
function shift(a, b) {
  if (a.xs.length !== b.xs.length || a.ys.length !== b.ys.length) return null;
  const dx = b.xs.length ? b.xs[0] - a.xs[0] : 0;
  const dy = b.ys.length ? b.ys[0] - a.ys[0] : 0;
  for (let i = 0; i < a.xs.length; i++) if (Math.abs(b.xs[i] - a.xs[i] - dx) > NEAR) return null;
  for (let i = 0; i < a.ys.length; i++) if (Math.abs(b.ys[i] - a.ys[i] - dy) > NEAR) return null;
  return { dx, dy };
}

function attr(tag, name) {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? m[1] : null;
}

function nodeId(g) {
  if (g.id && g.id.startsWith(NODE_PREFIX)) return g.id.slice(NODE_PREFIX.length);
  const title = g.querySelector("title");
  return title ? title.textContent.trim() : "";
}

function moreId(g) {
  return g.id && g.id.startsWith(MORE_PREFIX) ? g.id.slice(MORE_PREFIX.length) : "";
}

// "objection o_trade: The trade figures ..." from the box's class and tooltip (its first line).
function describe(g) {
  const kind = ([...g.classList].find((c) => c.startsWith("argkit-") && c !== "argkit-node" &&
    c !== "argkit-student" && c !== "argkit-selected" && !/^argkit-(in|out|undec|labelled)$/.test(c)) || "argkit-claim")
    .slice("argkit-".length);
  const a = g.querySelector("a");
  const tip = a ? (a.getAttributeNS(XLINK_NS, "title") || a.getAttribute("xlink:title") || "") : "";
  const text = tip.split("\n")[0];
  const label = [...g.classList].find((c) => /^argkit-(in|out|undec)$/.test(c));
  const mine = g.classList.contains("argkit-student") ? " (added by a student)" : "";
  return `${kind} ${nodeId(g)}${mine}${label ? ", " + label.slice(7).toUpperCase() : ""}: ${text}`;
}

function button(text, title, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "argkit-mv-button";
  b.textContent = text;
  b.title = title;
  b.setAttribute("aria-label", title);
  b.addEventListener("click", onClick);
  return b;
}

function render({ model, el }) {
  el.classList.add("argkit-mapview");
  const bar = document.createElement("div");
  bar.className = "argkit-mv-bar";
  const crumbs = document.createElement("nav");
  crumbs.className = "argkit-mv-crumbs";
  crumbs.setAttribute("aria-label", "Where you are in the map");
  const tools = document.createElement("div");
  tools.className = "argkit-mv-tools";
  tools.setAttribute("role", "toolbar");
  tools.setAttribute("aria-label", "Map view");
  bar.append(crumbs, tools);

  const port = document.createElement("div");
  port.className = "argkit-mv-port argkit-mapview-box";
  port.tabIndex = 0;
  port.setAttribute("role", "region");
  const stage = document.createElement("div");
  stage.className = "argkit-mv-stage";
  port.appendChild(stage);
  const hint = document.createElement("p");
  hint.className = "argkit-mv-hint";
  hint.textContent = "Tab to a box and press Enter to select it; drag or scroll to move around; " +
    "+ and − zoom.";
  const live = document.createElement("div");
  live.className = "argkit-mv-live";
  live.setAttribute("aria-live", "polite");
  live.setAttribute("role", "status");
  el.append(bar, port, live);

  let scale = 0;  // 0: not drawn yet, fit on the first drawing
  let natural = { w: 0, h: 0 };  // the map's size in CSS pixels at scale 1
  // The <svg> element's own size at scale 1. A patch (see patch) leaves the <svg> element as it
  // is and moves the graph inside it instead: changing the root's size or viewBox makes Chromium
  // lay out every text of the map again (30-50 ms for the debate map), moving the graph does
  // not. The stage around it has the map's size (the scrollbars) and clips what lies beyond.
  let root = { w: 0, h: 0 };
  let lastFocus = null;

  const focusButton = button("Focus", "Show the selected claim with its parent and children", () => {
    const id = model.get("selected");
    if (id) setModel("focus", id);
  });
  const foldButton = button("Fold", "Fold or unfold the branch under the selected claim", () => {
    const id = model.get("selected");
    if (!id) return;
    const fold = model.get("fold") || [];
    setModel("fold", fold.includes(id) ? fold.filter((f) => f !== id) : [...fold, id]);
  });
  const outButton = button("−", "Zoom out", () => zoomBy(1 / STEP));
  const fitButton = button("Fit", "Fit the map to the width of its box", () => fit());
  const inButton = button("+", "Zoom in", () => zoomBy(STEP));
  const centreButton = button("Centre", "Bring the selected claim to the middle", () => {
    centreOn(model.get("selected"), true);
  });
  tools.append(focusButton, foldButton, outButton, fitButton, inButton, centreButton);

  function setModel(name, value) {
    model.set(name, value);
    model.save_changes();
  }

  function svgEl() {
    return stage.querySelector(":scope > svg");
  }

  function boxOf(id) {
    if (!id) return null;
    const svg = svgEl();
    return svg ? svg.querySelector(`g.node[id="${NODE_PREFIX}${CSS.escape(id)}"]`) : null;
  }

  function applyScale(s, anchor) {
    const svg = svgEl();
    if (!svg || !natural.w) return;
    s = Math.min(MAX_SCALE, Math.max(MIN_SCALE, s));
    // keep the point under the anchor (default: the middle of the box) where it is
    const ax = anchor ? anchor.x : port.clientWidth / 2;
    const ay = anchor ? anchor.y : port.clientHeight / 2;
    const fx = scale ? (port.scrollLeft + ax) / scale : 0;
    const fy = scale ? (port.scrollTop + ay) / scale : 0;
    svg.setAttribute("width", `${(root.w * s).toFixed(1)}px`);
    svg.setAttribute("height", `${(root.h * s).toFixed(1)}px`);
    stage.style.width = `${(natural.w * s).toFixed(1)}px`;
    stage.style.height = `${(natural.h * s).toFixed(1)}px`;
    scale = s;
    port.scrollLeft = fx * s - ax;
    port.scrollTop = fy * s - ay;
    outButton.disabled = s <= MIN_SCALE;
    inButton.disabled = s >= MAX_SCALE;
    el.dataset.scale = s.toFixed(3);
  }

  function fit() {
    if (!natural.w) return;
    const width = port.clientWidth || el.clientWidth || 900;
    const s = Math.min(1, (width - 4) / natural.w);
    applyScale(s);
    port.scrollLeft = 0;
    port.scrollTop = 0;
  }

  // Fitted, and scrolled to where the argument starts: a tree drawn left to right has its
  // contention half-way down.
  function home() {
    fit();
    const focus = model.get("focus");
    const svg = svgEl();
    const start = focus ? boxOf(focus) : svg && svg.querySelector("g.node.argkit-contention");
    if (start) centreOn(start.dataset.argkitId, false);
  }

  function zoomBy(f, anchor) {
    applyScale(scale * f, anchor);
  }

  // Scroll so that the box is on screen: only if it is not (or always, to the middle, if asked).
  function centreOn(id, always) {
    const g = boxOf(id);
    if (!g) return false;
    const r = g.getBoundingClientRect();
    const p = port.getBoundingClientRect();
    if (!r.width && !r.height) return false;
    const inside = r.left >= p.left && r.right <= p.right && r.top >= p.top && r.bottom <= p.bottom;
    if (!inside || always) {
      port.scrollLeft += (r.left + r.width / 2) - (p.left + p.width / 2);
      port.scrollTop += (r.top + r.height / 2) - (p.top + p.height / 2);
    }
    return true;
  }

  // The map and what sits beside it (the editor's form, the what-if choices) on the page, so a
  // student who clicked a box sees the button that acts on it without scrolling.
  function showRow() {
    const row = el.parentElement || el;
    const r = row.getBoundingClientRect();
    const view = window.innerHeight || document.documentElement.clientHeight;
    if (r.height <= view) row.scrollIntoView({ block: "nearest" });  // nothing moves if it is in view
  }

  // Make the box readable and bring it to the middle (Rationale's "zoom to"): the overview a
  // map opens with is for finding a box, not for reading it.
  function bringIn(id) {
    if (!boxOf(id)) return;
    if (scale && scale < SMALL) {
      applyScale(READ);
      centreOn(id, true);
    } else {
      centreOn(id, false);
    }
  }

  function highlight() {
    const selected = model.get("selected");
    const svg = svgEl();
    if (!svg) return;
    for (const g of svg.querySelectorAll("g.node")) {
      const on = g.classList.contains("argkit-node") && nodeId(g) === selected && selected !== "";
      g.classList.toggle("argkit-selected", on);
      const pressed = on ? "true" : "false";
      if (g.hasAttribute("aria-pressed") && g.getAttribute("aria-pressed") !== pressed) {
        g.setAttribute("aria-pressed", pressed);
      }
    }
    focusButton.disabled = !selected;
    foldButton.disabled = !selected;
    centreButton.disabled = !selected;
    foldButton.textContent = (model.get("fold") || []).includes(selected) ? "Unfold" : "Fold";
  }

  function drawCrumbs() {
    const items = model.get("crumbs") || [];
    const focus = model.get("focus");
    crumbs.replaceChildren();
    items.forEach((c, i) => {
      if (i) {
        const sep = document.createElement("span");
        sep.className = "argkit-mv-sep";
        sep.setAttribute("aria-hidden", "true");
        sep.textContent = "›";
        crumbs.appendChild(sep);
      }
      const here = c.id === focus;
      const b = button(c.label, here ? `${c.label} (shown now)` : `Show ${c.id ? c.label : "the whole map"}`,
        () => setModel("focus", c.id));
      b.classList.add("argkit-mv-crumb");
      if (here) b.setAttribute("aria-current", "location");
      crumbs.appendChild(b);
    });
    if (items.length <= 1) {
      const note = document.createElement("span");
      note.className = "argkit-mv-note";
      note.textContent = "· the whole map (select a box, then Focus)";
      crumbs.appendChild(note);
    }
  }

  // Tab stops, roles and names for the boxes in root (the whole SVG, or the pieces of a patch).
  function decorate(root) {
    // Graph and edge titles ("cox->r_best") are noise to a screen reader; a box's title becomes
    // its tooltip (the whole claim, the quote, the id), and its name is set below.
    for (const t of root.querySelectorAll("title")) {
      if (!t.parentNode.classList || !t.parentNode.classList.contains("node")) t.remove();
    }
    for (const g of root.querySelectorAll("g.node")) {
      g.setAttribute("tabindex", "0");
      g.setAttribute("role", "button");
      if (g.classList.contains("argkit-node")) {
        g.setAttribute("aria-label", describe(g));
        g.setAttribute("aria-pressed", "false");
        g.dataset.argkitId = nodeId(g);
      } else {
        const id = moreId(g);
        const count = (g.textContent || "").trim();
        g.setAttribute("aria-label", `${count} under ${id}: show them`);
      }
      const a = g.querySelector("a");
      const tip = a ? (a.getAttributeNS(XLINK_NS, "title") || "") : "";
      const t = g.querySelector(":scope > title");
      if (t) {
        if (tip) t.textContent = tip;
        else t.remove();
      }
      if (a) a.removeAttributeNS(XLINK_NS, "title");
    }
  }

  // What the port shows, piece by piece (see cut), so that the next drawing can be a patch;
  // null when it cannot be patched.
  let shown = null;
  const headSkel = (head) => head.replace(/\s(width|height|viewBox|transform)="[^"]*"/g, "");

  function remember(svg, text) {
    const c = cut(text);
    const g0 = svg.querySelector(":scope > g");
    if (!c || !g0 || g0.children.length !== c.pieces.length) return null;
    return { head: headSkel(c.head), g0,
      pieces: c.pieces.map((t, i) => ({ orig: t, now: t, piece: null, el: g0.children[i] })) };
  }

  // Turn what is shown into `text` in place; false if it cannot be done (then draw it all).
  // Each element keeps the text it was parsed from (orig) and the text it stands for now (now):
  // a piece whose text is unchanged keeps its element as it is; one that is an old piece moved
  // keeps the element with a translate() from where it was parsed; the rest are parsed.
  function patch(text) {
    const svg = svgEl();
    if (!shown || !svg || shown.g0.parentNode !== svg) return false;
    const c = cut(text);
    if (!c || headSkel(c.head) !== shown.head) return false;
    const viewBox = attr(c.head.slice(0, c.head.indexOf(">")), "viewBox");
    const transform = attr(c.head.slice(c.head.indexOf('<g id="graph0"')), "transform");
    const box = viewBox ? viewBox.split(/[\s,]+/).map(Number) : [];
    if (box.length !== 4 || !(box[2] > 0) || transform === null) return false;
    const byText = new Map();
    for (const e of shown.pieces) {
      const same = byText.get(e.now);
      if (same) same.push(e);
      else byText.set(e.now, [e]);
    }
    const plan = c.pieces.map((t) => {
      const same = byText.get(t);
      return same && same.length ? { entry: same.shift(), now: t } : { now: t };
    });
    const bySkel = new Map();
    for (const same of byText.values()) {
      for (const e of same) {
        e.piece = e.piece || piece(e.orig);
        const list = bySkel.get(e.piece.skel);
        if (list) list.push(e);
        else bySkel.set(e.piece.skel, [e]);
      }
    }
    const fresh = [];
    for (const x of plan) {
      if (x.entry) continue;
      x.p = piece(x.now);
      const same = bySkel.get(x.p.skel) || [];
      for (let i = 0; i < same.length && !x.entry; i++) {
        const d = shift(same[i].piece, x.p);
        if (d) {
          x.entry = same.splice(i, 1)[0];
          x.d = d;
        }
      }
      if (!x.entry) fresh.push(x.now);
    }
    let made = [];
    if (fresh.length) {
      const frag = parseSvg(`<svg xmlns="${SVG_NS}" xmlns:xlink="${XLINK_NS}">\n${fresh.join("")}</svg>`);
      if (!frag || frag.children.length !== fresh.length) return false;
      decorate(frag);
      made = [...frag.children];
    }
    // nothing can fail from here on
    const keep = new Set(plan.filter((x) => x.entry).map((x) => x.entry.el));
    for (const e of shown.pieces) if (!keep.has(e.el)) e.el.remove();
    const g0 = shown.g0;
    const pieces = [];
    let k = 0;
    plan.forEach((x, i) => {
      let el;
      if (x.entry) {
        el = x.entry.el;
        if (x.d) {
          const { dx, dy } = x.d;
          const move = dx || dy ? `translate(${+dx.toFixed(2)} ${+dy.toFixed(2)})` : null;
          if (move === null) el.removeAttribute("transform");
          else el.setAttribute("transform", move);
          if (x.p.id && el.id !== x.p.id) el.id = x.p.id;  // an edge's number
        }
        pieces.push({ orig: x.entry.orig, now: x.now, piece: x.entry.piece, el });
      } else {
        el = made[k++];
        pieces.push({ orig: x.now, now: x.now, piece: x.p, el });
      }
      const at = g0.children[i];
      if (at !== el) g0.insertBefore(el, at || null);
    });
    g0.setAttribute("transform", transform);  // Graphviz's origin is the bottom left: it moves
    natural = { w: box[2] * PX_PER_PT, h: box[3] * PX_PER_PT };
    // the same zoom, set without reading the layout (which would make Chromium lay the page out
    // now, and again for the frame)
    stage.style.width = `${(natural.w * scale).toFixed(1)}px`;
    stage.style.height = `${(natural.h * scale).toFixed(1)}px`;
    shown = { head: shown.head, g0, pieces };
    el.dataset.patched = String(fresh.length);  // pieces parsed anew (read by the browser test)
    return true;
  }

  function draw() {
    const started = performance.now();
    const text = model.get("svg");
    const focus = model.get("focus");
    const again = scale && focus === lastFocus;  // the same view drawn anew: keep zoom and scroll
    let patched = false;
    if (again && text) {
      try {
        patched = patch(text);
      } catch (e) {
        patched = false;  // drawn whole below
      }
    }
    if (!patched) {
      shown = null;
      const svg = parseSvg(text);
      const keep = { x: port.scrollLeft, y: port.scrollTop };
      stage.replaceChildren(...(svg ? [svg] : []));
      if (!svg) {
        const p = document.createElement("p");
        p.className = "argkit-mapview-empty";
        p.textContent = text ? "This map could not be shown." : "";
        stage.appendChild(p);
        stage.style.width = stage.style.height = "";
        natural = root = { w: 0, h: 0 };
        return;
      }
      const vb = svg.viewBox && svg.viewBox.baseVal;
      natural = vb && vb.width ? { w: vb.width * PX_PER_PT, h: vb.height * PX_PER_PT } : { w: 800, h: 600 };
      root = natural;
      svg.removeAttribute("style");
      decorate(svg);
      shown = remember(svg, text);
      delete el.dataset.patched;
      if (!again) {
        scale = 0;
        home();
      } else {
        applyScale(scale);
        port.scrollLeft = keep.x;
        port.scrollTop = keep.y;
      }
    }
    lastFocus = focus;
    const title = model.get("title") || "argument map";
    const svg = svgEl();
    svg.setAttribute("role", "group");
    svg.setAttribute("aria-label", `Argument map: ${title}`);
    port.setAttribute("aria-label", `Argument map: ${title}. ${hint.textContent}`);
    highlight();
    el.dataset.drawMs = (performance.now() - started).toFixed(1);  // read by benchmarks/bench_browser.py
  }

  let drag = null;
  function onPointerDown(event) {
    if (event.button !== 0) return;
    drag = { x: event.clientX, y: event.clientY, left: port.scrollLeft, top: port.scrollTop, moved: false };
  }
  function onPointerMove(event) {
    if (!drag) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 5) return;
    if (!drag.moved) {
      drag.moved = true;
      port.classList.add("argkit-mv-dragging");
      try { port.setPointerCapture(event.pointerId); } catch (e) { /* not a pointer we can capture */ }
    }
    port.scrollLeft = drag.left - dx;
    port.scrollTop = drag.top - dy;
  }
  function onPointerUp() {
    if (drag && drag.moved) {
      port.classList.remove("argkit-mv-dragging");
      // the click that ends a drag selects nothing
      const swallow = (e) => { e.stopPropagation(); e.preventDefault(); };
      port.addEventListener("click", swallow, { capture: true, once: true });
      setTimeout(() => port.removeEventListener("click", swallow, { capture: true }), 0);
    }
    drag = null;
  }

  function activate(g) {
    if (!g) return;
    if (g.classList.contains("argkit-node")) {
      const id = nodeId(g);
      if (!id) return;
      // a click on the selected box changes nothing, so say it: the editor refills the form
      if (id === model.get("selected")) model.send({ event: "click", id });
      setModel("selected", id);
      highlight();
      bringIn(id);
      showRow();
      announce(id);
      return;
    }
    const id = moreId(g);
    if (!id) return;
    const fold = model.get("fold") || [];
    if (fold.includes(id)) setModel("fold", fold.filter((f) => f !== id));
    else setModel("focus", id);
  }

  function onClick(event) {
    const g = event.target.closest && event.target.closest("g.node");
    if (g && port.contains(g)) activate(g);
  }

  function onKey(event) {
    const g = event.target.closest && event.target.closest("g.node");
    if (g && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      activate(g);
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "+" || event.key === "=") { zoomBy(STEP); event.preventDefault(); }
    else if (event.key === "-") { zoomBy(1 / STEP); event.preventDefault(); }
    else if (event.key === "0") { fit(); event.preventDefault(); }
  }

  function onWheel(event) {
    if (!event.ctrlKey) return;  // plain wheel scrolls (pans); Ctrl + wheel zooms
    event.preventDefault();
    const p = port.getBoundingClientRect();
    zoomBy(event.deltaY < 0 ? STEP : 1 / STEP, { x: event.clientX - p.left, y: event.clientY - p.top });
  }

  function announce(id) {
    const g = boxOf(id);
    if (g) live.textContent = `Selected ${g.getAttribute("aria-label")}`;
    else if (!id) live.textContent = "No claim selected.";
  }

  // A selection made elsewhere (the list of claims, code): show the box.
  function onSelected() {
    highlight();
    const id = model.get("selected");
    bringIn(id);
    announce(id);
  }

  function onChanged() {
    const id = model.get("changed");
    const g = boxOf(id);
    if (!g) return;
    centreOn(id, false);
    g.classList.add("argkit-changed");
    setTimeout(() => g.classList.remove("argkit-changed"), 1600);
  }

  function onStatus() {
    const text = model.get("status");
    if (text) live.textContent = text;
  }

  function onHeight() {
    port.style.height = model.get("height") || "460px";
  }

  // The output area may be laid out after the first drawing: fit again once it has a width.
  let resized = false;
  const observer = typeof ResizeObserver === "function" ? new ResizeObserver(() => {
    if (!resized && port.clientWidth && natural.w) {
      resized = true;
      home();
      centreOn(model.get("selected"), false);
    }
  }) : null;
  if (observer) observer.observe(port);

  port.addEventListener("click", onClick);
  port.addEventListener("keydown", onKey);
  port.addEventListener("wheel", onWheel, { passive: false });
  port.addEventListener("pointerdown", onPointerDown);
  port.addEventListener("pointermove", onPointerMove);
  port.addEventListener("pointerup", onPointerUp);
  port.addEventListener("pointercancel", onPointerUp);
  const handlers = {
    "change:svg": draw,
    "change:selected": onSelected,
    "change:crumbs": drawCrumbs,
    "change:focus": drawCrumbs,
    "change:fold": highlight,
    "change:changed_count": onChanged,
    "change:status": onStatus,
    "change:height": onHeight,
  };
  for (const [name, fn] of Object.entries(handlers)) model.on(name, fn);
  onHeight();
  drawCrumbs();
  draw();
  return () => {
    if (observer) observer.disconnect();
    for (const [name, fn] of Object.entries(handlers)) model.off(name, fn);
  };
}

export default { render };
