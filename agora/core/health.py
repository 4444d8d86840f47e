"""Health checks for /health: each answers a status and a few facts, never personal data."""

from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.tasks import task_backends
from django.utils import timezone

# Ready tasks older than this mean no worker is taking them.
STALE_QUEUE_AFTER = timedelta(minutes=15)

type CheckResult = dict[str, Any]


def check_database() -> CheckResult:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok", "vendor": connection.vendor}


def check_task_queue() -> CheckResult:
    backend = task_backends["default"]
    result: CheckResult = {"status": "ok", "backend": type(backend).__name__}
    if type(backend).__module__.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        ready = DBTaskResult.objects.ready()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        waited = (timezone.now() - oldest) if oldest else timedelta(0)
        result["ready"] = ready.count()
        result["failed"] = DBTaskResult.objects.failed().count()
        result["oldest_ready_seconds"] = int(waited.total_seconds())
        if waited > STALE_QUEUE_AFTER:
            result["status"] = "error"
            result["error"] = "tasks are waiting: is the worker running?"
    return result


def check_cache() -> CheckResult:
    cache.set("agora:health", "ok", timeout=10)
    if cache.get("agora:health") != "ok":
        return {"status": "error", "error": "the cache did not keep a value"}
    return {"status": "ok"}


CHECKS = {"database": check_database, "tasks": check_task_queue, "cache": check_cache}


def run_checks() -> dict[str, CheckResult]:
    results: dict[str, CheckResult] = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as error:  # a failing check is reported, not raised
            results[name] = {"status": "error", "error": type(error).__name__}
    return results
