"""Accounts for people signing in through the identity provider: the only writer of their accounts."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group, User
from django.db import transaction

from trellis.web.accounts.roles import ADMIN, HR, ROLE_GROUPS
from trellis.web.org.models import Person


def accounts_for_email(email: str) -> list[User]:
    """The account of the person with this e-mail; else the accounts holding the e-mail themselves."""
    if not email:
        return []
    linked = list(User.objects.filter(person__email__iexact=email, person__active=True).distinct())
    return linked or list(User.objects.filter(email__iexact=email))


def roles_from_groups(claimed: set[str], admin_groups: Iterable[str], hr_groups: Iterable[str]) -> set[str]:
    roles = set()
    if claimed & set(admin_groups):
        roles.add(ADMIN)
    if claimed & set(hr_groups):
        roles.add(HR)
    return roles


@transaction.atomic
def account_for_new_person(email: str, names: tuple[str, str], roles: set[str] | None) -> User | None:
    """A new account for the person in the organisation with this e-mail, linked to them.

    Nobody in the organisation has the e-mail: no account, unless the identity provider makes
    them HR or admin (who may run Trellis without being part of the engineering organisation).
    """
    people = list(Person.objects.select_for_update().filter(email__iexact=email, active=True, user__isnull=True))
    person = people[0] if len(people) == 1 else None
    if person is None and not roles:
        return None
    user = User(username=_free_username(email), email=email.lower(), first_name=names[0], last_name=names[1])
    user.set_unusable_password()  # they sign in through the identity provider only
    user.save()
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    _set_roles(user, roles)
    return user


@transaction.atomic
def update_account(user: User, names: tuple[str, str], roles: set[str] | None) -> User:
    """Keep the account as the identity provider describes it: names, and roles when it manages them."""
    given, family = names
    if (given or family) and (user.first_name, user.last_name) != (given, family):
        user.first_name, user.last_name = given, family
        user.save(update_fields=["first_name", "last_name"])
    if not Person.objects.filter(user=user).exists():
        Person.objects.filter(email__iexact=user.email, active=True, user__isnull=True).update(user=user)
    _set_roles(user, roles)
    return user


def _set_roles(user: User, roles: set[str] | None) -> None:
    if roles is None:
        return
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLE_GROUPS}
    user.groups.remove(*(groups[name] for name in ROLE_GROUPS if name not in roles))
    user.groups.add(*(groups[name] for name in roles))


def _free_username(email: str) -> str:
    base = email.lower()[:140]
    name, n = base, 1
    while User.objects.filter(username=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name

