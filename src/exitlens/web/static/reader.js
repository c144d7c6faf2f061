// The reader: select text, code it; delete a coding; undo. Offsets are code points, as the
// server counts them.
(function () {
  "use strict";
  const script = document.currentScript;
  const source = Number(script.dataset.source);
  const csrf = document.querySelector('meta[name="csrf"]').content;
  const text = document.getElementById("text");
  const form = document.getElementById("coder");
  if (!form) { return; }
  const error = document.getElementById("coder-error");
  let span = null;
  let editing = null;

  function points(s) { return Array.from(s).length; }

  function offsetOf(node, offset) {
    const range = document.createRange();
    range.selectNodeContents(text);
    range.setEnd(node, offset);
    return points(range.toString());
  }

  async function call(method, url, body) {
    const response = await fetch(url, {
      method: method, credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    if (!response.ok) {
      const detail = await response.json().catch(function () { return {}; });
      throw new Error(typeof detail.detail === "string" ? detail.detail : response.statusText);
    }
    return response.json();
  }

  function show(message) { error.textContent = message; error.hidden = false; }

  text.addEventListener("mouseup", function () {
    const selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) { return; }
    const range = selection.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) { return; }
    const start = offsetOf(range.startContainer, range.startOffset);
    const end = offsetOf(range.endContainer, range.endOffset);
    if (end <= start) { return; }
    span = {start: start, end: end};
    editing = null;
    document.getElementById("span-label").textContent = start + "–" + end;
    document.getElementById("span-text").textContent = selection.toString().slice(0, 200);
    error.hidden = true;
    form.hidden = false;
    document.getElementById("code").focus();
  });

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    if (!span && editing === null) { return; }
    const salience = document.getElementById("salience").value;
    const fields = {
      code: document.getElementById("code").value.trim(),
      case: document.getElementById("case").value || null,
      salience: salience ? Number(salience) : null,
      memo: document.getElementById("memo").value || null
    };
    try {
      if (editing !== null) {
        await call("PATCH", "/api/codings/" + editing, fields);
      } else {
        await call("POST", "/api/codings", Object.assign(
          {source_id: source, start: span.start, end: span.end}, fields));
      }
      window.location.reload();
    } catch (e) { show(e.message); }
  });

  document.addEventListener("click", function (event) {
    const button = event.target.closest("button.edit");
    if (!button) { return; }
    editing = button.dataset.id;
    span = null;
    document.getElementById("span-label").textContent = "coding " + editing;
    document.getElementById("span-text").textContent = "";
    document.getElementById("code").value = button.dataset.code;
    document.getElementById("case").value = button.dataset.case;
    document.getElementById("salience").value = button.dataset.salience;
    document.getElementById("memo").value = button.dataset.memo;
    error.hidden = true;
    form.hidden = false;
    document.getElementById("code").focus();
  });

  const definition = document.getElementById("code-definition");
  let codes = null;
  document.getElementById("code").addEventListener("input", async function (event) {
    if (codes === null) {
      codes = {};
      const list = await call("GET", "/api/codebook").catch(function () { return []; });
      for (const c of list) { codes[c.id] = c; }
    }
    const found = codes[event.target.value.trim()];
    definition.textContent = found ? found.name + ": " + found.definition +
      (found.examples.length ? " For example: \u201c" + found.examples[0] + "\u201d" : "") : "";
  });

  function hide() { form.hidden = true; span = null; editing = null; }
  document.getElementById("cancel").addEventListener("click", hide);

  async function undo() {
    try { await call("POST", "/api/undo"); window.location.reload(); } catch (e) { show(e.message); form.hidden = false; }
  }
  document.getElementById("undo").addEventListener("click", undo);

  document.addEventListener("click", async function (event) {
    const button = event.target.closest("button.delete");
    if (!button) { return; }
    try { await call("DELETE", "/api/codings/" + button.dataset.id); window.location.reload(); } catch (e) { show(e.message); }
  });

  document.addEventListener("keydown", function (event) {
    const typing = ["INPUT", "TEXTAREA", "SELECT"].indexOf(document.activeElement.tagName) >= 0;
    if (event.key === "Escape") { hide(); }
    if (!typing && (event.key === "u" || ((event.ctrlKey || event.metaKey) && event.key === "z"))) {
      event.preventDefault();
      undo();
    }
  });
})();
