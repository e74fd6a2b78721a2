"""Page layouts: layouts/<page>.py registers its page (register(app) -> dash.register_page) and draws it
(layout(**query) -> components); callbacks/<page>.py fills it. A layout queries only what its frame needs, as
the viewer through dashboard.viewer: the record of a page about one thing (session, program, group, user,
course: layouts/entity.load), the choices of a picker (participants, at_risk, compare, collaboration), the
groups tree, the users tab counts and one's own digest settings (layouts/digest.py). Shared parts: common,
grids, learners, cohorts, charts (graph config), palette (colours), formats."""
