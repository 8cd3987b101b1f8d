// argkit map view: shows the map's SVG, reports the id of a clicked box, highlights the selection.
// Plain ES module with no imports, shipped inside the package, so it works offline.

const SVG_NS = "http://www.w3.org/2000/svg";
const NODE_PREFIX = "argkit-node-";

// The SVG comes from argkit's renderer, which escapes every string; parsing it in an inert
// document and dropping scripts, event handlers and links is a second line of defence, so that
// nothing in a map can run code in the JupyterLab page.
function parseSvg(text) {
  if (!text) return null;
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== SVG_NS || root.localName !== "svg") return null;
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
  return document.importNode(root, true);
}

function nodeId(g) {
  if (g.id && g.id.startsWith(NODE_PREFIX)) return g.id.slice(NODE_PREFIX.length);
  const title = g.querySelector("title");
  return title ? title.textContent.trim() : "";
}

function render({ model, el }) {
  el.classList.add("argkit-mapview");
  const box = document.createElement("div");
  box.className = "argkit-mapview-box";
  el.appendChild(box);

  function highlight() {
    const selected = model.get("selected");
    for (const g of box.querySelectorAll("g.node")) {
      const id = nodeId(g);
      g.classList.toggle("argkit-selected", id !== "" && id === selected);
      g.setAttribute("data-argkit-id", id);
    }
  }

  function draw() {
    const svg = parseSvg(model.get("svg"));
    box.replaceChildren(...(svg ? [svg] : []));
    if (!svg) {
      const p = document.createElement("p");
      p.className = "argkit-mapview-empty";
      p.textContent = model.get("svg") ? "This map could not be shown." : "";
      box.appendChild(p);
    }
    highlight();
  }

  function onClick(event) {
    const g = event.target.closest && event.target.closest("g.node");
    if (!g || !box.contains(g)) return;
    const id = nodeId(g);
    if (!id) return;
    // a click on the selected box changes nothing, so say it: the editor refills the form
    if (id === model.get("selected")) model.send({ event: "click", id });
    model.set("selected", id);
    model.save_changes();
    highlight();
  }

  box.addEventListener("click", onClick);
  model.on("change:svg", draw);
  model.on("change:selected", highlight);
  draw();
  return () => {
    box.removeEventListener("click", onClick);
    model.off("change:svg", draw);
    model.off("change:selected", highlight);
  };
}

export default { render };
