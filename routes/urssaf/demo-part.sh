#!/usr/bin/env bash
# URSSAF AT/MP's part of the demo (run by ../../demo.sh with HUB, PORT and PASSWORD set, after Immersion Facilitée's
# part): installs the payroll double (port 8787) and the URSSAF connector, makes sure the month holds a PMSMP
# convention of the department (one validated at the Immersion Facilitée double, arriving by webhook), then shows the
# current month's AT/MP hours and amount, as the README's command does:
#   curl -u admin:$(cat run/hub/etc/hub-admin.password) http://127.0.0.1:8181/hub/api/urssaf/mois/$(date +%Y-%m)
#   or, in the hub's shell:  hub:urssaf-month
#   HUB=run/hub PORT=8181 PASSWORD=$(cat run/hub/etc/hub-admin.password) bash routes/urssaf/demo-part.sh
set -euo pipefail
: "${HUB:?HUB, the folder of the hub, is required}" "${PORT:?PORT is required}" "${PASSWORD:?PASSWORD is required}"
say() { printf '\n== %s\n' "$*"; }
shell() {
  for _ in $(seq 1 20); do
    if echo "$1" | "$HUB/bin/client" -u admin -p "$PASSWORD" -b 2>/dev/null; then return 0; fi
    sleep 2
  done
  echo "could not run '$1' in the hub's shell" >&2
}

say "URSSAF AT/MP: the month's contribution for PMSMP hours (payroll double on 8787)"
# Without the Immersion Facilitée part (its own demo-part.sh), its connector is set up here the same way. DEMO ONLY:
# the double's aisne-hub key opens nothing but the double.
IM_CFG="$HUB/etc/hub.connector.immersionfacilitee.cfg"
if [ ! -f "$IM_CFG" ]; then
  cp "$(ls "$HUB"/system/fr/aisne/hub/hub-connector-immersion-facilitee/*/hub-connector-immersion-facilitee-*-settings.cfg | head -1)" "$IM_CFG.tmp"
  KEY=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6ImExNWUwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDBhMSIsInZlcnNpb24iOjEsImlhdCI6MTczNTY4OTYwMH0.vI-3p4IcrYN_0eQaqZjJZTWMDU823FM0s7nar2bx3hw
  sed -i "s|^api.key *=.*|# DEMO ONLY (demo-part.sh): the Immersion Facilitée double's aisne-hub key; never in production\napi.key = $KEY|" "$IM_CFG.tmp"
  mv "$IM_CFG.tmp" "$IM_CFG"
fi
# The connector's settings before its feature (the feature does not replace an existing file). DEMO ONLY: the payroll
# double's password; a real one goes in encrypted (hub:encrypt-secret), never in a script.
CFG="$HUB/etc/hub.connector.urssaf.cfg"
if [ ! -f "$CFG" ]; then
  cp "$(ls "$HUB"/system/fr/aisne/hub/hub-connector-urssaf/*/hub-connector-urssaf-*-settings.cfg | head -1)" "$CFG.tmp"
  sed -i "s|^payroll.password *=.*|# DEMO ONLY (demo-part.sh): the payroll double's password; never in production\npayroll.password = double-paie-change-me|" "$CFG.tmp"
  mv "$CFG.tmp" "$CFG"
  sleep 2
fi
shell "feature:install hub-double-immersion-facilitee hub-connector-immersion-facilitee hub-double-urssaf hub-connector-urssaf" >/dev/null

export HUB_URL="http://127.0.0.1:$PORT" HUB_PASSWORD="$PASSWORD"
python3 - <<'PY'
import base64, datetime, decimal, json, os, time, urllib.request
base = os.environ["HUB_URL"]
auth = "Basic " + base64.b64encode(("admin:" + os.environ["HUB_PASSWORD"]).encode()).decode()
def call(url, body=None, hub=True):
    h = {"Content-Type": "application/json"}
    if hub:
        h["Authorization"] = auth
    req = urllib.request.Request(url, data=None if body is None else json.dumps(body).encode(), headers=h)
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            t = r.read()
            return r.status, (json.loads(t, parse_float=decimal.Decimal) if t else None)
    except urllib.error.HTTPError as e:
        t = e.read()
        try:
            return e.code, json.loads(t)
        except ValueError:
            return e.code, None
    except OSError:
        return -1, None
def wait(what, cond, seconds):
    end = time.time() + seconds
    while time.time() < end:
        r = cond()
        if r:
            return r
        time.sleep(1)
    raise SystemExit("timed out waiting for " + what)

wait("the URSSAF connector", lambda: call(base + "/hub/api/urssaf/mois")[0] == 200, 90)
wait("the Immersion Facilitée double", lambda: call("http://127.0.0.1:8484/double/stats", hub=False)[0] == 200, 60)
today = datetime.date.today()
month = today.strftime("%Y-%m")
view = call(base + "/hub/api/urssaf/mois/" + month)[1]
if not view.get("lignes"):
    # a week of immersion in this month (the first Monday, or the last one when the month ends sooner), 7 h a day
    first = today.replace(day=1)
    monday = first + datetime.timedelta(days=(7 - first.weekday()) % 7)
    status, conv = call("http://127.0.0.1:8484/double/control/conventions", {
        "agency": "cd02", "status": "ACCEPTED_BY_VALIDATOR", "dateStart": monday.isoformat(),
        "dateEnd": (monday + datetime.timedelta(days=4)).isoformat(),
        "hours": [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}], "weekdays": [1, 2, 3, 4, 5],
        "employee": False, "siret": "99902000300012", "businessName": "Boulangerie de la Gare"}, hub=False)
    print(f"  a PMSMP convention validated at Immersion Facilitée for {monday} (+4 days), 7 h a day: {status}")
    wait("the convention counted in " + month,
         lambda: (call(base + "/hub/api/urssaf/mois/" + month)[1] or {}).get("lignes"), 90)
    view = call(base + "/hub/api/urssaf/mois/" + month)[1]
print(f"  {month} ({view['etat']}, basis {view['base']}): {view['heures']} h, {view['montant']} EUR "
      f"from {view['conventions']} convention(s); adjustments {view['regularisationMontant']} EUR; "
      f"total {view['totalMontant']} EUR")
for l in view["lignes"]:
    print(f"    {l['type']} {l['moisOrigine']} CTP {l['ctp']} at {l['taux']} EUR/h: {l['heures']} h = {l['montant']} EUR")
for e in view.get("exclues", [])[:5]:
    print(f"    left out: {e['reference']} ({e['motif']})")
PY
echo "  in the hub's shell:"
shell "hub:urssaf-month" | grep -v 'JAVA_HOME not set' | sed 's/^/    /'
