#!/usr/bin/env bash
# Dora / data·inclusion part of the demo (run by ../../demo.sh with HUB, PORT and PASSWORD set, the hub running):
# installs the Dora double (data·inclusion's API v1 and its consumer, port 8585) and the connector, pulls the
# directory of the Aisne from the double (each invalid item rejected alone, with its field and rule), shows a few
# services near Saint-Quentin through the department API, then publishes the department's offer
# (offre-exemple.json) and has the double's consumer pull the feed and check Dora's import CSV, as data·inclusion
# and Dora's administrators would.
set -euo pipefail
cd "$(dirname "$0")"
: "${HUB:?the hub's folder (run/hub)}" "${PORT:?the hub's HTTP port}" "${PASSWORD:?the admin password}"
case "$HUB" in /*) ;; *) HUB="../../$HUB" ;; esac
DOUBLE=${DORA_DOUBLE_PORT:-8585}
BASE="http://127.0.0.1:$PORT"
say() { printf '\n== %s\n' "$*"; }
# DEMO ONLY: the double's fixed token with the api scope (README: it only opens the double, signed with its default
# secret) and a read token for the feed. Real tokens go in encrypted (hub:encrypt-secret), never in a script.
API_TOKEN='eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhaXNuZS1odWIiLCJzY29wZXMiOlsiYXBpIl0sImNyZWF0ZWRfYXQiOiIyMDI2LTAxLTA1VDA5OjAwOjAwKzAxOjAwIn0.9jBNaePZ4K8xN0m-I_2BJjbGfTLe9M2BaSNJA5ZEyQI'
FEED_TOKEN='demo-dora-feed-read-token'

# shell and settings: demo.sh's functions
declare -F shell settings >/dev/null || { echo "run by demo.sh (it exports the functions shell and settings)" >&2; exit 2; }
export BASE PASSWORD DOUBLE FEED_TOKEN

say "Dora / data·inclusion: the double (API v1 over fixtures of the Aisne, and data·inclusion's consumer) and the connector"
# the double's consumer pulls the hub's feed with the read token; written before the features (they keep a file
# that exists)
settings "$HUB/etc/hub.double.dora.cfg" -- http.port "$DOUBLE" consumer.feedBaseUrl "$BASE/hub/feed/dora" consumer.token "$FEED_TOKEN"
DEFAULTS=$(ls "$HUB"/system/fr/aisne/hub/hub-connector-dora/*/*-settings.cfg | head -1)
settings "$HUB/etc/hub.connector.dora.cfg" "$DEFAULTS" -- api.url "http://127.0.0.1:$DOUBLE/api/v1" \
  api.token "$API_TOKEN" feed.token "$FEED_TOKEN" directory.pullOnStart false
sleep 2
shell "feature:install hub-double-dora hub-connector-dora"
# the connector's health entry is shown to a reader only (admin here); without credentials /hub/health is UP/DOWN
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$DOUBLE/double/stats" >/dev/null 2>&1 \
    && curl -s -u "admin:$PASSWORD" "$BASE/hub/health" | grep -q '"connector:dora":{"status":"UP"' && break
  sleep 1
done

python3 - "$(pwd)/offre-exemple.json" <<'PY'
import base64, json, os, sys, time, urllib.request
base, double = os.environ["BASE"], "http://127.0.0.1:" + os.environ["DOUBLE"]
auth = "Basic " + base64.b64encode(("admin:" + os.environ["PASSWORD"]).encode()).decode()
def call(url, body=None, headers=None, raw=False):
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method="GET" if body is None else "POST",
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, (r.read() if raw else json.load(r))
    except urllib.error.HTTPError as e:
        return e.code, (e.read() if raw else json.load(e))
hub = lambda path, body=None, **h: call(base + path, body, {"Authorization": auth, **h})

# 1. the directory
status, started = hub("/hub/api/dora/directory/pull", b"")
run = started.get("run")
print("  pull %s started (%d): structures and services of the Aisne, pages of 1000, through the hub's journal" % (run, status))
report = None
for _ in range(120):
    pulls = hub("/hub/api/dora/directory")[1].get("pulls", [])
    report = next((p for p in pulls if p["run"] == run), None)
    if report and report["status"] in ("COMPLETED", "FAILED"):
        break
    time.sleep(1)
if not report or report["status"] != "COMPLETED":
    print("  the pull did not complete: %s" % (report or started)); sys.exit(1)
for kind in ("structures", "services"):
    c = report[kind]
    print("  %-10s received %3d, new %3d, changed %d, unchanged %3d, rejected %d" % (kind, c["received"], c["inserted"],
          c["updated"], c["unchanged"], c["rejected"]))
print("  %d rows written in %s s" % (report["writes"], report["seconds"]))
print("  rejected alone (their pages delivered), as the double's fixtures expect:")
for r in report["rejected"]:
    e = r["errors"][0]
    print("    %-8s %-50s %s: %s%s" % (r["kind"], r["id"], e["field"], e["rule"], " (+%d)" % (len(r["errors"]) - 1) if len(r["errors"]) > 1 else ""))

print("\n  The department's query, GET /hub/api/departement/services?code_commune=02691 (Saint-Quentin, nearest first):")
page = hub("/hub/api/departement/services?code_commune=02691&size=6")[1]
for s in page["items"]:
    print("    %-10s %-58s %s, %s" % (s.get("proximite"), s["nom"][:58], (s.get("structure") or {}).get("nom", "")[:48], s.get("commune") or "à distance"))
print("    (%d services in all)" % page["total"])
page = hub("/hub/api/departement/services?code_commune=02691&thematique=mobilite")[1]
print("  ... &thematique=mobilite: %d services, e.g. %s" % (page["total"], "; ".join("%s (%s)" % (s["nom"],
      (s.get("structure") or {}).get("nom", "")) for s in page["items"][:3])))
page = hub("/hub/api/departement/services?code_commune=02408&public=jeunes&frais=gratuit&size=3")[1]
print("  ... code_commune=02408&public=jeunes&frais=gratuit (Laon): %d services, e.g. %s" % (page["total"],
      "; ".join(s["nom"] for s in page["items"])))

# 2. the department's offer
offer = open(sys.argv[1], encoding="utf-8").read().encode()
status, answer = hub("/hub/in/departement/offre", offer, **{"X-Message-Id": "demo-offre-%d" % time.time()})
print("\n  The department's offer (offre-exemple.json) posted to /hub/in/departement/offre: %d %s" % (status, answer.get("outcome")))
xid = answer.get("exchangeId")
for _ in range(60):
    m = hub("/hub/api/messages/%s" % xid)[1]
    if m.get("state") in ("DELIVERED", "QUARANTINED"):
        break
    time.sleep(1)
reasons = [h.get("reason") for h in m.get("history") or [] if h.get("reason")]
print("  %s: %s" % (m.get("state"), (reasons[-1] if reasons else m.get("lastReason") or "")[:160]))
bad = offer.decode().replace('"siret": "99900201000018"', '"siret": "1234"', 1).encode()
status, answer = hub("/hub/in/departement/offre", bad, **{"X-Message-Id": "demo-offre-bad-%d" % time.time()})
print("  the same with a SIRET of 4 digits: %d %s" % (status, (answer.get("reason") or answer.get("error") or "")[:160]))

status, pulled = call(double + "/double/consumer/pull", b"")
print("\n  data·inclusion (the double's consumer) pulls the feed %s/hub/feed/dora with the read token: %s" % (base, pulled["status"]))
for kind in ("structures", "services"):
    c = pulled[kind]
    print("    %-10s received %d, accepted %d, rejected %d" % (kind, c["received"], c["accepted"], c["rejected"]))
status, csv = call(base + "/hub/feed/dora/offre.csv", headers={"Authorization": "Bearer " + os.environ["FEED_TOKEN"]}, raw=True)
status, checked = call(double + "/double/consumer/csv", csv, {"Content-Type": "text/csv"})
print("  Dora's import CSV (/hub/feed/dora/offre.csv, %d bytes, %d rows) checked by the double: services accepted %d, rejected %d"
      % (len(csv), checked.get("rows", 0), checked["services"]["accepted"], checked["services"]["rejected"]))
if m.get("state") != "DELIVERED" or pulled["status"] != "COMPLETED" or checked["services"]["rejected"]:
    print("  the offer did not go through as it should (see above)"); sys.exit(1)
PY
echo "  Dora connector: $(curl -s -u "admin:$PASSWORD" "$BASE/hub/api/connectors" | python3 -c 'import json,sys; print(next((c.get("detail") or "" for c in json.load(sys.stdin) if c["id"]=="dora"), ""))')"
