"""The indicators of citizen requests, for the public page and the staff dashboard: how many
problems residents report (per theme, service, month and district), what became of them, how
long the city takes to resolve them, and how many wait today. Every figure is counted by the
database (an aggregate query each); nothing loops over requests in Python.

What each figure counts (the pages say it in words):

- **Received** (per theme, service, month, district and status): the requests filed during
  the period, whatever their status today, except duplicates, which report a problem already
  counted; their number is given beside.
- **Resolution time** (median and 90th percentile) and **resolved within the target time**
  (`due_at`): the requests resolved during the period (`closed_at` within it). A refused
  request, one referred to another body or a duplicate was closed, not resolved: none of them
  counts here.
- **Waiting** (backlog age and overdue): the requests open now, whatever the period.

Private requests count like the others: numbers name nobody. The period is chosen with the
GET parameters `du` and `au` (dates, checked by `IndicatorForm` with a message for each
mistake); a theme narrows every figure, and on the staff dashboard a municipal department too.
The public page reads them through `cached_indicators`: computed at most once a minute per
choice, so a page is exact within 60 seconds however many requests there are.

- `period.py`: the period, the scope and the forms that choose them;
- `figures.py`: the figures, one function each, and `indicators()` that gathers them;
- `display.py`, `files.py`: the pages' sections (charts with their tables) and the files;
- `public.py`, `map.py`: the public list and map of public requests.
"""
