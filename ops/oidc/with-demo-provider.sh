#!/usr/bin/env bash
# `make demo` runs the demo through this script. With GOROD_DEMO_OIDC=1 (and node + npm on the
# machine) it also starts the test OpenID provider of ops/oidc on http://127.0.0.1:9090 and offers
# it on the sign-in page as a second way in ("City ID (demo)": any login and password; ivan, olga,
# anna and boris carry claims, see accounts.json). Without it, the demo runs as before.
# The provider is plain HTTP on 127.0.0.1: gorod refuses such an issuer when debug is off.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

if [ "${GOROD_DEMO_OIDC:-0}" != "1" ] || [ -n "${GOROD_OIDC_PROVIDERS:-}" ]; then
  [ -z "${GOROD_OIDC_PROVIDERS:-}" ] && echo "Tip: GOROD_DEMO_OIDC=1 make demo also offers sign-in with a test city identity provider."
  exec "$@"
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "GOROD_DEMO_OIDC=1 needs node and npm (apt-get install nodejs npm); running the demo without it."
  exec "$@"
fi
if [ ! -d "$here/node_modules/oidc-provider" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
port="${GOROD_DEMO_OIDC_PORT:-9090}"
addr="${GOROD_DEMO_ADDR:-127.0.0.1:8000}"
export OIDC_PORT="$port"
export OIDC_CLIENTS="[{\"client_id\":\"gorod-demo\",\"client_secret\":\"gorod-demo-secret\",\"redirect_uris\":[\"http://$addr/accounts/oidc/demo/callback/\"],\"post_logout_redirect_uris\":[\"http://$addr/\"]}]"
node "$here/provider.js" &
provider=$!
trap 'kill "$provider" 2>/dev/null || true' EXIT INT TERM
# wait until it answers (with the demo's own python: nothing else to install)
"$1" - "$port" <<'PY'
import sys, time, urllib.request
for _ in range(100):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/.well-known/openid-configuration", timeout=1)
        break
    except OSError:
        time.sleep(0.2)
PY
export GOROD_OIDC_PROVIDERS=demo
export GOROD_OIDC_DEMO_ISSUER="http://127.0.0.1:$port"
export GOROD_OIDC_DEMO_CLIENT_ID=gorod-demo
export GOROD_OIDC_DEMO_CLIENT_SECRET=gorod-demo-secret
export GOROD_OIDC_DEMO_LABEL="City ID (demo)"
export GOROD_OIDC_DEMO_SCOPES="openid profile email trusted"
export GOROD_OIDC_DEMO_LEVELS="trusted=true:full,email_verified=true:standard"
echo "Test identity provider at http://127.0.0.1:$port (any login; try ivan for a full account)"
"$@"
