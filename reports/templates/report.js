(function () {
  "use strict";
  // Every value from the account is written with textContent, never as HTML.
  var data = JSON.parse(document.getElementById("mlaudit-data").textContent);
  var PAGE_SIZE = 50;
  var STATUS_ORDER = { FAIL: 0, ERROR: 1, MUTED: 2, PASS: 3 };
  var SEVERITY_ORDER = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
  var col = {};
  data.columns.forEach(function (name, i) { col[name] = i; });

  var findings = data.rows.map(function (row) {
    var check = data.checks[row[col.check_id]] || {};
    return {
      id: row[col.id], check: row[col.check_id], status: row[col.status], detail: row[col.status_detail],
      arn: row[col.resource_arn], name: row[col.resource_name], account: row[col.account_id], region: row[col.region],
      severity: check.severity || "info", pillar: check.pillar || "", service: check.service || "", meta: check, hay: null
    };
  });

  var FACETS = [
    { key: "status", label: "Status", kind: "chips", order: Object.keys(STATUS_ORDER) },
    { key: "severity", label: "Severity", kind: "chips", order: Object.keys(SEVERITY_ORDER) },
    { key: "pillar", label: "Pillar", kind: "chips" },
    { key: "service", label: "Service", kind: "chips" },
    { key: "region", label: "Region", kind: "select" },
    { key: "account", label: "Account", kind: "select" },
    { key: "check", label: "Check", kind: "select" }
  ];
  var state = { filters: {}, query: "", sort: null, page: 0, visible: findings };
  FACETS.forEach(function (f) { state.filters[f.key] = new Set(); });

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function counts(key) {
    var c = {};
    findings.forEach(function (f) { c[f[key]] = (c[f[key]] || 0) + 1; });
    return c;
  }

  function renderFacets() {
    var host = document.getElementById("facets");
    host.textContent = "";
    FACETS.forEach(function (facet) {
      var c = counts(facet.key);
      var values = facet.order ? facet.order.filter(function (v) { return c[v]; }) : Object.keys(c).sort();
      if (values.length < 2 && facet.kind === "select") return;
      var box = el("div", "facet");
      box.appendChild(el("span", "facet-name", facet.label));
      if (facet.kind === "chips") {
        values.forEach(function (value) {
          var chip = el("button", "chip", value);
          chip.type = "button";
          chip.appendChild(el("span", "n", c[value]));
          chip.setAttribute("aria-pressed", state.filters[facet.key].has(value) ? "true" : "false");
          chip.dataset.facet = facet.key;
          chip.dataset.value = value;
          chip.addEventListener("click", function () { toggle(facet.key, value); });
          box.appendChild(chip);
        });
      } else {
        var select = el("select");
        select.setAttribute("aria-label", facet.label);
        select.dataset.facet = facet.key;
        select.appendChild(el("option", null, "all (" + values.length + ")")).value = "";
        values.forEach(function (value) {
          var label = facet.key === "check" && data.checks[value] ? value + " " + data.checks[value].name : value;
          var option = el("option", null, label + " (" + c[value] + ")");
          option.value = value;
          option.selected = state.filters[facet.key].has(value);
          select.appendChild(option);
        });
        select.addEventListener("change", function () {
          state.filters[facet.key] = new Set(select.value ? [select.value] : []);
          apply();
        });
        box.appendChild(select);
      }
      host.appendChild(box);
    });
  }

  function toggle(key, value) {
    var set = state.filters[key];
    if (set.has(value)) set.delete(value); else set.add(value);
    apply();
  }

  function haystack(f) {
    if (f.hay === null) {
      f.hay = [f.check, f.meta.name, f.meta.title, f.name, f.arn, f.detail, f.region, f.account, f.service].join("\n").toLowerCase();
    }
    return f.hay;
  }

  function matches(f) {
    for (var i = 0; i < FACETS.length; i++) {
      var set = state.filters[FACETS[i].key];
      if (set.size && !set.has(f[FACETS[i].key])) return false;
    }
    return !state.query || haystack(f).indexOf(state.query) !== -1;
  }

  var SORTS = {
    status: function (f) { return STATUS_ORDER[f.status]; },
    severity: function (f) { return SEVERITY_ORDER[f.severity]; },
    check: function (f) { return f.check; },
    resource: function (f) { return (f.name || "").toLowerCase(); },
    region: function (f) { return f.region; }
  };

  function defaultOrder(a, b) {
    return (STATUS_ORDER[a.status] - STATUS_ORDER[b.status]) || (SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]) ||
      (a.check < b.check ? -1 : a.check > b.check ? 1 : 0) || (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0);
  }

  function apply() {
    var visible = findings.filter(matches);
    if (state.sort) {
      var key = SORTS[state.sort.key], dir = state.sort.dir;
      visible.sort(function (a, b) {
        var x = key(a), y = key(b);
        return (x < y ? -dir : x > y ? dir : 0) || defaultOrder(a, b);
      });
    } else {
      visible.sort(defaultOrder);
    }
    state.visible = visible;
    state.page = 0;
    renderFacets();
    renderTable();
  }

  function renderTable() {
    var body = document.querySelector("#findings tbody");
    body.textContent = "";
    var pages = Math.max(1, Math.ceil(state.visible.length / PAGE_SIZE));
    var start = state.page * PAGE_SIZE;
    state.visible.slice(start, start + PAGE_SIZE).forEach(function (f) {
      var tr = el("tr");
      tr.dataset.findingId = f.id;
      var status = el("td"); status.appendChild(el("span", "status status-" + f.status, f.status)); tr.appendChild(status);
      var sev = el("td"); sev.appendChild(el("span", "sev sev-" + f.severity, f.severity)); tr.appendChild(sev);
      var check = el("td"); check.appendChild(el("code", null, f.check)); check.appendChild(el("div", "sub", f.meta.title)); tr.appendChild(check);
      var res = el("td"); res.appendChild(el("div", "resource", f.name)); res.appendChild(el("div", "sub", f.account)); tr.appendChild(res);
      tr.appendChild(el("td", null, f.region));
      tr.appendChild(el("td", "detail-cell", f.detail));
      tr.addEventListener("click", function () { showDetail(f); });
      body.appendChild(tr);
    });
    document.getElementById("result-count").textContent =
      state.visible.length + " of " + findings.length + " findings";
    document.getElementById("page-info").textContent = "Page " + (state.page + 1) + " of " + pages;
    document.getElementById("prev").disabled = state.page === 0;
    document.getElementById("next").disabled = state.page >= pages - 1;
    document.querySelectorAll("#findings th[data-sort]").forEach(function (th) {
      th.removeAttribute("aria-sort");
      if (state.sort && state.sort.key === th.dataset.sort) th.setAttribute("aria-sort", state.sort.dir > 0 ? "ascending" : "descending");
    });
  }

  function copyButton(text) {
    var b = el("button", "secondary copy", "Copy");
    b.type = "button";
    b.addEventListener("click", function () {
      if (navigator.clipboard) navigator.clipboard.writeText(text);
      b.textContent = "Copied";
    });
    return b;
  }

  function showDetail(f) {
    var body = document.getElementById("detail-body");
    body.textContent = "";
    var m = f.meta;
    var head = el("div");
    head.appendChild(el("span", "status status-" + f.status, f.status));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(el("span", "sev sev-" + f.severity, f.severity));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(el("code", null, f.check + " · " + (m.name || "")));
    body.appendChild(head);
    body.appendChild(el("h3", null, m.title));
    body.appendChild(el("p", null, f.detail));
    var dl = el("dl");
    [["Resource", f.name], ["ARN", f.arn], ["Type", m.resource_type], ["Account", f.account], ["Region", f.region],
     ["Pillar", f.pillar], ["Finding id", f.id]].forEach(function (pair) {
      dl.appendChild(el("dt", null, pair[0]));
      dl.appendChild(el("dd", null, pair[1]));
    });
    body.appendChild(dl);
    body.appendChild(el("h4", null, "Why it matters"));
    body.appendChild(el("p", null, m.rationale));
    var fix = m.remediation || {};
    body.appendChild(el("h4", null, "How to fix it"));
    body.appendChild(el("p", null, fix.text));
    if (fix.cli) {
      var cliHead = el("div", null, "AWS CLI");
      cliHead.appendChild(copyButton(fix.cli));
      body.appendChild(cliHead);
      body.appendChild(el("pre", null, fix.cli));
    }
    if (fix.url) {
      var docs = el("p", null, "Documentation: ");
      docs.appendChild(el("code", null, fix.url));
      docs.appendChild(copyButton(fix.url));
      body.appendChild(docs);
    }
    if (m.references && m.references.length) {
      body.appendChild(el("h4", null, "References"));
      var ul = el("ul");
      m.references.forEach(function (r) {
        var li = el("li");
        li.appendChild(el("strong", null, r.id));
        li.appendChild(document.createTextNode(" (" + r.type + ") "));
        li.appendChild(el("code", "sub", r.url));
        ul.appendChild(li);
      });
      body.appendChild(ul);
    }
    document.getElementById("detail").hidden = false;
  }

  document.getElementById("close-detail").addEventListener("click", function () { document.getElementById("detail").hidden = true; });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") document.getElementById("detail").hidden = true; });
  var timer = null;
  document.getElementById("search").addEventListener("input", function (e) {
    clearTimeout(timer);
    timer = setTimeout(function () { state.query = e.target.value.trim().toLowerCase(); apply(); }, 120);
  });
  document.getElementById("reset").addEventListener("click", function () {
    FACETS.forEach(function (f) { state.filters[f.key] = new Set(); });
    state.query = ""; state.sort = null;
    document.getElementById("search").value = "";
    apply();
  });
  document.getElementById("prev").addEventListener("click", function () { state.page--; renderTable(); });
  document.getElementById("next").addEventListener("click", function () { state.page++; renderTable(); });
  document.querySelectorAll("#findings th[data-sort]").forEach(function (th) {
    th.addEventListener("click", function () {
      var key = th.dataset.sort;
      state.sort = state.sort && state.sort.key === key ? { key: key, dir: -state.sort.dir } : { key: key, dir: 1 };
      apply();
    });
  });
  function focusExplorer() { document.querySelector(".explorer").scrollIntoView({ behavior: "smooth" }); }
  document.querySelectorAll("[data-filter-status]").forEach(function (b) {
    b.addEventListener("click", function () { state.filters.status = new Set([b.dataset.filterStatus]); apply(); focusExplorer(); });
  });
  document.querySelectorAll("[data-filter-check]").forEach(function (b) {
    b.addEventListener("click", function () { state.filters.check = new Set([b.dataset.filterCheck]); apply(); focusExplorer(); });
  });
  apply();
})();
