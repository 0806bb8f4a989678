#!/usr/bin/env bash
# Lighthouse (npm, pinned) against Debian's Chromium, mobile preset (Lighthouse's default:
# a mid-range phone, simulated slow 4G), median of 3 runs, for home, client page (the card)
# and the capture screen, signed in as worker1 on the demo served by gunicorn.
#   bench/lighthouse.sh            (CHROME_PATH defaults to /usr/bin/chromium)
#   PAGES="capture" RUNS=1 KEEP=/tmp/lh bench/lighthouse.sh   (some pages, fewer runs, keep JSON)
set -euo pipefail
cd "$(dirname "$0")/.."
LIGHTHOUSE_VERSION=13.5.0
TOOLS=${LIGHTHOUSE_DIR:-$HOME/.cache/companion-lighthouse}
LIGHTHOUSE="$TOOLS/node_modules/.bin/lighthouse"
if [ ! -x "$LIGHTHOUSE" ] || ! "$LIGHTHOUSE" --version | grep -qx "$LIGHTHOUSE_VERSION"; then
  npm install --silent --no-audit --no-fund --prefix "$TOOLS" "lighthouse@$LIGHTHOUSE_VERSION"
fi
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
PY=.venv/bin/python
WORK=$(mktemp -d)
SERVER=""
PAGES=${PAGES:-home client capture}
RUNS=${RUNS:-3}
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
  if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp "$WORK"/*.json "$KEEP"/ 2>/dev/null; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

export COMPANION_DEMO=1 COMPANION_DEMO_PASSWORD="bench password 1"
export DATABASE_URL="sqlite:///$WORK/lighthouse.sqlite"
.venv/bin/flask --app wsgi db upgrade >/dev/null 2>&1
.venv/bin/flask --app wsgi seed-demo >/dev/null
PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
.venv/bin/gunicorn -w 2 --threads 4 --no-control-socket -b "127.0.0.1:$PORT" wsgi:app \
  2>"$WORK/gunicorn.log" &
SERVER=$!
for _ in $(seq 100); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done

JAR="$WORK/cookies"
TOKEN=$(curl -s -c "$JAR" "$BASE/login" | sed -n 's/.*name="csrf_token"[^>]*value="\([^"]*\)".*/\1/p' | head -1)
curl -s -b "$JAR" -c "$JAR" -o /dev/null --data-urlencode "csrf_token=$TOKEN" \
  --data-urlencode "username=worker1" --data-urlencode "password=$COMPANION_DEMO_PASSWORD" "$BASE/login"
CLIENT=$(curl -s -b "$JAR" -c "$JAR" "$BASE/" | grep -o 'href="/clients/[0-9]*"' | head -1 | cut -d'"' -f2)
COOKIE=$(awk '$6 == "session" { print $6 "=" $7 }' "$JAR")

for name in $PAGES; do
  case $name in home) path=/ ;; client) path=$CLIENT ;; capture) path=$CLIENT/capture ;; esac
  for run in $(seq "$RUNS"); do
    "$LIGHTHOUSE" "$BASE$path" --quiet --output=json --output-path="$WORK/$name-$run.json" \
      --only-categories=performance,accessibility \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
      --extra-headers="{\"Cookie\": \"$COOKIE\"}"
  done
done

$PY - "$WORK" "$RUNS" $PAGES <<'PYTHON'
import json, os, statistics, sys
from pathlib import Path

work, count, pages = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
print(f"{'page':<8} {'performance':>11} {'accessibility':>13} {'CLS':>6} {'LCP s':>6} "
      f"{'TBT ms':>6} {'bytes':>7}   (median of {count}; goals >= 95, 100, 0)")
for name in pages:
    runs = [json.loads((work / f"{name}-{n}.json").read_text()) for n in range(1, count + 1)]
    def median(pick):
        return statistics.median(pick(r) for r in runs)
    audits = lambda r: r["audits"]
    print(f"{name:<8} "
          f"{median(lambda r: r['categories']['performance']['score'] * 100):>11.0f} "
          f"{median(lambda r: r['categories']['accessibility']['score'] * 100):>13.0f} "
          f"{median(lambda r: audits(r)['cumulative-layout-shift']['numericValue']):>6.3f} "
          f"{median(lambda r: audits(r)['largest-contentful-paint']['numericValue'] / 1000):>6.2f} "
          f"{median(lambda r: audits(r)['total-blocking-time']['numericValue']):>6.0f} "
          f"{median(lambda r: audits(r)['total-byte-weight']['numericValue']):>7.0f}")
PYTHON
