"""A throwaway OpenLDAP slapd for tests and benchmarks: config, TLS, start, load, stop.

Debian's `slapd` and `ldap-utils` packages provide the binaries (`.ci/run` installs them).
Everything lives in one temporary folder; the server listens on free localhost ports and
is stopped by its own process id.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

SUFFIX = "dc=keskisuomi,dc=fi"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "Sal4sana-testi"
# The reader kvlookup binds as: it may read people and groups, nothing else.
READER_DN = f"cn=kvlookup,ou=services,{SUFFIX}"
READER_PASSWORD = "lukija-Pw-9"
# An account that may read only 3 entries per search, to show a truncated sync is refused.
LIMITED_DN = f"cn=limited,ou=services,{SUFFIX}"
LIMITED_PASSWORD = "rajattu-Pw-3"

# Debian puts the modules here; other systems use /usr/lib/openldap or /usr/libexec.
MODULE_DIRS = ("/usr/lib/ldap", "/usr/lib/openldap", "/usr/lib64/openldap", "/usr/libexec/openldap")
SCHEMA_DIRS = ("/etc/ldap/schema", "/etc/openldap/schema")
SBIN = ("/usr/sbin", "/usr/local/sbin", "/usr/libexec")


def find_binary(name: str) -> str | None:
    """A binary on PATH or in the sbin folders (root's PATH is not everyone's)."""
    found = shutil.which(name)
    if found:
        return found
    return next((f"{d}/{name}" for d in SBIN if os.access(f"{d}/{name}", os.X_OK)), None)


def missing() -> str | None:
    """Why a slapd cannot be started here, or None when everything needed is installed."""
    for name in ("slapd", "ldapadd", "openssl"):
        if find_binary(name) is None:
            return f"{name} is not installed (apt-get install slapd ldap-utils openssl)"
    if _first_dir(MODULE_DIRS, "memberof.so") is None:
        return "the slapd memberof module is not installed"
    if _first_dir(SCHEMA_DIRS, "inetorgperson.schema") is None:
        return "the OpenLDAP schema files are not installed"
    return None


def _first_dir(dirs: tuple[str, ...], file: str) -> str | None:
    return next((d for d in dirs if os.path.exists(f"{d}/{file}")), None)


def free_port() -> int:
    """A localhost TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_tls(folder: Path) -> tuple[Path, Path, Path]:
    """A self-signed CA and a server certificate for localhost/127.0.0.1: (ca, cert, key)."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key, ca, key, csr, cert = (
        folder / n for n in ("ca.key", "ca.pem", "server.key", "server.csr", "server.pem")
    )
    ext = folder / "san.cnf"
    ext.write_text("subjectAltName = DNS:localhost, IP:127.0.0.1\n", encoding="utf-8")

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-keyout", str(ca_key), "-out", str(ca), "-subj", "/CN=kvlookup test CA",
    )  # fmt: skip
    openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(csr),
        "-subj", "/CN=localhost",
    )  # fmt: skip
    openssl(
        "x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key),
        "-CAcreateserial", "-out", str(cert), "-days", "2", "-extfile", str(ext),
    )  # fmt: skip
    return ca, cert, key


class Slapd:
    """One slapd process serving SUFFIX from a folder, with plain LDAP and LDAPS ports."""

    def __init__(self, folder: Path, *, maxsize: int = 1 << 30) -> None:
        self.folder = folder
        self.port = free_port()
        self.tls_port = free_port()
        self.maxsize = maxsize
        self.process: subprocess.Popen[bytes] | None = None
        self.ca, self.cert, self.key = make_tls(folder / "tls")

    @property
    def url(self) -> str:
        """Plain LDAP (StartTLS works on it too).

        By name, not address: the certificate names both, but ldap3 checks names itself,
        and on Python 3.12+ (no ssl.match_hostname) its fallback knows no IP addresses.
        """
        return f"ldap://localhost:{self.port}"

    @property
    def tls_url(self) -> str:
        """LDAP over TLS from the first byte."""
        return f"ldaps://localhost:{self.tls_port}"

    @property
    def listen(self) -> str:
        """Where slapd listens: the loopback address only, both ports."""
        return f"ldap://127.0.0.1:{self.port}/ ldaps://127.0.0.1:{self.tls_port}/"

    def write_config(self) -> Path:
        """slapd.conf: the schemas, back_mdb, the memberof overlay, TLS and access rules."""
        schema = _first_dir(SCHEMA_DIRS, "core.schema")
        modules = _first_dir(MODULE_DIRS, "memberof.so")
        db = self.folder / "db"
        db.mkdir(exist_ok=True)
        conf = self.folder / "slapd.conf"
        conf.write_text(
            f"""
include {schema}/core.schema
include {schema}/cosine.schema
include {schema}/inetorgperson.schema
modulepath {modules}
moduleload back_mdb
moduleload memberof
pidfile {self.folder}/slapd.pid
TLSCACertificateFile {self.ca}
TLSCertificateFile {self.cert}
TLSCertificateKeyFile {self.key}
database mdb
suffix "{SUFFIX}"
rootdn "{ADMIN_DN}"
rootpw {ADMIN_PASSWORD}
directory {db}
maxsize {self.maxsize}
overlay memberof
# slapd's default limit is 500 entries a search, paged or not; kvlookup's reader needs all.
limits dn.exact="{READER_DN}" size=unlimited size.prtotal=unlimited
limits dn.exact="{LIMITED_DN}" size=3
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by * none
""",
            encoding="utf-8",
        )
        return conf

    def start(self) -> None:
        """Start slapd in the foreground of its own process and wait until it answers."""
        conf = self.write_config()
        slapd = find_binary("slapd")
        assert slapd is not None
        log = (self.folder / "slapd.log").open("wb")
        # -d 0: stay in the foreground (so we own the process id) with no debug output.
        self.process = subprocess.Popen(
            [slapd, "-f", str(conf), "-h", self.listen, "-d", "0"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"slapd exited: {(self.folder / 'slapd.log').read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("slapd did not start listening within 20 s")

    def stop(self) -> None:
        """Stop this slapd (its own process id only) and wait for it."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def load(self, ldif: Path | str) -> None:
        """Add the entries of an LDIF file online, so the memberof overlay fills memberOf."""
        path = Path(ldif)
        subprocess.run(
            [
                find_binary("ldapadd") or "ldapadd",
                "-x",
                "-H",
                f"ldap://127.0.0.1:{self.port}",
                "-D",
                ADMIN_DN,
                "-w",
                ADMIN_PASSWORD,
                "-f",
                str(path),
            ],
            check=True,
            capture_output=True,
        )
