// The review page's document viewer: the page image with every field's box, free zoom and pan,
// and the link between boxes and the form's fields. Plain JS, no build step, nothing fetched
// but the page images the app serves itself.
//
// Streamlit mounts it in the page (no iframe), so it sees the form: focusing a field's input
// highlights that field's box and brings it into view; clicking a box focuses its input and
// tells Python which field it was ("selected"). The keyboard shortcuts live here too
// ("confirm" tells Python a flagged field was checked as right); they are in keyboard.js. A box
// drawn on the page is read into the focused field ("region"): draw.js.

const VIEWS = new WeakMap();
const MIN_SCALE = 0.05;
const MAX_SCALE = 8;
const READABLE_PX = 30; // a focused field's box is zoomed to at least this height on screen
const DRAG_PX = 4; // a press that moves less than this is a click

export default function (component) {
  const { parentElement, data, setTriggerValue } = component;
  let view = VIEWS.get(parentElement);
  if (!view) {
    view = build(parentElement);
    VIEWS.set(parentElement, view);
  }
  view.trigger = setTriggerValue;
  update(view, data || {});
  listen(view);
  return () => unlisten(view);
}

// Page-wide listeners, at most one set per viewer however often Streamlit calls the renderer.
function listen(view) {
  unlisten(view);
  view.listeners = [
    [document, "focusin", (event) => focusFromForm(view, event.target), false],
    [document, "keydown", (event) => onKeyDown(view, event), true],
    [window, "resize", () => refit(view), false],
  ];
  for (const [target, type, handler, capture] of view.listeners) target.addEventListener(type, handler, capture);
}

function unlisten(view) {
  for (const [target, type, handler, capture] of view.listeners || []) {
    target.removeEventListener(type, handler, capture);
  }
  view.listeners = [];
}

// ---- building and updating ---------------------------------------------------------------------

function build(parent) {
  const root = parent.querySelector(".mx-viewer");
  const view = {
    root,
    stage: root.querySelector(".mx-stage"),
    canvas: root.querySelector(".mx-canvas"),
    img: root.querySelector(".mx-img"),
    boxes: root.querySelector(".mx-boxes"),
    help: root.querySelector(".mx-help"),
    doc: null,
    pages: [],
    fields: [],
    page: 0,
    scale: 1,
    tx: 0,
    ty: 0,
    fit: "width", // "width", "page", or null once the clerk zoomed or moved the page
    active: null,
    drawMode: false, // "Read a region": the next drag draws a box (see draw.js)
    trigger: () => {},
  };
  const keys = root.querySelector(".mx-help-keys");
  for (const [combo, text] of SHORTCUTS) {
    const row = keys.insertRow();
    const kbd = document.createElement("kbd");
    kbd.textContent = combo;
    row.insertCell().appendChild(kbd);
    row.insertCell().textContent = text;
  }
  root.querySelectorAll("button[data-act]").forEach((button) => {
    button.addEventListener("click", () => act(view, button.dataset.act));
  });
  view.img.addEventListener("load", () => {
    view.retries = 0;
    if (view.fit) applyFit(view, view.fit);
    else applyTransform(view);
  });
  // The page route answers only once the session cookie is there; right after signing in the
  // image may be asked for first, so a refused one is asked again a few times.
  view.img.addEventListener("error", () => {
    const url = view.img.getAttribute("src");
    if (!url || (view.retries = (view.retries || 0) + 1) > 5) return;
    setTimeout(() => {
      if (view.img.getAttribute("src") !== url) return;
      view.img.removeAttribute("src");
      view.img.setAttribute("src", url);
    }, 400 * view.retries);
  });
  view.stage.addEventListener("wheel", (event) => onWheel(view, event), { passive: false });
  view.stage.addEventListener("pointerdown", (event) => onPointerDown(view, event));
  // Drawing a box, or turning the draw mode on, leaves the keyboard focus in the field.
  view.stage.addEventListener("mousedown", (event) => drawing(view, event) && event.preventDefault());
  root.querySelector('[data-act="draw"]').addEventListener("mousedown", (event) => event.preventDefault());
  return view;
}

function update(view, data) {
  const sameDoc = view.doc === data.doc;
  view.pages = Array.isArray(data.pages) ? data.pages : [];
  view.fields = Array.isArray(data.fields) ? data.fields : [];
  view.root.style.setProperty("--mx-height", data.height || "calc(100vh - 8rem)");
  if (!sameDoc) {
    view.doc = data.doc;
    view.active = null;
    view.fit = "width";
    view.page = 0;
  }
  view.page = Math.min(view.page, Math.max(0, view.pages.length - 1));
  showPage(view, view.page);
  untabConfirmBoxes();
  if (!sameDoc) startOnDocument(view);
}

// A new document starts at the top, its first field to check (else its first field) focused.
function startOnDocument(view) {
  document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"]').forEach((el) => {
    if (el.scrollTo) el.scrollTo(0, 0);
  });
  window.scrollTo(0, 0);
  const first = nextFlagged(view, null) || (view.fields[0] && view.fields[0].name);
  let tries = 60;
  const focusFirst = () => {
    const active = document.activeElement;
    if (active && /^(INPUT|TEXTAREA)$/.test(active.tagName)) return; // the clerk is typing already
    const input = first ? fieldInput(view, first) : null;
    if (input && !input.disabled) input.focus();
    else if (input === null && --tries > 0) requestAnimationFrame(focusFirst);
  };
  requestAnimationFrame(focusFirst);
}

// The "checked" boxes under flagged fields are for the mouse: Tab skips them (Ctrl+Enter confirms).
function untabConfirmBoxes() {
  document.querySelectorAll('[class*="st-key-review_confirm_"] input').forEach((input) => {
    input.tabIndex = -1;
  });
}

function showPage(view, page) {
  view.page = page;
  const info = view.pages[page];
  view.root.querySelector(".mx-page").textContent = view.pages.length
    ? `Page ${page + 1} of ${view.pages.length}`
    : "No page";
  view.root.querySelector('[data-act="prev"]').disabled = page <= 0;
  view.root.querySelector('[data-act="next"]').disabled = page >= view.pages.length - 1;
  if (!info) return;
  view.img.style.width = `${info.width}px`;
  view.img.style.height = `${info.height}px`;
  view.canvas.style.width = `${info.width}px`;
  view.canvas.style.height = `${info.height}px`;
  if (view.img.getAttribute("src") !== info.url) view.img.setAttribute("src", info.url);
  else if (view.fit) applyFit(view, view.fit);
  drawBoxes(view);
}

function drawBoxes(view) {
  view.boxes.replaceChildren();
  for (const field of view.fields) {
    if (!field.box || field.page !== view.page) continue;
    const [x0, y0, x1, y1] = field.box;
    const box = document.createElement("div");
    box.className = `mx-box mx-${field.state}` + (field.name === view.active ? " mx-active" : "");
    box.dataset.field = field.name;
    box.title = `${field.label}: ${stateText(field.state)}`;
    Object.assign(box.style, {
      left: `${x0}px`,
      top: `${y0}px`,
      width: `${Math.max(1, x1 - x0)}px`,
      height: `${Math.max(1, y1 - y0)}px`,
    });
    view.boxes.appendChild(box);
  }
}

function stateText(state) {
  return { flagged: "to check", confirmed: "confirmed", edited: "edited", ok: "read" }[state] || state;
}

// ---- zoom and pan ------------------------------------------------------------------------------

function pageSize(view) {
  const info = view.pages[view.page];
  return info ? [info.width, info.height] : [1, 1];
}

function applyFit(view, mode) {
  const [width, height] = pageSize(view);
  const sw = view.stage.clientWidth || 1;
  const sh = view.stage.clientHeight || 1;
  view.scale = mode === "page" ? Math.min(sw / width, sh / height) : sw / width;
  view.tx = 0;
  view.ty = 0;
  view.fit = mode;
  applyTransform(view);
}

function refit(view) {
  if (view.fit) applyFit(view, view.fit);
  else applyTransform(view);
}

function applyTransform(view) {
  const [width, height] = pageSize(view);
  const sw = view.stage.clientWidth;
  const sh = view.stage.clientHeight;
  const w = width * view.scale;
  const h = height * view.scale;
  view.tx = w <= sw ? (sw - w) / 2 : Math.min(0, Math.max(sw - w, view.tx));
  view.ty = h <= sh ? 0 : Math.min(0, Math.max(sh - h, view.ty));
  view.canvas.style.transform = `translate(${view.tx}px, ${view.ty}px) scale(${view.scale})`;
  view.canvas.style.setProperty("--mx-inv", String(1 / view.scale));
  view.root.querySelector(".mx-zoom").textContent = `${Math.round(view.scale * 100)}%`;
  view.root.dataset.scale = view.scale.toFixed(4);
  view.root.dataset.page = String(view.page);
  view.root.dataset.active = view.active || "";
}

function zoomAt(view, factor, cx, cy) {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.scale * factor));
  view.tx = cx - ((cx - view.tx) * scale) / view.scale;
  view.ty = cy - ((cy - view.ty) * scale) / view.scale;
  view.scale = scale;
  view.fit = null;
  applyTransform(view);
}

function zoomCentre(view, factor) {
  zoomAt(view, factor, view.stage.clientWidth / 2, view.stage.clientHeight / 2);
}

function onWheel(view, event) {
  event.preventDefault();
  const rect = view.stage.getBoundingClientRect();
  const factor = Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.0015));
  zoomAt(view, factor, event.clientX - rect.left, event.clientY - rect.top);
}

function onPointerDown(view, event) {
  if (event.button !== 0) return;
  if (drawing(view, event)) return startDrawing(view, event); // draw.js
  const startX = event.clientX;
  const startY = event.clientY;
  const tx = view.tx;
  const ty = view.ty;
  let moved = false;
  const target = event.target;
  const onMove = (move) => {
    const dx = move.clientX - startX;
    const dy = move.clientY - startY;
    if (!moved && Math.hypot(dx, dy) < DRAG_PX) return;
    moved = true;
    view.stage.classList.add("mx-dragging");
    view.tx = tx + dx;
    view.ty = ty + dy;
    view.fit = null;
    applyTransform(view);
  };
  const onUp = () => {
    window.removeEventListener("pointermove", onMove);
    window.removeEventListener("pointerup", onUp);
    view.stage.classList.remove("mx-dragging");
    const box = target.closest && target.closest(".mx-box");
    if (!moved && box) selectFromBox(view, box.dataset.field);
  };
  window.addEventListener("pointermove", onMove);
  window.addEventListener("pointerup", onUp);
}

function act(view, action) {
  if (action === "prev" && view.page > 0) showPage(view, view.page - 1);
  else if (action === "next" && view.page < view.pages.length - 1) showPage(view, view.page + 1);
  else if (action === "zoom-in") zoomCentre(view, 1.25);
  else if (action === "zoom-out") zoomCentre(view, 0.8);
  else if (action === "fit-width") applyFit(view, "width");
  else if (action === "fit-page") applyFit(view, "page");
  else if (action === "help") view.help.hidden = !view.help.hidden;
  else if (action === "draw") setDrawMode(view, !view.drawMode);
}

// ---- fields and boxes --------------------------------------------------------------------------

function fieldOf(view, name) {
  return view.fields.find((field) => field.name === name);
}

function fieldHolder(view, name) {
  const field = fieldOf(view, name);
  return field ? document.querySelector(`.st-key-${CSS.escape(field.key)}`) : null;
}

function fieldInput(view, name) {
  const holder = fieldHolder(view, name);
  return holder ? holder.querySelector("input, textarea") : null;
}

function nameFromElement(view, element) {
  const holder = element && element.closest ? element.closest('[class*="st-key-field_"]') : null;
  if (!holder) return null;
  for (const field of view.fields) {
    if (holder.classList.contains(`st-key-${field.key}`)) return field.name;
  }
  return null;
}

function focusFromForm(view, target) {
  untabConfirmBoxes();
  const name = nameFromElement(view, target);
  if (name) showField(view, name);
}

function showField(view, name) {
  const field = fieldOf(view, name);
  if (!field) return;
  view.active = name;
  if (!field.box) {
    drawBoxes(view);
    applyTransform(view);
    return;
  }
  if (field.page !== view.page) showPage(view, field.page);
  else drawBoxes(view);
  bringIntoView(view, field.box);
}

function bringIntoView(view, [x0, y0, x1, y1]) {
  const sw = view.stage.clientWidth;
  const sh = view.stage.clientHeight;
  const boxW = Math.max(1, x1 - x0);
  const boxH = Math.max(1, y1 - y0);
  let scale = view.scale;
  if (boxH * scale < READABLE_PX) scale = READABLE_PX / boxH;
  scale = Math.min(scale, (0.9 * sw) / boxW, (0.6 * sh) / boxH, MAX_SCALE);
  const left = x0 * scale + view.tx;
  const top = y0 * scale + view.ty;
  const inside = left >= 0 && top >= 0 && left + boxW * scale <= sw && top + boxH * scale <= sh;
  if (scale !== view.scale || !inside) {
    view.scale = scale;
    view.tx = sw / 2 - ((x0 + x1) / 2) * scale;
    view.ty = sh / 2 - ((y0 + y1) / 2) * scale;
    view.fit = null;
  }
  applyTransform(view);
}

function selectFromBox(view, name) {
  const input = fieldInput(view, name);
  if (input && !input.disabled) input.focus();
  else showField(view, name);
  view.trigger("selected", name);
}
