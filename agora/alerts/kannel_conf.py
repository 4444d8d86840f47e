"""The kannel.conf of a Kannel gateway whose boxes all run on one machine, on loopback: the
bearerbox (`core`), the fake SMSC of Debian's kannel-extras, the smsbox with its sendsms
interface and user, and the inbound `sms-service`. The tests' gateway
(agora/alerts/tests/kannel_gateway.py) and the alerts benchmark (bench/suites/alerts.py)
write theirs with it; a city's own configuration is described in channels/kannel.py.

No `throughput` on the SMSC: Kannel does not throttle, SMS_MESSAGES_PER_SECOND is the only
pace. Kannel wants a blank line between groups."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LoopbackKannel:
    admin_port: int
    admin_password: str
    smsbox_port: int
    smsc_port: int
    sendsms_port: int
    username: str
    password: str
    # Where the sms-service hands inbound messages (Kannel's %-escapes included).
    inbound_url: str
    log_directory: Path
    # How many messages smsbox may answer with per sendsms request and per inbound message.
    sendsms_max_messages: int = 1
    inbound_max_messages: int = 1
    access_log: bool = True

    def configuration(self) -> str:
        log = self.log_directory
        access_log = f'access-log = "{log}/access.log"\n' if self.access_log else ""
        groups = [
            f"""group = core
admin-port = {self.admin_port}
admin-interface = 127.0.0.1
admin-password = "{self.admin_password}"
admin-deny-ip = "*.*.*.*"
admin-allow-ip = "127.0.0.1"
smsbox-port = {self.smsbox_port}
smsbox-interface = 127.0.0.1
box-deny-ip = "*.*.*.*"
box-allow-ip = "127.0.0.1"
dlr-storage = internal
log-file = "{log}/bearerbox.log"
log-level = 1
{access_log}""",
            f"""group = smsc
smsc = fake
smsc-id = fake
our-host = 127.0.0.1
port = {self.smsc_port}
""",
            f"""group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {self.smsbox_port}
sendsms-port = {self.sendsms_port}
sendsms-interface = 127.0.0.1
mo-recode = false
log-file = "{log}/smsbox.log"
log-level = 1
""",
            f"""group = sendsms-user
username = "{self.username}"
password = "{self.password}"
user-allow-ip = "127.0.0.1"
max-messages = {self.sendsms_max_messages}
concatenation = true
""",
            f"""group = sms-service
keyword = default
catch-all = true
get-url = "{self.inbound_url}"
max-messages = {self.inbound_max_messages}
omit-empty = true
""",
        ]
        return "\n".join(groups)
