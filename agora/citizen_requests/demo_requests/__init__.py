"""Ville de Démo's past year of citizen requests, drawn at random (a seeded generator, so the
same every time at the same date) from demo_data/requests.toml (texts.py): the demo seeds
about 2,700 of them (demo.py, `seed_requests`) and `manage.py bench_requests` a million,
drawn the same way.

`RequestDrawer.draw(count)` (drawer.py) yields the requests in the order they were filed,
each with its whole history (history.py):

- when: spread over the last 365 days, more on weekdays and in the daytime, each service in
  its season (potholes at the thaw, snow in winter, leaves in the storm drains in autumn),
  with the file's `episodes` (a snowstorm, moving day) on their dates; tracking numbers in
  that order, per year;
- where: a point inside the municipality's boundary, drawn uniformly or, for a share of
  them, around one of the file's hotspots; its district (`boundary.district_of`); an address
  on a street of that district;
- what: a resident's description and answers to the service's questions; a contact e-mail
  at example.org or a 555-01xx phone number for some; mostly from the web form (by one of
  the given participants), some from the Open311 API (the city's call centre, during office
  hours); a few repeat a problem reported nearby shortly before, and are merged into it;
- what the desk did about it, by the workflow's legal moves only (history.py).

`save_drawn` (drawn.py) writes drawn requests with `bulk_create`: the demo does, and the
benchmark away from PostgreSQL, where bench_requests uses COPY.
"""

from agora.citizen_requests.demo_requests.drawer import DAYS, RequestDrawer
from agora.citizen_requests.demo_requests.drawn import (
    City,
    Desk,
    Drawn,
    DrawnService,
    Event,
    Voice,
    demo_desk,
    drawn_services,
    save_drawn,
)
from agora.citizen_requests.demo_requests.texts import DATA_PATH, REQUESTS_FILE, RequestsFile

__all__ = [
    "DATA_PATH",
    "DAYS",
    "REQUESTS_FILE",
    "City",
    "Desk",
    "Drawn",
    "DrawnService",
    "Event",
    "RequestDrawer",
    "RequestsFile",
    "Voice",
    "demo_desk",
    "drawn_services",
    "save_drawn",
]
