"""A cohort's settings when it has no cohort_settings row: the Participants colour limits (days since the last
activity: green up to GREEN, yellow up to YELLOW, red beyond). The At risk page reads YELLOW as its Y too."""

GREEN, YELLOW = 7, 14
