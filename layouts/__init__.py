"""Page layouts, one module per page of the page map (dashboard/pages.py): register(app) puts the page in Dash's
registry as the map describes it (pages.register), layout(**query) -> components. A layout reads, as the viewer,
only what the page is drawn from (its record through layouts/entity.py, a dropdown's choices, the groups tree);
the page's callbacks load the rest."""
