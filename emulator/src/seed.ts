/** The orgs, users and records every emulator starts with (and returns to on reset). */

export type HostKey = 'login' | 'test' | 'na1' | 'cs1' | 'na2';

/** Every host the emulator serves, in port order: `--port 4000` gives login 4000 … na2 4004. */
export const HOST_KEYS: HostKey[] = ['login', 'test', 'na1', 'cs1', 'na2'];

export interface SeedUser {
  id: string;
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  title: string;
}

export interface SeedOrg {
  id: string;
  key: 'production' | 'sandbox';
  name: string;
  isSandbox: boolean;
  /** Where its users sign in (login.salesforce.com or test.salesforce.com). */
  loginHost: HostKey;
  /** Its instance (also its My Domain). */
  instanceHost: HostKey;
  users: SeedUser[];
  accounts: { Name: string; Industry: string; BillingCity: string; Phone: string; Website: string }[];
  contacts: { FirstName: string; LastName: string; Email: string; Title: string; account: number }[];
}

export const SEED_ORGS: SeedOrg[] = [
  {
    id: '00D5g00000PRODAEAQ',
    key: 'production',
    name: 'Acme Corporation',
    isSandbox: false,
    loginHost: 'login',
    instanceHost: 'na1',
    users: [
      { id: '0055g00000ADAUSRAQ', username: 'ada@acme.example', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@acme.example', title: 'System Administrator' },
      { id: '0055g00000GRACEUAQ', username: 'grace@acme.example', firstName: 'Grace', lastName: 'Hopper', email: 'grace@acme.example', title: 'Integration User' },
    ],
    accounts: [
      { Name: 'Edge Communications', Industry: 'Electronics', BillingCity: 'Austin', Phone: '(512) 757-6000', Website: 'http://edgecomm.example' },
      { Name: 'Burlington Textiles Corp of America', Industry: 'Apparel', BillingCity: 'Burlington', Phone: '(336) 222-7000', Website: 'http://burlington.example' },
      { Name: 'Pyramid Construction Inc.', Industry: 'Construction', BillingCity: 'Paris', Phone: '(014) 427-4427', Website: 'http://pyramid.example' },
      { Name: 'Grand Hotels & Resorts Ltd', Industry: 'Hospitality', BillingCity: 'Chicago', Phone: '(312) 596-1000', Website: 'http://grandhotels.example' },
    ],
    contacts: [
      { FirstName: 'Rose', LastName: 'Gonzalez', Email: 'rose@edge.example', Title: 'SVP, Procurement', account: 0 },
      { FirstName: 'Sean', LastName: 'Forbes', Email: 'sean@edge.example', Title: 'CFO', account: 0 },
      { FirstName: 'Jack', LastName: 'Rogers', Email: 'jrogers@burlington.example', Title: 'VP, Facilities', account: 1 },
      { FirstName: 'Pat', LastName: 'Stumuller', Email: 'pat@pyramid.example', Title: 'SVP, Administration and Finance', account: 2 },
      { FirstName: 'Tim', LastName: 'Barr', Email: 'barr_tim@grandhotels.example', Title: 'SVP, Administration and Finance', account: 3 },
    ],
  },
  {
    id: '00D5g00000SBOXAEAQ',
    key: 'sandbox',
    name: 'Acme Corporation (UAT sandbox)',
    isSandbox: true,
    loginHost: 'test',
    instanceHost: 'cs1',
    users: [{ id: '0055g00000SBXUSRAQ', username: 'ada@acme.example.uat', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@acme.example', title: 'System Administrator' }],
    accounts: [{ Name: 'Sandbox Test Account', Industry: 'Technology', BillingCity: 'San Francisco', Phone: '(415) 555-0100', Website: 'http://sandbox.example' }],
    contacts: [{ FirstName: 'Sandy', LastName: 'Tester', Email: 'sandy@sandbox.example', Title: 'QA Lead', account: 0 }],
  },
];
