(function () {
  "use strict";
  // Every value from the account is written with textContent, never as HTML, and shown inert: controls and
  // bidirectional overrides become U+FFFD (the pattern is mlaudit.core.text's, carried by the payload).
  var data = JSON.parse(document.getElementById("mlaudit-data").textContent);
  var UNSAFE = new RegExp(data.inert, "g");
  var PAGE_SIZE = 50;
  // Characters of a long name (or detail) shown in a cell; the whole value is in its tooltip and in the detail.
  var CLIP = 80, CLIP_DETAIL = 240;
  var STATUS_ORDER = { FAIL: 0, ERROR: 1, MUTED: 2, PASS: 3 };
  var SEVERITY_ORDER = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
  var col = {};
  data.columns.forEach(function (name, i) { col[name] = i; });
  var dict = data.dictionaries;

  // Rows arrive dictionary-encoded and already in the default order (FAIL first, most severe first).
  var findings = data.rows.map(function (row, index) {
    var checkId = dict.check[row[col.check]];
    var check = data.checks[checkId] || {};
    return {
      order: index, id: row[col.id], check: checkId, status: dict.status[row[col.status]],
      severity: dict.severity[row[col.severity]], account: dict.account[row[col.account]],
      region: dict.region[row[col.region]], detail: dict.detail[row[col.detail]],
      arn: dict.arn_prefix[row[col.arn_prefix]] + row[col.arn_rest], name: row[col.name],
      change: row[col.change] ? "new" : "", fix: row[col.fix] || "", muted: row[col.muted] || null,
      pillar: check.pillar || "", service: check.service || "", meta: check, hay: null
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
  if (data.compared) FACETS.push({ key: "change", label: "Change", kind: "chips", order: ["new"] });
  // The values each facet offers are those of the whole report; their counts follow the other active filters.
  FACETS.forEach(function (f) {
    var seen = {};
    findings.forEach(function (x) { if (x[f.key] !== "") seen[x[f.key]] = true; });
    f.values = f.order ? f.order.filter(function (v) { return seen[v]; }) : Object.keys(seen).sort();
  });
  var SORTS = {
    status: function (f) { return STATUS_ORDER[f.status]; },
    severity: function (f) { return SEVERITY_ORDER[f.severity]; },
    check: function (f) { return f.check; },
    resource: function (f) { return (f.name || "").toLowerCase(); },
    region: function (f) { return f.region; }
  };
  var GROUPS = ["check", "resource"];
  var state = { filters: {}, resource: "", query: "", sort: null, page: 0, group: "", visible: findings, groups: [], counts: {} };
  FACETS.forEach(function (f) { state.filters[f.key] = new Set(); });

  function shown(text) {
    return text === undefined || text === null ? "" : String(text).replace(UNSAFE, "\uFFFD");
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = shown(text);
    return node;
  }

  // A long value cut to CLIP characters, the whole of it on hover.
  function clipped(tag, className, text, limit) {
    var whole = shown(text), most = limit || CLIP;
    var node = el(tag, className, whole.length > most ? whole.slice(0, most - 1) + "…" : whole);
    if (whole.length > most) node.title = whole;
    return node;
  }

  // A link only to an https address from check metadata; account strings never reach here.
  function link(url) {
    if (!/^https:\/\/[^\s"<>\\]+$/i.test(url || "")) return el("code", "sub", url);
    var a = el("a", null, url);
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  // Enter and Space act on an element that is not a native button (rows, chart bars).
  function activate(node, action) {
    node.tabIndex = 0;
    node.addEventListener("click", action);
    node.addEventListener("keydown", function (e) {
      if (e.target === node && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); action(); }
    });
  }

  function renderFacets() {
    var host = document.getElementById("facets");
    host.textContent = "";
    FACETS.forEach(function (facet) {
      var c = state.counts[facet.key];
      var values = facet.values;
      if (!values.length || (values.length < 2 && facet.kind === "select")) return;
      var box = el("div", "facet");
      box.appendChild(el("span", "facet-name", facet.label));
      if (facet.kind === "chips") {
        values.forEach(function (value) {
          var chip = el("button", "chip", value);
          chip.type = "button";
          chip.appendChild(el("span", "n", c[value] || 0));
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
          var option = el("option", null, label + " (" + (c[value] || 0) + ")");
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
    if (state.resource) {
      var pinned = el("div", "facet");
      pinned.appendChild(el("span", "facet-name", "Resource"));
      var chip = clipped("button", "chip", state.resource + " ×");
      chip.type = "button";
      chip.setAttribute("aria-pressed", "true");
      chip.addEventListener("click", function () { state.resource = ""; apply(); });
      pinned.appendChild(chip);
      host.appendChild(pinned);
    }
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

  // One pass: the findings every filter lets through, and for each facet the counts of its values among the
  // findings that every *other* filter lets through (what choosing that value would show).
  function filterAndCount() {
    var visible = [], counts = {};
    FACETS.forEach(function (f) { counts[f.key] = {}; });
    findings.forEach(function (f) {
      if (state.resource && f.arn !== state.resource) return;
      if (state.query && haystack(f).indexOf(state.query) === -1) return;
      var missed = -1;
      for (var i = 0; i < FACETS.length; i++) {
        var set = state.filters[FACETS[i].key];
        if (set.size && !set.has(f[FACETS[i].key])) {
          if (missed !== -1) return;
          missed = i;
        }
      }
      if (missed === -1) {
        visible.push(f);
        FACETS.forEach(function (facet) { var c = counts[facet.key]; c[f[facet.key]] = (c[f[facet.key]] || 0) + 1; });
      } else {
        var c = counts[FACETS[missed].key], v = f[FACETS[missed].key];
        c[v] = (c[v] || 0) + 1;
      }
    });
    state.counts = counts;
    return visible;
  }

  function apply() {
    var visible = filterAndCount();
    if (state.sort) {
      // Each finding's key is computed once, not once per comparison.
      var key = SORTS[state.sort.key], dir = state.sort.dir;
      visible = visible.map(function (f) { return { k: key(f), f: f }; }).sort(function (a, b) {
        return (a.k < b.k ? -dir : a.k > b.k ? dir : 0) || (a.f.order - b.f.order);
      }).map(function (pair) { return pair.f; });
    }
    state.visible = visible;
    state.groups = state.group ? groupOf(visible, state.group) : [];
    state.page = 0;
    renderFacets();
    render();
    saveFragment();
  }

  // The view (filters, search, grouping, sort) lives in the URL fragment, so that a link opens the same view.
  function saveFragment() {
    var params = new URLSearchParams();
    FACETS.forEach(function (f) { state.filters[f.key].forEach(function (v) { params.append(f.key, v); }); });
    if (state.resource) params.set("resource", state.resource);
    if (state.query) params.set("q", state.query);
    if (state.group) params.set("group", state.group);
    if (state.sort) params.set("sort", (state.sort.dir < 0 ? "-" : "") + state.sort.key);
    var fragment = params.toString();
    if (fragment === location.hash.replace(/^#/, "")) return;
    history.replaceState(null, "", fragment ? "#" + fragment : location.pathname + location.search);
  }

  function loadFragment() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    FACETS.forEach(function (f) {
      state.filters[f.key] = new Set(params.getAll(f.key).filter(function (v) { return f.values.indexOf(v) !== -1; }));
    });
    var resource = params.get("resource") || "";
    state.resource = findings.some(function (f) { return f.arn === resource; }) ? resource : "";
    state.query = (params.get("q") || "").trim().toLowerCase();
    state.group = GROUPS.indexOf(params.get("group")) !== -1 ? params.get("group") : "";
    var sort = params.get("sort") || "";
    var key = sort.replace(/^-/, "");
    state.sort = SORTS[key] ? { key: key, dir: sort.charAt(0) === "-" ? -1 : 1 } : null;
    document.getElementById("search").value = state.query;
    document.getElementById("group-by").value = state.group;
  }

  function groupOf(visible, by) {
    var groups = new Map();
    visible.forEach(function (f) {
      var key = by === "check" ? f.check : f.arn;
      var g = groups.get(key);
      if (!g) {
        g = { key: key, label: by === "check" ? f.check : f.name, sub: by === "check" ? f.meta.title : f.arn, FAIL: 0, ERROR: 0, MUTED: 0, PASS: 0 };
        groups.set(key, g);
      }
      g[f.status] += 1;
    });
    return Array.from(groups.values()).sort(function (a, b) {
      return (b.FAIL - a.FAIL) || (b.ERROR - a.ERROR) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
    });
  }

  function render() {
    var grouped = !!state.group;
    document.getElementById("findings").hidden = grouped;
    document.getElementById("groups").hidden = !grouped;
    var items = grouped ? state.groups : state.visible;
    var pages = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
    var page = items.slice(state.page * PAGE_SIZE, (state.page + 1) * PAGE_SIZE);
    if (grouped) renderGroups(page); else renderFindings(page);
    document.getElementById("result-count").textContent = grouped
      ? state.groups.length + " " + (state.group === "check" ? "checks" : "resources") + " · " + state.visible.length + " of " + findings.length + " findings"
      : state.visible.length + " of " + findings.length + " findings";
    document.getElementById("page-info").textContent = "Page " + (state.page + 1) + " of " + pages;
    document.getElementById("prev").disabled = state.page === 0;
    document.getElementById("next").disabled = state.page >= pages - 1;
    document.querySelectorAll("#findings th[data-sort]").forEach(function (th) {
      var sorted = state.sort && state.sort.key === th.dataset.sort;
      th.setAttribute("aria-sort", sorted ? (state.sort.dir > 0 ? "ascending" : "descending") : "none");
    });
  }

  function renderFindings(page) {
    var body = document.querySelector("#findings tbody");
    body.textContent = "";
    page.forEach(function (f) {
      var tr = el("tr");
      tr.dataset.findingId = f.id;
      tr.setAttribute("aria-label", shown(f.status + " " + f.check + " " + f.name) + ": open the detail");
      var status = el("td"); status.appendChild(el("span", "status status-" + f.status, f.status));
      if (f.change) status.appendChild(el("span", "new-badge", "new"));
      tr.appendChild(status);
      var sev = el("td"); sev.appendChild(el("span", "sev sev-" + f.severity, f.severity)); tr.appendChild(sev);
      var check = el("td"); check.appendChild(el("code", null, f.check)); check.appendChild(el("div", "sub", f.meta.title)); tr.appendChild(check);
      var res = el("td"); res.appendChild(clipped("div", "resource", f.name)); res.appendChild(clipped("div", "sub", f.account)); tr.appendChild(res);
      tr.appendChild(clipped("td", "region-cell", f.region));
      tr.appendChild(clipped("td", "detail-cell", f.detail, CLIP_DETAIL));
      activate(tr, function () { showDetail(f, tr); });
      body.appendChild(tr);
    });
  }

  function renderGroups(page) {
    document.getElementById("group-title").textContent = state.group === "check" ? "Check" : "Resource";
    var body = document.querySelector("#groups tbody");
    body.textContent = "";
    page.forEach(function (g) {
      var tr = el("tr");
      tr.setAttribute("aria-label", shown(g.label) + ": show its findings");
      var head = el("td");
      head.appendChild(state.group === "check" ? el("code", null, g.label) : clipped("div", "resource", g.label));
      head.appendChild(clipped("div", "sub", g.sub));
      tr.appendChild(head);
      ["FAIL", "ERROR", "MUTED", "PASS"].forEach(function (s) {
        var td = el("td");
        if (g[s]) td.appendChild(el("span", "status status-" + s, g[s]));
        tr.appendChild(td);
      });
      activate(tr, function () {
        if (state.group === "check") state.filters.check = new Set([g.key]); else state.resource = g.key;
        state.group = "";
        document.getElementById("group-by").value = "";
        apply();
        var first = document.querySelector("#findings tbody tr");
        if (first) first.focus();
      });
      body.appendChild(tr);
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

  function pairs(rows) {
    var dl = el("dl");
    rows.forEach(function (pair) {
      if (pair[1] === undefined || pair[1] === null || pair[1] === "") return;
      dl.appendChild(el("dt", null, pair[0]));
      dl.appendChild(el("dd", null, pair[1]));
    });
    return dl;
  }

  function showFix(body, f) {
    var m = f.meta, fix = m.remediation || {};
    body.appendChild(el("h4", null, "How to fix it"));
    body.appendChild(el("p", null, fix.text));
    var command = f.fix || fix.cli;
    if (command) {
      var cliHead = el("div", "cli-head", f.fix ? "AWS CLI, for this resource" : "AWS CLI (fill in the <placeholders>)");
      cliHead.appendChild(copyButton(command));
      body.appendChild(cliHead);
      body.appendChild(el("pre", "fix-command", command));
    }
    if (fix.url) {
      var docs = el("p", "docs", "Documentation: ");
      docs.appendChild(link(fix.url));
      body.appendChild(docs);
    }
    if (m.references && m.references.length) {
      body.appendChild(el("h4", null, "References"));
      var ul = el("ul", "references");
      m.references.forEach(function (r) {
        var li = el("li");
        li.appendChild(el("strong", null, r.id));
        li.appendChild(document.createTextNode(" (" + shown(r.type) + ") "));
        li.appendChild(link(r.url));
        ul.appendChild(li);
      });
      body.appendChild(ul);
    }
  }

  var opener = null;
  function showDetail(f, from) {
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
    var title = el("h3", null, m.title);
    title.id = "detail-title";
    body.appendChild(title);
    body.appendChild(el("p", "finding-detail", f.detail));
    body.appendChild(pairs([["Resource", f.name], ["ARN", f.arn], ["Type", m.resource_type], ["Account", f.account],
      ["Region", f.region], ["Pillar", f.pillar], ["Finding id", f.id]]));
    if (f.muted) {
      body.appendChild(el("h4", null, "Muted"));
      var muted = pairs([["Reason", f.muted.reason], ["Owner", f.muted.owner], ["Expires", f.muted.expires],
        ["Hides", f.muted.hides], ["Muted by", f.muted.source === "baseline" ? "the baseline" : "a suppression rule"]]);
      muted.className = "suppression";
      body.appendChild(muted);
    }
    body.appendChild(el("h4", null, "Why it matters"));
    body.appendChild(el("p", null, m.rationale));
    showFix(body, f);
    opener = from || null;
    document.getElementById("detail").hidden = false;
    document.getElementById("close-detail").focus();
  }

  function closeDetail() {
    var detail = document.getElementById("detail");
    if (detail.hidden) return;
    detail.hidden = true;
    if (opener && document.body.contains(opener)) opener.focus();
  }

  document.getElementById("close-detail").addEventListener("click", closeDetail);
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") closeDetail(); });
  var timer = null;
  document.getElementById("search").addEventListener("input", function (e) {
    clearTimeout(timer);
    timer = setTimeout(function () { state.query = e.target.value.trim().toLowerCase(); apply(); }, 120);
  });
  document.getElementById("group-by").addEventListener("change", function (e) { state.group = e.target.value; apply(); });
  document.getElementById("reset").addEventListener("click", function () {
    FACETS.forEach(function (f) { state.filters[f.key] = new Set(); });
    state.query = ""; state.sort = null; state.resource = ""; state.group = "";
    document.getElementById("search").value = "";
    document.getElementById("group-by").value = "";
    apply();
  });
  document.getElementById("prev").addEventListener("click", function () { state.page--; render(); });
  document.getElementById("next").addEventListener("click", function () { state.page++; render(); });
  document.querySelectorAll("#findings th[data-sort] button").forEach(function (button) {
    button.addEventListener("click", function () {
      var key = button.parentNode.dataset.sort;
      state.sort = state.sort && state.sort.key === key ? { key: key, dir: -state.sort.dir } : { key: key, dir: 1 };
      apply();
    });
  });
  function focusExplorer() { document.querySelector(".explorer").scrollIntoView({ behavior: "smooth" }); }
  function bindFilter(selector, key, attribute) {
    document.querySelectorAll(selector).forEach(function (b) {
      b.addEventListener("click", function () { state.filters[key] = new Set([b.dataset[attribute]]); apply(); focusExplorer(); });
    });
  }
  bindFilter("[data-filter-status]", "status", "filterStatus");
  bindFilter("[data-filter-change]", "change", "filterChange");
  document.querySelectorAll("[data-chart-facet]").forEach(function (g) {
    activate(g, function () {
      state.filters[g.dataset.chartFacet] = new Set([g.dataset.chartValue]);
      if (g.dataset.chartFacet !== "status") state.filters.status = new Set(["FAIL"]);
      apply();
      focusExplorer();
    });
  });
  window.addEventListener("hashchange", function () { loadFragment(); apply(); });
  loadFragment();
  apply();
  document.body.dataset.ready = "true";
})();
