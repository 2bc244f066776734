"""`python -m dashboard users ...`: create the first admin and manage accounts from a shell.

Passwords are never taken from the command line (other users of the machine can read it in
the process list, and shells keep a history): they are asked for at a prompt, or read from the
first line of standard input when it is not a terminal (`... < file`, a secret store's pipe).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TextIO

from sqlalchemy import select

from dashboard.auth import accounts
from dashboard.auth.accounts import AccountError
from dashboard.auth.models import ADMIN, EDITOR, PUBLISHER
from dashboard.config import Settings

CLI_ACTOR = "command line"


def add_parser(commands: argparse._SubParsersAction) -> None:
    users = commands.add_parser(
        "users",
        help="create, disable and reset editor accounts (passwords at a prompt or on stdin)",
        description="Manage the accounts that may sign in. Passwords are read at a prompt, or "
        "from the first line of standard input when it is not a terminal; never from arguments.",
    )
    actions = users.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="a new account with its roles")
    add.add_argument("username")
    add.add_argument("--name", default="", help="the person's name as shown on the pages")
    add.add_argument(
        "--editor",
        action="append",
        default=[],
        metavar="UNIT_ID",
        help="may submit figures for this unit (repeat for several)",
    )
    add.add_argument("--publisher", action="store_true", help="may publish, reject, withdraw")
    add.add_argument("--admin", action="store_true", help="may manage accounts, read the audit log")
    add.add_argument(
        "--sso-only", action="store_true", help="no password: signs in only through OpenID Connect"
    )
    for name, text in (
        ("disable", "end its sessions and refuse sign-in"),
        ("enable", "allow sign-in again"),
        ("reset-password", "a new password (ends its sessions)"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("username")
    actions.add_parser("list", help="every account and its roles")


def read_password(stdin: TextIO) -> str:
    if stdin.isatty():
        first = getpass.getpass("New password: ")
        if first != getpass.getpass("Repeat it: "):
            raise AccountError("the two passwords differ")
        return first
    return stdin.readline().rstrip("\r\n")


def run(
    args: argparse.Namespace, settings: Settings | None = None, stdin: TextIO | None = None
) -> int:
    from dashboard.store import Store
    from dashboard.store.models import Unit

    settings = settings or Settings.from_env()
    stdin = stdin or sys.stdin
    store = Store.from_settings(settings)
    store.upgrade()
    store.seed()
    engine = store.engine
    try:
        if args.action == "add":
            with engine.connect() as connection:
                unit_ids = list(connection.execute(select(Unit.unit_id)).scalars())
            roles = [(EDITOR, u) for u in args.editor]
            roles += [(PUBLISHER, "")] * args.publisher + [(ADMIN, "")] * args.admin
            accounts.check_roles(roles, unit_ids)
            password = None if args.sso_only else read_password(stdin)
            accounts.create_account(
                engine,
                args.username,
                password,
                roles,
                unit_ids=unit_ids,
                by=CLI_ACTOR,
                display_name=args.name,
            )
            print(f"account {args.username} created: {accounts.describe_roles(roles)}")
        elif args.action in ("disable", "enable"):
            accounts.set_active(engine, args.username, args.action == "enable", by=CLI_ACTOR)
            print(f"account {args.username} {args.action}d")
        elif args.action == "reset-password":
            accounts.reset_password(engine, args.username, read_password(stdin), by=CLI_ACTOR)
            print(f"password of {args.username} changed; its sessions have ended")
        else:
            table = accounts.accounts_table(engine)
            for row in table.itertuples():
                state = "active" if row.active else "disabled"
                print(f"{row.username}\t{state}\t{row.roles}")
    except AccountError as error:
        print(f"python -m dashboard users {args.action}: error: {error}", file=sys.stderr)
        return 2
    return 0
