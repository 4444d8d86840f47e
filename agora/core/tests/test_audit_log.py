"""The audit log in /gestion/ (Reports → Journal d'audit): administrators read, search,
filter and export it; nobody edits it. Publishing, unpublishing and branding changes made in
/gestion/ reach it with the person who acted."""

import csv
import io

import openpyxl
import pytest
from time_machine import TimeMachineFixture
from wagtail.models import Site
from wagtail.test.utils.form_data import querydict_from_html

from agora.accounts.invitations import invite
from agora.accounts.models import User
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    OrganisationFactory,
    administrator,
    client_of,
    department_manager,
    resident,
)
from agora.core import audit
from agora.core.models import AuditEntry, Branding
from agora.core.tests.html import find, find_all, text_of
from agora.core.tests.responses import ClientResponse, streamed
from agora.pages.models import HomePage
from agora.pages.tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

LOG = "/gestion/journal-audit/"


@pytest.fixture
def admin(home: HomePage) -> User:
    return administrator(first_name="Marie", last_name="Tremblay")


@pytest.fixture
def entries(admin: User, time_machine: TimeMachineFixture) -> None:
    time_machine.move_to("2026-03-02 09:00:00-05:00", tick=False)
    invite(inviter=admin, email="a@example.org", role=Role.CLERK)
    time_machine.move_to("2026-03-10 09:00:00-04:00", tick=False)
    audit.record(
        actor=admin, action="organisation.verified", target=OrganisationFactory.create(name="Club")
    )
    time_machine.move_to("2026-03-12 09:00:00-04:00", tick=False)


def _actions_listed(response: ClientResponse) -> list[str]:
    table = find(response.content, "table", class_="listing")
    return [find_all(row, "td")[2].text for row in find_all(find(table, "tbody"), "tr")]


def test_an_administrator_reads_the_log_newest_first(entries: None, admin: User) -> None:
    response = client_of(admin).get(LOG)

    assert response.status_code == 200
    assert _actions_listed(response) == ["organisation.verified", "invitation.sent"]
    assert "Marie Tremblay" in text_of(response.content)


def test_the_log_filters_by_action(entries: None, admin: User) -> None:
    response = client_of(admin).get(f"{LOG}?action=invitation.sent")

    assert _actions_listed(response) == ["invitation.sent"]


def test_the_log_filters_by_date(entries: None, admin: User) -> None:
    response = client_of(admin).get(f"{LOG}?created_at_from=2026-03-05&created_at_to=2026-03-11")

    assert _actions_listed(response) == ["organisation.verified"]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Club", ["organisation.verified"]),
        ("tremblay", ["organisation.verified", "invitation.sent"]),
    ],
)
def test_the_log_is_searched_by_person_and_object(
    entries: None, admin: User, query: str, found: list[str]
) -> None:
    response = client_of(admin).get(f"{LOG}?q={query}")

    assert _actions_listed(response) == found


def test_the_csv_export_holds_every_row_in_the_citys_time(entries: None, admin: User) -> None:
    response = client_of(admin).get(f"{LOG}?export=csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert 'filename="journal-audit.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(streamed(response).decode())))
    header, *body = rows
    assert len(header) == 7
    assert [row[2] for row in body] == ["organisation.verified", "invitation.sent"]
    sent = body[1]
    assert sent[0] == "2026-03-02 09:00:00"
    assert sent[1] == "Marie Tremblay"
    assert '"email": "a@example.org"' in sent[6]


def test_the_csv_export_follows_the_filters(entries: None, admin: User) -> None:
    response = client_of(admin).get(f"{LOG}?export=csv&action=invitation.sent")

    rows = list(csv.reader(io.StringIO(streamed(response).decode())))
    assert len(rows) == 2


def test_a_name_cannot_become_a_spreadsheet_formula_in_the_export(admin: User) -> None:
    audit.record(
        actor=admin, action="organisation.verified", target=OrganisationFactory.create(name="=1+2")
    )

    response = client_of(admin).get(f"{LOG}?export=csv")

    rows = list(csv.reader(io.StringIO(streamed(response).decode())))
    assert rows[1][5] == "'=1+2"


def test_the_xlsx_export_holds_every_row(entries: None, admin: User) -> None:
    response = client_of(admin).get(f"{LOG}?export=xlsx")

    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(streamed(response)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert [row[2] for row in rows[1:]] == ["organisation.verified", "invitation.sent"]
    assert rows[2][0].isoformat() == "2026-03-02T09:00:00"


def test_an_entry_is_read_in_full(entries: None, admin: User) -> None:
    entry = AuditEntry.objects.get(action="invitation.sent")

    response = client_of(admin).get(f"{LOG}inspect/{entry.pk}/")

    assert response.status_code == 200
    assert "a@example.org" in text_of(response.content)


def test_nobody_adds_changes_or_deletes_an_entry(entries: None, admin: User) -> None:
    entry = AuditEntry.objects.first()
    assert entry is not None
    client = client_of(admin)

    for url in ("new/", f"edit/{entry.pk}/", f"delete/{entry.pk}/"):
        assert client.post(f"{LOG}{url}", {"action": "x"}, follow=True).status_code == 404
    assert AuditEntry.objects.count() == 2
    assert not find_all(client.get(LOG).content, "a", href=f"{LOG}new/")


def test_a_resident_is_refused(entries: None) -> None:
    client = client_of(resident())

    for url in (LOG, f"{LOG}?export=csv"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Espace réservé à l'équipe de la Ville" in response.content.decode()


def test_a_member_of_the_team_who_is_not_an_administrator_is_refused(entries: None) -> None:
    client = client_of(department_manager(DepartmentFactory.create()))
    entry = AuditEntry.objects.first()
    assert entry is not None

    for url in (LOG, f"{LOG}?export=csv", f"{LOG}inspect/{entry.pk}/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Accès refusé" in response.content.decode()


# What Wagtail's own screens do reaches the log


def test_publishing_a_page_in_the_back_office_is_logged_with_who_did_it(
    admin: User, home: HomePage
) -> None:
    page = StandardPageFactory.create(parent=home, title="Collectes", publish=False)
    client = client_of(admin)
    edit_url = f"/gestion/pages/{page.pk}/edit/"
    data = querydict_from_html(client.get(edit_url).content.decode(), form_id="page-edit-form")
    data["action-publish"] = "action-publish"

    response = client.post(edit_url, data)

    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    entry = AuditEntry.objects.get(action="page.published")
    assert entry.actor == admin
    assert entry.object_repr == "Collectes"
    assert entry.details["locale"] == "fr"


def test_unpublishing_a_page_in_the_back_office_is_logged(admin: User, home: HomePage) -> None:
    page = StandardPageFactory.create(parent=home, title="Collectes")

    response = client_of(admin).post(f"/gestion/pages/{page.pk}/unpublish/")

    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live
    entry = AuditEntry.objects.get(action="page.unpublished")
    assert (entry.actor, entry.object_id) == (admin, str(page.pk))


def test_publishing_pages_in_bulk_is_logged_page_by_page(admin: User, home: HomePage) -> None:
    first = StandardPageFactory.create(parent=home, title="Un", publish=False)
    second = StandardPageFactory.create(parent=home, title="Deux", publish=False)

    response = client_of(admin).post(
        f"/gestion/bulk/wagtailcore/page/publish/?id={first.pk}&id={second.pk}&next=/gestion/"
    )

    assert response.status_code == 302
    logged = AuditEntry.objects.filter(action="page.published")
    assert sorted(logged.values_list("object_repr", flat=True)) == ["Deux", "Un"]
    assert {entry.actor for entry in logged} == {admin}


def test_a_branding_change_is_logged_with_what_changed(admin: User, branding: Branding) -> None:
    site = Site.objects.get(is_default_site=True)
    url = f"/gestion/settings/core/branding/{site.pk}/"
    client = client_of(admin)
    data = querydict_from_html(client.get(url).content.decode(), form_id="w-editor-form")
    data["primary_colour"] = "#003366"

    response = client.post(url, data)

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="settings.edited")
    assert entry.actor == admin
    assert entry.details["changes"] == {"primary_colour": ["#00558c", "#003366"]}


def test_saving_the_branding_without_a_change_writes_nothing(
    admin: User, branding: Branding
) -> None:
    site = Site.objects.get(is_default_site=True)
    url = f"/gestion/settings/core/branding/{site.pk}/"
    client = client_of(admin)
    data = querydict_from_html(client.get(url).content.decode(), form_id="w-editor-form")

    client.post(url, data)

    assert not AuditEntry.objects.filter(action="settings.edited").exists()
