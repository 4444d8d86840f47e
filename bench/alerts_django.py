"""The Django side of the alerts benchmark (bench/suites/alerts.py), run as
`python bench/alerts_django.py COMMAND ...` with the suite's environment (its PostgreSQL
database, production settings). Each command prints one line of JSON on its last line.

- `seed --count N`: one zone, a mandatory topic (sécurité civile) and an optional one, and N
  subscribers written with set-based SQL (`INSERT … SELECT … FROM generate_series`): each
  with one confirmed contact point, by e-mail for the odd numbers (`abonne<n>@exemple.ca`)
  and by text message for the even ones (`+1514` and 2,000,000 + n on 7 digits), one place
  in the zone, the optional topic chosen; one in five speaks English. Then `ANALYZE`.
- `alert --topic mandatory|optional`: a draft alert to the zone by e-mail and text message,
  whose e-mail subject and text message carry `BENCH-<id>` (ASCII, one GSM-7 segment), and
  the time `sending.recipient_counts()` takes (the first call, then the median of five).
- `send --alert ID`: `sending.start_sending()` in a transaction, as the staff's "send now"
  does once it has checked the alert; prints the wall-clock time just before it.
- `retry --ahead S`: the deliveries' retry job (`deliveries.enqueue_due`, what
  `run_scheduled`'s `deliveries-retry` calls) as it would run S seconds from now, run until
  it enqueues nothing more.
- `status --alert ID`: the alert's state and its deliveries by channel, state and attempts.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ZONE_CODE = "bench-zone"
TOPICS = {"mandatory": "bench-securite-civile", "optional": "bench-travaux"}
# Around Ville de Démo (longitude, latitude).
SQUARE = [[-73.56, 45.36], [-73.48, 45.36], [-73.48, 45.42], [-73.56, 45.42], [-73.56, 45.36]]


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def email_of(number: int) -> str:
    return f"abonne{number}@exemple.ca"


def phone_of(number: int) -> str:
    return f"+1514{2_000_000 + number:07d}"


def seed(count: int) -> dict[str, Any]:
    from django.db import connection, transaction

    from agora.alerts.models import ContactPoint, Subscriber, SubscriberPlace, Topic, Zone

    started = time.perf_counter()
    subscriber = Subscriber._meta.db_table
    point = ContactPoint._meta.db_table
    place = SubscriberPlace._meta.db_table
    place_zones = SubscriberPlace.zones.through._meta.db_table
    topics = Subscriber.topics.through._meta.db_table
    with transaction.atomic():
        zone = Zone.objects.create(
            code=ZONE_CODE,
            name_fr="Secteur du banc d'essai",
            name_en="Benchmark sector",
            geojson=json.dumps({"type": "Polygon", "coordinates": [SQUARE]}),
        )
        Topic.objects.create(
            code=TOPICS["mandatory"],
            name_fr="Sécurité civile (banc d'essai)",
            name_en="Public safety (benchmark)",
            mandatory=True,
            cap_category="Health",
            cap_event_code="boilWater",
        )
        optional = Topic.objects.create(
            code=TOPICS["optional"],
            name_fr="Travaux (banc d'essai)",
            name_en="Roadwork (benchmark)",
            cap_category="Infra",
        )
        with connection.cursor() as cursor:
            # The subscriber's number n is kept in its token hash: bench-000…n (64 characters).
            cursor.execute(
                f"""INSERT INTO {subscriber} (language, manage_token_hash, source,
                    consent_text_version, consent_at, created_at)
                SELECT CASE WHEN g %% 5 = 0 THEN 'en' ELSE 'fr' END,
                       'bench-' || lpad(g::text, 58, '0'), 'web', '2026-12', now(), now()
                FROM generate_series(1, %s) AS g""",  # noqa: S608
                [count],
            )
            number = "substr(s.manage_token_hash, 7)::bigint"
            cursor.execute(
                f"""INSERT INTO {point} (subscriber_id, channel, address, priority, verified_at,
                    verification_code_hash, verification_attempts, opt_out_source, created_at)
                SELECT s.id,
                       CASE WHEN {number} %% 2 = 1 THEN 'email' ELSE 'sms' END,
                       CASE WHEN {number} %% 2 = 1 THEN 'abonne' || {number} || '@exemple.ca'
                            ELSE '+1514' || lpad((2000000 + {number})::text, 7, '0') END,
                       1, now(), '', 0, '', now()
                FROM {subscriber} AS s WHERE s.manage_token_hash LIKE 'bench-%%'""",  # noqa: S608
                [],
            )
            cursor.execute(
                f"""INSERT INTO {place} (subscriber_id, label, address, latitude, longitude)
                SELECT s.id, 'Maison', '',
                       45.36 + ({number} %% 600) * 0.0001, -73.56 + ({number} %% 800) * 0.0001
                FROM {subscriber} AS s WHERE s.manage_token_hash LIKE 'bench-%%'""",  # noqa: S608
                [],
            )
            cursor.execute(
                f"""INSERT INTO {place_zones} (subscriberplace_id, zone_id)
                SELECT p.id, %s FROM {place} AS p""",  # noqa: S608
                [zone.pk],
            )
            cursor.execute(
                f"""INSERT INTO {topics} (subscriber_id, topic_id)
                SELECT s.id, %s FROM {subscriber} AS s
                WHERE s.manage_token_hash LIKE 'bench-%%'""",  # noqa: S608
                [optional.pk],
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"subscribers": count, "seconds": round(time.perf_counter() - started, 2)}


def timed_counts(alert: Any) -> tuple[dict[str, int], float, list[float]]:
    from agora.alerts import sending

    times: list[float] = []
    counts: dict[str, int] = {}
    for _ in range(6):
        started = time.perf_counter()
        counts = sending.recipient_counts(alert)
        times.append(time.perf_counter() - started)
    return counts, times[0], times[1:]


def new_alert(topic_kind: str) -> dict[str, Any]:
    from django.db import transaction
    from django.utils import timezone

    from agora.alerts.models import Alert, Topic, Zone

    topic = Topic.objects.get(code=TOPICS[topic_kind])
    with transaction.atomic():
        alert = Alert.objects.create(
            topic=topic,
            severity="Severe" if topic.mandatory else "Moderate",
            urgency="Immediate" if topic.mandatory else "Expected",
            response_type="Execute",
            headline_fr="Avis d'ébullition préventif (banc d'essai)",
            headline_en="Precautionary boil-water advisory (benchmark)",
            description_fr="Faites bouillir l'eau une minute avant de la boire.",
            description_en="Boil water for one minute before drinking it.",
            send_email=True,
            send_sms=True,
            expires_at=timezone.now() + datetime.timedelta(days=1),
        )
        tag = f"BENCH-{alert.pk}"
        # ASCII: the receivers find the tag in the raw subject and text message.
        alert.email_subject_fr = f"{tag} Avis d'ebullition preventif"
        alert.email_subject_en = f"{tag} Precautionary boil-water advisory"
        alert.sms_text_fr = f"{tag} Avis d'ebullition: faites bouillir l'eau 1 minute."
        alert.sms_text_en = f"{tag} Boil-water advisory: boil water for 1 minute."
        alert.save()
        alert.zones.set([Zone.objects.get(code=ZONE_CODE)])
    alert = Alert.objects.select_related("topic").get(pk=alert.pk)
    counts, first, warm = timed_counts(alert)
    return {
        "alert": alert.pk,
        "tag": f"BENCH-{alert.pk}",
        "topic": topic_kind,
        "emergency": alert.is_emergency,
        "recipient_counts": counts,
        "recipient_counts_first_seconds": round(first, 4),
        "recipient_counts_median_seconds": round(statistics.median(warm), 4),
        "recipient_counts_seconds": [round(value, 4) for value in [first, *warm]],
    }


def send(alert_id: int) -> dict[str, Any]:
    from django.db import transaction

    from agora.alerts import sending
    from agora.alerts.models import Alert

    alert = Alert.objects.select_related("topic").get(pk=alert_id)
    started = time.time()
    with transaction.atomic():
        sending.start_sending(alert)
    return {"alert": alert_id, "started_at": started, "committed_at": time.time()}


def retry(ahead: float) -> dict[str, Any]:
    from django.utils import timezone

    from agora.core import deliveries

    total = 0
    runs = 0
    while True:
        now = timezone.now() + datetime.timedelta(seconds=ahead)
        enqueued = deliveries.enqueue_due(now=now)
        runs += 1
        total += enqueued
        if not enqueued or runs > 100:
            break
    return {"enqueued": total, "runs": runs, "ahead_seconds": ahead}


def status(alert_id: int) -> dict[str, Any]:
    from django.db.models import Count

    from agora.alerts.models import Alert
    from agora.core.models import Delivery

    alert = Alert.objects.get(pk=alert_id)
    rows = (
        Delivery.objects.filter(key__startswith=f"alert:{alert_id}:")
        .values("channel", "state", "attempts")
        .annotate(total=Count("pk"))
        .order_by("channel", "state", "attempts")
    )
    return {
        "alert_state": alert.state,
        "fanned_out_to": alert.fanned_out_to,
        "deliveries": [
            {
                "channel": row["channel"],
                "state": row["state"],
                "attempts": row["attempts"],
                "count": row["total"],
            }
            for row in rows
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("seed").add_argument("--count", type=int, required=True)
    commands.add_parser("alert").add_argument("--topic", choices=sorted(TOPICS), required=True)
    commands.add_parser("send").add_argument("--alert", type=int, required=True)
    commands.add_parser("retry").add_argument("--ahead", type=float, required=True)
    commands.add_parser("status").add_argument("--alert", type=int, required=True)
    args = parser.parse_args(argv)
    setup_django()
    if args.command == "seed":
        result = seed(args.count)
    elif args.command == "alert":
        result = new_alert(args.topic)
    elif args.command == "send":
        result = send(args.alert)
    elif args.command == "retry":
        result = retry(args.ahead)
    else:
        result = status(args.alert)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
