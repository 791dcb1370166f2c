"""Related documents (issue 17 item 1h): the DPIA, the data-processing agreement, the entry in the
register of processing activities and the trial's evaluation, each with a link and an optional PDF."""
