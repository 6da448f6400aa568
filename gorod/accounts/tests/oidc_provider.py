"""A real OpenID provider for the tests: panva's certified ``oidc-provider`` (npm) with the small
configuration in ops/oidc, run with node on a free port of 127.0.0.1.

Its packages come from ops/oidc/node_modules when present, else from ``npm ci`` into a cache
folder keyed by the lockfile (installed once per machine; a file lock keeps parallel test workers
from installing it twice). Without node and npm the tests that need it skip, saying why.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import requests
import time_machine

ROOT = Path(__file__).resolve().parents[3]
OPS = ROOT / "ops" / "oidc"
CLIENT_ID = "gorod-test"
CLIENT_SECRET = "gorod-test-secret-" + "x" * 20
# claim=value:level rules for the test provider: its "trusted" flag is the state identity
# system's confirmation (full), a verified e-mail makes a standard account.
LEVELS = "trusted=true:full,email_verified=true:standard"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def provider_dir() -> Path:
    """Where provider.js runs with its node_modules."""
    if (OPS / "node_modules" / "oidc-provider").is_dir():
        return OPS
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed: cannot install the test OpenID provider (make system-deps)")
    lock = (OPS / "package-lock.json").read_bytes()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = cache / "gorod" / f"oidc-provider-{hashlib.sha256(lock).hexdigest()[:16]}"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        for name in ("package.json", "package-lock.json", "provider.js", "accounts.json"):
            shutil.copyfile(OPS / name, folder / name)
        if not (folder / "node_modules" / "oidc-provider").is_dir():
            done = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=folder,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            if done.returncode != 0:
                pytest.fail(f"npm ci for the test OpenID provider failed:\n{done.stderr[-2000:]}")
    return folder


@contextlib.contextmanager
def running_provider(
    *, redirect_base: str, provider_name: str = "test", id_token_ttl: int = 600
) -> Iterator[str]:
    """Start the provider with one client whose redirect URIs are under ``redirect_base`` (the
    gorod under test); yield its issuer URL; stop it."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the test OpenID provider cannot run (make system-deps)")
    folder = provider_dir()
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}"
    clients = [
        {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [f"{redirect_base}/accounts/oidc/{provider_name}/callback/"],
            "post_logout_redirect_uris": [f"{redirect_base}/"],
        }
    ]
    env = {
        **os.environ,
        "OIDC_PORT": str(port),
        "OIDC_CLIENTS": json.dumps(clients),
        "OIDC_ID_TOKEN_TTL": str(id_token_ttl),
    }
    log = open(folder / f"provider-{port}.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [node, "provider.js"], cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                output = (folder / f"provider-{port}.log").read_text(errors="replace")
                pytest.fail(f"the test OpenID provider did not start:\n{output[-2000:]}")
            time.sleep(0.1)
        yield issuer
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        (folder / f"provider-{port}.log").unlink(missing_ok=True)


def provider_settings(issuer: str, **overrides: str) -> dict[str, dict[str, str]]:
    return {
        "test": {
            "issuer": issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "label": "City ID (test)",
            "scopes": "openid profile email trusted",
            "levels": LEVELS,
            **overrides,
        }
    }


_FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', re.S)


def _form(html: str) -> tuple[str, str]:
    found = _FORM.search(html)
    assert found, f"no form on the provider's page:\n{html[:2000]}"
    return found.group(1).replace("&amp;", "&"), found.group(2)


def through_provider(browser: requests.Session, url: str, *, login: str, stop_at: str) -> str:
    """Follow the provider's pages as a browser would: its sign-in form (any password), its consent
    form, until it redirects to ``stop_at`` (gorod); return that URL."""
    for _ in range(20):
        if url.startswith(stop_at):
            return url
        response = browser.get(url, allow_redirects=False, timeout=10)
        while response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            if url.startswith(stop_at):
                return url
            response = browser.get(url, allow_redirects=False, timeout=10)
        assert response.status_code == 200, (response.status_code, response.text[:1000])
        action, body = _form(response.text)
        fields: dict[str, Any]
        if 'name="login"' in body:
            fields = {"prompt": "login", "login": login, "password": "any"}
        elif 'value="consent"' in body:
            fields = {"prompt": "consent"}
        else:
            raise AssertionError(f"unexpected provider page:\n{response.text[:2000]}")
        posted = browser.post(urljoin(url, action), data=fields, allow_redirects=False, timeout=10)
        assert posted.is_redirect, (posted.status_code, posted.text[:1000])
        url = urljoin(url, posted.headers["Location"])
    raise AssertionError("the provider never sent the browser back")


def local_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


@contextlib.contextmanager
def at_real_time() -> Iterator[None]:
    """gorod at the real time while it talks to the provider: the provider is a node process on
    the real clock and gorod checks its tokens' iat and exp, so a test at the suite's random
    instant (tests/clock.py) would see every token issued in the future or long expired."""
    real = dt.datetime.fromtimestamp(time_machine.escape_hatch.time.time(), tz=dt.UTC)
    with time_machine.travel(real, tick=True):
        yield
