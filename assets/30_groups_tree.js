/* LearnPulse Groups tree: drawn in the browser from the group list the page carries (a few hundred groups),
   as disclosure buttons (aria-expanded) beside each group's link, so it opens, closes, searches and expands without a server
   round trip. Built with DOM calls (names are text, never HTML). Dash renders thousands of its own
   components slowly (seconds for 426 groups); plain DOM takes milliseconds. */
(function () {
  "use strict";

  function plural(n, word) {
    return n.toLocaleString("en-US") + " " + word + (n === 1 ? "" : "s");
  }

  function countsText(g) {
    return [plural(g.members, "member"), plural(g.learners, "learner"), plural(g.sessions, "session")].join(" · ");
  }

  /* The name with the searched text marked (case-insensitive). */
  function nameInto(el, name, query) {
    var lower = name.toLowerCase();
    var at = query ? lower.indexOf(query) : -1;
    if (at < 0 || lower.length !== name.length) { el.textContent = name; return; }
    el.appendChild(document.createTextNode(name.slice(0, at)));
    var mark = document.createElement("mark");
    mark.textContent = name.slice(at, at + query.length);
    el.appendChild(mark);
    el.appendChild(document.createTextNode(name.slice(at + query.length)));
  }

  /* Which groups a search shows (the matches, their ancestors and their sub-groups) and opens (the
     matches' ancestors); without a search every group is shown and the top groups are open. */
  function plan(groups, children, query) {
    var byId = {}, i;
    for (i = 0; i < groups.length; i++) { byId[groups[i].group_id] = groups[i]; }
    var shown = {}, opened = {}, matches = {}, nMatches = 0;
    if (!query) {
      for (i = 0; i < groups.length; i++) {
        shown[groups[i].group_id] = true;
        if (groups[i].parent_id === null) { opened[groups[i].group_id] = true; }
      }
      return {shown: shown, opened: opened, matches: matches, count: 0};
    }
    var walked = {};
    for (i = 0; i < groups.length; i++) {
      var g = groups[i];
      if (g.name.toLowerCase().indexOf(query) < 0) { continue; }
      matches[g.group_id] = true;
      nMatches += 1;
      for (var up = g.parent_id; up !== null && !opened[up]; up = byId[up].parent_id) { opened[up] = shown[up] = true; }
      var todo = [g.group_id];
      while (todo.length) {  // the match's sub-groups, each walked once
        var id = todo.pop();
        if (walked[id]) { continue; }
        walked[id] = shown[id] = true;
        var kids = children[id] || [];
        for (var k = 0; k < kids.length; k++) { todo.push(kids[k].group_id); }
      }
    }
    return {shown: shown, opened: opened, matches: matches, count: nMatches};
  }

  function node(g, children, view, query, href) {
    var row = document.createElement("span");
    row.className = "lp-tree-row";
    var link = document.createElement("a");
    link.className = "lp-tree-link" + (view.matches[g.group_id] ? " lp-tree-match" : "");
    link.href = href + g.group_id;
    nameInto(link, g.name, query);
    var counts = document.createElement("span");
    counts.className = "lp-tree-counts";
    counts.textContent = countsText(g);
    row.appendChild(link);
    row.appendChild(counts);
    var kids = (children[g.group_id] || []).filter(function (c) { return view.shown[c.group_id]; });
    if (!kids.length) {
      var leaf = document.createElement("div");
      leaf.className = "lp-tree-leaf";
      leaf.appendChild(row);
      return leaf;
    }
    // a disclosure button beside the name's link (a link inside a <summary> would nest two controls)
    var item = document.createElement("div");
    item.className = "lp-tree-node";
    var open = !!view.opened[g.group_id];
    var line = document.createElement("div");
    line.className = "lp-tree-line";
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "lp-tree-toggle";
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    toggle.setAttribute("aria-label", "Sub-groups of " + g.name);
    var box = document.createElement("div");
    box.className = "lp-tree-children";
    box.hidden = !open;
    box.setAttribute("role", "group");
    for (var i = 0; i < kids.length; i++) { box.appendChild(node(kids[i], children, view, query, href)); }
    line.appendChild(toggle);
    line.appendChild(row);
    item.appendChild(line);
    item.appendChild(box);
    return item;
  }

  /* Draw the tree into the container; returns the line that counts what it shows. */
  function draw(container, groups, typed, mode, href) {
    var t0 = performance.now();
    var query = (typed || "").trim().toLowerCase();
    var children = {}, roots = [], i;
    for (i = 0; i < groups.length; i++) {  // groups come sorted by name, so children are too
      var parent = groups[i].parent_id;
      if (parent === null) { roots.push(groups[i]); } else { (children[parent] = children[parent] || []).push(groups[i]); }
    }
    var view = plan(groups, children, query);
    if (mode === "all") { view.opened = view.shown; } else if (mode === "none") { view.opened = {}; }
    var out = document.createDocumentFragment();
    for (i = 0; i < roots.length; i++) {
      if (view.shown[roots[i].group_id]) { out.appendChild(node(roots[i], children, view, query, href)); }
    }
    var count;
    if (query && !view.count) {
      var none = document.createElement("div");
      none.className = "alert alert-secondary mb-0";
      none.textContent = "No group name contains “" + typed.trim() + "”.";
      out.appendChild(none);
      count = "";
    } else {
      count = query ? plural(view.count, "group") + " match “" + typed.trim() + "”" : plural(groups.length, "group");
    }
    container.replaceChildren(out);
    container.setAttribute("data-render-ms", (performance.now() - t0).toFixed(1));
    container.setAttribute("data-rendered-at", performance.now().toFixed(1));
    return count;
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    learnpulseGroups: {
      /* groups: the page's group list; the buttons' ids tell which one was clicked (Expand / Collapse all). */
      renderTree: function (groups, query, _expand, _collapse, treeId, expandId, collapseId, href) {
        var container = document.getElementById(treeId);
        if (!container || !groups) { return window.dash_clientside.no_update; }
        var trig = (window.dash_clientside.callback_context.triggered || []).map(function (t) { return t.prop_id; });
        var mode = trig.indexOf(expandId + ".n_clicks") >= 0 ? "all"
                 : trig.indexOf(collapseId + ".n_clicks") >= 0 ? "none" : "default";
        return draw(container, groups, query, mode, href);
      }
    }
  });

  /* A group's line opens and closes its sub-groups (its button with the keyboard, anywhere but the link with
     the mouse). */
  document.addEventListener("click", function (ev) {
    var line = ev.target.closest && ev.target.closest(".lp-tree-line");
    if (!line || ev.target.closest("a")) { return; }
    var toggle = line.querySelector(".lp-tree-toggle");
    var box = line.nextElementSibling;
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    box.hidden = !open;
  });

  /* Links in the tree navigate inside the app, as dcc.Link does (no page reload). */
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("a.lp-tree-link");
    if (!a || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) { return; }
    ev.preventDefault();
    window.history.pushState({}, "", a.getAttribute("href"));
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
  });
})();
