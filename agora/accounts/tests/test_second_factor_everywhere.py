"""A staff role gives its powers only to a session that has its second factor, wherever the
address: without it, an elected official or a manager reads the public site as a resident
does (private results and unpublished surveys do not exist for them)."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import Settings

from agora.accounts.models import User
from agora.accounts.roles import Role
from agora.accounts.rules import is_administrator
from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    UserFactory,
    client_of,
    department_manager,
)
from agora.pages.models import HomePage
from agora.surveys.models import ResultsVisibility, Survey
from agora.surveys.tests.factories import QuestionFactory, SectionFactory, SurveyFactory

pytestmark = pytest.mark.django_db

PRIVATE_RESULTS = [
    ("results:detail", ()),
    ("results:embed", ()),
    ("results:og_image", ()),
    ("results:export", ("csv",)),
    ("results:export", ("xlsx",)),
    ("results:export", ("pdf",)),
]
IDS = ["page", "embed", "image", "csv", "xlsx", "pdf"]


@pytest.fixture(autouse=True)
def _second_factor_required(settings: Settings) -> None:
    settings.STAFF_MFA_REQUIRED = True


def with_second_factor(user: User) -> User:
    TOTP.activate(user, generate_totp_secret())
    return user


def elected_official() -> User:
    user: User = UserFactory.create(roles=[Role.ELECTED_OFFICIAL])
    return user


def superuser() -> User:
    user: User = UserFactory.create(is_superuser=True, is_staff=True)
    return user


@pytest.fixture
def private_survey(home: HomePage) -> Survey:
    survey = SurveyFactory.create(results_visibility=ResultsVisibility.PRIVATE)
    QuestionFactory.create(section=SectionFactory.create(survey=survey), choices=["Oui", "Non"])
    return survey


def url_of(name: str, survey: Survey, extra: tuple[str, ...]) -> str:
    return reverse(name, args=[survey.slug, *extra])


@pytest.mark.parametrize(("name", "extra"), PRIVATE_RESULTS, ids=IDS)
def test_an_elected_official_with_a_password_alone_does_not_find_private_results(
    private_survey: Survey, name: str, extra: tuple[str, ...]
) -> None:
    client = client_of(elected_official())

    assert client.get(url_of(name, private_survey, extra)).status_code == 404


@pytest.mark.parametrize(("name", "extra"), PRIVATE_RESULTS, ids=IDS)
def test_an_elected_official_with_the_second_factor_reads_private_results(
    private_survey: Survey, name: str, extra: tuple[str, ...]
) -> None:
    client = client_of(with_second_factor(elected_official()))

    response = client.get(url_of(name, private_survey, extra))

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize(("name", "extra"), PRIVATE_RESULTS, ids=IDS)
def test_a_superuser_without_the_second_factor_does_not_find_private_results(
    private_survey: Survey, name: str, extra: tuple[str, ...]
) -> None:
    client = client_of(superuser())

    assert client.get(url_of(name, private_survey, extra)).status_code == 404


def test_a_superuser_with_the_second_factor_reads_private_results(
    private_survey: Survey,
) -> None:
    client = client_of(with_second_factor(superuser()))

    assert client.get(url_of("results:detail", private_survey, ())).status_code == 200


def test_without_the_requirement_a_password_is_enough_as_before(
    private_survey: Survey, settings: Settings
) -> None:
    settings.STAFF_MFA_REQUIRED = False
    client = client_of(elected_official())

    assert client.get(url_of("results:detail", private_survey, ())).status_code == 200


@pytest.fixture
def unpublished_survey(home: HomePage) -> tuple[Survey, User]:
    """A survey of a department, not yet published, and that department's manager."""
    department = DepartmentFactory.create()
    survey = SurveyFactory.create(
        department=department,
        published_at=None,
        opens_at=timezone.now() + datetime.timedelta(days=7),
    )
    QuestionFactory.create(section=SectionFactory.create(survey=survey), choices=["Oui", "Non"])
    return survey, department_manager(department)


def test_a_manager_without_the_second_factor_cannot_preview_an_unpublished_survey(
    unpublished_survey: tuple[Survey, User],
) -> None:
    survey, manager = unpublished_survey

    response = client_of(manager).get(reverse("surveys:detail", args=[survey.slug]))

    assert response.status_code == 404


def test_a_manager_with_the_second_factor_previews_an_unpublished_survey(
    unpublished_survey: tuple[Survey, User],
) -> None:
    survey, manager = unpublished_survey

    response = client_of(with_second_factor(manager)).get(
        reverse("surveys:detail", args=[survey.slug])
    )

    assert response.status_code == 200
    assert "Aperçu" in response.content.decode()


def test_an_administrator_without_the_second_factor_still_cannot_delete_their_account(
    home: HomePage,
) -> None:
    admin: User = UserFactory.create(roles=[Role.ADMINISTRATOR])
    client = client_of(admin)

    refused = client.post(reverse("account_delete"), {"email": admin.email})

    assert refused.status_code == 403
    assert User.objects.filter(pk=admin.pk, is_active=True).exists()


def test_people_the_code_reads_about_keep_their_roles_without_a_session(home: HomePage) -> None:
    """A moderator being assigned, or the actor of a scheduled job, is no session: their
    roles stand (the second factor is asked of the person signed in)."""
    admin: User = UserFactory.create(roles=[Role.ADMINISTRATOR])

    assert is_administrator(admin)


def test_anonymous_visitors_of_public_results_open_no_session(home: HomePage) -> None:
    survey = SurveyFactory.create(results_visibility=ResultsVisibility.LIVE)

    response = Client().get(reverse("results:detail", args=[survey.slug]))

    assert response.status_code == 200
    assert not response.cookies
