// Reading a region, loaded with viewer.js and keyboard.js as one module (app/viewer/__init__.py
// joins them). Shift+drag on the page, or "Read a region" then a drag, draws a box; the box (its
// page, and its corners in pixels of the page image, the frame of the fields' boxes) is sent with
// the field that has the focus ("region"), and the app reads the box into that field.

const MIN_BOX_PX = 4; // in page pixels: a smaller box is a slip of the mouse, not a region

function drawing(view, event) {
  return view.drawMode || event.shiftKey;
}

function setDrawMode(view, on) {
  view.drawMode = on;
  view.stage.classList.toggle("mx-draw", on);
  const button = view.root.querySelector('[data-act="draw"]');
  button.setAttribute("aria-pressed", on ? "true" : "false");
  if (on) note(view, drawTarget(view) ? "" : "Click in a field first: the box is read into it.");
}

// The field a drawn box is read into: the one whose input has the focus, else the last one focused.
function drawTarget(view) {
  const name = focusedField(view) || view.active;
  const input = name ? fieldInput(view, name) : null;
  return input && !input.disabled ? name : null;
}

function note(view, text) {
  view.root.querySelector(".mx-note").textContent = text;
}

// A point of the screen in pixels of the page image.
function toPage(view, clientX, clientY) {
  const rect = view.stage.getBoundingClientRect();
  return [(clientX - rect.left - view.tx) / view.scale, (clientY - rect.top - view.ty) / view.scale];
}

function pageBox(view, [ax, ay], [bx, by]) {
  const [width, height] = pageSize(view);
  const clampX = (x) => Math.round(Math.min(width, Math.max(0, x)));
  const clampY = (y) => Math.round(Math.min(height, Math.max(0, y)));
  return [clampX(Math.min(ax, bx)), clampY(Math.min(ay, by)), clampX(Math.max(ax, bx)), clampY(Math.max(ay, by))];
}

function startDrawing(view, event) {
  event.preventDefault(); // no text selection, and the field keeps the focus
  const field = drawTarget(view);
  if (!field) {
    note(view, "Click in a field first: the box is read into it.");
    return;
  }
  const start = toPage(view, event.clientX, event.clientY);
  const shape = document.createElement("div");
  shape.className = "mx-drawn";
  shape.dataset.testid = "mx-drawn";
  view.boxes.appendChild(shape);
  const place = (end) => {
    const [x0, y0, x1, y1] = pageBox(view, start, end);
    Object.assign(shape.style, { left: `${x0}px`, top: `${y0}px`, width: `${x1 - x0}px`, height: `${y1 - y0}px` });
  };
  place(start);
  const onMove = (move) => place(toPage(view, move.clientX, move.clientY));
  const onUp = (up) => {
    window.removeEventListener("pointermove", onMove);
    window.removeEventListener("pointerup", onUp);
    const box = pageBox(view, start, toPage(view, up.clientX, up.clientY));
    setDrawMode(view, false);
    if (box[2] - box[0] < MIN_BOX_PX || box[3] - box[1] < MIN_BOX_PX) {
      shape.remove();
      note(view, "Drag to draw a box round the value.");
      return;
    }
    shape.classList.add("mx-reading"); // until the app's answer redraws the boxes
    note(view, `Reading the box into ${fieldOf(view, field).label}…`);
    const input = fieldInput(view, field);
    if (input && document.activeElement === input) {
      input.blur(); // commits what was typed first: the box's text then replaces it
      input.focus();
    }
    view.trigger("region", { field, page: view.page, box });
  };
  window.addEventListener("pointermove", onMove);
  window.addEventListener("pointerup", onUp);
}
