"""Loading and validation: every problem reported at once, with file:line or key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from kvlookup import contactinfo
from kvlookup.errors import RegistryError
from kvlookup.models import Problem
from kvlookup.sources import location, registry

from .conftest import BUNDLED, Invoke

GOOD = """\
[people.anna]
name = "Anna Aalto"
phone = "+358 40 1234567"
email = "anna.aalto@example.fi"

[topics.tilat]
name = "Tilavaraukset"
aliases = ["room booking"]
contacts = ["anna"]
"""


def _problems(tmp_path: Path, text: str) -> list[Problem]:
    path = tmp_path / "contacts.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError) as info:
        registry.load(path)
    return info.value.problems


def test_bundled_registry_is_complete() -> None:
    reg = registry.load(BUNDLED)
    assert set(reg.people) == {
        "hannu-koponen",
        "kari-pirinen",
        "raija-partanen",
        "veli-pekka-paivanen",
    }
    for pid in reg.people:
        person = reg.people[pid]
        assert person.phone.startswith("+358 ")
        assert "@" in person.email and "[at]" not in person.email
    names = {e.name for e in reg.entries.values()}
    for named_on_page in (
        "WFEO",
        "ERRIN",
        "FEDARENE",
        "BEA-APP",
        "RDI2CluB",
        "Baltic ForBio",
        "CREADIS3",
        "Koulutusvienti",
        "Luova talous",
        "Suomalais-venäläinen kauppakamari",
    ):
        assert named_on_page in names
    assert reg.entries["errin"].via == "wfeo"
    assert reg.entries["eu-advocacy"].via == "wfeo"
    assert reg.entries["energy-environment"].via == "fedarene"
    assert reg.entries["bioeconomy-policy"].via == "bioeconomy-panel"
    assert reg.entries["bioeconomy-panel"].contacts == ()
    assert registry.deep_check(reg) == []


def test_good_registry_loads(tmp_path: Path) -> None:
    path = tmp_path / "contacts.toml"
    path.write_text(GOOD, encoding="utf-8")
    reg = registry.load(path)
    assert reg.entries["tilat"].contacts == ("anna",)


def test_syntax_error_has_file_line_and_column(tmp_path: Path) -> None:
    [problem] = _problems(tmp_path, '[people.a]\nname = "A"\nemail = = "x"\n')
    assert problem.location == "contacts.toml:3:9"
    assert problem.key == "registry.syntax"


@pytest.mark.parametrize(
    ("edit", "key", "location"),
    [
        (
            ('contacts = ["anna"]', 'contacts = ["anna", "bertta"]'),
            "registry.unknown_person",
            "contacts.toml:9: topics.tilat.contacts[1]",
        ),
        (
            ("anna.aalto@example.fi", "anna.aalto[at]example.fi"),
            "registry.bad_email",
            "contacts.toml:4: people.anna.email",
        ),
        (
            ("+358 40 1234567", "040 123 4567"),
            "registry.bad_phone",
            "contacts.toml:3: people.anna.phone",
        ),
        (
            ('aliases = ["room booking"]', 'aliases = "room booking"'),
            "registry.type",
            "contacts.toml:8: topics.tilat.aliases",
        ),
        (
            ('name = "Tilavaraukset"', 'nimi = "Tilavaraukset"'),
            "registry.unknown_key",
            "contacts.toml:7: topics.tilat.nimi",
        ),
    ],
)
def test_each_problem_is_located(
    tmp_path: Path, edit: tuple[str, str], key: str, location: str
) -> None:
    problems = _problems(tmp_path, GOOD.replace(*edit))
    assert (location, key) in [(p.location, p.key) for p in problems]


def test_duplicate_alias_across_entries(tmp_path: Path) -> None:
    text = GOOD + '\n[topics.kokoukset]\nname = "Kokoukset"\naliases = ["Room-booking"]\n'
    [problem] = _problems(tmp_path, text)
    assert problem.key == "registry.duplicate_alias"
    assert problem.location == "contacts.toml:13: topics.kokoukset.aliases"
    assert problem.params["other"] == "tilat"


def test_duplicate_id_across_tables(tmp_path: Path) -> None:
    [problem] = _problems(tmp_path, GOOD + '\n[projects.anna]\nname = "Anna-hanke"\n')
    assert problem.key == "registry.duplicate_id"


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    text = (
        GOOD.replace('contacts = ["anna"]', 'contacts = ["nobody"]')
        .replace("anna.aalto@example.fi", "not-an-email")
        .replace("+358 40 1234567", "12")
    )
    keys = {p.key for p in _problems(tmp_path, text)}
    assert keys == {"registry.unknown_person", "registry.bad_email", "registry.bad_phone"}


def test_via_must_exist_and_not_loop(tmp_path: Path) -> None:
    text = (
        '[networks.a]\nname = "A"\nvia = "b"\n[networks.b]\nname = "B"\nvia = "a"\n'
        '[networks.c]\nname = "C"\nvia = "nowhere"\n'
    )
    keys = sorted(p.key for p in _problems(tmp_path, text))
    assert keys == ["registry.unknown_entry", "registry.via_cycle", "registry.via_cycle"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RegistryError) as info:
        registry.load(tmp_path / "nope.toml")
    assert info.value.problems[0].key == "registry.missing"


def test_not_utf8(tmp_path: Path) -> None:
    [problem] = _problems_bytes(tmp_path, b'[people.a]\nname = "\xe4"\n')
    assert problem.key == "registry.not_utf8"


def _problems_bytes(tmp_path: Path, data: bytes) -> list[Problem]:
    path = tmp_path / "contacts.toml"
    path.write_bytes(data)
    with pytest.raises(RegistryError) as info:
        registry.load(path)
    return info.value.problems


def test_invalid_phone_found_by_deep_check(tmp_path: Path) -> None:
    path = tmp_path / "contacts.toml"
    path.write_text(GOOD.replace("+358 40 1234567", "+358 1"), encoding="utf-8")
    with pytest.raises(RegistryError):
        registry.load(path)
    path.write_text(GOOD.replace("+358 40 1234567", "+358 00 0000000"), encoding="utf-8")
    reg = registry.load(path)
    [problem] = registry.deep_check(reg, path.read_text(encoding="utf-8"))
    assert problem.key == "registry.invalid_phone"


@pytest.mark.parametrize(
    ("explicit", "env", "expected"),
    [
        (Path("a.toml"), {"KVLOOKUP_REGISTRY": "b.toml"}, Path("a.toml")),
        (None, {"KVLOOKUP_REGISTRY": "b.toml"}, Path("b.toml")),
        (None, {}, location.bundled_path()),
    ],
)
def test_locate_precedence(explicit: Path | None, env: dict[str, str], expected: Path) -> None:
    assert location.locate(explicit, env) == expected


def _example_numbers() -> list[str]:
    """An example number of every region and non-geographic code phonenumbers knows."""
    import phonenumbers

    found = [
        phonenumbers.example_number_for_type(region, kind)
        for region in sorted(phonenumbers.SUPPORTED_REGIONS)
        for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE)
    ]
    found += [
        phonenumbers.example_number_for_non_geo_entity(code)
        for code in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS)
    ]
    fmt = phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return [str(phonenumbers.format_number(n, fmt)) for n in found if n is not None]


def test_every_region_phone_is_stored_in_a_form_the_check_accepts(tmp_path: Path) -> None:
    numbers = _example_numbers()
    assert len(numbers) > 400
    people = []
    for i, number in enumerate(numbers):
        stored = contactinfo.normalise_phone(number.replace("-", " "))
        assert contactinfo.normalise_phone(stored) == stored  # normalising is idempotent
        assert contactinfo.is_phone_form(stored), stored
        assert contactinfo.tel_uri(stored) == "tel:" + contactinfo.format_phone(stored, "e164")
        people.append(f'[people.p{i}]\nname = "P {i}"\nphone = "{stored}"\n')
    path = tmp_path / "contacts.toml"
    path.write_text("\n".join(people), encoding="utf-8")
    loaded = registry.load(path)  # the cheap check at every load
    assert registry.deep_check(loaded, path.read_text(encoding="utf-8")) == []  # 'check'


def test_absence_with_a_time_of_day_is_a_registry_problem(run: Invoke, registry_path: Path) -> None:
    text_ = registry_path.read_text(encoding="utf-8").replace(
        'email = "hannu.koponen@keskisuomi.fi"',
        'email = "hannu.koponen@keskisuomi.fi"\naway = [{from = 2026-12-21T08:00:00, to = 2027-01-06}]',
    )
    registry_path.write_text(text_, encoding="utf-8")
    result = run("who", "FEDARENE", "--date", "2026-12-24")
    assert result.exit_code == 3
    assert "people.hannu-koponen.away[0]" in result.stderr
    assert "Traceback" not in result.stderr
