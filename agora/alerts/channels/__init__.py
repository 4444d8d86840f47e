"""The alerts channels (SMS, automated calls) plugged into agora.core.channels."""

from django.conf import settings


def register() -> None:
    """Imports each channel's module: its `@register` makes it available by name. The "sms"
    channel is Kannel's unless SMS_PROVIDER (read here, at start-up) names Twilio."""
    from agora.alerts.channels import kannel, twilio, voice  # noqa: F401
    from agora.core.channels import register as register_channel

    sms_providers = {"kannel": kannel.KannelChannel, "twilio": twilio.TwilioTextMessageChannel}
    register_channel(sms_providers[settings.SMS_PROVIDER])
