"""The test world of the leak matrix: one object per access state, each with unique marker
strings, and every kind of actor. Surfaces (tests/access/surfaces.py) fetch what an actor sees."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import update

from callimachus.db.models import AccessLink
from tests.helpers import create_draft, publish, upload

LEVELS = ("view", "preview", "edit", "manage")


@dataclass
class Obj:
    """A record or draft in one access state. Markers appear only in that state's content."""

    name: str
    recid: str
    published: bool  # a published version lives at ``recid``
    draft: bool  # a draft lives at ``recid``
    meta_public: bool
    files_public: bool
    meta_markers: list[str]
    file_markers: list[str]
    file_keys: list[str]
    draft_only: bool = False  # the markers live only in a draft (not in any published version)
    links: dict[str, str] = field(default_factory=dict)  # level -> token
    buckets: list[str] = field(default_factory=list)  # Zenodo API bucket paths the owner was given


@dataclass
class Actor:
    name: str
    headers: dict[str, str]
    level: str | None = None  # None: public only; "view" … "manage"/"owner"/"admin"
    link: str | None = None  # a link level whose token the actor presents
    dead_link: str | None = None  # "expired" or "revoked"

    def query(self, obj: Obj) -> dict[str, str]:
        if self.link:
            return {"token": obj.links[self.link]}
        if self.dead_link:
            return {"token": obj.links[self.dead_link]}
        return {}


RANK = {"view": 1, "preview": 2, "edit": 3, "manage": 4, "owner": 5, "admin": 5}


def sees(actor: Actor, obj: Obj, what: str) -> bool:
    """The expected answer: may ``actor`` see ``obj``'s metadata ("meta") or files ("files")?"""
    level = actor.level or actor.link
    rank = RANK.get(level or "", 0)
    if rank >= RANK["preview"]:
        return True
    if rank == RANK["view"] and not obj.draft_only:
        return True
    return obj.meta_public if what == "meta" else obj.files_public


def _meta(base: dict[str, Any], name: str) -> tuple[dict[str, Any], list[str]]:
    title, description = f"MKT{name}TITLE", f"MKD{name}DESC"
    return {**base, "title": f"Study {title}", "description": f"<p>About {description}</p>"}, [title, description]


def _files(name: str) -> tuple[dict[str, bytes], list[str], list[str]]:
    key = f"mkf{name}file.csv"
    content = f"MKC{name}CONTENT".encode()
    return {key: content}, [key, content.decode()], [key]


def _published(client: Any, headers: dict[str, str], metadata: dict[str, Any], uploads: dict[str, bytes] | None, **extra: Any) -> dict[str, Any]:
    draft = create_draft(client, headers, metadata, **extra)
    for key, data in (uploads or {}).items():
        upload(client, headers, draft["id"], key, data)
    return publish(client, headers, draft["id"])


def build_objects(client: Any, headers: dict[str, str], base: dict[str, Any], clock: Any) -> list[Obj]:
    future = (clock.now() + timedelta(days=365)).date().isoformat()
    objects: list[Obj] = []
    states = {
        "open": ({"record": "public", "files": "public"}, True, True),
        "embargoed": ({"record": "public", "files": "restricted", "embargo": {"active": True, "until": future}}, True, False),
        "restrictedfiles": ({"record": "public", "files": "restricted"}, True, False),
        "restrictedrecord": ({"record": "restricted", "files": "restricted"}, False, False),
    }
    for name, (access, meta_public, files_public) in states.items():
        metadata, meta_markers = _meta(base, name)
        files, file_markers, keys = _files(name)
        record = _published(client, headers, metadata, files, access=access)
        objects.append(Obj(name, record["id"], True, False, meta_public, files_public, meta_markers, file_markers, keys))

    metadata, meta_markers = _meta(base, "metaonly")
    record = _published(client, headers, metadata, None, files={"enabled": False})
    objects.append(Obj("metaonly", record["id"], True, False, True, False, meta_markers, [], []))

    metadata, meta_markers = _meta(base, "draft")
    files, file_markers, keys = _files("draft")
    draft = create_draft(client, headers, metadata)
    upload(client, headers, draft["id"], keys[0], files[keys[0]])
    objects.append(Obj("draft", draft["id"], False, True, False, False, meta_markers, file_markers, keys, draft_only=True))

    # A published open record whose pending edit carries new markers in its draft only.
    plain, _ = _meta(base, "editbase")
    published = _published(client, headers, plain, {"plain.csv": b"plain"})
    editing = client.post(f"/api/records/{published['id']}/draft", headers=headers).json()
    changed, meta_markers = _meta(base, "editdraft")
    editing["metadata"]["title"], editing["metadata"]["description"] = changed["title"], changed["description"]
    assert client.put(f"/api/records/{published['id']}/draft", json=editing, headers=headers).status_code == 200
    objects.append(Obj("editdraft", published["id"], True, True, False, False, meta_markers, [], [], draft_only=True))

    # A new-version draft of a published record: markers and a new file in the draft only.
    first, _ = _meta(base, "versionbase")
    v1 = _published(client, headers, first, {"v1.csv": b"v1"})
    nv = client.post(f"/api/records/{v1['id']}/versions", headers=headers).json()
    changed, meta_markers = _meta(base, "newversion")
    files, file_markers, keys = _files("newversion")
    nv["metadata"].update(title=changed["title"], description=changed["description"])
    assert client.put(f"/api/records/{nv['id']}/draft", json=nv, headers=headers).status_code == 200
    upload(client, headers, nv["id"], keys[0], files[keys[0]])
    objects.append(Obj("newversion", nv["id"], False, True, False, False, meta_markers, file_markers, keys, draft_only=True))
    return objects


def add_buckets(client: Any, headers: dict[str, str], objects: list[Obj]) -> None:
    """The bucket path of each object's deposition, as the owner reads it from the Zenodo API."""
    for obj in objects:
        response = client.get(f"/api/deposit/depositions/{obj.recid}", headers=headers)
        assert response.status_code == 200, response.text
        bucket = response.json()["links"].get("bucket")
        if bucket:
            obj.buckets.append(urlsplit(bucket).path)


def add_links(client: Any, headers: dict[str, str], objects: list[Obj], ctx: Any) -> None:
    """Every object gets a view, preview and edit link, an expired one and a revoked one."""
    for obj in objects:
        for level in ("view", "preview", "edit", "expired", "revoked"):
            permission = "edit" if level in ("expired", "revoked") else level
            response = client.post(f"/api/records/{obj.recid}/access/links", json={"permission": permission}, headers=headers)
            assert response.status_code == 201, response.text
            link = response.json()
            obj.links[level] = link["token"]
            if level == "revoked":
                assert client.delete(f"/api/records/{obj.recid}/access/links/{link['id']}", headers=headers).status_code == 204
            if level == "expired":
                with ctx.unit_of_work(write=True) as uow:  # as if its expiry date had passed
                    uow.session.execute(update(AccessLink).where(AccessLink.id == link["id"]).values(expires_at=ctx.clock.now() - timedelta(seconds=1)))
                    uow.commit()


def grant_all(client: Any, headers: dict[str, str], objects: list[Obj], grantees: dict[str, str]) -> None:
    """``grantees``: level -> e-mail. Grants are per concept, so one per object's concept."""
    for obj in objects:
        body = {"grants": [{"subject": {"type": "user", "email": email}, "permission": level} for level, email in grantees.items()]}
        response = client.post(f"/api/records/{obj.recid}/access/grants", json=body, headers=headers)
        assert response.status_code == 201, response.text
