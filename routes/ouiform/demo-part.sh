#!/usr/bin/env bash
# OuiForm's part of the demo (run by demo.sh, from the repository's root, with HUB, PORT and PASSWORD exported):
# installs the OuiForm double (port 8686) and the connector, drops the Carif-Oref's weekly LHEO 2.3 catalogue into
# the connector's inbox, shows a few sessions through the department's search API, prescribes one session for a
# person of the registry (identity filled by the hub from the registry), and waits for the statuses OuiForm sends
# back (positionne, then entre, over SOAP) to reach the prescription and the department's event feed.
# DEMO ONLY: the passwords below open the double and the demo's Région account; never in production.
set -euo pipefail
: "${HUB:?run from demo.sh}" "${PORT:?}" "${PASSWORD:?}"
say() { printf '\n== %s\n' "$*"; }
api() { curl -s -u "admin:$PASSWORD" "http://127.0.0.1:$PORT$1" "${@:2}"; }
REGION_PASSWORD=region-demo-change-me
declare -F shell >/dev/null || { echo "run by demo.sh (it exports the function shell)" >&2; exit 2; }

# put KEY VALUE... into FILE (a copy of DEFAULTS when FILE does not exist yet), replaced at once
put() {
  local f=$1 defaults=$2 tmp="$1.tmp"; shift 2
  if [ -f "$f" ]; then cp "$f" "$tmp"; else cp "$defaults" "$tmp"; fi
  while [ $# -ge 2 ]; do
    if grep -q "^$1 *=" "$tmp"; then sed -i "s|^$1 *=.*|$1 = $2|" "$tmp"; else echo "$1 = $2" >>"$tmp"; fi
    shift 2
  done
  mv "$tmp" "$f"
}
defaults() { ls "$HUB"/system/fr/aisne/hub/$1/*/$1-*-settings.cfg | head -1; }

say "OuiForm (Région): the double and the connector, the weekly LHEO 2.3 catalogue, one prescription and its statuses"
# The Région's account at the hub (role sender-ouiform): what the double uses to send statuses and publications
grep -q '^region-ouiform *=' "$HUB/etc/users.properties" \
  || echo "region-ouiform = $REGION_PASSWORD,sender-ouiform" >>"$HUB/etc/users.properties"
put "$HUB/etc/hub.double.ouiform.cfg" "$(defaults hub-double-ouiform)" hub.password "$REGION_PASSWORD" \
  status.positionedAfterSeconds 2 status.enteredAtSessionStart false status.enteredAfterSeconds 2
put "$HUB/etc/hub.connector.ouiform.cfg" "$(defaults hub-connector-ouiform)" ouiform.password double-secret-change-me \
  prescripteur.siret 22020001700016
# shell: demo.sh's function (retries while the hub's shell is busy)
shell "feature:install hub-double-ouiform hub-connector-ouiform"
for _ in $(seq 1 120); do
  api /hub/health | grep -q '"connector:ouiform":{"status":"UP"' && break
  sleep 1
done
echo "  $(api /hub/health | python3 -c 'import json,sys; h=json.load(sys.stdin); c=h.get("components",{}).get("connector:ouiform",{}); print("connector:ouiform", c.get("status"), "-", (c.get("detail") or "")[:160])' 2>/dev/null || echo 'connector:ouiform not reported yet')"
echo "  the hub's WSDL: http://127.0.0.1:8187/ouiform/soap/v1?wsdl ($(curl -s -o /dev/null -w '%{http_code}' 'http://127.0.0.1:8187/ouiform/soap/v1?wsdl'))"

say "OuiForm: the Carif-Oref's weekly catalogue (LHEO 2.3) dropped into data/inbox/ouiform"
mkdir -p "$HUB/data/inbox/ouiform"
curl -s http://127.0.0.1:8686/double/catalogue.xml >"$HUB/data/inbox/ouiform/.lheo-demo.part"
mv "$HUB/data/inbox/ouiform/.lheo-demo.part" "$HUB/data/inbox/ouiform/lheo-aisne-$(date +%G-W%V).xml"
for _ in $(seq 1 120); do
  [ "$(api '/hub/api/departement/formations?limite=1' | python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("formations",[])))' 2>/dev/null || echo 0)" != 0 ] && break
  sleep 1
done
api '/hub/api/departement/formations?limite=4' | python3 -c '
import json, sys
r = json.load(sys.stdin)
print("  %d open sessions in the catalogue; the first ones:" % r.get("total", 0))
for s in r.get("formations", []):
    d, f = s.get("debut") or {}, s.get("fin") or {}
    print("  %-16s %-45.45s %-16s %s..%s (%s/%s) %s EUR%s" % (s["idSession"], s["intitule"], (s.get("lieu") or {}).get("ville", ""),
          d.get("lheo"), f.get("lheo"), d.get("precision"), f.get("precision"), s.get("prixTotalTTC", "?"), "" if s.get("ouverte") else " (fermee)"))'

say "OuiForm: one prescription (the department gives the person's id; the hub fills the identity from the registry)"
PERSON=$(api '/hub/api/departement/evenements?limite=1000' | python3 -c '
import json, sys
r = json.load(sys.stdin)
evts = r["evenements"]
print(next((e["personId"] for e in evts if e.get("personId")), ""))')
if [ -z "$PERSON" ]; then echo "  no person in the registry yet (the CAF part of the demo imports them): skipped"; exit 0; fi
RESP=$(api /hub/in/departement/prescriptions-formation -H 'Content-Type: application/json' -H "X-Correlation-Id: demo-ouiform-$(date +%s)" \
  -d "{\"personId\":\"$PERSON\",\"idSession\":\"02_SE_0000101_1\",\"idAction\":\"02_AC_0000101\",\"referent\":{\"nom\":\"MARTIN\",\"prenom\":\"Claire\",\"courriel\":\"claire.martin@aisne.example\"},\"commune\":{\"codeInsee\":\"02408\",\"codePostal\":\"02000\",\"libelle\":\"Laon\"}}")
ID=$(echo "$RESP" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("exchangeId",""))')
echo "  POST /hub/in/departement/prescriptions-formation -> $RESP"
for _ in $(seq 1 120); do
  api "/hub/api/messages/$ID" | grep -q '"state":"\(DELIVERED\|QUARANTINED\)"' && break
  sleep 1
done
api "/hub/api/messages/$ID" | python3 -c '
import json, sys
m = json.load(sys.stdin)
print("  exchange %s: %s" % (m.get("id"), m.get("state")))
for h in m.get("history", [])[-1:]:
    print("  ", (h.get("reason") or "")[:400])'
echo "  what the double received: $(curl -s http://127.0.0.1:8686/double/prescriptions | python3 -c '
import json, sys
ps = json.load(sys.stdin)
p = ps[-1] if ps else {}
b = (p.get("prescription") or p).get("beneficiaire", {})
print(p.get("idPrescriptionOuiForm"), "for", (p.get("prescription") or p).get("idPrescriptionHub"), "-", b.get("nom"), b.get("prenom"), b.get("dateNaissance"), (b.get("commune") or {}).get("libelle"))' 2>/dev/null)"

say "OuiForm: the statuses coming back (positionne, then entre, sent by the double over SOAP)"
ENTERED=0
for _ in $(seq 1 120); do
  api "/hub/api/departement/prescriptions-formation?personId=$PERSON" | grep -q '"statut":"entre"' && { ENTERED=1; break; }
  sleep 1
done
api "/hub/api/departement/prescriptions-formation?personId=$PERSON" | python3 -c '
import json, sys
for p in json.load(sys.stdin).get("prescriptions", []):
    print("  %s (%s) session %s: %s" % (p.get("idPrescriptionHub"), p.get("idPrescriptionOuiForm"), p.get("idSession"), p.get("statut")))'
api '/hub/api/departement/evenements?limite=1000' | python3 -c '
import json, sys
r = json.load(sys.stdin); evts = r["evenements"]
for e in [e for e in evts if str(e.get("type", "")).startswith("formation.")][-3:]:
    print("  department event", e.get("type"), "for", e.get("personId"), (e.get("details") or {}).get("dateEffet", ""))'
[ "$ENTERED" = 1 ] || { echo "  the status entre did not come back within 120 s"; exit 1; }
