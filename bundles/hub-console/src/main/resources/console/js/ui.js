// Shared pieces of the pages.
import { html, nothing } from '../vendor/lit-html/lit-html.js';
import { stateLabel } from './format.js';

export const badge = (state) => html`<span class="etat etat-${state.toLowerCase()}">${stateLabel(state)}</span>`;

export const health = (status) => html`<span class="sante sante-${status === 'UP' ? 'ok' : 'ko'}">${status === 'UP' ? 'Disponible' : 'Indisponible'}</span>`;

export const errorBox = (message) => (message ? html`<div class="alerte" role="alert">${message}</div>` : nothing);

export const okBox = (message) => (message ? html`<div class="succes" role="status">${message}</div>` : nothing);

/**
 * Asks for a confirmation in a modal dialog (native <dialog>: focus kept inside, Échap cancels); resolves to
 * true when confirmed.
 */
export function confirmDialog(title, text, confirmLabel) {
  return new Promise((resolve) => {
    const d = document.createElement('dialog');
    d.className = 'confirmation';
    d.setAttribute('aria-labelledby', 'dialogue-titre');
    const h = document.createElement('h2');
    h.id = 'dialogue-titre';
    h.textContent = title;
    const p = document.createElement('p');
    p.textContent = text;
    const actions = document.createElement('div');
    actions.className = 'actions';
    const no = document.createElement('button');
    no.type = 'button';
    no.textContent = 'Annuler';
    no.className = 'secondaire';
    const yes = document.createElement('button');
    yes.type = 'button';
    yes.textContent = confirmLabel;
    yes.id = 'confirmer';
    actions.append(no, yes);
    d.append(h, p, actions);
    document.body.append(d);
    const end = (v) => {
      d.close();
      d.remove();
      resolve(v);
    };
    no.addEventListener('click', () => end(false));
    yes.addEventListener('click', () => end(true));
    d.addEventListener('cancel', (ev) => {
      ev.preventDefault();
      end(false);
    });
    d.showModal();
    no.focus();
  });
}

/** What an operator should do about a quarantined or failed message, from its reason (in French). */
export function advice(reason) {
  const r = reason || '';
  if (/handed back by the broker/i.test(r)) {
    return "Le hub s'est arrêté plusieurs fois en traitant ce message : lire data/log/karaf.log à l'heure indiquée et faire corriger la cause avant de rejouer.";
  }
  if (/too large|larger than|413/i.test(r)) {
    return "Message trop volumineux pour ce flux : le partenaire doit le découper, ou la limite du flux doit être revue ; le rejeu redonnera le même refus.";
  }
  if (/line \d+|column|schema|xsd|invalid|not well-formed|unexpected|rule|required|json/i.test(r)) {
    return 'Message invalide : faire corriger les données par le partenaire (la règle, la ligne et le champ sont indiqués), puis rejouer si le message corrigé est celui-ci.';
  }
  if (/HTTP (400|405|410|411|414|415|422)|rejected by/i.test(r)) {
    return 'Refusé par le partenaire pour ce message : vérifier son contenu et la réponse du partenaire ; rejouer une fois la cause corrigée chez lui ou dans les réglages du connecteur.';
  }
  if (/failed \d+ times|attempts|HTTP (5\d\d|429|401|403|408)|refused|timed? ?out|unreachable|connection/i.test(r)) {
    return "Le partenaire n'a pas répondu correctement pendant toutes les tentatives : vérifier sa santé dans la vue d'ensemble (ou ses identifiants), puis rejouer.";
  }
  return 'Lire le détail et l\'historique du message, corriger la cause, puis rejouer.';
}

/** A reason with its variable parts (numbers, ids) blanked, to group messages that failed for the same cause. */
export function reasonKind(reason) {
  return (reason || 'sans raison')
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, '…')
    .replace(/\d+/g, 'n')
    .slice(0, 160);
}

export const canReplay = (m) => m.state === 'QUARANTINED' || m.state === 'FAILED';
