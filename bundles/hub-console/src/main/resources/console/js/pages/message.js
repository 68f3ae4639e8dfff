// A message's detail: who, what, when, its state history with reasons, why it failed and what to do; its payload
// for administrators (a bounded preview, the whole as a download); replay with confirmation (managers, admins).
import { html, nothing } from '../../vendor/lit-html/lit-html.js';
import { get, post, explain } from '../api.js';
import { badge, errorBox, okBox, confirmDialog, advice, canReplay } from '../ui.js';
import { DIRECTIONS, fmtDateTime, fmtBytes, fmtNumber } from '../format.js';

const SETTLED = ['DELIVERED', 'IGNORED', 'QUARANTINED', 'DUPLICATE', 'REFUSED'];

export async function show(ctx) {
  const id = ctx.match[1];
  ctx.title('Message ' + id);
  const view = { m: null, error: null, ok: null };
  let timer = null;
  ctx.onLeave(() => clearTimeout(timer));

  async function load() {
    try {
      view.m = await get('messages/' + id);
      view.error = null;
    } catch (e) {
      view.error = explain(e);
    }
    draw();
    clearTimeout(timer);
    // follows a message on its way (after a replay, or while it is retried) until it settles
    if (view.m && !SETTLED.includes(view.m.state)) timer = setTimeout(load, 2000);
  }

  async function replay() {
    const yes = await confirmDialog('Rejouer ce message',
      `Rejouer le message ${view.m.correlationId} (${view.m.partner}/${view.m.flow}) ? Il est validé de nouveau avec les réglages actuels du connecteur, puis remis en file.`,
      'Rejouer');
    if (!yes) return;
    try {
      await post('messages/' + id + '/replay');
      view.ok = 'Message rejoué : il est remis en file. Son état ci-dessous se met à jour.';
    } catch (e) {
      view.error = explain(e);
    }
    await load();
    document.getElementById('etat-actuel')?.focus();
  }

  function draw() {
    const m = view.m;
    ctx.render(html`
      <p><a href="#/journal">← Retour au journal</a></p>
      <h1>Message ${m ? m.correlationId : id}</h1>
      ${okBox(view.ok)}
      ${errorBox(view.error)}
      ${m ? html`
        <p class="etat-actuel" id="etat-actuel" tabindex="-1" role="status">État actuel : ${badge(m.state)}</p>
        ${m.state === 'QUARANTINED' || m.state === 'FAILED' ? html`<section class="pourquoi" aria-labelledby="t-pourquoi">
          <h2 id="t-pourquoi">${m.state === 'FAILED' ? 'Pourquoi ce message est en échec' : 'Pourquoi ce message est en quarantaine'}</h2>
          <p class="raison">${m.lastReason || 'Aucune raison enregistrée.'}</p>
          <p><strong>Que faire :</strong> ${advice(m.lastReason)}</p>
          ${m.state === 'FAILED' ? html`<p>Un nouvel essai est programmé ; rejouer maintenant l'avance.</p>` : nothing}
        </section>` : nothing}
        ${ctx.user.canReplay && canReplay(m) ? html`<div class="barre-actions">
          <button type="button" id="rejouer" @click=${replay}>Rejouer ce message</button></div>` : nothing}
        <section aria-labelledby="t-identite">
          <h2 id="t-identite">Identité</h2>
          <dl class="fiche">
            <dt>Identifiant dans le journal</dt><dd><code>${m.id}</code></dd>
            <dt>Corrélation</dt><dd>${m.correlationId}</dd>
            <dt>Partenaire / flux</dt><dd>${m.partner} / ${m.flow} (${DIRECTIONS[m.direction] || m.direction})</dd>
            <dt>Expéditeur</dt><dd>${m.sender || '—'}</dd>
            <dt>Identifiant chez le partenaire</dt><dd>${m.partnerMessageId || '—'}</dd>
            <dt>Clé d'ordre</dt><dd>${m.orderingKey || '—'}</dd>
            <dt>File</dt><dd>${m.queue || '—'}</dd>
            <dt>Type et taille</dt><dd>${m.contentType || '—'}, ${fmtBytes(m.size)}</dd>
            <dt>Empreinte SHA-256</dt><dd><code>${m.sha256 || '—'}</code></dd>
            <dt>Tentatives de livraison</dt><dd>${fmtNumber(m.attempts)}</dd>
            <dt>Arrivé le</dt><dd>${fmtDateTime(m.createdAt)}</dd>
            <dt>Dernier changement</dt><dd>${fmtDateTime(m.updatedAt)}</dd>
          </dl>
        </section>
        <section aria-labelledby="t-historique">
          <h2 id="t-historique">Historique des états</h2>
          <table class="donnees" id="historique">
            <caption>Chaque état du message, avec sa date, sa raison et qui l'a provoqué</caption>
            <thead><tr><th scope="col">N°</th><th scope="col">État</th><th scope="col">Date</th><th scope="col">Raison</th><th scope="col">Par</th></tr></thead>
            <tbody>${m.history.map((h) => html`<tr><td>${h.seq}</td><td>${badge(h.state)}</td>
              <td>${fmtDateTime(h.at)}</td><td class="raison">${h.reason || ''}</td><td>${h.actor || ''}</td></tr>`)}</tbody>
          </table>
        </section>
        ${payload(m)}` : nothing}`);
  }

  function payload(m) {
    if (!ctx.user.canReadPayloads) {
      return html`<section aria-labelledby="t-contenu"><h2 id="t-contenu">Contenu</h2>
        <p>Le contenu des messages n'est visible que par les administrateurs.</p></section>`;
    }
    if (!m.payloadAvailable || (m.payload === undefined && m.payloadBase64 === undefined)) {
      return html`<section aria-labelledby="t-contenu"><h2 id="t-contenu">Contenu</h2>
        <p>Aucun contenu conservé pour ce message (doublon, refus, ou purgé par la durée de conservation).</p></section>`;
    }
    return html`<section aria-labelledby="t-contenu">
      <h2 id="t-contenu">Contenu (chaque consultation est journalisée à votre nom)</h2>
      ${m.payloadTruncated ? html`<p>Aperçu des 64 premiers Kio seulement.</p>` : nothing}
      ${m.payload !== undefined
        ? html`<pre class="contenu" tabindex="0" aria-label="Aperçu du contenu">${m.payload}</pre>`
        : html`<p>Contenu binaire : téléchargez-le pour le lire.</p>`}
      <p><a href=${m.payloadDownload} download>Télécharger le contenu complet (${fmtBytes(m.size)})</a></p>
    </section>`;
  }

  await load();
}
