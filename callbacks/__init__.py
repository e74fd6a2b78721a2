"""Callbacks: callbacks/<page>.py holds plain module-level functions, each reading its inputs (callbacks.inputs)
-> one query as the signed-in viewer at the page's now (dashboard.viewer; a server-paged table:
callbacks.grids.answer) -> shaping -> outputs; its register(app) only wires them (app.callback(...)(fn)).
A page's callbacks import its own layout module and shared modules only: viewer, grids, inputs, figures,
learners (rows and dialog), cohorts (the cohort picker's search)."""
