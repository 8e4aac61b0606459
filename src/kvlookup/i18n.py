"""Finnish and English user-facing text, and the choice between them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from datetime import date

Lang = Literal["en", "fi"]
LANGS: tuple[Lang, ...] = ("en", "fi")

# key -> (English, Finnish). Messages are str.format templates.
MESSAGES: Mapping[str, tuple[str, str]] = {
    # column headers
    "col.topic": ("Topic", "Aihe"),
    "col.kind": ("Kind", "Tyyppi"),
    "col.contact": ("Contact", "Yhteyshenkilö"),
    "col.title": ("Title", "Tehtävänimike"),
    "col.phone": ("Phone", "Puhelin"),
    "col.email": ("Email", "Sähköposti"),
    "col.id": ("Id", "Tunniste"),
    "col.name": ("Name", "Nimi"),
    "col.via": ("Via", "Kautta"),
    "col.score": ("Score", "Osuvuus"),
    "col.field": ("Field", "Kenttä"),
    "col.value": ("Value", "Arvo"),
    "col.aliases": ("Aliases", "Muut nimet"),
    "col.contacts": ("Contacts", "Yhteyshenkilöt"),
    "col.location": ("Where", "Kohta"),
    "col.problem": ("Problem", "Ongelma"),
    "col.description": ("Description", "Kuvaus"),
    "col.deputy": ("Deputy", "Sijainen"),
    "col.away": ("Away", "Poissa"),
    "col.handles": ("Handles", "Vastuulla"),
    "col.contact_id": ("Contact id", "Yhteyshenkilön tunniste"),
    "col.title_en": ("Title (English)", "Tehtävänimike englanniksi"),
    "col.organisation": ("Organisation", "Organisaatio"),
    "col.via_name": ("Via (name)", "Kautta (nimi)"),
    "col.description_en": ("Description (English)", "Kuvaus englanniksi"),
    "col.matched_field": ("Found in", "Löytyi"),
    "col.note": ("Note", "Huomio"),
    "col.alias": ("Also called", "Muu nimi"),
    "col.description_fi": ("Description (Finnish)", "Kuvaus"),
    "col.title_fi": ("Title (Finnish)", "Tehtävänimike"),
    "col.reached": ("Reached through it", "Hoidetaan sen kautta"),
    "col.contacts_via": ("Contacts from", "Yhteyshenkilöt kohteelta"),
    "col.deputy_for": ("Deputy for", "Sijaistaa"),
    # where a search match was found (the JSON's matched_field)
    "field.name": ("name", "nimestä"),
    "field.alias": ("alias", "muusta nimestä"),
    "field.title": ("title", "nimikkeestä"),
    "field.description": ("description", "kuvauksesta"),
    "field.email": ("email", "sähköpostista"),
    "field.phone": ("phone", "puhelinnumerosta"),
    # kinds
    "kind.topic": ("topic", "aihe"),
    "kind.project": ("project", "hanke"),
    "kind.network": ("network", "verkosto"),
    "kind.person": ("person", "henkilö"),
    # who
    "who.no_match": ("No match for {query!r}.", "Ei osumaa haulle {query!r}."),
    "who.did_you_mean": ("Did you mean: {names}?", "Tarkoititko: {names}?"),
    "who.no_contact": (
        "No contact person is named for {name}.",
        "Kohteelle {name} ei ole nimetty yhteyshenkilöä.",
    ),
    "who.empty_query": (
        "Give a query, e.g. 'kvlookup who FEDARENE'.",
        "Anna hakusana, esim. 'kvlookup who FEDARENE'.",
    ),
    "who.via": ("via {name}", "{name} kautta"),
    "who.stands_in": ("stands in for {name}", "sijaistaa: {name}"),
    "who.away": ("away until {until}{reason}", "poissa {until} asti{reason}"),
    "who.none_named": ("(no contact named)", "(ei nimettyä yhteyshenkilöä)"),
    "whois.nothing": (
        "{name} handles nothing in the registry.",
        "{name} ei hoida mitään rekisterin kohdetta.",
    ),
    "list.empty": (
        "The registry has nothing of this kind.",
        "Rekisterissä ei ole tämän tyyppisiä.",
    ),
    # names
    "name.not_found": (
        "No entry or person called {name!r}.",
        "Nimellä {name!r} ei löydy kohdetta eikä henkilöä.",
    ),
    "name.not_person": ("{name!r} is not a person.", "{name!r} ei ole henkilö."),
    "name.ambiguous": (
        "{name!r} matches several: {candidates}. Use an id.",
        "{name!r} sopii usealle: {candidates}. Käytä tunnistetta.",
    ),
    "name.not_entry": (
        "{name!r} is not a topic, project or network.",
        "{name!r} ei ole aihe, hanke eikä verkosto.",
    ),
    "usage.bad_date": (
        "Invalid date {value!r}: use YYYY-MM-DD or 1.12.2026.",
        "Virheellinen päivämäärä {value!r}: käytä muotoa 1.12.2026, 1.12. tai VVVV-KK-PP.",
    ),
    "usage.bad_kind": (
        "Unknown kind {value!r}: use topic, project, network or person.",
        "Tuntematon tyyppi {value!r}: käytä aihe, hanke, verkosto tai henkilö.",
    ),
    "usage.bad_limit": ("--limit must be at least 1.", "--limit on oltava vähintään 1."),
    "usage.format": (
        "Format {fmt!r} does not suit this command; use one of: {formats}.",
        "Muoto {fmt!r} ei sovi tähän komentoon; käytä jotakin näistä: {formats}.",
    ),
    # export
    "export.bad_field": (
        "Unknown field {name!r}; available: {fields}.",
        "Tuntematon kenttä {name!r}; käytettävissä: {fields}.",
    ),
    "export.exists": (
        "{path} already exists; add --force to replace it.",
        "{path} on jo olemassa; korvaa se lisäämällä --force.",
    ),
    "export.cannot_write": (
        "Cannot write {path}: {detail}",
        "Tiedostoa {path} ei voi kirjoittaa: {detail}",
    ),
    "export.empty": ("Nothing matched; the export is empty.", "Ei osumia; vienti on tyhjä."),
    "mutt.matches": ("kvlookup: {count} found", "kvlookup: löytyi {count}"),
    "mutt.none": ("kvlookup: no match", "kvlookup: ei osumia"),
    "vcard.handles": ("Responsible for:", "Vastuualueet:"),
    "toml.header": (
        "# kvlookup export: a registry in the schema of docs/registry.md.\n"
        "# Check it with: kvlookup --registry FILE check",
        "# kvlookup-vienti: rekisteri docs/registry.md-tiedoston skeemassa.\n"
        "# Tarkista se: kvlookup --registry TIEDOSTO check",
    ),
    # check
    "check.ok": (
        "{path}: OK ({people} people, {entries} entries).",
        "{path}: kunnossa ({people} henkilöä, {entries} kohdetta).",
    ),
    "check.failed": ("{count} problem(s) found.", "Löytyi {count} ongelmaa."),
    # registry problems
    "registry.missing": ("registry file not found", "rekisteritiedostoa ei löydy"),
    "registry.is_dir": (
        "is a directory, not a registry file",
        "on hakemisto, ei rekisteritiedosto",
    ),
    "registry.not_utf8": ("not UTF-8 text: {detail}", "ei ole UTF-8-tekstiä: {detail}"),
    "registry.unreadable": (
        "cannot read the registry: {detail}",
        "rekisteriä ei voi lukea: {detail}",
    ),
    "registry.syntax": ("{detail}", "{detail}"),
    "registry.unknown_table": ("unknown table {name!r}", "tuntematon taulu {name!r}"),
    "registry.schema": ("unsupported schema version {found!r}", "tukematon skeemaversio {found!r}"),
    "registry.not_table": ("{name} must be a table", "{name} on oltava taulu"),
    "registry.bad_id": (
        "id {id!r} may only contain letters, digits, '-' and '_'",
        "tunniste {id!r} saa sisältää vain kirjaimia, numeroita, '-' ja '_'",
    ),
    "registry.missing_key": ("missing required key {key!r}", "pakollinen kenttä {key!r} puuttuu"),
    "registry.empty": ("{key!r} must not be empty", "{key!r} ei saa olla tyhjä"),
    "registry.type": (
        "expected {expected}, found {found}",
        "odotettiin tyyppiä {expected}, löytyi {found}",
    ),
    "registry.unknown_key": (
        "unknown key {key!r} (allowed: {allowed})",
        "tuntematon kenttä {key!r} (sallitut: {allowed})",
    ),
    "registry.bad_email": ("malformed email {value!r}", "virheellinen sähköpostiosoite {value!r}"),
    "registry.bad_phone": (
        "phone {value!r} is not in international form (+358 ...)",
        "puhelinnumero {value!r} ei ole kansainvälisessä muodossa (+358 ...)",
    ),
    "registry.invalid_phone": (
        "phone {value!r} is not a valid number",
        "puhelinnumero {value!r} ei ole kelvollinen",
    ),
    "registry.bad_absence": (
        "an absence needs from = YYYY-MM-DD and to = YYYY-MM-DD",
        "poissaolo tarvitsee kentät from = VVVV-KK-PP ja to = VVVV-KK-PP",
    ),
    "registry.absence_order": (
        "absence ends ({end}) before it starts ({start})",
        "poissaolo päättyy ({end}) ennen alkuaan ({start})",
    ),
    "registry.duplicate_id": ("duplicate id {id!r}", "tunniste {id!r} on jo käytössä"),
    "registry.unknown_person": ("unknown person id {id!r}", "tuntematon henkilötunniste {id!r}"),
    "registry.repeated_contact": (
        "a contact is listed twice",
        "sama yhteyshenkilö on listattu kahdesti",
    ),
    "registry.unknown_entry": ("unknown entry id {id!r}", "tuntematon kohdetunniste {id!r}"),
    "registry.via_cycle": (
        "'via' chain through {id!r} loops back",
        "'via'-ketju kohteen {id!r} kautta palaa kehään",
    ),
    "registry.self_deputy": (
        "a person cannot be their own deputy",
        "henkilö ei voi olla oma sijaisensa",
    ),
    "registry.empty_alias": ("an alias is empty", "muu nimi on tyhjä"),
    # edits
    "edit.saved": (
        "Saved {path}; the previous version is in {backup}.",
        "Tallennettu {path}; edellinen versio on tiedostossa {backup}.",
    ),
    "edit.created": ("Created {path}.", "Luotu {path}."),
    "edit.no_change": ("Nothing to change in {path}.", "Tiedostoon {path} ei tule muutoksia."),
    "edit.dry_run": (
        "Dry run: {path} was not changed.",
        "Kokeiluajo: tiedostoa {path} ei muutettu.",
    ),
    "edit.invalid": (
        "Not written: after this change {path} would have {count} problem(s).",
        "Ei tallennettu: muutoksen jälkeen tiedostossa {path} olisi {count} ongelmaa.",
    ),
    "edit.layout": (
        "Cannot change {path} in place ({detail}); nothing written. Use 'kvlookup edit'.",
        "Tiedostoa {path} ei voi muuttaa kohdallaan ({detail}); mitään ei kirjoitettu. "
        "Käytä komentoa 'kvlookup edit'.",
    ),
    "edit.packaged": (
        "{path} is the copy inside the installed kvlookup; an upgrade would discard edits to it. "
        "Copy it elsewhere and point --registry or $KVLOOKUP_REGISTRY at the copy.",
        "{path} on asennetun kvlookupin oma kopio; päivitys hävittäisi siihen tehdyt muutokset. "
        "Kopioi se muualle ja osoita siihen valitsimella --registry tai muuttujalla $KVLOOKUP_REGISTRY.",
    ),
    "edit.bad_phone": (
        "Invalid phone number {value!r}: type it again (a letter or an impossible number is not repaired).",
        "Virheellinen puhelinnumero {value!r}: kirjoita se uudelleen (kirjainta tai mahdotonta numeroa ei korjata).",
    ),
    "edit.bad_email": (
        "Invalid email address {value!r}.",
        "Virheellinen sähköpostiosoite {value!r}.",
    ),
    "edit.bad_id": (
        "Invalid id {id!r}: use letters, digits, '-' and '_' (e.g. anna-aalto).",
        "Virheellinen tunniste {id!r}: käytä kirjaimia, numeroita, '-' ja '_' (esim. anna-aalto).",
    ),
    "edit.id_taken": (
        "The id {id!r} is already used by {name!r}.",
        "Tunniste {id!r} on jo käytössä: {name!r}.",
    ),
    "edit.required": ("{field!r} cannot be empty.", "{field!r} ei voi olla tyhjä."),
    "edit.not_contact": (
        "{person} is not a contact of {entry}.",
        "{person} ei ole kohteen {entry} yhteyshenkilö.",
    ),
    "edit.referenced": (
        "{id!r} is still named in: {refs}. Nothing removed; --cascade removes those references too.",
        "{id!r} mainitaan vielä kohdissa: {refs}. Mitään ei poistettu; --cascade poistaa myös nämä viittaukset.",
    ),
    "edit.use_command": (
        "Use 'kvlookup {command}' to change {field!r}.",
        "Muuta kenttää {field!r} komennolla 'kvlookup {command}'.",
    ),
    "edit.unknown_field": (
        "There is no field {field!r} here; fields: {allowed}.",
        "Kenttää {field!r} ei ole; kentät: {allowed}.",
    ),
    "edit.absence_order": (
        "--to ({end}) is before --from ({start}).",
        "--to ({end}) on ennen päivää --from ({start}).",
    ),
    # safe writes
    "store.changed": (
        "{path} changed on disk since it was read; nothing written. Run the command again.",
        "{path} muuttui levyllä lukemisen jälkeen; mitään ei kirjoitettu. Aja komento uudelleen.",
    ),
    "store.locked": (
        "{path} is being written by another kvlookup (waited {seconds:g} s); nothing written.",
        "Toinen kvlookup kirjoittaa tiedostoa {path} (odotettiin {seconds:g} s); mitään ei kirjoitettu.",
    ),
    "store.write_failed": (
        "Cannot write {path}: {detail}. The registry is unchanged.",
        "Tiedostoon {path} ei voi kirjoittaa: {detail}. Rekisteri on ennallaan.",
    ),
    # import
    "import.confirm": (
        "Write these changes to {path}?",
        "Kirjoitetaanko muutokset tiedostoon {path}?",
    ),
    "import.declined": ("Nothing written.", "Mitään ei kirjoitettu."),
    "import.invalid": (
        "{count} problem(s) in {path}; nothing imported.",
        "Tiedostossa {path} on {count} ongelmaa; mitään ei tuotu.",
    ),
    "import.empty": (
        "No contacts found in {path}.",
        "Tiedostosta {path} ei löytynyt yhteystietoja.",
    ),
    "import.unreadable": (
        "Cannot read {path}: {detail}.",
        "Tiedostoa {path} ei voi lukea: {detail}.",
    ),
    "import.bad_phone": ("invalid phone number {value!r}", "virheellinen puhelinnumero {value!r}"),
    "import.bad_email": (
        "invalid email address {value!r}",
        "virheellinen sähköpostiosoite {value!r}",
    ),
    "import.no_name": ("no name found in {text!r}", "nimeä ei löydy rivistä {text!r}"),
    "import.csv_columns": (
        "the CSV needs a 'name' column (found: {found})",
        "CSV-tiedostossa pitää olla sarake 'name' (löytyi: {found})",
    ),
    "import.csv_extra": (
        "{cells} cells but {columns} columns (quote a cell that holds the separator)",
        "{cells} solua mutta {columns} saraketta (lainausmerkit soluun, jossa on erotin)",
    ),
    "import.vcard": ("not a readable vCard: {detail}", "vCard-tiedostoa ei voi lukea: {detail}"),
    "import.vcard_no_name": (
        "the card has no name (neither FN nor N)",
        "kortilla ei ole nimeä (ei FN- eikä N-kenttää)",
    ),
    "import.bad_kind": (
        "unknown kind {kind!r} (topic, project, network or person)",
        "tuntematon laji {kind!r} (topic, project, network tai person)",
    ),
    "import.no_contact_lines": (
        "{text!r} looks like a contact but has no phone number or email: add one, or delete the block",
        "{text!r} näyttää yhteyshenkilöltä, mutta puhelinnumero ja sähköposti puuttuvat: lisää toinen tai poista kohta",
    ),
    # kvlookup edit
    "editor.failed": (
        "The editor {editor!r} exited with status {code}; nothing installed.",
        "Editori {editor!r} päättyi tilaan {code}; mitään ei asennettu.",
    ),
    "editor.missing": (
        "Cannot start the editor {editor!r}: {detail}. Set $VISUAL or $EDITOR.",
        "Editoria {editor!r} ei voi käynnistää: {detail}. Aseta $VISUAL tai $EDITOR.",
    ),
    "editor.reopen": (
        "Re-open the editor to fix this?",
        "Avataanko editori uudelleen korjaamista varten?",
    ),
    "editor.not_installed": (
        "Not installed: {path} is unchanged. Your edited copy is kept in {copy}.",
        "Ei asennettu: {path} on ennallaan. Muokattu kopiosi on tallessa: {copy}.",
    ),
    "editor.not_saved": (
        "{path} could not be saved; your edited copy is kept at {copy}.",
        "Tiedostoa {path} ei voitu tallentaa; muokattu kopiosi on tallessa: {copy}.",
    ),
    "editor.changed": (
        "{path} changed on disk while you were editing; not installed. Your edited copy is kept in {copy}.",
        "{path} muuttui levyllä muokkauksen aikana; ei asennettu. Muokattu kopiosi on tallessa: {copy}.",
    ),
    "registry.duplicate_alias": (
        "alias {alias!r} is also used by {other!r}",
        "nimi {alias!r} on jo kohteella {other!r}",
    ),
}

# Finnish help text; the English text lives in the command definitions themselves.
# Keys: "" for the app, a command name, or "command.param".
HELP_FI: Mapping[str, str] = {
    "": "Kuka hoitaa tätä? Yhteyshenkilöiden ja vastuiden haku Keski-Suomen liiton rekisteristä.",
    "registry": "Rekisteritiedosto (oletus: $KVLOOKUP_REGISTRY, muuten mukana tuleva).",
    "lang": "Käyttöliittymän kieli (oletus: LANG/LC_ALL, muuten englanti).",
    "version": "Näytä versio ja lopeta.",
    "who": "Kuka hoitaa aiheen, hankkeen tai verkoston (esim. kvlookup who kuka hoitaa FEDARENEa)",
    "who.query": "Hakusanat suomeksi tai englanniksi.",
    "who.limit": "Näytä enintään N osumaa.",
    "who.on": "Päivä, jonka poissaolot huomioidaan (1.12.2026, 1.12. tai VVVV-KK-PP; oletus tänään).",
    "fmt": "Tulostusmuoto (oletus: taulukko päätteelle, muuten sarkaineroteltu).",
    "show": "Näytä kaikki yhdestä kohteesta tai henkilöstä.",
    "show.name": "Tunniste tai nimi.",
    "whois": "Mitä henkilö hoitaa (käänteinen haku).",
    "whois.person": "Henkilön tunniste tai nimi.",
    "list": "Listaa kohteet tai henkilöt.",
    "list.kind": "Vain tämä tyyppi.",
    "raw": "CSV/TSV: jätä =, +, -, @ -alkuiset solut ennalleen (ei taulukkolaskentakaavojen suojausta).",
    "export": (
        "Vie yhteystiedot muille ohjelmille: CSV (Excel), TSV, JSON, vCard, TOML, mutt tai "
        "Markdown."
    ),
    "export.fmt": "Tulostusmuoto (oletus: csv).",
    "export.kind": "Vain tämä tyyppi.",
    "export.person": "Vain se, mitä tämä henkilö hoitaa (tunniste tai nimi).",
    "export.query": "Vain ne kohteet, joihin 'who' vastaisi tällä haulla.",
    "export.fields": (
        "Sarakkeet pilkuin eroteltuina ja järjestyksessä (csv, tsv, json, markdown). Pelkkä "
        "--fields listaa kentät. Oletus: id, kind, name, via, contact_id, contact, title, "
        "title_en, phone, email. Lisäksi: organisation, via_name, aliases, description, "
        "description_en."
    ),
    "export.output": (
        "Kirjoita tiedostoon (atomisesti) eikä vakiotulosteeseen; olemassa olevaa tiedostoa "
        "ei korvata ilman valitsinta --force."
    ),
    "export.force": "Korvaa olemassa oleva -o-tiedosto.",
    "export.excel": (
        "csv suomenkieliselle Excelille: UTF-8 ja BOM, erottimena ';', puhelinnumerot "
        "tekstinä (alussa '). Muut muodot eivät käytä tätä."
    ),
    "export.phone_format": "Puhelinnumeroiden muoto: e164, international tai national.",
    "export.vcard_version": "vCard-versio: 3.0 (Outlook, Google, iOS) tai 4.0.",
    "export.no_header": (
        "Ilman otsikkoriviä (csv, tsv) tai mutt-muodon ensimmäistä riviä (aercia varten)."
    ),
    "check": "Tarkista rekisteri; poistumiskoodi 0, kun se on kunnossa.",
    # editing
    "dry_run": "Näytä muutos diff-muodossa; älä kirjoita mitään.",
    "alias": "Muu nimi (voi toistaa).",
    "add": "Lisää henkilö, aihe, hanke tai verkosto.",
    "add person": "Lisää henkilö.",
    "add person.item_id": "Uusi tunniste, esim. anna-aalto.",
    "add person.name": "Koko nimi.",
    "add person.title": "Tehtävänimike suomeksi.",
    "add person.title_en": "Tehtävänimike englanniksi.",
    "add person.phone": "Puhelinnumero, esim. 040 123 4567.",
    "add person.email": "Sähköpostiosoite.",
    **{
        f"add {kind}{key}": text
        for kind, label in (("topic", "aihe"), ("project", "hanke"), ("network", "verkosto"))
        for key, text in (
            ("", f"Lisää {label}."),
            (".item_id", "Uusi tunniste, esim. eu-advocacy."),
            (".name", "Virallinen tai tavallinen nimi."),
            (".contact", "Yhteyshenkilö, ensisijainen ensin (voi toistaa)."),
            (".via", "Kohde, jonka kautta tämä hoidetaan."),
            (".description", "Kuvaus suomeksi."),
        )
    },
    "assign": "Lisää henkilö aiheen, hankkeen tai verkoston yhteyshenkilöksi.",
    "assign.entry": "Aihe, hanke tai verkosto: tunniste tai nimi.",
    "assign.person": "Henkilö: tunniste tai nimi.",
    "assign.primary": "Tee henkilöstä ensisijainen yhteyshenkilö.",
    "unassign": "Poista henkilö aiheen, hankkeen tai verkoston yhteyshenkilöistä.",
    "unassign.entry": "Aihe, hanke tai verkosto: tunniste tai nimi.",
    "unassign.person": "Henkilö: tunniste tai nimi.",
    "remove": "Poista kohde tai henkilö (ei onnistu, jos siihen viitataan, ellei --cascade).",
    "remove.item": "Tunniste tai nimi.",
    "remove.cascade": "Poista myös kaikki viittaukset siihen.",
    "rename": "Vaihda kohteen tai henkilön tunniste ja päivitä kaikki viittaukset.",
    "rename.old": "Nykyinen tunniste tai nimi.",
    "rename.new": "Uusi tunniste.",
    "set": "Aseta kohteen tai henkilön yksi kenttä (muille nimille voi antaa useita arvoja).",
    "set.item": "Tunniste tai nimi.",
    "set.field": "Kenttä, esim. phone, title, deputy, aliases.",
    "set.value": 'Uusi arvo ("" poistaa valinnaisen kentän).',
    "away": "Kirjaa poissaolo; 'who' näyttää silloin sijaisen ensin.",
    "away.person": "Henkilö: tunniste tai nimi.",
    "away.start": "Ensimmäinen poissaolopäivä (VVVV-KK-PP).",
    "away.end": "Viimeinen poissaolopäivä (VVVV-KK-PP).",
    "away.reason": "Syy, esim. loma.",
    "away.deputy": "Sijainen (asettaa henkilön sijaisen).",
    "edit": "Avaa rekisteri editorissa ($VISUAL/$EDITOR); tarkistetaan ennen tallennusta.",
    "import": "Tuo yhteystiedot verkkosivulta (tekstinä), CSV- tai vCard-tiedostosta.",
    "import.file": "Tuotava tiedosto.",
    "import.yes": "Kirjoita kysymättä (skripteille).",
}

EPILOG = {
    "en": "Exit codes: 0 answered, 1 no match, 2 usage error, 3 registry problem, "
    "4 registry changed by someone else (run again).",
    "fi": "Poistumiskoodit: 0 vastattu, 1 ei osumaa, 2 käyttövirhe, 3 rekisterin ongelma, "
    "4 joku muu muutti rekisteriä (aja uudelleen).",
}


def detect(argv: Sequence[str], environ: Mapping[str, str]) -> Lang:
    """Language from --lang in argv, else the locale variables, else English."""
    for i, arg in enumerate(argv):
        value = None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value is not None:
            return as_lang(value) or from_locale(environ)
    return from_locale(environ)


def as_lang(value: str | None) -> Lang | None:
    """value as a supported language, or None."""
    if value == "fi":
        return "fi"
    if value == "en":
        return "en"
    return None


def from_locale(environ: Mapping[str, str]) -> Lang:
    """'fi' when the POSIX locale (LC_ALL, LC_MESSAGES, LANG in that order) is Finnish."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var)
        if value:
            return "fi" if value.lower().startswith("fi") else "en"
    return "en"


def day(lang: Lang | str, value: date) -> str:
    """A date as a reader of lang writes it: 1.12.2026 in Finnish, 2026-12-01 in English."""
    return f"{value.day}.{value.month}.{value.year}" if lang == "fi" else value.isoformat()


def short_day(value: date) -> str:
    """A near day as Finnish offices write it in either language: 8.12."""
    return f"{value.day}.{value.month}."


def pick(lang: Lang | str, fi: str, en: str) -> str:
    """A registry text in the user's language: the English one when asked for and present."""
    return en if lang == "en" and en else fi


def t(lang: Lang, key: str, /, **params: object) -> str:
    """The message for key in lang, filled with params."""
    en, fi = MESSAGES[key]
    return (fi if lang == "fi" else en).format(**params)
