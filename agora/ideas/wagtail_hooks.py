"""The "Modération" menu of /gestion/: the list of the projects one moderates, and each
project's queues, the city's answers to ideas and the moderation log (admin_viewsets.py,
admin_views.py). The menu shows to administrators and to the moderators of at least one
project (`ideas.list_moderation_queues`); every screen checks the project's permission
again."""

from wagtail import hooks

from agora.ideas.admin_viewsets import moderation_listing

# Registered by call: Wagtail's hook registry has no type hints (see core/wagtail_hooks.py).
hooks.register("register_admin_viewset", moderation_listing)
