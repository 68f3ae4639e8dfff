// Calls to the hub's operations API (same origin; the browser sends the HTTP Basic credentials it was given).

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  // from the origin: a page opened as http://user:password@host/... may not fetch a URL with credentials in it
  const r = await fetch(location.origin + '/hub/api/' + path, init);
  let data = null;
  try {
    data = await r.json();
  } catch (e) {
    data = null;
  }
  if (!r.ok) {
    throw new ApiError(r.status, (data && data.error) || r.statusText);
  }
  return data;
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body === undefined ? {} : body);

/** A query string from the non-empty values of an object. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && String(v).trim() !== '') {
      q.set(k, String(v).trim());
    }
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

/** What an API error means for the operator, in French. */
export function explain(e) {
  if (e instanceof ApiError) {
    switch (e.status) {
      case 401: return 'Identification refusée : rechargez la page et saisissez votre identifiant.';
      case 403: return 'Votre rôle ne permet pas cette action.';
      case 404: return 'Introuvable : ' + e.message;
      case 409: return 'Impossible : ' + e.message;
      case 429: return 'Trop d\'échecs d\'identification depuis ce poste : réessayez plus tard.';
      default: return 'Erreur du hub (' + e.status + ') : ' + e.message;
    }
  }
  return 'Le hub ne répond pas : ' + e.message;
}
