#!/usr/bin/env bash
# The Aisne-actifs.com part of ./demo.sh (run by it with HUB, PORT and PASSWORD set): installs the platform's double
# and the connector, shows the department events reaching the platform by signed webhook, then a referent's
# orientation and contrat d'engagement sent by the double reaching the registry and France Travail.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${HUB:?run from demo.sh}" "${PORT:?}" "${PASSWORD:?}"
say() { printf '\n== %s\n' "$*"; }
say "Aisne-actifs.com: signed webhooks to the platform, referents' decisions into the hub"

# DEMO ONLY: the double's demo key (etc/hub.double.aisneactifs.cfg); a real key goes in sealed (hub:encrypt-secret).
CFG="$HUB/etc/hub.connector.aisneactifs.cfg"
if [ ! -f "$CFG" ]; then
  cp routes/aisne-actifs/connector/src/main/cfg/hub.connector.aisneactifs.cfg "$CFG.tmp"
  sed -i "s|^webhook.url *=.*|webhook.url = http://127.0.0.1:8989/aisne-actifs/webhook|; s|^webhook.secret *=.*|# DEMO ONLY (demo-part.sh): the double's key\nwebhook.secret = double-webhook-secret-change-me-0123456789|" "$CFG.tmp"
  mv "$CFG.tmp" "$CFG"
fi
for _ in $(seq 1 20); do
  if echo "feature:install hub-double-aisne-actifs hub-connector-aisne-actifs" | "$HUB/bin/client" -u admin -p "$PASSWORD" -b >/dev/null 2>&1; then break; fi
  sleep 2
done

HUB_PASSWORD="$PASSWORD" HUB_PORT="$PORT" python3 - <<'PY'
import base64, json, os, time, urllib.request, urllib.error
hub = "http://127.0.0.1:%s" % os.environ["HUB_PORT"]
auth = "Basic " + base64.b64encode(("admin:" + os.environ["HUB_PASSWORD"]).encode()).decode()
double = "http://127.0.0.1:8989"
def call(url, body=None, headers=None):
    req = urllib.request.Request(url, data=None if body is None else json.dumps(body).encode(), headers=headers or {})
    if body is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return {"status": e.code, "body": e.read().decode()[:200]}
    except (urllib.error.URLError, ConnectionError):
        return None
deadline = time.time() + 90
got = None
while time.time() < deadline:
    got = call(double + "/double/control/recus?type=foyer.nouveau-soumis-droits-devoirs")
    if got and got.get("evenements"):
        break
    time.sleep(2)
if not got or not got.get("evenements"):
    print("  no webhook received by the double within 90 s (see karaf.log)")
    raise SystemExit(1)
time.sleep(3)
got = call(double + "/double/control/recus")
print("  the platform received %d events by webhook (refused as badly signed: %d, duplicates: %d)"
      % (got["total"], got["refuses"], got["doublons"]))
first = next(e for e in got["evenements"] if e["type"] == "foyer.nouveau-soumis-droits-devoirs")
print("  e.g. %s %s: person %s, orientation due before %s, identity %s"
      % (first["id"], first["type"], first["personId"], first["details"].get("orientation_avant"),
         sorted((first.get("personne") or {}).keys())))
person = first["personId"]
examples = "docs/contracts/aisne-actifs/v1/examples/"
for t in ("orientation", "referent", "contrat-engagement"):
    d = json.load(open(examples + t + ".json"))
    d["personId"] = person
    d["decisionId"] = d["decisionId"] + "-demo-" + person[:8]
    r = call(double + "/double/control/envoyer", {"type": t, "decision": d})
    print("  referent's %s sent by the platform: HTTP %s %s" % (t, r["status"], (r.get("body") or {}).get("outcome")))
time.sleep(4)
p = call(hub + "/hub/api/departement/persons/" + person, headers={"Authorization": auth})
attrs = p.get("attributes", {}) if p else {}
for a in ("orientation_parcours", "orientation_organisme", "referent_nom", "cer_date_signature", "cer_heures_hebdo", "utas"):
    v = attrs.get(a) or {}
    print("    registry %-22s = %-35s (source %s)" % (a, v.get("value"), (v.get("source") or {}).get("partner")))
ev = call(hub + "/hub/api/departement/evenements?apres=0&limite=1000&types=orientation.decidee", headers={"Authorization": auth})
seq = [e for e in (ev or {}).get("evenements", []) if e.get("personId") == person]
if seq:
    corr = "evt-%s" % seq[-1].get("seq")
    for _ in range(30):
        m = call(hub + "/hub/api/messages?partner=france-travail&correlationId=" + corr, headers={"Authorization": auth}) or []
        if m and m[0].get("state") in ("DELIVERED", "QUARANTINED"):
            break
        time.sleep(2)
    print("  France Travail orientation from the event feed (%s): %s" % (corr, m[0].get("state") if m else "not yet"))
PY
echo "  the double: http://127.0.0.1:8989/double/control/recus; sanction files for the CAF: $HUB/data/outbox/caf-sanctions"
