"""The alerts channels (SMS, automated calls) plugged into agora.core.channels."""


def register() -> None:
    """Imports each channel's module: its `@register` makes it available by name."""
    from agora.alerts.channels import kannel  # noqa: F401
