import path from 'node:path';
import type { Org, PendingAuthorization } from '../state';

/** SLDS from the design-system package, so the emulator's pages look like Salesforce's. */
export function sldsStylesheet(): string {
  return path.join(path.dirname(require.resolve('@salesforce-ux/design-system/package.json')), 'assets/styles/salesforce-lightning-design-system.css');
}

/** The page's CSP: no scripts at all, styles from the emulator itself. */
export const PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en" class="slds-theme_shade"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="stylesheet" href="/emulator-assets/slds.css"></head>
<body class="slds-theme_shade">
<div class="slds-grid slds-grid_align-center slds-p-top_xx-large"><div class="slds-col slds-size_1-of-1 slds-medium-size_1-of-2 slds-large-size_1-of-3 slds-p-horizontal_medium">
${body}
</div></div></body></html>`;
}

/** "Allow access?": Salesforce's approval page, with a choice of the org's demo users. */
export function consentPage(pending: PendingAuthorization, org: Org, preselect?: string): string {
  const users = org.users
    .filter((user) => user.isActive)
    .map((user) => {
      const checked = user.username === preselect || (!preselect && user === org.users.find((u) => u.isActive)) ? ' checked' : '';
      return `<span class="slds-radio"><input type="radio" id="user-${user.id}" name="user_id" value="${user.id}"${checked}>
<label class="slds-radio__label" for="user-${user.id}"><span class="slds-radio_faux"></span><span class="slds-form-element__label">${escapeHtml(user.firstName)} ${escapeHtml(user.lastName)} (${escapeHtml(user.username)})</span></label></span>`;
    })
    .join('\n');
  const scopes = pending.scope
    .split(' ')
    .map((scope) => `<li class="slds-item">${escapeHtml(SCOPE_LABELS[scope] ?? scope)}</li>`)
    .join('');
  return page(
    'Allow Access? | Salesforce',
    `<article class="slds-card">
<div class="slds-card__header"><h1 class="slds-text-heading_medium">Allow Access?</h1>
<p class="slds-text-body_small slds-m-top_x-small">Salesforce emulator &middot; ${escapeHtml(org.name)}${org.isSandbox ? ' (sandbox)' : ''}</p></div>
<div class="slds-card__body slds-card__body_inner">
<form method="post" action="/services/oauth2/authorize/decision">
<input type="hidden" name="request_id" value="${escapeHtml(pending.id)}">
<fieldset class="slds-form-element slds-m-bottom_medium"><legend class="slds-form-element__legend slds-form-element__label">Sign in as</legend>
<div class="slds-form-element__control">${users}</div></fieldset>
<p class="slds-m-bottom_x-small">This app is asking to:</p>
<ul class="slds-list_dotted slds-m-bottom_medium">${scopes}</ul>
<div class="slds-grid slds-grid_align-end">
<button class="slds-button slds-button_neutral" type="submit" name="decision" value="deny">Deny</button>
<button class="slds-button slds-button_brand" type="submit" name="decision" value="allow">Allow</button>
</div></form></div></article>`,
  );
}

/** What Salesforce shows instead of redirecting when the client or callback cannot be trusted. */
export function errorPage(error: string, description: string): string {
  return page('Error | Salesforce', `<div class="slds-notify slds-notify_alert slds-alert_error" role="alert"><h2>error=${escapeHtml(error)}&nbsp;&middot; ${escapeHtml(description)}</h2></div>`);
}

const SCOPE_LABELS: Record<string, string> = {
  api: 'Manage user data via APIs (api)',
  refresh_token: 'Perform requests at any time (refresh_token, offline_access)',
  offline_access: 'Perform requests at any time (refresh_token, offline_access)',
  id: 'Access the identity URL service (id, profile, email, address, phone)',
  openid: 'Access unique user identifiers (openid)',
  full: 'Full access (full)',
  web: 'Manage user data via Web browsers (web)',
};
