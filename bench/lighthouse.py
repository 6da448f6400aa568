"""Lighthouse scores of the main pages, signed out and signed in, with mobile emulation.

Runs the Lighthouse npm package (installed by this script under bench/lighthouse/, version pinned
in its package.json and package-lock.json) against a running gorod, driving Debian's chromium
(CHROME_PATH). Signed-in pages get the session cookie of a real sign-in through the form.

    make demo                                   # in another terminal (or any running gorod)
    .venv/bin/python bench/lighthouse.py        # http://127.0.0.1:8000, demo resident anna
    .venv/bin/python bench/lighthouse.py --base-url http://127.0.0.1:8010 --user anna --json out.json

On a machine without internet, run the demo with ``GOROD_MAP_TILES=`` (maps without their
tile layer): each map tile that cannot be fetched is logged as a console error, which costs the
best-practices score of every page with a map though nothing is wrong with the page.

Targets (issue 23): accessibility 100, best practices >= 95, SEO >= 95, performance >= 90. The
exit status is 1 when a page misses a target, so the script can gate a release.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).parent / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 90, "accessibility": 100, "best-practices": 95, "seo": 95}
SIGNED_OUT = ["/", "/voting/", "/points/how/", "/problems/", "/rewards/", "/news/", "/missions/"]
SIGNED_IN = ["/", "/voting/", "{poll}", "/points/", "/housing/", "/notifications/", "/rewards/"]


def lighthouse_bin() -> Path:
    binary = HERE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)
    return binary


def sign_in(base_url: str, user: str, password: str) -> str:
    """The Cookie header of a session signed in through the real form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    url = f"{base_url}/accounts/sign-in/"
    page = opener.open(url).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        raise SystemExit("no CSRF token on the sign-in page")
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": user, "password": password}
    )
    request = urllib.request.Request(url, data=data.encode(), headers={"Referer": url})
    opener.open(request).read()
    if not any(cookie.name == "sessionid" for cookie in jar):
        raise SystemExit(f"could not sign in as {user}")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def first_poll(base_url: str, cookie: str) -> str:
    request = urllib.request.Request(f"{base_url}/voting/", headers={"Cookie": cookie})
    found = re.search(r'href="(/voting/polls/\d+/)"', urllib.request.urlopen(request).read().decode())
    return found.group(1) if found else "/voting/"


def scores(binary: Path, url: str, cookie: str | None) -> tuple[dict[str, int], list[str]]:
    """The category scores and the titles of the audits that failed (score below 1)."""
    command = [
        str(binary),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
    ]
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH") or shutil.which("chromium") or ""}
    report = json.loads(subprocess.run(command, capture_output=True, check=True, env=env, text=True).stdout)
    got = {name: round((report["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}
    failed = []
    for name in CATEGORIES[1:]:  # performance audits are measurements, not pass/fail
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                failed.append(f"{name}: {audit['title']}")
    return got, failed


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="anna")
    parser.add_argument("--password", default="gorod-demo-2026")
    parser.add_argument("--json", help="also write the scores to this file")
    parser.add_argument("--only", help="run only the pages whose path contains this text")
    parser.add_argument("--audits", action="store_true", help="list the failed audits under each page")
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    binary = lighthouse_bin()
    cookie = sign_in(base, args.user, args.password)
    runs = [("signed out", path, None) for path in SIGNED_OUT]
    poll = first_poll(base, cookie)
    runs += [("signed in", path.format(poll=poll), cookie) for path in SIGNED_IN]
    if args.only:
        runs = [run for run in runs if args.only in run[1]]
    header = f"{'who':<11} {'page':<22} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5}"
    print(header)
    print("-" * len(header))
    results, missed = [], 0
    for who, path, session in runs:
        got, failed = scores(binary, base + path, session)
        results.append({"who": who, "page": path, **got})
        short = [got[name] for name in CATEGORIES]
        flag = "" if all(got[name] >= TARGETS[name] for name in CATEGORIES) else "  below target"
        missed += bool(flag)
        print(
            f"{who:<11} {path:<22} {short[0]:>5} {short[1]:>5} {short[2]:>5} {short[3]:>5}{flag}", flush=True
        )
        if args.audits:
            for line in failed:
                print(f"    {line}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
