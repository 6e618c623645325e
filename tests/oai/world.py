"""Records in every state an OAI-PMH harvester may meet, built through the public API.

Each record's title carries a marker ``OAI<name>MARK``; file keys carry ``oaifile<name>``.
``visible`` lists what an anonymous harvester must see, ``deleted`` what it must see as deleted,
and ``hidden`` markers it must never see.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from tests.helpers import create_draft, publish, upload

TYPES = {"open": "dataset", "article": "publication-article", "software": "software", "image": "image-photo"}


@dataclass
class World:
    recids: dict[str, int] = field(default_factory=dict)
    visible: set[str] = field(default_factory=set)  # names of records harvested with metadata
    deleted: set[str] = field(default_factory=set)  # names of records harvested as deleted headers
    hidden_markers: list[str] = field(default_factory=list)  # never in any response
    files_public: set[str] = field(default_factory=set)  # names whose file keys may appear

    def marker(self, name: str) -> str:
        return f"OAI{name}MARK"


def _meta(base: dict[str, Any], name: str, resource_type: str = "dataset") -> dict[str, Any]:
    metadata = copy.deepcopy(base)
    metadata.update(title=f"Study OAI{name}MARK", resource_type={"id": resource_type})
    return metadata


def _files(name: str) -> dict[str, bytes]:
    return {f"oaifile{name}.csv": b"a,b\n1,2\n"}


def _publish(client: Any, headers: dict[str, str], world: World, base: dict[str, Any], name: str, **extra: Any) -> int:
    files = extra.pop("uploads", _files(name))
    metadata = _meta(base, name, extra.pop("rtype", "dataset"))
    draft = create_draft(client, headers, metadata, **extra)
    for key, data in files.items():
        upload(client, headers, draft["id"], key, data)
    record = publish(client, headers, draft["id"])
    world.recids[name] = int(record["id"])
    return int(record["id"])


def _delete(client: Any, admin: dict[str, str], recid: int) -> None:
    response = client.request("DELETE", f"/api/records/{recid}/delete", json={"removal_reason": {"id": "spam"}}, headers=admin)
    assert response.status_code == 200, response.text


def build_world(client: Any, headers: dict[str, str], admin: dict[str, str], base: dict[str, Any], clock: Any) -> World:
    world = World()
    for name, rtype in TYPES.items():
        _publish(client, headers, world, base, name, rtype=rtype)
        world.visible.add(name)
        world.files_public.add(name)
    future = (clock.now() + timedelta(days=365)).date().isoformat()
    _publish(client, headers, world, base, "restrictedfiles", access={"record": "public", "files": "restricted"})
    _publish(client, headers, world, base, "embargoed",
             access={"record": "public", "files": "restricted", "embargo": {"active": True, "until": future}})
    _publish(client, headers, world, base, "metaonly", uploads={}, files={"enabled": False})
    world.visible |= {"restrictedfiles", "embargoed", "metaonly"}
    world.hidden_markers += ["oaifilerestrictedfiles", "oaifileembargoed"]

    _publish(client, headers, world, base, "closed", access={"record": "restricted", "files": "restricted"})
    world.hidden_markers += [world.marker("closed"), "oaifileclosed"]

    _delete(client, admin, _publish(client, headers, world, base, "deleted"))
    world.deleted.add("deleted")
    world.hidden_markers.append(world.marker("deleted"))
    _delete(client, admin, _publish(client, headers, world, base, "deletedclosed", access={"record": "restricted", "files": "restricted"}))
    world.hidden_markers.append(world.marker("deletedclosed"))

    draft = create_draft(client, headers, _meta(base, "draft"))
    upload(client, headers, draft["id"], "oaifiledraft.csv", b"x")
    world.recids["draft"] = int(draft["id"])
    world.hidden_markers += [world.marker("draft"), "oaifiledraft"]

    recid = _publish(client, headers, world, base, "edited")
    editing = client.post(f"/api/records/{recid}/draft", headers=headers).json()
    editing["metadata"]["title"] = "Pending OAIpendingeditMARK"
    assert client.put(f"/api/records/{recid}/draft", json=editing, headers=headers).status_code == 200
    world.visible.add("edited")
    world.files_public.add("edited")
    world.hidden_markers.append(world.marker("pendingedit"))
    return world
