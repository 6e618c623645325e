"""Reading pages as a browser would: the fields a form submits, errors shown next to fields."""

from __future__ import annotations

import re
from typing import Any

import lxml.html
from starlette.testclient import TestClient

from tests.web.helpers import HTML, csrf


def form_fields(page: str, form_id: str = "deposit-form") -> list[tuple[str, str]]:
    """What submitting the form sends (without a button): checked boxes, selected options, text;
    nothing from ``<template>`` rows nor from disabled fields."""
    tree = lxml.html.fromstring(page)
    form = tree.get_element_by_id(form_id)
    for template in list(form.iter("template")):
        template.getparent().remove(template)
    return [(name, value) for name, value in form.form_values()]


def field_value(page: str, name: str) -> str | None:
    tree = lxml.html.fromstring(page)
    found = tree.xpath(f'//*[@name="{name}"][not(ancestor::template)]')
    if not found:
        return None
    element = found[0]
    if element.tag == "textarea":
        return element.text or ""
    if element.tag == "select":
        chosen = element.xpath("option[@selected]")
        return chosen[0].get("value") if chosen else None
    return element.get("value")


def error_of(page: str, name: str) -> str | None:
    """The error message shown next to field ``name`` (tied to it with aria-describedby)."""
    tree = lxml.html.fromstring(page)
    element = tree.xpath(f'//*[@id="e-{name}"]')
    if not element:
        return None
    field = tree.xpath(f'//*[@id="f-{name}"]')
    assert field, f"no field f-{name}"
    assert f"e-{name}" in (field[0].get("aria-describedby") or ""), f"f-{name} does not point at its error"
    return element[0].text_content().strip()


def summary_links(page: str) -> dict[str, str]:
    """The pre-publish check's summary: link target → text."""
    tree = lxml.html.fromstring(page)
    box = tree.xpath('//*[@id="problems"]')
    if not box:
        return {}
    return {a.get("href"): a.getparent().text_content().strip() for a in box[0].iter("a")}


def post_deposit(client: TestClient, url: str, fields: list[tuple[str, str]] | dict[str, Any], action: str = "save", **kwargs: Any) -> Any:
    token = csrf(client, "/uploads/new")
    items = list(fields.items()) if isinstance(fields, dict) else list(fields)
    items = [(k, v) for k, v in items if k != "csrf_token"] + [("csrf_token", token), ("action", action)]
    kwargs.setdefault("follow_redirects", False)
    return client.post(url, data=dict(items), headers=HTML, **kwargs)


def draft_id(response: Any) -> str:
    location = response.headers["location"]
    found = re.fullmatch(r"/uploads/(\d+)", location)
    assert found, location
    return found.group(1)
