"""Every colour a page draws with, named once (charts, swatches, borders)."""

from __future__ import annotations

# the app's chart colours
BLUE = "#4c6ef5"
TEAL = "#20a4a4"
ORANGE = "#f08c00"
GREEN = "#2e9d5b"
LIGHT_GREEN = "#51cf66"
LIME = "#94d82d"
VIOLET = "#7950f2"
YELLOW = "#e0a800"
RED = "#d9534f"
GREY = "#8c8c8c"
WHITE = "#ffffff"

# tones of the recency bars and at-risk reasons (green plain, yellow striped, red crossed)
TONES = {"green": GREEN, "yellow": YELLOW, "red": RED}

# Okabe-Ito: told apart with every common colour vision deficiency (trends, comparison, weekly activity)
OKABE_ITO = {"blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "pink": "#CC79A7",
             "vermillion": "#D55E00", "sky": "#56B4E9"}

# text and lines around the data
NOTE_TEXT = "#555"
GRID_LINE = "#e3e8ef"
BORDER = "#dee2e6"
MUTED_TEXT = "#6b7785"  # the sentence of an empty chart

# the parts of Plotly's plotly_white template the charts use (callbacks/figures.py)
PLOTLY_COLOURS = ["#636efa", "#EF553B", "#00cc96", "#ab63fa"]
TEMPLATE_TEXT = "#2a3f5f"
TEMPLATE_GRID = "#EBF0F8"

# reaction kinds, in the order charts stack them: (kind, label, colour)
REACTION_KINDS = [("like", "Likes", GREEN), ("learned_something", "Learned something", LIGHT_GREEN),
                  ("useful", "Useful", LIME), ("have_a_question", "Have a question", BLUE),
                  ("outdated", "Outdated", ORANGE), ("irrelevant", "Irrelevant", RED),
                  ("didnt_get_it", "Didn't get it", GREY)]
