import { SCOPE_WORDS } from './scopes.js';
import type { EmulatorUser } from './users.js';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font-family:system-ui,sans-serif;background:#121212;color:#eee;max-width:28rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.3rem}button{font-size:1rem;padding:.6rem 1.4rem;border-radius:2rem;border:0;margin-right:.5rem}
#agree{background:#1ed760;color:#000}#cancel{background:#333;color:#eee}label{display:block;margin:.4rem 0}
.note{color:#aaa;font-size:.85rem}`;

/** Hidden fields carry the authorize request through the form post. */
export function consentPage(
  valid: { clientId: string; scopes: string[] },
  query: Record<string, string | undefined>,
  users: EmulatorUser[],
): string {
  const hidden = [
    'client_id',
    'response_type',
    'redirect_uri',
    'state',
    'scope',
    'code_challenge',
    'code_challenge_method',
    'show_dialog',
  ]
    .filter((k) => query[k] !== undefined)
    .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(query[k] as string)}">`)
    .join('\n');
  const scopes = valid.scopes.map((s) => `<li>${escapeHtml(SCOPE_WORDS[s] ?? s)}</li>`).join('');
  const accounts = users
    .map(
      (u, i) =>
        `<label><input type="radio" name="account" value="${u.key}" id="account-${u.key}"${i === 0 ? ' checked' : ''}> ${escapeHtml(u.displayName)}</label>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,">
<title>Spotify (emulator) - Authorize</title><style>${STYLE}</style></head><body><main>
<h1>Connect this app to Spotify?</h1>
<p class="note">Spotify emulator. App: <code>${escapeHtml(valid.clientId)}</code></p>
<form method="post" action="/accounts/authorize">
${hidden}
<fieldset><legend>Log in as</legend>
${accounts}
</fieldset>
<p>The app will be able to:</p><ul>${scopes || '<li>See your public profile</li>'}</ul>
<button type="submit" name="decision" value="agree" id="agree">Agree</button>
<button type="submit" name="decision" value="cancel" id="cancel">Cancel</button>
</form></main></body></html>`;
}

export function errorPage(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error - Spotify (emulator)</title><style>${STYLE}</style></head>
<body><main><h1>Oops! Something went wrong</h1><p id="error">${escapeHtml(message)}</p></main></body></html>`;
}
