"""The leak matrix: every actor × every access state × every surface.

Marker strings planted in restricted titles, descriptions, file names and file contents never
appear in a response the actor may not see, and the actors who must see them do.
"""

from __future__ import annotations

from starlette.testclient import TestClient

from callimachus.services import tokens, users
from tests.access.surfaces import SURFACES
from tests.access.world import LEVELS, Actor, Obj, add_buckets, add_links, build_objects, grant_all, sees


def _actors(ctx, make_account, owner) -> list[Actor]:
    actors = [
        Actor("anonymous", {}),
        Actor("owner", owner.headers, level="owner"),
        Actor("another user", make_account("stranger@example.org").headers),
        Actor("administrator", make_account("root@example.org", admin=True).headers, level="admin"),
    ]
    for level in LEVELS:
        actors.append(Actor(f"grant:{level}", make_account(f"{level}@example.org").headers, level=level))
    for level in ("view", "preview", "edit"):
        actors.append(Actor(f"link:{level}", {}, link=level))
    actors.append(Actor("expired link", {}, dead_link="expired"))
    actors.append(Actor("revoked link", {}, dead_link="revoked"))
    with ctx.unit_of_work(write=True) as uow:
        user = users.find_user(uow, owner.email)
        _, secret = tokens.create_token(ctx, uow, user, "no scopes", [])
        uow.commit()
    actors.append(Actor("owner's token without scopes", {"Authorization": f"Bearer {secret}"}))
    return actors


def _check(texts: list[str], obj: Obj, actor: Actor) -> list[str]:
    problems = []
    joined = "\n".join(texts)
    for what, markers in (("meta", obj.meta_markers), ("files", obj.file_markers)):
        allowed = sees(actor, obj, what)
        for marker in markers:
            if not allowed and marker in joined:
                problems.append(f"LEAK {actor.name} saw {what} marker {marker} of {obj.name}")
            if allowed and marker not in joined:
                problems.append(f"MISSING {actor.name} did not see {what} marker {marker} of {obj.name}")
    return problems


def test_no_surface_leaks(app, client, ctx, owner, make_account, metadata, clock):
    objects = build_objects(client, owner.headers, metadata, clock)
    add_links(client, owner.headers, objects, ctx)
    add_buckets(client, owner.headers, objects)
    actors = _actors(ctx, make_account, owner)
    grant_all(client, owner.headers, objects, {level: f"{level}@example.org" for level in LEVELS})
    problems: list[str] = []
    for actor in actors:
        browser = TestClient(app, base_url="http://testserver")  # each actor has its own cookies
        for obj in objects:
            texts = []
            for name, surface in SURFACES.items():
                fetched = surface(browser, obj, actor)
                texts.extend(fetched)
                for text in fetched:
                    if text.startswith("500"):
                        problems.append(f"ERROR {actor.name} on {name} of {obj.name}: {text[:300]}")
            problems.extend(_check(texts, obj, actor))
    assert problems == [], "\n".join(problems[:40])
