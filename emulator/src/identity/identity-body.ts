import type { EmulatorContext } from '../context';
import type { Org, OrgUser } from '../state';
import { identityUrl } from '../oauth/oauth-responses';

const LATEST_VERSION = '62.0';

/** The identity URL's 200 body, with the fields of Salesforce's own Mobile SDK sample. */
export function identityBody(ctx: EmulatorContext, org: Org, user: OrgUser, version?: string): Record<string, unknown> {
  const instance = ctx.origins[org.instanceHost];
  const v = version === 'latest' ? LATEST_VERSION : (version ?? '{version}');
  const org15 = org.id.slice(0, 15);
  return {
    id: identityUrl(ctx, org, user),
    asserted_user: true,
    user_id: user.id,
    organization_id: org.id,
    username: user.username,
    nick_name: user.username.split('@')[0],
    display_name: `${user.firstName} ${user.lastName}`,
    email: user.email,
    email_verified: true,
    first_name: user.firstName,
    last_name: user.lastName,
    timezone: 'America/Los_Angeles',
    photos: { picture: `${instance}/profilephoto/005/F`, thumbnail: `${instance}/profilephoto/005/T` },
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: 'US',
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: {
      enterprise: `${instance}/services/Soap/c/${v}/${org15}`,
      metadata: `${instance}/services/Soap/m/${v}/${org15}`,
      partner: `${instance}/services/Soap/u/${v}/${org15}`,
      rest: `${instance}/services/data/v${v}/`,
      sobjects: `${instance}/services/data/v${v}/sobjects/`,
      search: `${instance}/services/data/v${v}/search/`,
      query: `${instance}/services/data/v${v}/query/`,
      recent: `${instance}/services/data/v${v}/recent/`,
      tooling_soap: `${instance}/services/Soap/T/${v}/${org15}`,
      tooling_rest: `${instance}/services/data/v${v}/tooling/`,
      profile: `${instance}/${user.id}`,
      feeds: `${instance}/services/data/v${v}/chatter/feeds`,
      groups: `${instance}/services/data/v${v}/chatter/groups`,
      users: `${instance}/services/data/v${v}/chatter/users`,
      feed_items: `${instance}/services/data/v${v}/chatter/feed-items`,
      feed_elements: `${instance}/services/data/v${v}/chatter/feed-elements`,
      custom_domain: instance,
    },
    active: user.isActive,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28800000,
    last_modified_date: '2026-01-15T09:30:00Z',
    is_app_installed: true,
  };
}

/** OpenID Connect userinfo for the token's user. */
export function userInfoBody(ctx: EmulatorContext, org: Org, user: OrgUser): Record<string, unknown> {
  const instance = ctx.origins[org.instanceHost];
  return {
    sub: identityUrl(ctx, org, user),
    user_id: user.id,
    organization_id: org.id,
    preferred_username: user.username,
    nickname: user.username.split('@')[0],
    name: `${user.firstName} ${user.lastName}`,
    email: user.email,
    email_verified: true,
    given_name: user.firstName,
    family_name: user.lastName,
    zoneinfo: 'America/Los_Angeles',
    photos: { picture: `${instance}/profilephoto/005/F`, thumbnail: `${instance}/profilephoto/005/T` },
    profile: `${instance}/${user.id}`,
    picture: `${instance}/profilephoto/005/F`,
    address: { country: 'US' },
    is_salesforce_integration_user: false,
    urls: (identityBody(ctx, org, user, 'latest') as { urls: unknown }).urls,
    active: user.isActive,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28800000,
    updated_at: '2026-01-15T09:30:00Z',
    is_app_installed: true,
  };
}
