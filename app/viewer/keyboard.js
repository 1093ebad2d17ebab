// The review shortcuts, loaded with viewer.js as one module (app/viewer/__init__.py joins them).
// They act on the form around the viewer: confirm a flagged field and go to the next one, click
// Verify & next / Save draft / Reject, turn pages and zoom. SHORTCUTS is also the help overlay.

// [keys, what they do]: shown in the help overlay; handled in onKeyDown below.
const SHORTCUTS = [
  ["Tab / Shift+Tab", "next / previous field"],
  ["Ctrl+Enter or Alt+C", "confirm the field, go to the next one to check"],
  ["Alt+N", "go to the next field to check"],
  ["Alt+V", "Verify & next"],
  ["Alt+S", "Save draft"],
  ["Alt+R", "Reject (type the reason)"],
  ["Alt+PageDown / Alt+PageUp", "next / previous page"],
  ["Alt+= / Alt+- / Alt+0", "zoom in / out / fit the width"],
  ["Shift+drag on the page", "read the box into the focused field"],
  ["Alt+H", "show or hide these shortcuts"],
  ["Esc", "close this help"],
];

function focusedField(view) {
  return nameFromElement(view, document.activeElement);
}

function nextFlagged(view, after) {
  const names = view.fields.map((field) => field.name);
  const start = after ? names.indexOf(after) + 1 : 0;
  const order = [...names.slice(start), ...names.slice(0, start)];
  return order.find((name) => name !== after && fieldOf(view, name).state === "flagged") || null;
}

function goTo(view, name) {
  const input = name ? fieldInput(view, name) : null;
  if (input) input.focus();
}

function confirmFocused(view) {
  const name = focusedField(view);
  if (!name) return;
  const field = fieldOf(view, name);
  if (field.state === "flagged") {
    field.state = "confirmed"; // shown at once; Python records it with the trigger below
    drawBoxes(view);
    view.trigger("confirm", name);
  }
  const next = nextFlagged(view, name);
  if (next) goTo(view, next);
  else if (document.activeElement) document.activeElement.blur(); // commits what was typed
}

function clickButton(view, prefix) {
  const button = document.querySelector(`.st-key-${prefix}_${view.doc} button`);
  if (!button || button.disabled) return;
  if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
  button.click();
}

function onKeyDown(view, event) {
  if (!view.root.isConnected) return;
  if (event.key === "Escape" && !view.help.hidden) {
    view.help.hidden = true;
    event.preventDefault();
    return;
  }
  const ctrlEnter = event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.altKey;
  if (ctrlEnter) {
    if (!focusedField(view)) return;
    event.preventDefault();
    confirmFocused(view);
    return;
  }
  if (!event.altKey || event.ctrlKey || event.metaKey) return;
  const handlers = {
    KeyC: () => confirmFocused(view),
    KeyN: () => goTo(view, nextFlagged(view, focusedField(view))),
    KeyV: () => clickButton(view, "review_verify"),
    KeyS: () => clickButton(view, "review_save"),
    KeyR: () => openReject(view),
    KeyH: () => act(view, "help"),
    PageDown: () => act(view, "next"),
    PageUp: () => act(view, "prev"),
    Equal: () => act(view, "zoom-in"),
    NumpadAdd: () => act(view, "zoom-in"),
    Minus: () => act(view, "zoom-out"),
    NumpadSubtract: () => act(view, "zoom-out"),
    Digit0: () => act(view, "fit-width"),
  };
  const handler = handlers[event.code];
  if (!handler) return;
  event.preventDefault();
  event.stopPropagation();
  handler();
}

function openReject(view) {
  const holder = document.querySelector(`.st-key-review_reject_box_${view.doc}`);
  if (!holder) return;
  const summary = holder.querySelector("summary");
  const details = holder.querySelector("details");
  if (details && !details.open && summary) summary.click();
  let tries = 60; // about a second of frames for the expander to open
  const focusReason = () => {
    const input = document.querySelector(`.st-key-review_reject_reason_${view.doc} input`);
    if (input) input.focus();
    else if (--tries > 0) requestAnimationFrame(focusReason);
  };
  requestAnimationFrame(focusReason);
}
