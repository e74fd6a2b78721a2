"""LearnPulse: engagement and results dashboard for learning programs.

Two layers live here. dashboard/core/ is what pages (layouts/, callbacks/) import: the page map, ids, the
signed-in viewer and its scope, the viewer-query helper, services, settings, download links, pseudonyms. The
modules at this level are the composition root that imports every page: the app factory, the router, the HTTP
routes (sign-in, downloads, digest, xAPI), the request guards, the command line and the digest sender. The app is
made by dashboard.factory.create_app; nothing in dashboard/core/ imports the composition root."""
