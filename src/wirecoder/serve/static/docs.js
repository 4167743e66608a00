// Renders /openapi.json as a plain list of operations (built with DOM text nodes only).
"use strict";
function el(tag, text, cls) { const e = document.createElement(tag); if (text != null) e.textContent = text; if (cls) e.className = cls; return e; }
fetch("/openapi.json").then(r => r.json()).then(spec => {
  const ops = document.getElementById("ops");
  ops.textContent = "";
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const box = el("div", null, "op");
      const head = el("div");
      head.append(el("span", method.toUpperCase(), "m"), el("code", path), el("span", "  " + (op.summary || "")));
      box.append(head);
      if (op.description) box.append(el("p", op.description));
      const params = (op.parameters || []).map(p => p.name + (p.required ? "*" : "") + (p.description ? " — " + p.description : ""));
      if (params.length) { const ul = el("ul"); params.forEach(t => ul.append(el("li", t))); box.append(ul); }
      if (op.requestBody) box.append(el("p", "JSON body: " + Object.keys(op.requestBody.content)[0] + " (see the schema)"));
      ops.append(box);
    }
  }
});
