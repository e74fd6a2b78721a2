/* At risk page: the address bar, the list's reloads and its reason badges. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  learnpulse_at_risk: {
  /* Keep ?session=ID&reason=inactive,low-score in the address bar (replaceState: no history entries). */
  syncUrl: function (session, reasons) {
    var params = new URLSearchParams(window.location.search);
    if (session) { params.set("session", session); } else { params.delete("session"); }
    if (reasons && reasons.length) {
      params.set("reason", reasons.map(function (r) { return r.replace(" ", "-"); }).join(","));
    } else {
      params.delete("reason");
    }
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "");
    if (url !== window.location.pathname + window.location.search) {
      window.history.replaceState(window.history.state, "", url);
    }
    return url;
  },

  /* The list asks for its rows again when the cohort, the reasons or the contacts change. */
  refreshGrid: function (reasons, cohort, recorded, gridId) {
    var triggered = (window.dash_clientside.callback_context.triggered || []).map(function (t) { return t.prop_id; });
    var onlyContacts = triggered.length && triggered.every(function (p) { return p.indexOf("recorded") >= 0; });
    if (window.dash_ag_grid && window.dash_ag_grid.getApiAsync) {
      window.dash_ag_grid.getApiAsync(gridId).then(function (api) {
        api.purgeInfiniteCache();
        if (!onlyContacts) { api.paginationGoToFirstPage(); }  /* a new contact keeps the page in view */
      });
    }
    return JSON.stringify([reasons, cohort, recorded]);
  }
  }
});

/* AG Grid cell renderer: a row's reasons as badges. */
window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {};
window.dashAgGridComponentFunctions.ReasonBadges = function (props) {
  var reasons = Array.isArray(props.value) ? props.value : [];
  return React.createElement("span", null, reasons.map(function (r) {
    return React.createElement("span", {key: r, className: "badge lp-reason lp-reason-" + r.replace(" ", "-")}, r);
  }));
};
