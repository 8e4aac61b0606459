"""The text kvlookup writes to people, in English and Finnish: messages and Finnish help."""

from collections.abc import Mapping

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
    "col.via_id": ("Via (id)", "Kautta (tunniste)"),
    "col.description_en": ("Description (English)", "Kuvaus englanniksi"),
    "col.matched_field": ("Found in", "Löytyi"),
    "col.note": ("Note", "Huomio"),
    "col.alias": ("Also called", "Muu nimi"),
    "col.description_fi": ("Description (Finnish)", "Kuvaus"),
    "col.title_fi": ("Title (Finnish)", "Tehtävänimike"),
    "col.reached": ("Reached through it", "Hoidetaan sen kautta"),
    "col.contacts_via_name": ("Contacts from", "Yhteyshenkilöt kohteelta"),
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
    "usage.not_utf8": (
        "{name}: '{value}' is not UTF-8 text; check the terminal's character encoding.",
        "{name}: '{value}' ei ole UTF-8-tekstiä; tarkista päätteen merkistö.",
    ),
    "output.failed": (
        "kvlookup: cannot write the output: {detail}",
        "kvlookup: tulostetta ei voi kirjoittaa: {detail}",
    ),
    "usage.bad_limit": ("--limit must be at least 1.", "--limit on oltava vähintään 1."),
    "usage.format": (
        "Format {fmt!r} does not suit this command; use one of: {formats}.",
        "Muoto {fmt!r} ei sovi tähän komentoon; käytä jotakin näistä: {formats}.",
    ),
    # export
    "export.bad_filter": (
        "{filter!r} is not a filter: use field:value terms (kind, person, query) and 'or'.",
        "{filter!r} ei ole suodatin: käytä muotoa kenttä:arvo (tyyppi, henkilö, haku) ja 'tai'.",
    ),
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
    "export.is_registry": (
        "{path} is the registry {registry} (or its backup or lock file); export to another file.",
        "{path} on rekisteri {registry} (tai sen varmuuskopio- tai lukkotiedosto); vie toiseen tiedostoon.",
    ),
    "export.special": (
        "Cannot write {path}: it is not a file, a device or a named pipe.",
        "Tiedostoon {path} ei voi kirjoittaa: se ei ole tiedosto, laite eikä nimetty putki.",
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
    "registry.no_items": (
        "no people and no entries (an empty or emptied file?); the previous version may be in the .bak file",
        "ei yhtään henkilöä eikä kohdetta (tyhjä tai tyhjennetty tiedosto?); edellinen versio voi olla .bak-tiedostossa",
    ),
    "registry.is_dir": (
        "is a directory, not a registry file",
        "on hakemisto, ei rekisteritiedosto",
    ),
    "registry.not_file": (
        "is not a regular file (a device or a socket)",
        "ei ole tavallinen tiedosto (vaan laite tai pistoke)",
    ),
    "registry.empty_pipe": (
        "is a pipe that gave nothing to read",
        "on putki, josta ei saatu mitään luettavaa",
    ),
    "registry.too_deep": (
        "arrays or tables are nested too deeply to read",
        "taulukoita tai tauluja on sisäkkäin liian monta tasoa",
    ),
    "registry.changed_while_read": (
        "{path} changed on disk while it was being read. Run the command again.",
        "{path} muuttui levyllä kesken lukemisen. Aja komento uudelleen.",
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
    "registry.bad_directory_key": (
        "directory key {value!r} must be attribute=value (uid=hkoponen) or an email address",
        "hakemistoavaimen {value!r} on oltava muotoa attribuutti=arvo (uid=hkoponen) tai sähköpostiosoite",
    ),
    "registry.bad_day": (
        "{key} must be a date ({key} = 2026-06-01), found {found}",
        "{key}-kentän on oltava päivämäärä ({key} = 2026-06-01), löytyi {found}",
    ),
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
    "edit.not_a_list": (
        "{field!r} is not a list here; --add and --remove change: {lists}.",
        "{field!r} ei ole tässä luettelo; --add ja --remove muuttavat kenttiä: {lists}.",
    ),
    "edit.not_in_list": (
        "{value!r} is not in the {field} of {name}.",
        "{value!r} ei ole kohteen {name} kentässä {field}.",
    ),
    "edit.missing_value": (
        "Missing VALUE: give the new value, or --add/--remove for a list field.",
        "VALUE puuttuu: anna uusi arvo, tai luettelokentälle --add/--remove.",
    ),
    "edit.list_and_value": (
        "Give either new values or --add/--remove, not both.",
        "Anna joko uudet arvot tai --add/--remove, ei molempia.",
    ),
    "edit.bad_directory_key": (
        "Invalid directory key {value!r}: use attribute=value (uid=hkoponen) or an email address.",
        "Virheellinen hakemistoavain {value!r}: käytä muotoa attribuutti=arvo (uid=hkoponen) tai sähköpostiosoitetta.",
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
    "store.loses": (
        "Not written: {path} would keep {kept} of its {before} people and entries, fewer than half.",
        "Ei tallennettu: tiedostoon {path} jäisi {kept} sen {before} henkilöstä ja kohteesta, alle puolet.",
    ),
    "store.link": (
        "{path} is a symbolic link; kvlookup does not write through it. Remove it if you did not "
        "make it. The registry is unchanged.",
        "{path} on symbolinen linkki; kvlookup ei kirjoita sen kautta. Poista se, jos et tehnyt sitä "
        "itse. Rekisteri on ennallaan.",
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
    "editor.failed_kept": (
        "The editor {editor!r} exited with status {code}; nothing installed. Your edited copy is kept in {copy}.",
        "Editori {editor!r} päättyi tilaan {code}; mitään ei asennettu. Muokattu kopiosi on tallessa: {copy}.",
    ),
    "editor.bad_command": (
        "Cannot read the editor command {editor!r} ({detail}). Fix $VISUAL or $EDITOR.",
        "Editorikomentoa {editor!r} ei voi tulkita ({detail}). Korjaa $VISUAL tai $EDITOR.",
    ),
    "editor.copy_gone": (
        "The editor removed the copy {copy}; nothing installed.",
        "Editori poisti kopion {copy}; mitään ei asennettu.",
    ),
    "editor.copy_unreadable": (
        "Cannot read the edited copy {copy} ({detail}); nothing installed.",
        "Muokattua kopiota {copy} ei voi lukea ({detail}); mitään ei asennettu.",
    ),
    "editor.loses": (
        "keeps {kept} of its {before} people and entries, fewer than half "
        "('kvlookup edit --force' installs such a copy)",
        "jäljelle jää {kept} sen {before} henkilöstä ja kohteesta, alle puolet "
        "('kvlookup edit --force' asentaa tällaisen kopion)",
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
    # config.toml and the directory (kvlookup.sources)
    "config.invalid": ("{count} problem(s) in {path}.", "Tiedostossa {path} on {count} ongelmaa."),
    "config.missing": ("config file not found", "asetustiedostoa ei löydy"),
    "config.unreadable": ("cannot read the config: {detail}", "asetuksia ei voi lukea: {detail}"),
    "config.syntax": ("{detail}", "{detail}"),
    "config.type": (
        "expected {expected}, found {found}",
        "odotettiin tyyppiä {expected}, löytyi {found}",
    ),
    "config.unknown_key": (
        "unknown key {key!r} (allowed: {allowed})",
        "tuntematon kenttä {key!r} (sallitut: {allowed})",
    ),
    "config.required": ("missing required key {key!r}", "pakollinen kenttä {key!r} puuttuu"),
    "config.no_directory": (
        "no [directory] table: nothing to sync",
        "[directory]-taulu puuttuu: ei mitään synkronoitavaa",
    ),
    "config.password_in_file": (
        "a password does not belong in the config file: name an environment variable with "
        "password_env, or let kvlookup ask",
        "salasana ei kuulu asetustiedostoon: nimeä ympäristömuuttuja kentällä password_env "
        "tai anna kvlookupin kysyä se",
    ),
    "config.bad_preset": (
        "unknown preset {value!r} (presets: {presets})",
        "tuntematon esiasetus {value!r} (vaihtoehdot: {presets})",
    ),
    "config.bad_attribute": (
        "{value!r} is not an LDAP attribute name",
        "{value!r} ei ole LDAP-attribuutin nimi",
    ),
    "config.bad_url": (
        "{value!r} is not an ldap:// or ldaps:// URL (host and optional port)",
        "{value!r} ei ole ldap://- tai ldaps://-osoite (palvelin ja valinnainen portti)",
    ),
    "config.starttls_ldaps": (
        "starttls is for ldap:// URLs; ldaps:// is encrypted already",
        "starttls on ldap://-osoitteille; ldaps:// on jo salattu",
    ),
    "config.plaintext_bind": (
        "{url} would carry the bind password unencrypted: use ldaps:// or starttls = true",
        "{url} välittäisi salasanan salaamattomana: käytä ldaps://-osoitetta tai starttls = true",
    ),
    "config.ca_missing": ("CA file {path} not found", "CA-tiedostoa {path} ei löydy"),
    "config.range": (
        "{value} is out of range (more than {low}, at most {high})",
        "{value} on sallitun välin ulkopuolella (yli {low}, enintään {high})",
    ),
    "config.bad_duration": (
        "{value!r} is not an age such as 12h, 7d or 2w",
        "{value!r} ei ole ikä, kuten 12h, 7d tai 2w",
    ),
    "config.bad_kind": (
        "{value!r}: use topic, project or network",
        "{value!r}: käytä arvoa topic, project tai network",
    ),
    "config.bad_filter": (
        "{value!r} is not one parenthesised LDAP filter",
        "{value!r} ei ole yksi sulkeisiin kirjoitettu LDAP-suodatin",
    ),
    "directory.no_config": (
        "No directory is configured: write {path} (see the README) or use --config.",
        "Hakemistoa ei ole määritetty: kirjoita {path} (ks. README) tai käytä valitsinta --config.",
    ),
    "directory.no_password": (
        "The bind password is not in ${variable} and there is no terminal to ask on.",
        "Salasana ei ole muuttujassa ${variable}, eikä sitä voi kysyä ilman päätettä.",
    ),
    "directory.password_prompt": ("Password for {user}", "Salasana tunnukselle {user}"),
    "directory.synced": (
        "Synced {people} people and {groups} groups from {url} into {path}.",
        "Synkronoitu {people} henkilöä ja {groups} ryhmää palvelimelta {url} tiedostoon {path}.",
    ),
    "directory.last_copy": (
        "{failure} The last synced copy (from {when}) keeps answering.",
        "{failure} Viimeisin synkronoitu kopio ({when}) vastaa edelleen.",
    ),
    "directory.unreachable": (
        "Cannot reach the directory at {url}: {detail}.",
        "Hakemistoon {url} ei saada yhteyttä: {detail}.",
    ),
    "directory.timeout": (
        "The directory at {url} did not answer within {seconds:g} s.",
        "Hakemisto {url} ei vastannut {seconds:g} sekunnissa.",
    ),
    "directory.certificate": (
        "The certificate of {url} is not trusted ({detail}); set ca_file to the CA that signed it.",
        "Palvelimen {url} varmenteeseen ei luoteta ({detail}); aseta ca_file sen allekirjoittaneeseen CA:han.",
    ),
    "directory.tls_failed": (
        "TLS with {url} failed: {detail}.",
        "TLS-yhteys palvelimeen {url} epäonnistui: {detail}.",
    ),
    "directory.bind_refused": (
        "The directory at {url} refused the bind as {user}: check the user and the password.",
        "Hakemisto {url} hylkäsi kirjautumisen tunnuksella {user}: tarkista tunnus ja salasana.",
    ),
    "directory.no_base": (
        "The directory at {url} has no such base DN: {detail}.",
        "Hakemistossa {url} ei ole tällaista perus-DN:ää: {detail}.",
    ),
    "directory.bad_filter": (
        "The directory at {url} rejected a filter of the config: {detail}.",
        "Hakemisto {url} hylkäsi asetusten suodattimen: {detail}.",
    ),
    "directory.truncated": (
        "The directory at {url} stopped the search under {base} at a limit ({detail}); nothing "
        "was saved. Ask its administrator to lift the limit for kvlookup's account "
        "(OpenLDAP: limits ... size.prtotal=unlimited).",
        "Hakemisto {url} keskeytti haun kohteessa {base} rajaan ({detail}); mitään ei "
        "tallennettu. Pyydä ylläpitäjää poistamaan raja kvlookupin tunnukselta "
        "(OpenLDAP: limits ... size.prtotal=unlimited).",
    ),
    "directory.failed": (
        "The directory at {url} failed: {detail}.",
        "Hakemisto {url} palautti virheen: {detail}.",
    ),
    "directory.never_synced": (
        "The directory has not been synced yet ({path}): run 'kvlookup sync'.",
        "Hakemistoa ei ole vielä synkronoitu ({path}): aja 'kvlookup sync'.",
    ),
    "directory.not_synced_yet": (
        "A directory is configured but not synced yet: run 'kvlookup sync'. Answering from the registry alone.",
        "Hakemisto on määritetty mutta ei vielä synkronoitu: aja 'kvlookup sync'. Vastataan pelkästä rekisteristä.",
    ),
    "directory.copy_unreadable": (
        "The synced copy {path} cannot be read ({detail}); run 'kvlookup sync'.",
        "Synkronoitua kopiota {path} ei voi lukea ({detail}); aja 'kvlookup sync'.",
    ),
    "directory.copy_untrusted": (
        "The synced copy {path} is not used: {detail}. Run 'kvlookup sync'.",
        "Synkronoitua kopiota {path} ei käytetä: {detail}. Aja 'kvlookup sync'.",
    ),
    "directory.copy_not_written": (
        "Cannot write the synced copy {path}: {detail}.",
        "Synkronoitua kopiota {path} ei voi kirjoittaa: {detail}.",
    ),
    "directory.stale_days": (
        "The synced directory copy is {days} days old (from {when}); run 'kvlookup sync'.",
        "Synkronoitu hakemistokopio on {days} päivää vanha ({when}); aja 'kvlookup sync'.",
    ),
    "directory.stale_hours": (
        "The synced directory copy is {hours} hours old (from {when}); run 'kvlookup sync'.",
        "Synkronoitu hakemistokopio on {hours} tuntia vanha ({when}); aja 'kvlookup sync'.",
    ),
    "directory.findings": (
        "{count} problem(s) against the directory at {url}.",
        "{count} ongelmaa verrattuna hakemistoon {url}.",
    ),
    "directory.clean": (
        "Every contact matches the directory at {url}.",
        "Kaikki yhteyshenkilöt vastaavat hakemistoa {url}.",
    ),
    "directory.missing": (
        "{name} ({key}) is not in the directory",
        "{name} ({key}) ei ole hakemistossa",
    ),
    "directory.left": (
        "{name} is no longer among the directory's people (now {dn})",
        "{name} ei ole enää hakemiston henkilöissä (nyt {dn})",
    ),
    "directory.disabled": (
        "{name}'s directory account {dn} is disabled",
        "henkilön {name} hakemistotunnus {dn} on poistettu käytöstä",
    ),
    "directory.ambiguous": (
        "{name} ({key}) matches {count} directory entries",
        "{name} ({key}) vastaa {count} hakemiston merkintää",
    ),
    "directory.differs": (
        "{field} is {registry!r} here but {directory!r} in the directory ({dn})",
        "{field} on täällä {registry!r} mutta hakemistossa {directory!r} ({dn})",
    ),
    "directory.bad_phone": (
        "the directory's phone {value!r} is not a valid number ({dn})",
        "hakemiston puhelinnumero {value!r} ei ole kelvollinen ({dn})",
    ),
    "directory.bad_email": (
        "the directory's email {value!r} is not an address ({dn})",
        "hakemiston sähköpostiosoite {value!r} on virheellinen ({dn})",
    ),
    "directory.no_contact_left": (
        "{name} has no contact left in the directory (was: {contacts})",
        "kohteella {name} ei ole enää yhteyshenkilöä hakemistossa (oli: {contacts})",
    ),
    "directory.group_empty": (
        "directory group {name!r} has no active member",
        "hakemiston ryhmässä {name!r} ei ole aktiivisia jäseniä",
    ),
    "directory.clash": (
        "{name!r} is also a name in the registry ({other}); the registry's is kept, the group's left out",
        "{name!r} on myös rekisterissä ({other}); rekisterin kohde pidetään, ryhmän jätetään pois",
    ),
    # review
    "review.bad_age": (
        "Invalid age {value!r}: use e.g. 90d, 2w, 6m or 1y.",
        "Virheellinen ikä {value!r}: käytä esim. 90d, 2w, 6m tai 1y.",
    ),
    "review.never": ("never", "ei koskaan"),
    "review.none_due": (
        "Nothing is due: every entry was reviewed on or after {before}.",
        "Ei tarkistettavaa: kaikki kohteet on tarkistettu {before} tai myöhemmin.",
    ),
    "col.reviewed": ("Reviewed", "Tarkistettu"),
    "col.days_ago": ("Days ago", "Päiviä sitten"),
    # pick
    "pick.header": (
        "Type to search · Enter: choose · Esc: cancel",
        "Kirjoita hakusana · Enter: valitse · Esc: peru",
    ),
    "pick.no_terminal": (
        "The picker needs a terminal; in a script use 'kvlookup who QUERY' instead.",
        "Valitsin tarvitsee päätteen; käytä skriptissä komentoa 'kvlookup who HAKU'.",
    ),
    "pick.cancelled": ("Nothing chosen.", "Mitään ei valittu."),
    "pick.unavailable": (
        "The picker cannot run here ({reason}).",
        "Valitsin ei toimi tässä ({reason}).",
    ),
    "pick.copied": (
        "Copied {email} to the clipboard ({tool}).",
        "{email} kopioitiin leikepöydälle ({tool}).",
    ),
    "pick.no_clipboard": (
        "No clipboard tool found (clip, pbcopy, wl-copy, xclip or xsel); the email is printed instead.",
        "Leikepöytätyökalua ei löytynyt (clip, pbcopy, wl-copy, xclip tai xsel); sähköpostiosoite tulostettiin.",
    ),
    "pick.no_email": (
        "No email address is known for {name}.",
        "Kohteelle {name} ei ole tiedossa sähköpostiosoitetta.",
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
    "install_completion": "Asenna komentojen täydennys (TAB) nykyiselle komentotulkille.",
    "show_completion": "Näytä nykyisen komentotulkin täydennysskripti kopioitavaksi tai muokattavaksi.",
    "who": "Kuka hoitaa aiheen, hankkeen tai verkoston (esim. kvlookup who kuka hoitaa FEDARENEa)",
    "who.query": "Hakusanat suomeksi tai englanniksi.",
    "who.limit": "Näytä enintään N osumaa.",
    "who.on": "Päivä, jonka poissaolot huomioidaan (1.12.2026, 1.12. tai VVVV-KK-PP; oletus tänään).",
    "who.pick": "Jos osumia on useita, valitse yksi vuorovaikutteisella valitsimella.",
    "copy_email": (
        "Kopioi vastauksen ensimmäisen yhteyshenkilön sähköpostiosoite leikepöydälle "
        "vastauksen tulostamisen sijaan."
    ),
    "pick": "Valitse kohde tai henkilö vuorovaikutteisella sumealla haulla; esikatseluna show.",
    "pick.query": "Hakusanat, joilla haku alkaa.",
    "pick.kind": "Vain tämä tyyppi.",
    "pick.on": "Päivä, jonka poissaolot huomioidaan (1.12.2026, 1.12. tai VVVV-KK-PP; oletus tänään).",
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
    "export.where": "Vain rivit, jotka tämä suodatin pitää: kenttä:arvo-ehtoja (tyyppi, "
    "henkilö, haku), joiden kaikkien on pädettävä, ja 'tai' vaihtoehtojen välissä, esim. "
    "'tyyppi:hanke tai henkilö:koponen'.",
    "export.fields": (
        "Sarakkeet pilkuin eroteltuina ja järjestyksessä (csv, tsv, json, markdown). Pelkkä "
        "--fields listaa kentät. Oletus: id, kind, name, via_id, contact_id, contact, "
        "title_fi, title_en, phone, email. Lisäksi: organisation, via_name, aliases, "
        "description_fi, description_en."
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
    "set.add": "Lisää luettelokenttään (aliases, contacts) yksi arvo (voi toistaa).",
    "set.remove": "Poista luettelokentästä yksi arvo (voi toistaa).",
    "away": "Kirjaa poissaolo; 'who' näyttää silloin sijaisen ensin.",
    "away.person": "Henkilö: tunniste tai nimi.",
    "away.start": "Ensimmäinen poissaolopäivä (VVVV-KK-PP).",
    "away.end": "Viimeinen poissaolopäivä (VVVV-KK-PP).",
    "away.reason": "Syy, esim. loma.",
    "away.deputy": "Sijainen (asettaa henkilön sijaisen).",
    "edit": "Avaa rekisteri editorissa ($VISUAL/$EDITOR); tarkistetaan ennen tallennusta.",
    "edit.force": "Asenna kopio, johon jää alle puolet henkilöistä ja kohteista.",
    "import": "Tuo yhteystiedot verkkosivulta (tekstinä), CSV- tai vCard-tiedostosta.",
    "import.file": "Tuotava tiedosto.",
    "import.yes": "Kirjoita kysymättä (skripteille).",
    # directory and review
    "config": (
        "Asetustiedosto, joka nimeää hakemiston (oletus: $KVLOOKUP_CONFIG, muuten "
        "config.toml käyttäjän asetuskansiossa, jos se on olemassa)."
    ),
    "check.directory": (
        "Vertaa myös synkronoituun hakemistoon: puuttuvat ja käytöstä poistetut henkilöt, "
        "eroavat puhelinnumerot, sähköpostit ja nimikkeet, kohteet ilman yhteyshenkilöä."
    ),
    "sync": "Hae henkilöt ja ryhmät hakemistosta paikalliseksi kopioksi.",
    "review": "Listaa tarkistusta odottavat kohteet (reviewed = VVVV-KK-PP), vanhin ensin.",
    "review.older_than": "Erääntynyt, kun edellisestä tarkistuksesta on tätä kauemmin: 90d, 2w, 6m, 1y.",
}
