// Registre: probable matches to confirm or reject (the decision is journaled with the operator), and a person
// lookup for the roles allowed to read persons (each read is logged with the reader).
import { html, nothing } from '../../vendor/lit-html/lit-html.js';
import { get, post, query, explain, ApiError } from '../api.js';
import { errorBox, okBox, confirmDialog } from '../ui.js';
import { fmtDateTime } from '../format.js';

export async function show(ctx) {
  ctx.title('Registre');
  const view = { matches: null, error: null, ok: null, persons: null, lookupError: null, status: '' };

  async function load() {
    try {
      view.matches = await get('departement/matches');
      view.error = null;
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) {
        view.forbidden = true;
      } else {
        view.error = explain(e);
      }
    }
    draw();
  }

  async function decide(m, decision) {
    const yes = await confirmDialog(decision === 'confirm' ? 'Confirmer le rapprochement' : 'Rejeter le rapprochement',
      decision === 'confirm'
        ? `Confirmer que l'observation de ${m.sourcePartner} concerne bien la personne ${m.candidatePersonId} ? Les valeurs observées lui seront rattachées. Votre décision est journalisée à votre nom.`
        : `Rejeter le rapprochement avec la personne ${m.candidatePersonId} ? L'observation de ${m.sourcePartner} créera une nouvelle personne. Votre décision est journalisée à votre nom.`,
      decision === 'confirm' ? 'Confirmer' : 'Rejeter');
    if (!yes) return;
    try {
      await post('departement/matches/' + m.id + '/' + decision);
      view.ok = decision === 'confirm' ? 'Rapprochement confirmé.' : 'Rapprochement rejeté.';
    } catch (e) {
      view.error = explain(e);
    }
    await load();
  }

  async function lookup(ev) {
    ev.preventDefault();
    const f = new FormData(ev.target);
    const nir = (f.get('nir') || '').toString().replace(/\s/g, '');
    try {
      if (nir) {
        // a NIR never goes in a URL
        view.persons = await post('departement/persons/lookup-by-nir', { nir });
      } else {
        view.persons = await get('departement/persons' + query({
          matriculeCaf: f.get('matriculeCaf'), numorg: f.get('numorg'), numeroFranceTravail: f.get('numeroFranceTravail'),
        }));
      }
      view.lookupError = null;
      view.status = view.persons.length === 0 ? 'Aucune personne trouvée.' : view.persons.length + ' personne(s) trouvée(s).';
    } catch (e) {
      view.persons = null;
      view.lookupError = explain(e);
      view.status = '';
    }
    ev.target.reset();
    draw();
  }

  function draw() {
    if (view.forbidden) {
      ctx.render(html`<h1>Registre des personnes</h1>
        <p>Votre rôle ne donne pas accès au registre des personnes : demandez-le à l'administrateur du hub si votre
          mission le justifie.</p>`);
      return;
    }
    ctx.render(html`
      <h1>Registre des personnes</h1>
      ${okBox(view.ok)}
      ${errorBox(view.error)}
      <section aria-labelledby="t-rapprochements">
        <h2 id="t-rapprochements">Rapprochements probables à décider</h2>
        ${view.matches === null ? html`<p>Chargement…</p>` : view.matches.length === 0
          ? html`<p>Aucun rapprochement en attente.</p>`
          : html`<table class="donnees">
            <caption>Observations qui ressemblent à une personne connue sans certitude (même nom et date de naissance, sans NIR ni identifiant commun)</caption>
            <thead><tr><th scope="col">Depuis le</th><th scope="col">Source</th><th scope="col">Personne candidate</th>
              <th scope="col">Motif</th><th scope="col">Valeurs observées</th>${ctx.user.canReplay ? html`<th scope="col">Décision</th>` : nothing}</tr></thead>
            <tbody>${view.matches.map((m) => html`<tr>
              <td>${fmtDateTime(m.createdAt)}</td><td>${m.sourcePartner}</td><td><code>${m.candidatePersonId}</code></td>
              <td>${m.reason}</td>
              <td><ul class="compact">${Object.entries(m.observed || {}).map(([k, v]) => html`<li>${k} : ${typeof v === 'object' ? JSON.stringify(v) : v}</li>`)}</ul></td>
              ${ctx.user.canReplay ? html`<td class="actions">
                <button type="button" @click=${() => decide(m, 'confirm')}>Confirmer<span class="visuellement-cache"> le rapprochement ${m.id}</span></button>
                <button type="button" class="secondaire" @click=${() => decide(m, 'reject')}>Rejeter<span class="visuellement-cache"> le rapprochement ${m.id}</span></button>
              </td>` : nothing}
            </tr>`)}</tbody>
          </table>`}
      </section>
      <section aria-labelledby="t-personne">
        <h2 id="t-personne">Rechercher une personne</h2>
        <p>Chaque consultation est enregistrée avec votre nom. Donnez un seul critère.</p>
        <form class="recherche" aria-labelledby="t-personne" @submit=${lookup}>
          <div class="champ"><label for="p-matricule">Matricule CAF</label>
            <input id="p-matricule" name="matriculeCaf" inputmode="numeric" autocomplete="off"></div>
          <div class="champ"><label for="p-numorg">Organisme CAF (numorg, facultatif)</label>
            <input id="p-numorg" name="numorg" inputmode="numeric" autocomplete="off"></div>
          <div class="champ"><label for="p-ft">Identifiant France Travail</label>
            <input id="p-ft" name="numeroFranceTravail" autocomplete="off"></div>
          <div class="champ"><label for="p-nir">NIR (numéro de sécurité sociale)</label>
            <input id="p-nir" name="nir" type="password" autocomplete="off" inputmode="numeric"></div>
          <div class="champ bouton"><button type="submit">Rechercher</button></div>
        </form>
        <p role="status">${view.status}</p>
        ${errorBox(view.lookupError)}
        ${view.persons ? view.persons.map(person) : nothing}
      </section>`);
  }

  await load();
}

const source = (s) => (s ? `${s.partner}, ${fmtDateTime(s.observedAt)}` : '');

function person(p) {
  return html`<article class="personne" aria-labelledby="pers-${p.id}">
    <h3 id="pers-${p.id}">Personne <code>${p.id}</code></h3>
    ${p.hasNir ? html`<p>NIR : ${p.nirMasked || 'connu, non communiqué pour cette consultation'} ${p.nirSource ? '(' + source(p.nirSource) + ')' : ''}</p>` : nothing}
    <table class="donnees">
      <caption>Valeurs retenues et leur provenance</caption>
      <thead><tr><th scope="col">Donnée</th><th scope="col">Valeur</th><th scope="col">Source</th><th scope="col">Autres valeurs</th></tr></thead>
      <tbody>${Object.entries(p.attributes || {}).map(([k, a]) => html`<tr><th scope="row">${k}</th><td>${a.value}</td>
        <td>${source(a.source)}</td><td>${(a.conflicts || []).map((c) => html`${c.value} (${source(c.source)}) `)}</td></tr>`)}</tbody>
    </table>
    ${(p.identifiers || []).length ? html`<p>Identifiants : ${p.identifiers.map((i) => html`${i.partner} ${i.kind} ${i.value} ; `)}</p>` : nothing}
    ${(p.households || []).length ? html`<p>Foyers CAF : ${p.households.map((h) => html`${h.numorg}/${h.matricule} (${h.role}) ; `)}</p>` : nothing}
  </article>`;
}
