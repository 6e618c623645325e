"""The ``callimachus`` command: set up an instance, serve it, manage users, tokens and records."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from callimachus.cli_search import search as search_commands
from callimachus.config import Settings, settings_from_env
from callimachus.core.errors import CallimachusError
from callimachus.core.identity import ALL_SCOPES, SYSTEM
from callimachus.services.context import ServiceContext


class CliState:
    def __init__(self, instance: str | None) -> None:
        self.instance = instance
        self._ctx: ServiceContext | None = None

    @property
    def settings(self) -> Settings:
        return settings_from_env(instance_path=self.instance)

    @property
    def ctx(self) -> ServiceContext:
        if self._ctx is None:
            from callimachus.app import build_context

            self._ctx = build_context(self.settings)
        return self._ctx


pass_state = click.make_pass_decorator(CliState)


def _fail(exc: CallimachusError) -> None:
    click.echo(f"Error: {exc}", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--instance", "instance", metavar="PATH", envvar="CALLIMACHUS_INSTANCE_PATH", help="Instance folder (default ./instance).")
@click.version_option(package_name="callimachus")
@click.pass_context
def main(click_ctx: click.Context, instance: str | None) -> None:
    """Callimachus: an open research repository."""
    click_ctx.obj = CliState(instance)


def initialise(ctx: ServiceContext) -> dict[str, str] | None:
    """Create folders, upgrade the schema, and on first run create an administrator with a token.

    Returns the new administrator's credentials the first time, None afterwards.
    """
    from callimachus.db.migrate import upgrade_database
    from callimachus.services import tokens, users

    ctx.settings.instance_path.mkdir(parents=True, exist_ok=True)
    upgrade_database(ctx.db.engine)
    with ctx.unit_of_work(write=True) as uow:
        if users.count_users(uow):
            return None
        user, password = users.create_user(ctx, uow, ctx.settings.admin_email, is_admin=True)
        _, secret = tokens.create_token(ctx, uow, user, "administrator (created by init)", ALL_SCOPES)
        uow.commit()
    return {"email": user.email, "password": password, "token": secret}


@main.command()
@pass_state
def init(state: CliState) -> None:
    """Create or upgrade the instance (folders, database schema, first administrator)."""
    ctx = state.ctx
    created = initialise(ctx)
    from callimachus.services.search import rebuild_if_empty

    rebuilt = rebuild_if_empty(ctx)
    if rebuilt is not None:
        click.echo(f"Search index rebuilt: {rebuilt.concepts} concepts, {rebuilt.documents} documents")
    click.echo(f"Instance ready at {ctx.settings.instance_path}")
    if created:
        click.echo("")
        click.echo("An administrator was created. These are shown once; keep them safe:")
        click.echo(f"  e-mail:    {created['email']}")
        click.echo(f"  password:  {created['password']}")
        click.echo(f"  API token: {created['token']}")
        click.echo("")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=None, help="Port (default $PORT or 5000).")
@click.option("--instance", "instance_opt", metavar="PATH", default=None, help="Instance folder.")
@click.option("--workers", type=int, default=1, show_default=True, help="Processes (PostgreSQL/S3 setups only).")
@pass_state
def serve(state: CliState, host: str, port: int | None, instance_opt: str | None, workers: int) -> None:
    """Serve the web interface and the API."""
    import uvicorn

    from callimachus.db.migrate import current_revision, head_revision

    if instance_opt:
        state.instance = instance_opt
    port = port or int(os.environ.get("PORT") or 5000)
    if "CALLIMACHUS_SITE_URL" not in os.environ:
        os.environ["CALLIMACHUS_SITE_URL"] = f"http://{host}:{port}"
    os.environ["CALLIMACHUS_INSTANCE_PATH"] = str(Path(state.instance or "instance").resolve())
    ctx = state.ctx
    if current_revision(ctx.db.engine) != head_revision():
        click.echo("The database schema is not up to date: run `callimachus init` first.", err=True)
        sys.exit(1)
    clean = getattr(ctx.files, "clean_staging", None)
    if clean is not None and ctx.settings.database_url.startswith("sqlite"):
        # Embedded: this process owns the instance, so unfinished uploads of a previous run are gone.
        removed = clean(None)
        if removed:
            click.echo(f"Removed {removed} unfinished upload(s) from a previous run.")
    click.echo(f"Serving {ctx.settings.site_name} on http://{host}:{port}")
    if workers > 1:
        uvicorn.run("callimachus.asgi:app", host=host, port=port, workers=workers, log_level="info")
    else:
        from callimachus.app import create_app

        uvicorn.run(create_app(ctx=ctx), host=host, port=port, log_level="info")


@main.group()
def users() -> None:
    """Manage user accounts."""


@users.command("create")
@click.argument("email")
@click.option("--password", default=None, help="Password (generated and printed if omitted).")
@click.option("--admin", is_flag=True, help="Make the user an administrator.")
@pass_state
def users_create(state: CliState, email: str, password: str | None, admin: bool) -> None:
    """Create a user account."""
    from callimachus.services import users as user_service

    ctx = state.ctx
    try:
        with ctx.unit_of_work(write=True) as uow:
            user, chosen = user_service.create_user(ctx, uow, email, password, is_admin=admin)
            uow.commit()
    except CallimachusError as exc:
        _fail(exc)
        return
    click.echo(f"Created user {user.id} <{user.email}>{' (administrator)' if admin else ''}")
    if password is None:
        click.echo(f"Password: {chosen}")


@main.group()
def tokens() -> None:
    """Manage personal access tokens."""


@tokens.command("create")
@click.argument("email")
@click.option("--name", default="token", show_default=True, help="A name to recognise the token by.")
@click.option("--scopes", default=",".join(ALL_SCOPES), show_default=True, help="Comma-separated scopes.")
@pass_state
def tokens_create(state: CliState, email: str, name: str, scopes: str) -> None:
    """Create a token for a user and print it (shown once)."""
    from callimachus.services import tokens as token_service
    from callimachus.services import users as user_service

    ctx = state.ctx
    try:
        with ctx.unit_of_work(write=True) as uow:
            user = user_service.find_user(uow, email)
            if user is None:
                click.echo(f"Error: no user with e-mail {email}", err=True)
                sys.exit(1)
            _, secret = token_service.create_token(ctx, uow, user, name, scopes.split(","))
            uow.commit()
    except CallimachusError as exc:
        _fail(exc)
        return
    click.echo(secret)


@main.group()
def records() -> None:
    """Inspect records."""


@records.command("show")
@click.argument("recid")
@pass_state
def records_show(state: CliState, recid: str) -> None:
    """Print a record (or, failing that, a draft) as JSON."""
    from callimachus.services import drafts as draft_service
    from callimachus.services import records as record_service
    from callimachus.services.loading import parse_recid
    from callimachus.services.render import record_json

    ctx = state.ctx
    try:
        rid = parse_recid(recid)
        with ctx.unit_of_work() as uow:
            try:
                view = record_service.read_record(ctx, uow, SYSTEM, rid)
            except CallimachusError:
                view = draft_service.read_draft(ctx, uow, SYSTEM, rid)
            body: Any = record_json(ctx.site_url, view, ctx.clock.now())
    except CallimachusError as exc:
        _fail(exc)
        return
    click.echo(json.dumps(body, indent=2, ensure_ascii=False))


@records.command("delete")
@click.argument("recid")
@click.option("--reason", required=True, help="Why the record is removed (shown on its tombstone).")
@click.option("--note", default="", help="A note kept with the tombstone.")
@pass_state
def records_delete(state: CliState, recid: str, reason: str, note: str) -> None:
    """Withdraw a published record: its DOI then leads to a tombstone."""
    from callimachus.services import records as record_service
    from callimachus.services.loading import parse_recid

    ctx = state.ctx
    try:
        with ctx.unit_of_work(write=True) as uow:
            record = record_service.delete_record(ctx, uow, SYSTEM, parse_recid(recid), reason, note)
            uow.commit()
    except CallimachusError as exc:
        _fail(exc)
        return
    click.echo(f"Record {record.id} deleted; its tombstone says: {reason}")


main.add_command(search_commands)

@main.group()
def oai() -> None:
    """OAI-PMH provider maintenance."""


@oai.command("prerender")
@click.option("--prefix", "prefixes", multiple=True, help="Only these metadata prefixes (default: all).")
@pass_state
def oai_prerender(state: CliState, prefixes: tuple[str, ...]) -> None:
    """Render every harvestable payload ahead of harvests (after a bulk import or an upgrade)."""
    from callimachus.services import oai as oai_service

    ctx = state.ctx
    count = oai_service.prerender(ctx, prefixes=list(prefixes) or None)
    click.echo(f"Rendered {count} payload(s).")


if __name__ == "__main__":
    main()
