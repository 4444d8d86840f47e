"""Citizen requests (311): the services residents report problems to, their requests, the
clerk's desk, the indicators and the Open311 GeoReport v2 API."""
