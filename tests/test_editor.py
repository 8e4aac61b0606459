"""kvlookup edit: a temporary copy in $EDITOR, installed only when it passes check."""

from __future__ import annotations

from pathlib import Path

import pytest

from kvlookup.editing import in_editor

from .conftest import Invoke

VALID = '\\n[people.zed]\\nname = "Zed Zulu"\\n'
BROKEN = '\\n[people.bad]\\nnaem = "Typo"\\n'


def editor(tmp_path: Path, body: str, name: str = "editor.sh") -> str:
    """A shell script standing in for the user's editor; $1 is the copy."""
    script = tmp_path / name
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def appends(tmp_path: Path, text: str) -> str:
    return editor(tmp_path, f"printf '{text}' >> \"$1\"")


def test_valid_edit_is_installed_with_a_backup(
    run: Invoke, registry_path: Path, tmp_path: Path, temp_dir: Path
) -> None:
    before = registry_path.read_bytes()
    result = run("edit", env={"EDITOR": appends(tmp_path, VALID)})
    assert result.exit_code == 0, result.stderr
    assert registry_path.read_bytes() == before + b'\n[people.zed]\nname = "Zed Zulu"\n'
    assert registry_path.with_name("contacts.toml.bak").read_bytes() == before
    assert list(temp_dir.iterdir()) == []  # the copy is gone


def test_broken_edit_is_not_installed_when_the_user_declines(
    run: Invoke, registry_path: Path, tmp_path: Path, temp_dir: Path
) -> None:
    before = registry_path.read_bytes()
    result = run("edit", env={"EDITOR": appends(tmp_path, BROKEN)}, input="n\n")
    assert result.exit_code == 2
    assert "people.bad.naem: unknown key 'naem'" in result.stderr
    assert "Re-open the editor to fix this?" in result.stderr
    assert "Not installed" in result.stderr
    assert registry_path.read_bytes() == before
    [copy] = temp_dir.iterdir()  # kept, and named, so no typing is lost
    assert str(copy) in result.stderr
    assert b"naem" in copy.read_bytes()


def test_no_terminal_does_not_loop(
    run: Invoke, registry_path: Path, tmp_path: Path, temp_dir: Path
) -> None:
    before = registry_path.read_bytes()
    result = run("edit", env={"EDITOR": appends(tmp_path, BROKEN)}, input="")
    assert result.exit_code == 2
    assert registry_path.read_bytes() == before


def test_reopened_and_fixed_edit_is_installed(
    run: Invoke, registry_path: Path, tmp_path: Path, temp_dir: Path
) -> None:
    # First round: a typo. Second round: the user fixes it.
    script = editor(
        tmp_path,
        f'if [ -e "{tmp_path}/opened" ]; then sed -i "s/naem/name/" "$1"; '
        f'else touch "{tmp_path}/opened"; printf \'{BROKEN}\' >> "$1"; fi',
    )
    result = run("edit", env={"EDITOR": script}, input="y\n")
    assert result.exit_code == 0, result.stderr
    assert "unknown key 'naem'" in result.stderr
    assert '[people.bad]\nname = "Typo"\n' in registry_path.read_text(encoding="utf-8")
    assert run("check").exit_code == 0


def test_unchanged_copy_writes_nothing(
    run: Invoke, registry_path: Path, tmp_path: Path, temp_dir: Path
) -> None:
    result = run("edit", env={"EDITOR": editor(tmp_path, "true")})
    assert result.exit_code == 0
    assert "Nothing to change" in result.stderr
    assert not registry_path.with_name("contacts.toml.bak").exists()
    assert list(temp_dir.iterdir()) == []


def test_editor_failure_installs_nothing(
    run: Invoke, registry_path: Path, tmp_path: Path, temp_dir: Path
) -> None:
    before = registry_path.read_bytes()
    script = editor(tmp_path, f"printf '{VALID}' >> \"$1\"; exit 1")
    result = run("edit", env={"EDITOR": script})
    assert result.exit_code == 2
    assert "exited with status 1" in result.stderr
    assert registry_path.read_bytes() == before


def test_missing_editor_is_a_clean_error(run: Invoke, tmp_path: Path, temp_dir: Path) -> None:
    result = run("edit", env={"EDITOR": str(tmp_path / "no-such-editor")})
    assert result.exit_code == 2
    assert "Cannot start the editor" in result.stderr and "Traceback" not in result.stderr


def test_registry_changed_while_editing(
    run: Invoke, registry_path: Path, tmp_path: Path, temp_dir: Path
) -> None:
    # A colleague's 'kvlookup add' lands while the editor is open.
    script = editor(
        tmp_path,
        f"printf '{VALID}' >> \"$1\"; printf '# colleague\\n' >> \"{registry_path}\"",
    )
    result = run("edit", env={"EDITOR": script})
    assert result.exit_code == 4
    assert "changed on disk while you were editing" in result.stderr
    assert registry_path.read_bytes().endswith(b"# colleague\n")
    assert "Zed" not in registry_path.read_text(encoding="utf-8")
    [copy] = temp_dir.iterdir()
    assert b"Zed Zulu" in copy.read_bytes()


def test_a_broken_registry_can_be_fixed_with_edit(
    run: Invoke, registry_path: Path, tmp_path: Path, temp_dir: Path
) -> None:
    registry_path.write_text('[people.a]\nname = "A"\nemial = "a@b.fi"\n', encoding="utf-8")
    script = editor(tmp_path, 'sed -i "s/emial/email/" "$1"')
    result = run("edit", env={"EDITOR": script})
    assert result.exit_code == 0, result.stderr
    assert run("check").exit_code == 0


def test_crlf_and_permissions_survive_edit(
    run: Invoke, registry_path: Path, tmp_path: Path, temp_dir: Path
) -> None:
    registry_path.write_bytes(b'[people.a]\r\nname = "A"\r\n')
    registry_path.chmod(0o640)
    script = editor(tmp_path, 'printf \'title = "x"\\r\\n\' >> "$1"')
    assert run("edit", env={"EDITOR": script}).exit_code == 0
    assert registry_path.read_bytes() == b'[people.a]\r\nname = "A"\r\ntitle = "x"\r\n'
    assert registry_path.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize(
    ("environ", "command"),
    [
        ({"VISUAL": "code --wait", "EDITOR": "nano"}, ["code", "--wait"]),
        ({"EDITOR": "nano"}, ["nano"]),
        ({"VISUAL": "", "EDITOR": ""}, ["vi"]),
        ({"VISUAL": "  "}, ["vi"]),
    ],
)
def test_editor_choice(environ: dict[str, str], command: list[str]) -> None:
    assert in_editor.editor_command(environ) == command


def test_failed_write_keeps_the_edited_copy(
    run: Invoke,
    registry_path: Path,
    tmp_path: Path,
    temp_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kvlookup.editing import store
    from kvlookup.errors import WriteError

    def refuse(*args: object, **kwargs: object) -> None:
        raise WriteError("edit.layout", path=registry_path, detail="disk full")

    monkeypatch.setattr(store, "commit", refuse)
    before = registry_path.read_bytes()
    result = run("edit", env={"EDITOR": appends(tmp_path, VALID)})
    assert result.exit_code == 3
    assert registry_path.read_bytes() == before
    [copy] = temp_dir.iterdir()
    assert str(copy) in result.stderr
    assert b"Zed Zulu" in copy.read_bytes()


# --- an editor that misbehaves (issue 11, item 14) -------------------------------------


def test_an_editor_that_deletes_its_copy_is_a_clean_error(
    run: Invoke, registry_path: Path, tmp_path: Path, temp_dir: Path
) -> None:
    before = registry_path.read_bytes()
    result = run("edit", env={"EDITOR": editor(tmp_path, 'rm "$1"')})
    assert result.exit_code == 2
    assert "The editor removed the copy" in result.stderr and "nothing installed" in result.stderr
    assert isinstance(result.exception, SystemExit)  # not a FileNotFoundError
    assert registry_path.read_bytes() == before


def test_an_editor_that_leaves_a_folder_is_a_clean_error_and_the_folder_goes(
    run: Invoke, registry_path: Path, tmp_path: Path, temp_dir: Path
) -> None:
    before = registry_path.read_bytes()
    result = run("edit", env={"EDITOR": editor(tmp_path, 'rm "$1"; mkdir "$1"')})
    assert result.exit_code == 2
    assert "Cannot read the edited copy" in result.stderr
    assert isinstance(result.exception, SystemExit)
    assert registry_path.read_bytes() == before
    assert list(temp_dir.iterdir()) == []


@pytest.mark.parametrize("variable", ["EDITOR", "VISUAL"])
def test_an_unparsable_editor_command_is_a_clean_error(
    run: Invoke, registry_path: Path, temp_dir: Path, variable: str
) -> None:
    result = run("edit", env={variable: 'vi "'})
    assert result.exit_code == 2
    assert "Cannot read the editor command 'vi \"'" in result.stderr
    assert "Fix $VISUAL or $EDITOR" in result.stderr
    assert isinstance(result.exception, SystemExit)
    assert list(temp_dir.iterdir()) == []  # no copy was made


def test_an_editor_that_fails_after_typing_keeps_the_copy(
    run: Invoke, registry_path: Path, tmp_path: Path, temp_dir: Path
) -> None:
    before = registry_path.read_bytes()
    script = editor(tmp_path, f"printf '{VALID}' >> \"$1\"; exit 1")
    result = run("edit", env={"EDITOR": script})
    assert result.exit_code == 2
    assert "exited with status 1; nothing installed" in result.stderr
    assert registry_path.read_bytes() == before
    [copy] = temp_dir.iterdir()
    assert f"Your edited copy is kept in {copy}" in result.stderr
    assert b"Zed Zulu" in copy.read_bytes()


def test_an_editor_that_fails_without_typing_leaves_no_copy(
    run: Invoke, tmp_path: Path, temp_dir: Path
) -> None:
    result = run("edit", env={"EDITOR": editor(tmp_path, "exit 3")})
    assert result.exit_code == 2
    assert "exited with status 3" in result.stderr and "kept" not in result.stderr
    assert list(temp_dir.iterdir()) == []


def test_a_lock_held_too_long_is_not_called_a_change_on_disk(
    run: Invoke,
    registry_path: Path,
    tmp_path: Path,
    temp_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kvlookup.editing import store

    monkeypatch.setattr(store, "LOCK_TIMEOUT", 0.2)
    with store.locked(registry_path):
        result = run("edit", env={"EDITOR": appends(tmp_path, VALID)})
    assert result.exit_code == 4
    assert "could not be saved" in result.stderr
    assert "changed on disk" not in result.stderr
    [copy] = temp_dir.iterdir()
    assert str(copy) in result.stderr and b"Zed Zulu" in copy.read_bytes()


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (
            r'"C:\Program Files\Notepad++\notepad++.exe" -multiInst',
            [
                r"C:\Program Files\Notepad++\notepad++.exe",
                "-multiInst",
            ],
        ),
        (r"C:\Windows\notepad.exe", [r"C:\Windows\notepad.exe"]),
    ],
)
def test_windows_editor_paths_keep_their_backslashes(command: str, words: list[str]) -> None:
    assert in_editor.editor_command({"EDITOR": command}, windows=True) == words
