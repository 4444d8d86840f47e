"""With REDIS_URL set, production keeps its cache, the shared page cache, the rate limits and
the sessions in Redis. These tests run against a real redis-server started on loopback for
the module, with CACHES and SESSION_ENGINE exactly as config/settings.py builds them for
REDIS_URL, and check what residents and operators rely on: limits that hold across requests
and expire, public pages served from Redis and renewed by contributions, sessions that
outlive an emptied cache, and web processes that agree on what is current."""

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client, RequestFactory

from agora.accounts.tests.factories import PASSWORD, ResidentFactory
from agora.accounts.tests.support import url
from agora.core.antispam import rate_limit
from agora.core.cache import bump_content_version, content_version
from agora.core.page_cache import bump_scope
from agora.core.tests.html import text_of
from agora.ideas.tests.factories import IdeaFactory
from tests.loopback import redis_server
from tests.processes import run_python

pytestmark = pytest.mark.django_db

PRINT_CACHE_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({"CACHES": settings.CACHES, "SESSION_ENGINE": settings.SESSION_ENGINE}))
"""
# Another web process reads the versions it finds in Redis, then publishes something.
OTHER_WEB_PROCESS = """
import json
from agora.core.cache import bump_content_version, content_version
from agora.core.page_cache import scope_version
seen = {"content": content_version(), "scope": scope_version("project:7")}
bump_content_version()
print(json.dumps(seen))
"""


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A real Redis for the module (each xdist worker starts its own, on its own port)."""
    with redis_server() as address:
        yield address
    # The settings are restored after every test: the modules that follow are back on the
    # in-memory cache of the test settings.
    assert isinstance(caches["default"], LocMemCache)


def run_django_with_redis(redis_url: str, home: Path, code: str) -> str:
    """What `code` prints in another Python process running Django with REDIS_URL set, as a
    web process of a production machine would (its other settings are the development ones)."""
    arguments = ("-c", "import django; django.setup()\n" + code)
    result = run_python(home, arguments, REDIS_URL=redis_url)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def settings_with_redis(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """CACHES and SESSION_ENGINE as config/settings.py builds them when REDIS_URL is set."""
    printed = run_django_with_redis(
        redis_url, tmp_path_factory.mktemp("settings-with-redis"), PRINT_CACHE_SETTINGS
    )
    configured: dict[str, Any] = json.loads(printed.splitlines()[-1])
    assert configured["CACHES"]["default"]["BACKEND"].endswith(".RedisCache")
    assert configured["CACHES"]["default"]["LOCATION"] == redis_url
    return configured


@pytest.fixture
def redis_store(
    settings: Any, settings_with_redis: dict[str, Any], redis_url: str
) -> Iterator[Any]:
    """The test runs with production's Redis cache and cached_db sessions, on an empty Redis;
    yields a client to look into Redis directly. Redis is emptied again afterwards, and the
    test settings (in-memory cache) come back with the `settings` fixture."""
    store = redis.Redis.from_url(redis_url, decode_responses=True)
    store.flushdb()
    settings.CACHES = settings_with_redis["CACHES"]
    settings.SESSION_ENGINE = settings_with_redis["SESSION_ENGINE"]
    assert type(caches["default"]).__name__ == "RedisCache"
    yield store
    store.flushdb()
    store.close()


def keys_like(store: Any, pattern: str) -> list[str]:
    return sorted(store.scan_iter(match=pattern))


# Rate limits --------------------------------------------------------------------------------


def test_the_rate_limit_refuses_an_address_past_its_limit_and_lets_another_one_through(
    redis_store: Any,
) -> None:
    first = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    second = RequestFactory().post("/", REMOTE_ADDR="203.0.113.10")

    answers = [rate_limit(first, scope="ideas", limit=3, period_seconds=600) for _ in range(4)]

    assert answers == [True, True, True, False]
    assert rate_limit(second, scope="ideas", limit=3, period_seconds=600)
    counters = keys_like(redis_store, "*:rate:ideas:*")
    assert len(counters) == 2, "one counter per address, in Redis"
    assert sorted(redis_store.get(key) for key in counters) == ["1", "4"]
    assert not any("203.0.113" in key for key in counters), "no address is stored"


def test_a_rate_limit_counter_expires_with_its_period(redis_store: Any) -> None:
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    assert rate_limit(request, scope="comments", limit=1, period_seconds=600)
    assert not rate_limit(request, scope="comments", limit=1, period_seconds=600)

    # A sliding window reads the previous period's counter too: each lives two periods.
    [counter] = keys_like(redis_store, "*:rate:comments:*")
    assert 1190 <= redis_store.ttl(counter) <= 1200

    # The counter goes early: Redis drops it, and the address may send again.
    redis_store.pexpire(counter, 1)
    deadline = time.monotonic() + 5
    while redis_store.exists(counter) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert rate_limit(request, scope="comments", limit=1, period_seconds=600)


# The shared page cache ----------------------------------------------------------------------


def test_a_project_idea_list_is_served_from_redis_until_a_contribution_renews_it(
    redis_store: Any,
    settings: Any,
    branding: Any,
    project: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """`branding` is saved beforehand: the first page of a site without one would save it,
    which renews every page."""
    settings.PAGE_CACHE_SECONDS = 300
    IdeaFactory.create(project=project, title="Des bancs au parc")
    address = project.subpage_url("ideas")

    first = Client().get(address)
    assert first.status_code == 200
    assert first["X-Agora-Cache"] == "miss"
    assert keys_like(redis_store, "*:page:*"), "the page is kept in Redis"

    # An idea arrives without renewing the project's pages: the next visitor still gets the
    # copy kept in Redis.
    IdeaFactory.create(project=project, title="Une fontaine")
    second = Client().get(address)
    assert second["X-Agora-Cache"] == "hit"
    assert second.content == first.content

    with django_capture_on_commit_callbacks(execute=True):
        bump_scope(f"project:{project.pk}")
    renewed = Client().get(address)

    assert renewed["X-Agora-Cache"] == "miss"
    assert "Une fontaine" in text_of(renewed.content)
    assert "Des bancs au parc" in text_of(renewed.content)
    assert Client().get(address)["X-Agora-Cache"] == "hit"


# Sessions ------------------------------------------------------------------------------------


def sign_in(client: Client) -> Any:
    resident = ResidentFactory.create(first_name="Marie", last_name="Roy")
    response = client.post(url("account_login"), {"login": resident.email, "password": PASSWORD})
    assert response.status_code == 302
    return resident


def test_a_signed_in_resident_stays_signed_in_from_one_page_to_the_next(
    redis_store: Any, client: Client
) -> None:
    sign_in(client)
    session_key = client.cookies["sessionid"].value
    assert keys_like(redis_store, f"*cached_db{session_key}"), "the session is cached in Redis"

    for _page in range(2):
        response = client.get(url("account_home"))
        assert response.status_code == 200
        assert "Marie Roy" in text_of(response.content)
    assert client.cookies["sessionid"].value == session_key


def test_a_resident_stays_signed_in_when_the_cache_is_emptied(
    redis_store: Any, client: Client
) -> None:
    """cached_db also writes every session to the database: emptying Redis (a restart, a
    flush by an operator) signs nobody out."""
    sign_in(client)
    session_key = client.cookies["sessionid"].value

    caches["default"].clear()
    assert not keys_like(redis_store, "*")

    response = client.get(url("account_home"))
    assert response.status_code == 200
    assert "Marie Roy" in text_of(response.content)
    assert keys_like(redis_store, f"*cached_db{session_key}"), "read back, then cached again"


# Several web processes ----------------------------------------------------------------------


def test_web_processes_agree_on_what_was_published_and_contributed(
    redis_store: Any,
    redis_url: str,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Each web process has its own connection to Redis: a version bumped through one is the
    version every other one serves, so no process keeps showing an outdated page."""
    assert content_version() == 1
    bump_content_version()  # staff publish
    with django_capture_on_commit_callbacks(execute=True):
        bump_scope("project:7")  # a resident contributes

    printed = run_django_with_redis(redis_url, tmp_path, OTHER_WEB_PROCESS)
    seen = json.loads(printed.splitlines()[-1])

    assert seen == {"content": 2, "scope": 2}
    assert content_version() == 3, "what the other process published is seen here"
