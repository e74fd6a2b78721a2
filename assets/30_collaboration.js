/* Collaborative activity: keep the page's choices in the address bar (?group=ID on the Users tab,
   ?activity=ID&action=like on a course), without reloading, so the link can be shared. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  learnpulse_collab: {
    _sync: function (values) {
      var params = new URLSearchParams(window.location.search);
      Object.keys(values).forEach(function (name) {
        if (values[name]) { params.set(name, values[name]); } else { params.delete(name); }
      });
      var query = params.toString();
      var url = window.location.pathname + (query ? "?" + query : "");
      if (url !== window.location.pathname + window.location.search) {
        window.history.replaceState(window.history.state, "", url);
      }
      return url;
    },
    syncGroup: function (group) {
      return window.dash_clientside.learnpulse_collab._sync({group: group || null});
    },
    syncSelection: function (selected) {
      selected = selected || {};
      return window.dash_clientside.learnpulse_collab._sync(
        {activity: selected.activity || null, action: selected.action || null});
    }
  }
});
