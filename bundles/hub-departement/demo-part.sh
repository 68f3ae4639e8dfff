#!/usr/bin/env bash
# The department's follow-up (issue 19) on the demo's data: the loi plein emploi worklists and the indicators of the
# year of the demo's CAF flux, per UTAS, in JSON and CSV (docs/INDICATORS.md). Routes-independent: it reads only the
# department API, whatever connectors ran before it. Run by ../../demo.sh with HUB, PORT and PASSWORD set; by hand:
#   HUB=run/hub PORT=8181 PASSWORD=$(cat run/hub/etc/hub-admin.password) bash bundles/hub-departement/demo-part.sh
set -euo pipefail
: "${PORT:=8181}" "${PASSWORD:?the hub admin password (run/hub/etc/hub-admin.password)}"
printf '\n== %s\n' "Department follow-up: worklists and indicators computed from the event feed and the registry"
export HUB_URL="http://127.0.0.1:$PORT" HUB_PASSWORD="$PASSWORD"
python3 - <<'PY'
import base64, json, os, time, urllib.request
base = os.environ["HUB_URL"]
auth = "Basic " + base64.b64encode(("admin:" + os.environ["HUB_PASSWORD"]).encode()).decode()
def get(path, raw=False):
    req = urllib.request.Request(base + path, headers={"Authorization": auth})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            body = r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        body = e.read().decode("utf-8")
    return body if raw else json.loads(body)
feed = get("/hub/api/departement/evenements?types=foyer.nouveau-soumis-droits-devoirs&limite=1")
# the year of the demo's CAF flux: its reference date is orientation_avant minus one month (docs/INDICATORS.md)
first = (feed.get("evenements") or [{}])[0]
due = (first.get("details") or {}).get("orientation_avant") or first.get("occurredAt")
year = (int(due[:4]) - (1 if due[5:7] == "01" else 0)) if due else time.gmtime().tm_year
for liste in ("orientation", "contrat", "heures"):
    w = get("/hub/api/departement/suivi/%s?limite=3" % liste)
    print("  GET /hub/api/departement/suivi/%s: %s persons (jours=%s, date %s)" % (liste, w.get("total"), w.get("jours"), w.get("date")))
    for p in w.get("personnes", [])[:3]:
        print("    %s %s %s, %s, échéance %s (%+d j)" % (p["personId"][:8], p.get("prenom") or "", p.get("nom") or "",
              p["statut"], p["echeance"], p["jours_de_retard"]))
ind = get("/hub/api/departement/indicateurs?annee=%d" % year)
print("  GET /hub/api/departement/indicateurs?annee=%d (computed %s)" % (year, ind.get("calcule_le")))
keys = ["entrees_droits_devoirs", "orientes_cohorte", "delai_orientation_median_jours", "part_orientes_dans_le_mois",
        "part_cer_signe", "orientations_par_parcours", "inscriptions_france_travail", "immersions", "formations_entrees",
        "actions_sorties_par_motif"]
for territory, figures in (ind.get("territoires") or {}).items():
    print("    %-14s %s" % (territory, ", ".join("%s=%s" % (k, json.dumps(figures.get(k), ensure_ascii=False)) for k in keys)))
for n in ind.get("notes", []):
    print("    note: " + n)
csv = get("/hub/api/departement/indicateurs?annee=%d&format=csv" % year, raw=True).splitlines()
print("  same as CSV (&format=csv): %d lines, e.g." % len(csv))
for line in csv[:4]:
    print("    " + line)
PY
