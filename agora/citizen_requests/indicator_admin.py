"""The staff dashboard of request indicators in /gestion/ (issue 13, item 5)."""
