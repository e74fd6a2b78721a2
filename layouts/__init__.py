"""Page layouts, one module per page of the page map (dashboard/pages.py): register(app) puts the page in Dash's
registry as the map describes it (pages.register(pages.<PAGE>, layout)) and layout(**query) draws it;
callbacks/<page>.py fills it. A layout queries only what its frame needs, as the viewer through dashboard.viewer:
the record of a page about one thing (session, program, group, user, course: layouts/entity.load), the choices of
a picker (participants, at_risk, compare, collaboration), the groups tree, the users tab counts and one's own
digest settings (layouts/digest.py). Shared parts (no page of the map): common, grids, learners, cohorts, charts
(graph config), palette (colours), formats, program_session_columns."""
