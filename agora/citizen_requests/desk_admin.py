"""The clerk's desk in /gestion/requetes/ (issue 13, item 4): its URLs and menu item."""
