// Opens the quotes behind a count: the cases that the count covers and their evidence.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("evidence").textContent);
  const dialog = document.getElementById("quotes");
  const title = document.getElementById("quotes-title");
  const note = document.getElementById("quotes-note");
  const list = document.getElementById("quotes-list");

  function casesOf(by, value) {
    return Object.keys(data.cases).filter(function (c) {
      const a = data.cases[c];
      return !a.collective && (!by || a[by] === value);
    });
  }

  function quoteBlock(q) {
    const block = document.createElement("blockquote");
    const p = document.createElement("p");
    p.textContent = q[1];
    const foot = document.createElement("footer");
    foot.textContent = q[0] + " \u00b7 " + (q[2] || "unknown outlet") + (q[3] ? ", " + q[3] : "") +
      (q[4] !== "accepted" ? " \u00b7 machine suggestion" : "");
    block.append(p, foot);
    return block;
  }

  function open(button) {
    const code = button.dataset.code, by = button.dataset.by, value = button.dataset.value;
    const wanted = new Set(casesOf(by, value));
    const codes = code ? [code] : Object.keys(data.quotes);
    list.replaceChildren();
    let shown = 0;
    const covered = new Set();
    for (const c of codes) {
      const quotes = (data.quotes[c] || []).filter(function (q) { return wanted.has(q[0]); });
      if (!quotes.length) { continue; }
      if (!code) {
        const h = document.createElement("h3");
        h.textContent = data.names[c] || c;
        list.append(h);
      }
      for (const q of quotes) { list.append(quoteBlock(q)); covered.add(q[0]); shown += 1; }
    }
    const what = code ? (data.names[code] || code) : "all reasons";
    title.textContent = what + (by ? " \u2014 " + by.replace(/_/g, " ") + ": " + value : "");
    note.textContent = button.textContent.trim() + " cases counted; " + shown + " quotes from " +
      covered.size + " of them shown (at most three per case)." +
      (code && data.truncated.indexOf(code) >= 0 ? " Only the first quotes are embedded; the export holds all." : "");
    dialog.showModal();
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("button.n");
    if (button) { open(button); }
  });
})();
