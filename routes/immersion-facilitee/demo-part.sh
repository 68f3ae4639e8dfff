#!/usr/bin/env bash
# Immersion Facilitée's part of the demo (run by ../../demo.sh with HUB, PORT and PASSWORD set, after the CAF
# import): installs the Immersion Facilitée double (port 8484) and connector; the connector subscribes its webhook
# and walks 13 months of the platform's conventions; then two PMSMP conventions are created at the double for
# persons of the CAF flux: one arrives by webhook, the other's webhook calls are dropped and the reconciliation
# catches it. Each shows in the operations API (partner immersion-facilitee), its beneficiary's probable match is
# confirmed as an operator would, and the convention is on the person's record.
#   HUB=run/hub PORT=8181 PASSWORD=$(cat run/hub/etc/hub-admin.password) bash routes/immersion-facilitee/demo-part.sh
set -euo pipefail
: "${HUB:?HUB, the folder of the hub, is required}" "${PORT:?PORT is required}" "${PASSWORD:?PASSWORD is required}"
say() { printf '\n== %s\n' "$*"; }
IF=http://127.0.0.1:8484

say "Immersion Facilitée: PMSMP conventions by webhook and reconciliation (double on 8484)"
# The connector's settings before its feature (the feature does not replace an existing file). DEMO ONLY: the key
# is the double's aisne-hub key, which opens nothing but the double; a real key goes in encrypted
# (hub:encrypt-secret). The recent reconciliation every 20 s instead of 10 minutes, so that a lost webhook is caught
# within the demo's minute.
CFG="$HUB/etc/hub.connector.immersionfacilitee.cfg"
if [ ! -f "$CFG" ]; then
  cp "$(ls "$HUB"/system/fr/aisne/hub/hub-connector-immersion-facilitee/*/hub-connector-immersion-facilitee-*-settings.cfg | head -1)" "$CFG.tmp"
  KEY=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6ImExNWUwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDBhMSIsInZlcnNpb24iOjEsImlhdCI6MTczNTY4OTYwMH0.vI-3p4IcrYN_0eQaqZjJZTWMDU823FM0s7nar2bx3hw
  sed -i "s|^api.key *=.*|# DEMO ONLY (demo-part.sh): the Immersion Facilitée double's aisne-hub key; never in production\napi.key = $KEY|; s|^reconcile.recentSeconds *=.*|reconcile.recentSeconds = 20|; s|^match.checkSeconds *=.*|match.checkSeconds = 5|" "$CFG.tmp"
  mv "$CFG.tmp" "$CFG"
  sleep 2
fi
for _ in $(seq 1 20); do
  if echo "feature:install hub-double-immersion-facilitee hub-connector-immersion-facilitee" \
      | "$HUB/bin/client" -u admin -p "$PASSWORD" -b >/dev/null 2>&1; then break; fi
  sleep 2
done

export HUB_URL="http://127.0.0.1:$PORT" HUB_PASSWORD="$PASSWORD" IF_URL="$IF"
python3 - <<'PY'
import base64, json, os, time, urllib.request, datetime
base, dbl = os.environ["HUB_URL"], os.environ["IF_URL"]
auth = "Basic " + base64.b64encode(("admin:" + os.environ["HUB_PASSWORD"]).encode()).decode()
def call(url, body=None, headers=None, hub=True):
    h = {"Content-Type": "application/json", **(headers or {})}
    if hub:
        h["Authorization"] = auth
    req = urllib.request.Request(url, data=None if body is None else json.dumps(body).encode(), headers=h)
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            text = r.read()
            return r.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as e:
        text = e.read()
        try:
            return e.code, json.loads(text)
        except ValueError:
            return e.code, None
    except OSError:
        return -1, None
def hub(path, body=None):
    return call(base + path, body)[1] or {}
missed = []
def wait(what, cond, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        r = cond()
        if r:
            return r
        time.sleep(1)
    print("  (not within %d s: %s)" % (seconds, what))
    missed.append(what)
    return None

wait("the double", lambda: call(dbl + "/double/stats", hub=False)[0] == 200, 60)
wait("the subscription", lambda: "(convention.updated) calls" in str(hub("/hub/api/immersion-facilitee/subscription")
     .get("subscription")), 60)
st = hub("/hub/api/immersion-facilitee/subscription")
print("  subscription: " + str(st.get("subscription"))[:200])
print("  callback:     " + str(st.get("callbackUrl")))

# persons of the CAF flux (the department's event feed), with their names and birth dates from the registry
people = []
feed = hub("/hub/api/departement/evenements?types=foyer.nouveau-soumis-droits-devoirs&limite=50")
for e in feed.get("evenements", []):
    pid = e.get("personId")
    if not pid or any(p[0] == pid for p in people):
        continue
    a = hub("/hub/api/departement/persons/" + pid).get("attributes", {})
    v = lambda k: (a.get(k) or {}).get("value")
    last, first, birth = v("nom_usage") or v("nom_naissance"), v("prenom"), v("date_naissance")
    if last and first and birth:
        people.append((pid, first, last, birth))
    if len(people) == 2:
        break
if len(people) < 2:
    print("  no CAF persons found in the event feed: run the whole ./demo.sh first")
    raise SystemExit(0)

monday = datetime.date.today() + datetime.timedelta(days=7 - datetime.date.today().weekday() + 7)
made = []
for i, (pid, first, last, birth) in enumerate(people):
    lost = i == 1
    if lost:
        call(dbl + "/double/control", {"webhookDropNext": 50}, hub=False)
    start = monday + datetime.timedelta(weeks=i)
    code, c = call(dbl + "/double/control/conventions", {"agency": "cd02", "status": "ACCEPTED_BY_VALIDATOR",
        "beneficiary": {"firstName": first, "lastName": last, "birthdate": birth},
        "dateStart": start.isoformat(), "dateEnd": (start + datetime.timedelta(days=4)).isoformat(),
        "hours": [{"start": "09:00", "end": "12:00"}, {"start": "13:30", "end": "17:00"}], "weekdays": [1, 2, 3, 4, 5],
        "siret": "99902000300012", "businessName": "Boulangerie de la Gare"}, hub=False)
    if lost:
        call(dbl + "/double/control", {"webhookDropNext": 0}, hub=False)
    made.append((c["id"], pid, lost, time.time()))
    print("  convention %s created at the platform for CAF person %s (%s)" % (c["id"], pid,
          "its webhook calls DROPPED: the reconciliation must catch it" if lost else "webhook"))

for cid, pid, lost, t0 in made:
    got = wait("convention " + cid, lambda: call(base + "/hub/api/immersion-facilitee/conventions/" + cid)[0] == 200, 90)
    if not got:
        continue
    c = hub("/hub/api/immersion-facilitee/conventions/" + cid)
    conv, hist = c["convention"], c["history"]
    print("  %s at the hub %.0f s after its creation, by %s: %s, %s..%s, %s h planned, person: %s" % (cid,
          time.time() - t0, hist[0]["trigger"] if hist else "?", conv["status"], conv["dateStart"], conv["dateEnd"],
          conv["plannedHours"], conv["matchState"]))
    # name and birth date only: a probable match, which an operator confirms (GET /hub/api/departement/matches)
    for m in hub("/hub/api/departement/matches") or []:
        if m.get("sourcePartner") == "immersion-facilitee" and m.get("candidatePersonId") == pid:
            call(base + "/hub/api/departement/matches/%s/confirm" % m["id"], {})
            print("    probable match %s confirmed as an operator would" % m["id"])
    attr = "pmsmp_" + cid.replace("-", "")
    on = wait("on the person's record", lambda: (hub("/hub/api/departement/persons/" + pid).get("attributes", {}).get(attr)), 90)
    if on:
        print("    on person %s's record (%.0f s after creation): %s = %s" % (pid, time.time() - t0, attr, on.get("value")))

counts = {}
msgs = call(base + "/hub/api/messages?partner=immersion-facilitee&limit=1000")[1] or []
for m in msgs:
    counts[(m["flow"], m["state"], m["sender"])] = counts.get((m["flow"], m["state"], m["sender"]), 0) + 1
print("  Immersion Facilitée in the operations API: GET /hub/api/messages?partner=immersion-facilitee")
for (flow, state, sender), n in sorted(counts.items()):
    print("    %-12s %-10s %-36s %d" % (flow, state, sender, n))
st = hub("/hub/api/immersion-facilitee/subscription")
print("  reconciliation: " + str(st.get("reconciliation"))[:400])
print("  kept: " + json.dumps(st.get("conventions")))
s = call(dbl + "/double/stats", hub=False)[1] or {}
print("  the double's counters: " + json.dumps({k: s.get(k) for k in ("requests", "throttled429", "webhooksSent", "webhooksDropped", "subscriptionsCreated")}))
if missed:
    raise SystemExit("  Immersion Facilitée's part did not complete: " + "; ".join(missed))
PY
