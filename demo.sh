#!/usr/bin/env bash
# Builds the hub, starts it with its embedded broker and database, installs the echo partner double and
# the reference connector, and runs one real exchange end to end; installs the CAF and France Travail doubles
# and connectors: the CAF flux is imported, its new persons identified at France Travail, three orientations
# pushed and read back. Then each further partner's part (routes/<partner>/demo-part.sh: Dora, Immersion
# Facilitée, OuiForm, URSSAF, in that order). Leaves the hub running; exits 1 when a partner's part failed.
#   ./demo.sh            build, start (reusing run/hub if it exists), exchange
#   ./demo.sh --fresh    start from a fresh unpack (first start: a new admin password is generated)
#   ./demo.sh --no-build reuse the last build
set -euo pipefail
cd "$(dirname "$0")"
BUILD=1; FRESH=0
for a in "$@"; do
  case "$a" in
    --no-build) BUILD=0 ;;
    --fresh) FRESH=1 ;;
    *) echo "usage: $0 [--fresh] [--no-build]" >&2; exit 2 ;;
  esac
done
HUB=run/hub
PORT=8181
say() { printf '\n== %s\n' "$*"; }

if [ "$BUILD" = 1 ]; then
  say "Building (./mvnw install -DskipTests)"
  ./mvnw -B -q -ntp install -DskipTests
fi
ARCHIVE=$(ls karaf-assembly/target/hub-distribution-*.tar.gz | head -1)

if [ -x "$HUB/bin/stop" ] && [ -f "$HUB/data/port" ]; then
  # a hub left running by the last demo: stopped, and gone, before its folder is replaced or it is started again
  "$HUB/bin/stop" >/dev/null 2>&1 || true
  for _ in $(seq 1 120); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/hub/health" || break
    sleep 1
  done
fi
if curl -s -o /dev/null "http://127.0.0.1:$PORT/hub/health"; then
  echo "something still answers on 127.0.0.1:$PORT (another hub?); stop it first" >&2; exit 1
fi
if [ "$FRESH" = 1 ] || [ ! -d "$HUB" ]; then
  say "Unpacking $ARCHIVE into $HUB"
  rm -rf "$HUB" && mkdir -p run
  tar xzf "$ARCHIVE" -C run && mv run/hub-distribution-* "$HUB"
fi

say "Starting the hub"
START=$(date +%s%N)
"$HUB/bin/start"
# up to 5 minutes: a first start on a loaded 2-core machine takes one minute or more
for _ in $(seq 1 300); do
  if curl -sf "http://127.0.0.1:$PORT/hub/health" >/dev/null; then break; fi
  sleep 1
done
curl -sf "http://127.0.0.1:$PORT/hub/health" >/dev/null || { echo "hub did not come up; see $HUB/data/log/karaf.log" >&2; exit 1; }
echo "health UP after $(( ($(date +%s%N) - START) / 1000000 )) ms"
PASSWORD=$(cat "$HUB/etc/hub-admin.password" 2>/dev/null || true)
[ -n "$PASSWORD" ] || { echo "$HUB/etc/hub-admin.password is missing (deleted after first start?): use ./demo.sh --fresh" >&2; exit 1; }

# France Travail: the connector's settings with the double's secret. DEMO ONLY: double-secret-change-me only
# opens the France Travail double; a real client secret goes in encrypted (hub:encrypt-secret), never in a script.
FT_CFG="$HUB/etc/hub.connector.francetravail.cfg"
if [ ! -f "$FT_CFG" ]; then
  cp "$(ls "$HUB"/system/fr/aisne/hub/hub-connector-francetravail/*/hub-connector-francetravail-*-settings.cfg | head -1)" "$FT_CFG"
fi
if grep -q '^client.secret *= *$' "$FT_CFG"; then
  sed -i 's/^client.secret *= *$/# DEMO ONLY (demo.sh): the France Travail double'"'"'s secret; never in production\nclient.secret = double-secret-change-me/' "$FT_CFG"
fi

say "Installing the echo, CAF and France Travail doubles and connectors (at runtime, no restart)"
shell() {
  for _ in $(seq 1 30); do
    if echo "$1" | "$HUB/bin/client" -u admin -p "$PASSWORD" -b >/dev/null 2>&1; then return 0; fi
    sleep 2
  done
  echo "could not run '$1' in the hub's shell" >&2
  return 1
}
# settings FILE [DEFAULTS] -- KEY VALUE...: each "KEY = VALUE" replaced if there, appended otherwise, in FILE
# (or in a copy of DEFAULTS when FILE does not exist yet); the file is replaced at once (the hub re-reads
# etc/*.cfg when they change: never half-written)
settings() {
  local f=$1 tmp="$1.tmp"; shift
  if [ -f "$f" ]; then cp "$f" "$tmp"; elif [ "$1" != "--" ]; then cp "$1" "$tmp"; else : >"$tmp"; fi
  [ "$1" = "--" ] || shift; shift
  while [ $# -ge 2 ]; do
    if grep -q "^$1 *=" "$tmp"; then sed -i "s|^$1 *=.*|$1 = $2|" "$tmp"; else echo "$1 = $2" >>"$tmp"; fi
    shift 2
  done
  mv "$tmp" "$f"
}
# The CAF double publishes its files on its SFTP server, signed and encrypted with OpenPGP (keys generated at
# its first start in data/doubles/caf/); the hub's CAF connector fetches them from there.
SFTP_PORT=2222
CAF_DOUBLE="$HUB/data/doubles/caf"
settings "$HUB/etc/hub.double.caf.cfg" -- sftp.enabled true sftp.port $SFTP_PORT deliver.to sftp pgp.encrypt true
sleep 2 # read by the hub before the double starts
shell "feature:install hub-double-echo hub-connector-echo hub-double-caf"
if [ ! -f "$HUB/etc/caf_known_hosts" ]; then
  # first run: the double's keys are complete once its first file is in its depot
  for _ in $(seq 1 120); do
    ls "$CAF_DOUBLE/sftp/depot" 2>/dev/null | grep -q . && break
    sleep 0.5
  done
  # what the CAF and the department exchange: the hub's SFTP key, the department's OpenPGP key and
  # passphrase, the CAF's public key, and the CAF's host key, pinned
  cp "$CAF_DOUBLE/hub-caf-sftp.key" "$HUB/etc/hub-caf-sftp.key"
  cp "$CAF_DOUBLE/pgp/departement.sec.asc" "$HUB/etc/hub-caf-pgp.sec.asc"
  cp "$CAF_DOUBLE/pgp/departement.passphrase" "$HUB/etc/hub-caf-pgp.passphrase"
  cp "$CAF_DOUBLE/pgp/caf.pub.asc" "$HUB/etc/caf-pgp.pub.asc"
  chmod 600 "$HUB/etc/hub-caf-sftp.key" "$HUB/etc/hub-caf-pgp.sec.asc" "$HUB/etc/hub-caf-pgp.passphrase"
  echo "[127.0.0.1]:$SFTP_PORT $(cat "$CAF_DOUBLE/ssh_host_ecdsa_key.pub")" >"$HUB/etc/caf_known_hosts"
fi
# the connector's settings (its documented defaults, from system/), written before its feature: the feature
# does not replace an existing settings file
CAF_DEFAULTS=$(ls "$HUB"/system/fr/aisne/hub/hub-connector-caf/*/*-settings.cfg | head -1)
settings "$HUB/etc/hub.connector.caf.cfg" "$CAF_DEFAULTS" -- sftp.enabled true sftp.port $SFTP_PORT \
  sftp.pollSeconds 1 sftp.knownHosts caf_known_hosts pgp.secretKeyRing hub-caf-pgp.sec.asc \
  pgp.passphraseFile hub-caf-pgp.passphrase pgp.partnerPublicKey caf-pgp.pub.asc
sleep 2
shell "feature:install hub-connector-caf"
shell "feature:install hub-double-francetravail hub-connector-francetravail"
for _ in $(seq 1 120); do
  curl -sf -u "admin:$PASSWORD" "http://127.0.0.1:$PORT/hub/api/connectors" | grep -q '"id":"echo"' && break
  sleep 1
done

say "Sending one message: POST /hub/in/echo/relay"
CORR="demo-$(date +%s)"
RESPONSE=$(curl -s -u "admin:$PASSWORD" -H 'Content-Type: application/json' -H "X-Correlation-Id: $CORR" \
  -d "{\"demo\":\"$CORR\",\"message\":\"Bonjour de l'Aisne\"}" "http://127.0.0.1:$PORT/hub/in/echo/relay")
echo "$RESPONSE"
ID=$(printf '%s' "$RESPONSE" | sed -n 's/.*"exchangeId":"\([^"]*\)".*/\1/p')
for _ in $(seq 1 120); do
  curl -s -u "admin:$PASSWORD" "http://127.0.0.1:$PORT/hub/api/messages/$ID" | grep -q '"state":"DELIVERED"' && break
  sleep 1
done

say "The journal of that exchange (GET /hub/api/messages/$ID)"
curl -s -u "admin:$PASSWORD" "http://127.0.0.1:$PORT/hub/api/messages/$ID" | python3 -m json.tool
say "What the echo double received for $CORR"
curl -s "http://127.0.0.1:8282/echo/received?correlationId=$CORR"; echo
say "CAF: the double published a monthly flux, a daily flux and a file with wrong totals on its SFTP server (127.0.0.1:$SFTP_PORT), signed and encrypted; the hub fetched, decrypted and verified them"
for _ in $(seq 1 240); do
  N=$(curl -s -u "admin:$PASSWORD" "http://127.0.0.1:$PORT/hub/api/messages?partner=caf" | { grep -o '"state":"\(DELIVERED\|QUARANTINED\)"' || true; } | wc -l)
  [ "$N" -ge 3 ] && break
  sleep 1
done
curl -s -u "admin:$PASSWORD" "http://127.0.0.1:$PORT/hub/api/messages?partner=caf" | python3 -c '
import json, sys
for m in json.load(sys.stdin):
    print("  %-11s %-28s %s" % (m["state"], m["correlationId"], m["lastReason"] or ""))'
echo "  quarantined copies: $(ls "$HUB/data/quarantine/caf" 2>/dev/null | tr '\n' ' ')"
say "Department events from the CAF flux (GET /hub/api/departement/evenements, a cursor the department keeps)"
curl -s -u "admin:$PASSWORD" "http://127.0.0.1:$PORT/hub/api/departement/evenements?limite=1000" | python3 -c '
import json, sys
page = json.load(sys.stdin)
counts = {}
for e in page["evenements"]:
    counts[e["type"]] = counts.get(e["type"], 0) + 1
for t, n in sorted(counts.items()):
    print("  %-36s %d" % (t, n))
if page["evenements"]:
    print("  e.g. " + json.dumps(page["evenements"][0], ensure_ascii=False))
print("  newest seq: %d" % page["dernier"])'
echo "  CAF connector: $(curl -s -u "admin:$PASSWORD" "http://127.0.0.1:$PORT/hub/api/connectors" | python3 -c 'import json,sys; print(next((c.get("detail") or "" for c in json.load(sys.stdin) if c["id"]=="caf"), "")[:220])')"
say "France Travail: the persons the CAF flux made subject to rights and duties are identified (event feed)"
# Three orientations decided by the department, for persons France Travail identified (found through the
# department API: event feed, then each person's record), pushed and read back through lectureOrientation.
export HUB_URL="http://127.0.0.1:$PORT" HUB_PASSWORD="$PASSWORD" DEMO_START="$START"
python3 - <<'PY'
import base64, json, os, time, urllib.request
base, start = os.environ["HUB_URL"], int(os.environ["DEMO_START"])
auth = "Basic " + base64.b64encode(("admin:" + os.environ["HUB_PASSWORD"]).encode()).decode()
def call(path, body=None, headers={}):
    req = urllib.request.Request(base + path, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": auth, "Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        return json.load(e)
def elapsed():
    return "%d s after start" % ((time.time_ns() - start) // 1_000_000_000)
def identified(pid):
    p = call("/hub/api/departement/persons/" + pid)
    return any(i["partner"] == "france-travail" and i["kind"] == "numero" and (i.get("source") or {}).get("partner") == "france-travail"
               for i in p.get("identifiers", []))
chosen, seen, deadline = [], set(), time.time() + 300
while len(chosen) < 3 and time.time() < deadline:
    feed = call("/hub/api/departement/evenements?types=foyer.nouveau-soumis-droits-devoirs&limite=200")
    for e in feed.get("evenements", []):
        pid = e.get("personId")
        if pid and pid not in seen and len(chosen) < 3:
            if identified(pid):
                seen.add(pid); chosen.append(pid)
    if len(chosen) < 3:
        time.sleep(2)
msgs = call("/hub/api/messages?partner=france-travail&limit=1000")
done = sum(1 for m in msgs if m["flow"] == "identification" and m["state"] == "DELIVERED")
print("  %d identifications delivered so far (%s); persons identified by France Travail: %s" % (done, elapsed(), ", ".join(chosen) or "none yet"))
ids = []
for pid, parcours in zip(chosen, ["PSO", "PSP", "PED"]):
    r = call("/hub/in/france-travail/orientation", {"personId": pid, "parcours": parcours, "origine": "PRESCRIPTION",
              "requestedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start / 1e9))},
             {"X-Message-Id": "demo-orientation-%s-%d" % (pid, start), "X-Correlation-Id": "demo-orientation"})
    ids.append((pid, parcours, r.get("exchangeId"), r.get("outcome")))
for pid, parcours, xid, outcome in ids:
    state = None
    for _ in range(60):
        m = call("/hub/api/messages/%s" % xid) if xid else {}
        state = m.get("state")
        if state in ("DELIVERED", "QUARANTINED"):
            break
        time.sleep(1)
    o = call("/hub/api/departement/persons/" + pid).get("attributes", {}).get("orientation") or {}
    detail = ((m.get("history") or [{}])[-1].get("reason") or m.get("lastReason") or "")
    print("  orientation %s for %s: %s, %s" % (parcours, pid, state or outcome, detail[:120]))
    print("    registry: orientation=%s (source %s)" % (o.get("value"), (o.get("source") or {}).get("partner")))
print("  France Travail in the operations API (%s): GET /hub/api/messages?partner=france-travail" % elapsed())
counts = {}
for m in call("/hub/api/messages?partner=france-travail&limit=1000"):
    counts[(m["flow"], m["state"])] = counts.get((m["flow"], m["state"]), 0) + 1
for (flow, state), n in sorted(counts.items()):
    print("    %-15s %-12s %d" % (flow, state, n))
PY
echo "  the double's counters: $(curl -s http://127.0.0.1:8383/double/stats | python3 -c 'import json,sys; s=json.load(sys.stdin); print({k: s[k] for k in ("requests","tokensIssued","jetonsIssued","orientationsStored","throttled429")})')"

# Each further partner shows its part of the demo from its own folder (routes/<partner>/demo-part.sh), given the
# hub's folder, port and admin password, and the functions shell and settings above; a part installs its double
# and connector itself.
export HUB PORT PASSWORD
export -f shell settings
PARTS=0; FAILED=()
# Last, the department's follow-up (bundles/hub-departement, a boot feature): worklists and indicators of the data
# above.
for part in routes/*/demo-part.sh bundles/hub-departement/demo-part.sh; do
  [ -f "$part" ] || continue
  PARTS=$((PARTS + 1))
  bash "$part" || { FAILED+=("$part"); echo "(demo part $part FAILED; see $HUB/data/log/karaf.log)"; }
done

say "Metrics (GET /hub/metrics)"
curl -s "http://127.0.0.1:$PORT/hub/metrics" | grep -v '^#'

cat <<INFO

The hub is running in $HUB.
  Admin password (generated at first start): $HUB/etc/hub-admin.password
  Console:     http://127.0.0.1:$PORT/hub/console/   (French operator console; log in as admin with that password:
               the flows and counts of this demo in "Vue d'ensemble", its messages in "Journal", the CAF bad file
               with its rule in "Quarantaine", the connectors in "Connecteurs")
  Health:      http://127.0.0.1:$PORT/hub/health
  Metrics:     http://127.0.0.1:$PORT/hub/metrics
  Messages:    curl -u admin:\$(cat $HUB/etc/hub-admin.password) http://127.0.0.1:$PORT/hub/api/messages
  Persons:     curl -u admin:... http://127.0.0.1:$PORT/hub/api/departement/persons/<id>   (event feed: .../departement/evenements)
  France Travail double: http://127.0.0.1:8383/double/stats, /double/control (429s, latency, outage)
  Shell:       $HUB/bin/client -u admin     (then: hub:connectors, hub:messages, hub:replay <id>)
  Stop:        $HUB/bin/stop
INFO
END=$(date +%s%N)
if [ ${#FAILED[@]} -eq 0 ]; then
  echo "Demo complete in $(( (END - START) / 1000000000 )) s from the start of the hub: echo, CAF, France Travail and $PARTS partner parts."
else
  echo "Demo finished in $(( (END - START) / 1000000000 )) s with ${#FAILED[@]} of $PARTS partner parts FAILED: ${FAILED[*]}" >&2
  exit 1
fi
