"""Wagtail's page editor as a browser uses it: read the form of the edit (or create) screen,
change some fields, and post it with one of the editor's actions."""

from typing import Any

from django.test import Client

from agora.core.tests.html import Element, find, find_all

SKIPPED_INPUTS = {"submit", "button", "file", "image", "reset"}


def _raw_text(element: Element) -> str:
    return "".join(
        child if isinstance(child, str) else _raw_text(child) for child in element.children
    )


def form_data(html: bytes | str, form_id: str) -> dict[str, Any]:
    """The values the form would send, as a browser sends them (checked boxes only, the
    selected options, a textarea's text)."""
    form = find(html, "form", id=form_id)
    data: dict[str, list[str]] = {}
    for element in find_all(form, "*"):
        name = element.attrs.get("name")
        if not name or element.tag not in ("input", "select", "textarea"):
            continue
        if element.tag == "input":
            kind = element.attrs.get("type", "text")
            if kind in SKIPPED_INPUTS or (
                kind in ("checkbox", "radio") and "checked" not in element.attrs
            ):
                continue
            data.setdefault(name, []).append(
                element.attrs.get("value", "on" if kind == "checkbox" else "")
            )
        elif element.tag == "textarea":
            data.setdefault(name, []).append(_raw_text(element).removeprefix("\n"))
        else:
            options = find_all(element, "option")
            chosen = [o for o in options if "selected" in o.attrs]
            if not chosen and options and "multiple" not in element.attrs:
                chosen = options[:1]
            data.setdefault(name, []).extend(o.attrs.get("value", o.text) for o in chosen)
    return {name: values if len(values) != 1 else values[0] for name, values in data.items()}


def edit_form(client: Client, page_id: int) -> dict[str, Any]:
    response = client.get(f"/gestion/pages/{page_id}/edit/")
    assert response.status_code == 200, response.status_code
    return form_data(response.content, "page-edit-form")


def post_edit(client: Client, page_id: int, data: dict[str, Any], action: str = "") -> Any:
    """`action`: "" saves a draft; "action-submit", "action-publish", or a workflow action
    ("approve", "reject") taken from the editor."""
    payload = dict(data)
    if action in ("approve", "reject"):
        payload["action-workflow-action"] = "true"
        payload["workflow-action-name"] = action
    elif action:
        payload[action] = action
    return client.post(f"/gestion/pages/{page_id}/edit/", payload)
