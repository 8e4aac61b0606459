"""The CLI through CliRunner: exit codes, stdout vs stderr, machine formats parsed back."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from .conftest import DATA, Invoke

WHO_KEYS = {"schema", "query", "matches"}
MATCH_KEYS = {"id", "name", "kind", "score", "matched", "matched_field", "via_id", "contacts"}
CONTACT_KEYS = {"id", "name", "title_fi", "title_en", "phone", "email", "stands_in_for", "away"}


def _json(run: Invoke, *args: str) -> tuple[int, dict[str, Any]]:
    result = run(*args, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def test_who_handles_fedarene_names_hannu_with_phone_and_email(run: Invoke) -> None:
    result = run("who", "handles", "FEDARENE", "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    contact = doc["matches"][0]["contacts"][0]
    assert (contact["name"], contact["phone"], contact["email"]) == (
        "Hannu Koponen",
        "+358 40 5950009",
        "hannu.koponen@keskisuomi.fi",
    )
    assert result.stderr == ""


def test_who_json_contract_has_exact_keys(run: Invoke) -> None:
    code, doc = _json(run, "who", "ERRIN")
    assert code == 0
    assert set(doc) == WHO_KEYS
    assert doc["schema"] == 4 and doc["query"] == "ERRIN"
    [match] = doc["matches"]
    assert set(match) == MATCH_KEYS
    assert match["kind"] == "network" and match["via_id"] == "wfeo"
    assert isinstance(match["score"], float)
    assert set(match["contacts"][0]) == CONTACT_KEYS


def _cases(name: str) -> list[Any]:
    with (DATA / name).open("rb") as fh:
        return [pytest.param(c, id=c["query"]) for c in tomllib.load(fh)["case"]]


@pytest.mark.parametrize("case", _cases("queries.toml"))
def test_shared_query_set_through_json_contract(run: Invoke, case: dict[str, Any]) -> None:
    code, doc = _json(run, "who", case["query"])
    if case.get("none"):
        assert (code, doc["matches"]) == (1, [])
    else:
        assert code == 0
        assert case["expect"] in [c["name"] for c in doc["matches"][0]["contacts"]]


def test_no_match_exits_1_with_message_on_stderr(run: Invoke) -> None:
    result = run("who", "printer", "is", "broken")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "No match for 'printer is broken'." in result.stderr
    assert "Traceback" not in result.stderr


def test_no_match_suggests_on_stderr(run: Invoke) -> None:
    result = run("who", "office")
    assert result.exit_code == 1
    assert "Did you mean: WFEO (Brussels office)?" in result.stderr


def test_no_named_contact_is_said_not_invented(run: Invoke) -> None:
    result = run("who", "biotalouspaneeli", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["matches"][0]["contacts"] == []
    assert "No contact person is named" in result.stderr


def test_csv_parses_back(run: Invoke) -> None:
    result = run("who", "Koposelta", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["contact"] == "Hannu Koponen"
    assert rows[0]["email"] == "hannu.koponen@keskisuomi.fi"


def test_tsv_has_header_and_plain_is_the_pipe_default(run: Invoke) -> None:
    tsv = run("who", "pirinen", "--format", "tsv", "--raw").stdout.splitlines()
    plain = run("who", "pirinen").stdout.splitlines()  # CliRunner's stdout is not a tty
    assert tsv[0].split("\t")[:3] == ["id", "name", "kind"]
    assert tsv[1:] == plain
    # Without --raw, tsv guards spreadsheets: the "+358 ..." phone cell gets a leading "'".
    safe = run("who", "pirinen", "--format", "tsv").stdout.splitlines()
    assert "'+358 40 5950008" in safe[1].split("\t")
    assert plain[0].split("\t")[5] == "Kari Pirinen"
    assert "\x1b" not in "".join(plain)


def test_table_has_localised_headers(run: Invoke) -> None:
    en = run("who", "FEDARENE", "--format", "table").stdout
    fi = run("--lang", "fi", "who", "FEDARENE", "--format", "table").stdout
    assert "Contact" in en and "Email" in en
    assert "Yhteyshenkilö" in fi and "Sähköposti" in fi and "verkosto" in fi


def test_locale_picks_finnish(run: Invoke) -> None:
    result = run("who", "qwerty", env={"LANG": "fi_FI.UTF-8"})
    assert "Ei osumaa haulle 'qwerty'." in result.stderr


def test_lc_all_overrides_lang(run: Invoke) -> None:
    result = run("who", "qwerty", env={"LANG": "fi_FI.UTF-8", "LC_ALL": "C.UTF-8"})
    assert "No match" in result.stderr


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--lang", "fi", "--help"], "Poistumiskoodit"),
        (["--help"], "Exit codes: 0 answered, 1 no match"),
        (["--lang", "fi", "who", "--help"], "Hakusanat"),
    ],
)
def test_help_is_localised_and_documents_exit_codes(
    run: Invoke, args: list[str], needle: str
) -> None:
    result = run(*args)
    assert result.exit_code == 0
    assert needle in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["who"],
        ["who", "x", "--limit", "0"],
        ["who", "x", "--format", "xml"],
        ["show"],  # a bare word is a query now (`kvlookup nope` is `who nope`)
        ["--lang", "sv", "who", "x"],
        ["who", "x", "--date", "2026-13-01"],
    ],
)
def test_usage_errors_exit_2_without_traceback(run: Invoke, args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ('[people.a]\nname = "A"\nemail = = "x"\n', "contacts.toml:3:9: "),
        (
            '[topics.t]\nname = "T"\ncontacts = ["ghost"]\n',
            "contacts.toml:3: topics.t.contacts[0]: unknown person id 'ghost'",
        ),
        (
            '[people.a]\nname = "A"\nemail = "a[at]b.fi"\n',
            "contacts.toml:3: people.a.email: malformed email",
        ),
        (
            '[topics.a]\nname = "A"\naliases = ["x y"]\n[topics.b]\nname = "B"\naliases = ["X-Y"]\n',
            "contacts.toml:6: topics.b.aliases: alias 'X-Y' is also used by 'a'",
        ),
    ],
)
def test_broken_registry_exits_3_with_location(
    run: Invoke, registry_path: Path, content: str, needle: str
) -> None:
    registry_path.write_text(content, encoding="utf-8")
    for args in (["check"], ["who", "x"]):
        result = run(*args)
        assert result.exit_code == 3
        assert needle in result.stderr
        assert "Traceback" not in result.stderr
        assert result.stdout == ""


def test_missing_registry_exits_3(run: Invoke, tmp_path: Path) -> None:
    result = run("--registry", str(tmp_path / "missing.toml"), "who", "x")
    assert result.exit_code == 3
    assert "registry file not found" in result.stderr


def test_check_ok(run: Invoke) -> None:
    result = run("check")
    assert result.exit_code == 0
    assert "OK (4 people" in result.stderr


def test_registry_option_beats_env(run: Invoke, tmp_path: Path) -> None:
    other = tmp_path / "other.toml"
    other.write_text('[people.z]\nname = "Zeta Zorro"\n', encoding="utf-8")
    code, doc = _json(run, "--registry", str(other), "who", "zorro")
    assert code == 0 and doc["matches"][0]["id"] == "z"


def test_show_entry_and_person(run: Invoke) -> None:
    code, doc = _json(run, "show", "ERRIN")
    assert code == 0
    assert doc["item"]["via_id"] == "wfeo" and doc["item"]["contacts"][0]["id"] == "hannu-koponen"
    code, doc = _json(run, "show", "Hannu", "Koponen")
    assert code == 0
    assert {h["id"] for h in doc["item"]["handles"]} >= {"wfeo", "fedarene", "errin", "eu-advocacy"}


def test_show_unknown_exits_2(run: Invoke) -> None:
    result = run("show", "Liisa", "Virtanen")
    assert result.exit_code == 2
    assert "No entry or person called 'Liisa Virtanen'." in result.stderr


def test_whois_reverse_lookup(run: Invoke) -> None:
    code, doc = _json(run, "whois", "partanen")
    assert code == 0
    assert {h["id"] for h in doc["handles"]} == {"creadis3", "creative-economy"}
    result = run("whois", "FEDARENE")
    assert result.exit_code == 2 and "is not a person" in result.stderr


def test_list_kinds(run: Invoke) -> None:
    _, doc = _json(run, "list", "--kind", "person")
    assert len(doc["items"]) == 4 and {i["kind"] for i in doc["items"]} == {"person"}
    _, doc = _json(run, "list")
    assert {i["kind"] for i in doc["items"]} == {"topic", "project", "network", "person"}


HOSTILE = (
    "[people.evil]\n"
    'name = "[bold red]Mal[/] \\u001b[2J\\u001b]8;;http://x\\u0007link\\u001b]8;;\\u0007 '
    '\\u001b]52;c;Zm9v\\u0007 \\u202eevil\\u202c \\u009b31m"\n'
    'title = "[/]"\n'
    'aliases = ["Mal"]\n'
)


@pytest.mark.parametrize("fmt", ["table", "tsv", "plain", "csv", "json"])
def test_hostile_values_are_shown_not_obeyed(run: Invoke, registry_path: Path, fmt: str) -> None:
    registry_path.write_text(HOSTILE, encoding="utf-8")
    result = run("who", "Mal", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for raw in ("\x1b", "\x07", "\u202e", "\x9b"):
        assert raw not in out
    if fmt == "json":
        assert json.loads(out)["matches"][0]["name"].startswith("[bold red]Mal[/] \x1b[2J")
    else:
        assert "[bold red]Mal[/]" in out
        assert "\\x1b[2J" in out and "\\u202e" in out


def test_no_color_table_has_no_escape_sequences(run: Invoke) -> None:
    result = run("who", "FEDARENE", "--format", "table", env={"NO_COLOR": "1"})
    assert "\x1b[" not in result.stdout


def test_table_fixed_width(run: Invoke) -> None:
    result = run("who", "FEDARENE", "--format", "table", env={"COLUMNS": "100"})
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert any("hannu.koponen@keskisuomi.fi" in line for line in lines)


def test_python_m_and_console_script_agree(tmp_path: Path) -> None:
    env = {**os.environ, "KVLOOKUP_REGISTRY": ""}
    proc = subprocess.run(
        [sys.executable, "-m", "kvlookup", "who", "handles", "FEDARENE", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["matches"][0]["contacts"][0]["name"] == "Hannu Koponen"


def test_table_links_on_a_terminal(run: Invoke) -> None:
    result = run("who", "FEDARENE", "--format", "table", env={"FORCE_COLOR": "1"})
    assert "\x1b]8;" in result.stdout
    assert "mailto:hannu.koponen@keskisuomi.fi" in result.stdout
    assert "tel:+358405950009" in result.stdout


def test_who_json_says_where_each_match_was_found(run: Invoke) -> None:
    code, doc = _json(run, "who", "hannu.koponen@keskisuomi.fi")
    assert code == 0
    assert [(m["id"], m["matched_field"]) for m in doc["matches"]] == [("hannu-koponen", "email")]
    assert doc["matches"][0]["matched"] == "hannu.koponen@keskisuomi.fi"


@pytest.mark.parametrize(
    ("lang", "header", "value"), [("en", "Found in", "title"), ("fi", "Löytyi", "nimikkeestä")]
)
def test_table_shows_where_a_match_was_found_unless_by_name(
    run: Invoke, lang: str, header: str, value: str
) -> None:
    by_title = run("--lang", lang, "who", "Development Manager", "--format", "table").stdout
    assert header in by_title and value in by_title
    by_name = run("--lang", lang, "who", "FEDARENE", "--format", "table").stdout
    assert header not in by_name


def test_plain_output_keeps_its_columns_and_ends_with_the_field(run: Invoke) -> None:
    line = run("who", "FEDARENE", "--format", "plain").stdout.splitlines()[0].split("\t")
    assert line[9] == "hannu.koponen@keskisuomi.fi"  # cut -f10 still finds the address
    assert line[-1] == "name"


def test_table_links_a_foreign_number_in_e164(run: Invoke) -> None:
    assert (
        run("add", "person", "ivan", "--name", "Ivan P", "--phone", "+7 495 1234567").exit_code == 0
    )
    result = run("who", "Ivan P", "--format", "table", env={"FORCE_COLOR": "1"})
    assert "+7 495 123-45-67" in result.stdout
    assert "tel:+74951234567" in result.stdout


def test_no_contact_message_escapes_registry_values(run: Invoke, registry_path: Path) -> None:
    registry_path.write_text(
        '[topics.t]\nname = "Evil \\u001b]0;pwned\\u0007 topic"\naliases = ["evil"]\n',
        encoding="utf-8",
    )
    result = run("who", "evil")
    assert result.exit_code == 0
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b]0;pwned\\x07" in result.stderr
