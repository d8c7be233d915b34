// Text typed into a checker's HTML before its WebAssembly started, carried into the running
// checker: the standalone page (boot.js, which hydrates its prerendered HTML and so resets every
// control) and <pg-preflight> (which renders over its prerendered shell) share it.

/** The form controls under `root` whose value differs from the HTML's, with the caret of the
 * focused one. */
export function noteTyped(root) {
  if (!root) return [];
  const changed = [];
  for (const control of root.querySelectorAll("input, textarea, select")) {
    // Inside a shadow root the document's activeElement is the host; the root knows better.
    const entry = { control, focused: control === control.getRootNode().activeElement, name: controlKey(control, root) };
    if (control instanceof HTMLSelectElement) {
      if ([...control.options].some((o) => o.selected !== o.defaultSelected)) {
        changed.push({ ...entry, value: control.value });
      }
    } else if (control.type === "checkbox" || control.type === "radio") {
      if (control.checked !== control.defaultChecked) {
        changed.push({ ...entry, checked: control.checked });
      }
    } else if (control.type !== "file" && control.value !== control.defaultValue) {
      const caret = entry.focused ? [control.selectionStart, control.selectionEnd] : null;
      changed.push({ ...entry, value: control.value, caret });
    }
  }
  return changed;
}

/** Puts each noted value back and tells the app, as typing it would have. `root`, when given,
 * holds new elements in the same order as the noted ones (a render over the shell); without
 * it, the noted elements themselves were taken over (hydration). */
export function giveBack(typed, root) {
  const controls = root ? [...root.querySelectorAll("input, textarea, select")] : null;
  for (const entry of typed) {
    const control = controls ? controls.find((c) => controlKey(c, root) === entry.name) : entry.control;
    if (control?.isConnected) restore(control, entry);
  }
}

/** The control's place among its root's controls and its kind, the same before and after a
 * render of the same markup. */
function controlKey(control, root) {
  const all = [...root.querySelectorAll("input, textarea, select")];
  return `${all.indexOf(control)}:${control.tagName}:${control.type ?? ""}`;
}

function restore(control, { value, checked, caret, focused }) {
  if (checked !== undefined) {
    control.checked = checked;
  } else {
    control.value = value;
  }
  if (!(control instanceof HTMLSelectElement) && checked === undefined) {
    control.dispatchEvent(new Event("input", { bubbles: true }));
  }
  control.dispatchEvent(new Event("change", { bubbles: true }));
  if (focused) {
    control.focus();
    if (caret) control.setSelectionRange(caret[0], caret[1]);
  }
}
