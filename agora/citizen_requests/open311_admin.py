"""The Open311 API keys in /gestion/ (issue 13, item 6): their URLs and menu item."""
