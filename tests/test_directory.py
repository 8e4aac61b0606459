"""The LDAP directory as a source, against a real OpenLDAP slapd (tests/slapd.py).

The server holds tests/data/ldap/directory.ldif: the four people of the council's page
(Hannu Koponen with a newer phone number than the registry's), Anna Aalto whose account is
disabled, Matti Lähtinen who has left (moved under ou=former), and two groups.
Without slapd these tests skip, except in CI (CI=true), where a skip is a failure.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kvlookup.sources import config, synced
from kvlookup.sources.ldap import is_disabled, key_filter

from . import slapd
from .conftest import DATA, Invoke

LDIF = DATA / "ldap" / "directory.ldif"
PASSWORD_ENV = "KVLOOKUP_LDAP_PASSWORD"

# Added to the test's copy of the bundled registry: the disabled and the departed person,
# each a contact of an entry, and Hannu Koponen linked by uid (the others by email).
EXTRA = """
[people.anna-aalto]
name = "Anna Aalto"
title = "suunnittelija"
phone = "+358 40 1234567"
email = "anna.aalto@keskisuomi.fi"
directory = "uid=aaalto"

[people.matti-lahtinen]
name = "Matti Lähtinen"
title = "erityisasiantuntija"
email = "matti.lahtinen@keskisuomi.fi"

[topics.room-booking]
name = "Tilavaraukset"
aliases = ["room booking"]
contacts = ["anna-aalto", "kari-pirinen"]

[topics.regional-development]
name = "Aluekehitys"
aliases = ["regional development"]
contacts = ["matti-lahtinen"]
"""


def _need_slapd() -> None:
    reason = slapd.missing()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the directory tests, but {reason}")
    pytest.skip(f"directory tests need a local OpenLDAP: {reason}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[slapd.Slapd]:
    """One slapd for the module, loaded with the LDIF fixture, stopped at the end."""
    _need_slapd()
    instance = slapd.Slapd(tmp_path_factory.mktemp("slapd"))
    instance.start()
    try:
        instance.load(LDIF)
        yield instance
    finally:
        instance.stop()


def write_config(folder: Path, url: str, **extra: str) -> Path:
    """A config.toml for the test directory; extra keys go into [directory] as written."""
    lines = [
        "[directory]",
        f'url = "{url}"',
        f'base_dn = "{slapd.SUFFIX}"',
        f'bind_dn = "{slapd.READER_DN}"',
        f'password_env = "{PASSWORD_ENV}"',
        "timeout = 5",
        *(f"{k} = {v}" for k, v in extra.items()),
        "",
        "[directory.people]",
        f'base = "ou=people,{slapd.SUFFIX}"',
        'disabled_values = ["disabled"]',
        "",
        "[directory.groups]",
        f'base = "ou=groups,{slapd.SUFFIX}"',
        "",
        "[directory.attributes]",
        'disabled = "employeeType"',
        "",
    ]
    path = folder / "config.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def registry(registry_path: Path) -> Path:
    """The test registry: the bundled one, Hannu linked by uid, and EXTRA."""
    text = registry_path.read_text(encoding="utf-8")
    text = text.replace(
        '[people.hannu-koponen]\nname = "Hannu Koponen"\n',
        '[people.hannu-koponen]\nname = "Hannu Koponen"\ndirectory = "uid=hkoponen"\n',
    )
    registry_path.write_text(text + EXTRA, encoding="utf-8")
    return registry_path


@pytest.fixture
def configured(
    server: slapd.Slapd, registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A config for the module's slapd over StartTLS, checked against the fixture's CA."""
    path = write_config(tmp_path, server.url, starttls="true", ca_file=f'"{server.ca}"')
    monkeypatch.setenv("KVLOOKUP_CONFIG", str(path))
    monkeypatch.setenv(PASSWORD_ENV, slapd.READER_PASSWORD)
    return path


def copy_of(path: Path) -> Path:
    """The synced copy the config at path writes."""
    directory = config.load(path).directory
    assert directory is not None
    return synced.path_for(directory.url, directory.base_dn, os.environ)


def who_json(run: Invoke, *query: str) -> dict[str, object]:
    result = run("who", *query, "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc: dict[str, object] = json.loads(result.stdout)
    return doc


def contacts_of(doc: dict[str, object]) -> list[dict[str, str]]:
    matches = doc["matches"]
    assert isinstance(matches, list) and matches
    return list(matches[0]["contacts"])


# --- sync, enrichment, groups ---------------------------------------------------------


def test_sync_then_who_answers_with_the_directorys_phone(run: Invoke, configured: Path) -> None:
    before = contacts_of(who_json(run, "FEDARENE"))
    assert before[0]["phone"] == "+358 40 5950009"  # the registry's, before any sync
    result = run("sync")
    assert result.exit_code == 0, result.stderr
    assert "Synced 5 people and 2 groups" in result.stderr
    assert result.stdout == ""
    after = contacts_of(who_json(run, "FEDARENE"))
    assert after[0]["name"] == "Hannu Koponen"
    assert after[0]["phone"] == "+358 40 5950019"  # the directory's
    assert set(after[0]) == set(before[0])  # the who JSON contract keeps its keys


def test_enriched_values_say_where_they_came_from(run: Invoke, configured: Path) -> None:
    assert run("sync").exit_code == 0
    result = run("show", "hannu-koponen", "--format", "json")
    assert result.exit_code == 0, result.stderr
    item = json.loads(result.stdout)["item"]
    assert item["phone"] == "+358 40 5950019"
    assert item["source"] == {
        "name": "registry",
        "title": "directory",
        "title_en": "registry",
        "phone": "directory",
        "email": "directory",
    }
    assert item["directory"] == "uid=hkoponen"
    table = run("show", "hannu-koponen", "--format", "plain").stdout
    assert "title, phone, email: directory (uid=hkoponen)" in table


def test_groups_become_entries_with_their_active_members(run: Invoke, configured: Path) -> None:
    assert run("sync").exit_code == 0
    doc = who_json(run, "tietosuoja")
    match = doc["matches"][0]  # type: ignore[index]
    assert match["name"] == "Tietosuoja" and match["kind"] == "topic"
    # Anna Aalto is a member too, but her account is disabled.
    assert [c["name"] for c in match["contacts"]] == ["Raija Partanen"]
    assert contacts_of(who_json(run, "GDPR"))[0]["name"] == "Raija Partanen"  # description
    shown = json.loads(run("show", "Tietosuoja", "--format", "json").stdout)["item"]
    assert shown["source"] == {"name": "directory", "aliases": "directory", "contacts": "directory"}
    assert shown["directory"] == f"cn=Tietosuoja,ou=groups,{slapd.SUFFIX}"
    listed = run("list", "--kind", "topic", "--format", "json")
    assert "Tietosuoja" in {i["name"] for i in json.loads(listed.stdout)["items"]}
    for fmt in ("csv", "vcard", "toml", "json"):
        assert run("export", "--format", fmt).exit_code == 0, fmt


def test_a_person_only_the_directory_knows_is_found(run: Invoke, configured: Path) -> None:
    registry = configured.parent / "contacts.toml"
    assert registry.is_file()
    # Take Raija out of the registry: she is then known through the directory alone.
    assert run("remove", "raija-partanen", "--cascade").exit_code == 0
    assert run("sync").exit_code == 0
    person = contacts_of(who_json(run, "Raija Partanen"))[0]
    assert person["id"] == "rpartanen"
    assert person["phone"] == "+358 40 5950139"


def test_lookups_never_touch_the_network(
    run: Invoke, configured: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("sync").exit_code == 0

    def no_network(*args: object) -> None:
        raise AssertionError("a lookup opened a connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    for command in (("who", "FEDARENE"), ("show", "Tietosuoja"), ("list",), ("whois", "Hannu")):
        result = run(*command, "--format", "json")
        assert result.exit_code == 0, (command, result.stderr)
    assert contacts_of(who_json(run, "FEDARENE"))[0]["phone"] == "+358 40 5950019"


# --- offline-first: a stale copy, the server down, a refused bind -----------------------


def test_a_stale_copy_still_answers_and_says_how_old_it_is(run: Invoke, configured: Path) -> None:
    text = configured.read_text(encoding="utf-8").replace(
        "timeout = 5", 'timeout = 5\nmax_age = "2d"'
    )
    configured.write_text(text, encoding="utf-8")
    assert run("sync").exit_code == 0
    result = run("who", "FEDARENE", "--format", "json")
    assert result.exit_code == 0 and "old" not in result.stderr
    copy = copy_of(configured)
    ten_days_ago = time.time() - 10 * 86400
    os.utime(copy, (ten_days_ago, ten_days_ago))
    result = run("who", "FEDARENE", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["matches"][0]["contacts"][0]["phone"] == "+358 40 5950019"
    assert "The synced directory copy is 10 days old" in result.stderr
    fi = run("--lang", "fi", "who", "FEDARENE", "--format", "json")
    assert "10 päivää vanha" in fi.stderr


def test_server_down_gives_one_line_and_the_last_copy_keeps_answering(
    run: Invoke, registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _need_slapd()
    own = slapd.Slapd(tmp_path / "own-slapd")
    own.start()
    try:
        own.load(LDIF)
        path = write_config(tmp_path, own.url, starttls="true", ca_file=f'"{own.ca}"')
        monkeypatch.setenv("KVLOOKUP_CONFIG", str(path))
        monkeypatch.setenv(PASSWORD_ENV, slapd.READER_PASSWORD)
        assert run("sync").exit_code == 0
    finally:
        own.stop()
    copy = copy_of(path)
    before = copy.read_bytes()
    result = run("sync")
    assert result.exit_code == 6
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"Cannot reach the directory at {own.url}: ")
    assert "refused" in lines[0].lower()
    assert ". The last synced copy (from " in lines[0] and lines[0].endswith(") keeps answering.")
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert copy.read_bytes() == before
    assert contacts_of(who_json(run, "FEDARENE"))[0]["phone"] == "+358 40 5950019"


def test_a_wrong_password_is_refused_and_never_shown(
    run: Invoke, configured: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "Wrong-Secret-42")
    result = run("sync")
    assert result.exit_code == 6
    assert "refused the bind as cn=kvlookup" in result.stderr
    assert "Wrong-Secret-42" not in result.stderr + result.stdout
    assert not copy_of(configured).exists()


def test_no_password_and_no_terminal_is_a_usage_error(
    run: Invoke, configured: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PASSWORD_ENV)
    result = run("sync")
    assert result.exit_code == 2
    assert f"${PASSWORD_ENV}" in result.stderr


# --- TLS ---------------------------------------------------------------------------------


def test_ldaps_with_the_fixture_ca(
    run: Invoke,
    server: slapd.Slapd,
    registry: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = write_config(tmp_path, server.tls_url, ca_file=f'"{server.ca}"')
    monkeypatch.setenv("KVLOOKUP_CONFIG", str(path))
    monkeypatch.setenv(PASSWORD_ENV, slapd.READER_PASSWORD)
    result = run("sync")
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("tls", ["ldaps", "starttls"])
def test_an_unknown_ca_is_refused(
    run: Invoke,
    server: slapd.Slapd,
    registry: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tls: str,
) -> None:
    # No ca_file: the system's trust store does not know the fixture's CA.
    if tls == "ldaps":
        path = write_config(tmp_path, server.tls_url)
    else:
        path = write_config(tmp_path, server.url, starttls="true")
    monkeypatch.setenv("KVLOOKUP_CONFIG", str(path))
    monkeypatch.setenv(PASSWORD_ENV, slapd.READER_PASSWORD)
    result = run("sync")
    assert result.exit_code == 6
    assert "is not trusted" in result.stderr and "CERTIFICATE_VERIFY_FAILED" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not copy_of(path).exists()


# --- check --directory -------------------------------------------------------------------


def test_check_directory_names_the_departed_and_the_disabled(run: Invoke, configured: Path) -> None:
    assert run("sync").exit_code == 0
    result = run("check", "--directory")
    assert result.exit_code == 3
    err = result.stderr
    assert (
        "contacts.toml: people.matti-lahtinen: Matti Lähtinen is no longer among the "
        f"directory's people (now uid=mlahtinen,ou=former,{slapd.SUFFIX})" in err
    )
    assert (
        "contacts.toml: people.anna-aalto: Anna Aalto's directory account "
        f"uid=aaalto,ou=people,{slapd.SUFFIX} is disabled" in err
    )
    assert (
        "contacts.toml: people.hannu-koponen: phone is '+358 40 5950009' here but "
        "'+358 40 5950019' in the directory" in err
    )
    assert (
        "contacts.toml: topic.regional-development: Aluekehitys has no contact left in the "
        "directory (was: Matti Lähtinen)" in err
    )
    # Kari Pirinen still answers for room booking, so it is not reported.
    assert "Tilavaraukset" not in err
    assert "directory group 'Maakuntaohjelma' has no active member" in err
    assert "Kari Pirinen" not in err and "Raija Partanen" not in err
    assert (
        err.strip().splitlines()[-1]
        == f"5 problem(s) against the directory at {configured_url(configured)}."
    )


def configured_url(path: Path) -> str:
    directory = config.load(path).directory
    assert directory is not None
    return directory.url


def test_check_directory_before_any_sync(run: Invoke, configured: Path) -> None:
    result = run("check", "--directory")
    assert result.exit_code == 6
    assert "has not been synced yet" in result.stderr


def test_a_group_named_like_a_registry_entry_is_a_clash(run: Invoke, configured: Path) -> None:
    assert (
        run(
            "add", "topic", "data-protection", "--name", "Tietosuoja", "--contact", "kari-pirinen"
        ).exit_code
        == 0
    )
    assert run("sync").exit_code == 0
    # Lookups keep the registry's entry ...
    assert contacts_of(who_json(run, "Tietosuoja"))[0]["name"] == "Kari Pirinen"
    # ... and check says so, instead of resolving it silently.
    result = run("check")
    assert result.exit_code == 3
    assert (
        f"cn=Tietosuoja,ou=groups,{slapd.SUFFIX}: 'Tietosuoja' is also a name in the registry "
        "(data-protection)" in result.stderr
    )


# --- security ------------------------------------------------------------------------------


def test_filter_values_are_escaped() -> None:
    assert key_filter([("uid", "*)(uid=*")]) == r"(|(uid=\2a\29\28uid=\2a))"
    assert key_filter([("mail", "a@b.fi"), ("uid", "x\\y")], "(objectClass=inetOrgPerson)") == (
        r"(&(objectClass=inetOrgPerson)(|(mail=a@b.fi)(uid=x\5cy)))"
    )


def test_an_injected_key_matches_nobody(run: Invoke, configured: Path) -> None:
    registry = configured.parent / "contacts.toml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(
        text + '\n[people.mallory]\nname = "Mallory"\ndirectory = "uid=*)(uid=*"\n'
        '\n[people.wildcard]\nname = "Wild Card"\ndirectory = "uid=*"\n',
        encoding="utf-8",
    )
    assert run("sync").exit_code == 0
    people = json.loads(copy_of(configured).read_text(encoding="utf-8"))["people"]
    # Only the five people under ou=people and the departed one, found by his email.
    assert sorted(p["id"] for p in people) == [
        "aaalto", "hkoponen", "kpirinen", "mlahtinen", "rpartanen", "vpaivanen",
    ]  # fmt: skip
    err = run("check", "--directory").stderr
    assert "Mallory (uid=*)(uid=*) is not in the directory" in err
    assert "Wild Card (uid=*) is not in the directory" in err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_the_copy_is_private_and_a_planted_symlink_is_not_followed(
    run: Invoke, configured: Path, tmp_path: Path
) -> None:
    copy = copy_of(configured)
    copy.parent.mkdir(parents=True, exist_ok=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    copy.symlink_to(victim)
    # A lookup does not read through the link ...
    result = run("who", "FEDARENE", "--format", "json")
    assert result.exit_code == 0
    assert "cannot be read" in result.stderr  # O_NOFOLLOW: "too many levels of symbolic links"
    # ... and a sync replaces the link itself.
    assert run("sync").exit_code == 0
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not copy.is_symlink()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert [p.name for p in copy.parent.iterdir() if p.name.startswith(".directory-")] == []


# --- without a server -------------------------------------------------------------------------


def test_ad_disabled_is_bit_two_of_user_account_control() -> None:
    assert is_disabled(["514"], "userAccountControl", ())  # NORMAL_ACCOUNT | ACCOUNTDISABLE
    assert not is_disabled(["512"], "userAccountControl", ())
    assert is_disabled(["Disabled"], "employeeType", ("disabled",))
    assert not is_disabled(["staff"], "employeeType", ("disabled",))
    assert not is_disabled([], "employeeType", ())


def test_config_presets_and_defaults(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        '[directory]\npreset = "active-directory"\nurl = "ldaps://dc.example.org"\n'
        'base_dn = "dc=example,dc=org"\nbind_dn = "CN=kv,DC=example,DC=org"\n',
        encoding="utf-8",
    )
    directory = config.load(path).directory
    assert directory is not None
    assert directory.attributes.disabled == "userAccountControl"
    assert directory.attributes.id == "sAMAccountName"
    assert directory.attributes.department == "department"
    assert directory.people_filter == "(&(objectCategory=person)(objectClass=user))"
    assert directory.password_env == "KVLOOKUP_LDAP_PASSWORD"
    assert directory.verify_certificate and directory.timeout == 10.0
    assert directory.max_age.days == 7


def test_config_problems_are_listed_and_the_password_is_never_read(
    run: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        "[directory]\n"
        'url = "ldap://ldap.example.org"\n'
        'base_dn = "dc=example,dc=org"\n'
        'bind_dn = "cn=kv,dc=example,dc=org"\n'
        'password = "Hunter2-in-the-file"\n'
        'max_age = "soon"\n'
        "[directory.attributes]\n"
        'phone = "telephoneNumber)(uid=*"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("KVLOOKUP_CONFIG", str(path))
    result = run("sync")
    assert result.exit_code == 2
    err = result.stderr
    assert "config.toml: directory.password: a password does not belong in the config file" in err
    assert "would carry the bind password unencrypted" in err
    assert "'soon' is not an age" in err
    assert "'telephoneNumber)(uid=*' is not an LDAP attribute name" in err
    assert "Hunter2" not in err + result.stdout
    # Lookups say the same: a broken config is not silently ignored.
    assert run("who", "FEDARENE").exit_code == 2


def test_sync_without_a_config_says_where_to_write_one(run: Invoke) -> None:
    result = run("sync")
    assert result.exit_code == 2
    assert "No directory is configured: write " in result.stderr
    assert "config.toml" in result.stderr


def test_a_config_in_the_user_config_folder_is_found(
    run: Invoke, tmp_path: Path, registry_path: Path
) -> None:
    folder = Path(os.environ["XDG_CONFIG_HOME"]) / "kvlookup"
    folder.mkdir(parents=True)
    write_config(folder, "ldap://127.0.0.1:9")
    # Configured but never synced: the registry answers, and stderr says why.
    result = run("who", "FEDARENE", "--format", "json")
    assert result.exit_code == 0
    assert "not synced yet" in result.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="the shortcut is Linux-only")
@pytest.mark.parametrize(
    "env",
    [
        {"XDG_CONFIG_HOME": "/tmp/xdg-config", "HOME": "/home/u"},
        {"HOME": "/home/u"},
    ],
)
def test_user_config_dir_agrees_with_platformdirs(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import platformdirs

    from kvlookup.commands import user_config_dir

    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    expected = Path(platformdirs.user_config_dir("kvlookup", appauthor=False))
    assert user_config_dir(os.environ) == expected


def test_a_sync_cut_short_by_a_server_limit_is_refused(
    run: Invoke, configured: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("sync").exit_code == 0
    copy = copy_of(configured)
    before = copy.read_bytes()
    text = configured.read_text(encoding="utf-8").replace(slapd.READER_DN, slapd.LIMITED_DN)
    configured.write_text(text, encoding="utf-8")
    monkeypatch.setenv(PASSWORD_ENV, slapd.LIMITED_PASSWORD)
    result = run("sync")
    assert result.exit_code == 6
    assert "stopped the search under ou=people" in result.stderr
    assert "nothing was saved" in result.stderr
    assert copy.read_bytes() == before


def test_the_password_is_asked_on_a_terminal_without_echo(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import typer

    from kvlookup.commands import directory as commands

    directory = config.load(write_config(tmp_path, "ldaps://ldap.example.org")).directory
    assert directory is not None
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    asked: list[tuple[str, bool]] = []

    def prompt(text: str, hide_input: bool = False, err: bool = False) -> str:
        asked.append((text, hide_input and err))
        return "typed-secret"

    monkeypatch.setattr(typer, "prompt", prompt)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    assert commands.password_for(directory, "en") == "typed-secret"
    assert asked == [(f"Password for {slapd.READER_DN}", True)]
    monkeypatch.setenv(PASSWORD_ENV, "from-env")
    assert commands.password_for(directory, "en") == "from-env"
    assert commands.password_for(directory._replace(bind_dn=""), "en") is None  # anonymous


def test_an_edited_config_is_read_again(run: Invoke, configured: Path) -> None:
    assert run("sync").exit_code == 0
    assert run("who", "FEDARENE").exit_code == 0  # the settings are memoised now
    good = configured.read_text(encoding="utf-8")
    configured.write_text(
        good.replace("timeout = 5", 'timeout = 5\nmax_age = "never"'), encoding="utf-8"
    )
    result = run("who", "FEDARENE")
    assert result.exit_code == 2 and "'never' is not an age" in result.stderr
    configured.write_text(
        good.replace("timeout = 5", 'timeout = 5\nmax_age = "1h"'), encoding="utf-8"
    )
    old = time.time() - 3 * 3600
    os.utime(copy_of(configured), (old, old))
    result = run("who", "FEDARENE")
    assert result.exit_code == 0 and "is 3 hours old" in result.stderr


def test_the_config_option_names_the_file(run: Invoke, tmp_path: Path) -> None:
    missing = run("--config", str(tmp_path / "nope.toml"), "who", "FEDARENE")
    assert missing.exit_code == 2
    assert "nope.toml: config file not found" in missing.stderr
    path = write_config(tmp_path, "ldap://127.0.0.1:9")
    found = run("--config", str(path), "who", "FEDARENE", "--format", "json")
    assert found.exit_code == 0 and "not synced yet" in found.stderr
