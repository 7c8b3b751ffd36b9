import { newRecordId } from '../ids';

/** The sObjects the emulator knows, with their key prefixes and fields (Salesforce's spelling). */
export interface SObjectType {
  name: string;
  keyPrefix: string;
  fields: string[];
  /** Fields a create must give (REQUIRED_FIELD_MISSING otherwise). */
  required: string[];
  /** Fields the client may not write. */
  readOnly: string[];
}

const SYSTEM_FIELDS = ['Id', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp'];

export const SOBJECT_TYPES: SObjectType[] = [
  {
    name: 'Account',
    keyPrefix: '001',
    fields: [...SYSTEM_FIELDS, 'Name', 'Industry', 'BillingCity', 'Phone', 'Website', 'Description'],
    required: ['Name'],
    readOnly: SYSTEM_FIELDS,
  },
  {
    name: 'Contact',
    keyPrefix: '003',
    fields: [...SYSTEM_FIELDS, 'FirstName', 'LastName', 'Name', 'Email', 'Title', 'Phone', 'AccountId'],
    required: ['LastName'],
    readOnly: [...SYSTEM_FIELDS, 'Name'],
  },
];

export type SObjectRecord = Record<string, string | number | boolean | null>;

/** The type by name, case-insensitively as SOQL and the REST paths allow. */
export function findSObjectType(name: string): SObjectType | undefined {
  return SOBJECT_TYPES.find((type) => type.name.toLowerCase() === name.toLowerCase());
}

/** The field's canonical spelling, or undefined when the type has no such field. */
export function canonicalField(type: SObjectType, field: string): string | undefined {
  return type.fields.find((f) => f.toLowerCase() === field.toLowerCase());
}

/** A new record with system fields set; Contact.Name is derived like Salesforce's compound name. */
export function buildRecord(type: SObjectType, values: SObjectRecord, now = new Date()): SObjectRecord {
  const timestamp = now.toISOString().replace('Z', '+0000');
  const record: SObjectRecord = { Id: newRecordId(type.keyPrefix), CreatedDate: timestamp, LastModifiedDate: timestamp, SystemModstamp: timestamp };
  for (const field of type.fields) if (!(field in record)) record[field] = values[field] ?? null;
  return deriveFields(type, record);
}

export function deriveFields(type: SObjectType, record: SObjectRecord): SObjectRecord {
  if (type.name === 'Contact') record.Name = [record.FirstName, record.LastName].filter(Boolean).join(' ');
  return record;
}
