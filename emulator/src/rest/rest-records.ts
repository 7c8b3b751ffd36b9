import type { Org } from '../state';
import { canonicalField, deriveFields, findSObjectType, type SObjectRecord, type SObjectType } from './sobjects';
import { PARENT_RELATIONSHIPS, recordAttributes, type QueriedRecord } from '../soql/soql';

/** One entry of Salesforce's REST error array. */
export interface RestError {
  message: string;
  errorCode: string;
  fields?: string[];
}

export type WriteMode = 'insert' | 'update';

const UNKNOWN_FIELD_HINT =
  "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";

function recordsOf(org: Org, type: SObjectType): Map<string, SObjectRecord> {
  let records = org.records.get(type.name);
  if (!records) org.records.set(type.name, (records = new Map()));
  return records;
}

/** The record by its 18-character id or, as Salesforce also accepts, its case-sensitive 15-character form. */
export function findRecord(org: Org, type: SObjectType, id: string): SObjectRecord | undefined {
  const records = recordsOf(org, type);
  if (id.length === 15) return [...records.values()].find((record) => String(record.Id).slice(0, 15) === id);
  return id.length === 18 ? records.get(id) : undefined;
}

/** The record with attributes first, then all fields or the `?fields=` list; an unknown field is INVALID_FIELD. */
export function presentRecord(type: SObjectType, record: SObjectRecord, version: string, fieldList?: string): { record: QueriedRecord } | { error: RestError } {
  const requested = fieldList === undefined ? type.fields : fieldList.split(',').map((name) => name.trim());
  const presented: QueriedRecord = { attributes: recordAttributes(type.name, record.Id, version) };
  for (const name of requested) {
    const field = canonicalField(type, name);
    if (!field) return { error: { message: `No such column '${name}' on entity '${type.name}'. ${UNKNOWN_FIELD_HINT}`, errorCode: 'INVALID_FIELD' } };
    presented[field] = record[field] ?? null;
  }
  return { record: presented };
}

/**
 * The values a create or update body sets, checked in Salesforce's order: the JSON shape and
 * unknown fields, then read-only fields, required fields and lookups.
 */
export function readRecordValues(org: Org, type: SObjectType, body: unknown, mode: WriteMode): { values: SObjectRecord } | { error: RestError } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { error: { message: `Cannot deserialize instance of ${type.name} from ${Array.isArray(body) ? 'START_ARRAY' : 'VALUE'} token`, errorCode: 'JSON_PARSER_ERROR' } };
  }
  const values: SObjectRecord = {};
  for (const [name, value] of Object.entries(body)) {
    if (name === 'attributes') continue; // clients echo the attributes of a record they read; Salesforce ignores them
    const field = canonicalField(type, name);
    if (!field) return { error: { message: `No such column '${name}' on sobject of type ${type.name}`, errorCode: 'INVALID_FIELD' } };
    if (value !== null && typeof value === 'object') {
      return { error: { message: `Cannot deserialize instance of string from START_OBJECT value for field ${field}`, errorCode: 'JSON_PARSER_ERROR' } };
    }
    // Salesforce stores an empty text value as null.
    values[field] = value === null || value === '' ? null : String(value);
  }
  const error = checkReadOnly(type, values, mode) ?? checkRequired(type, values, mode) ?? checkLookups(org, type, values);
  return error ? { error } : { values };
}

function checkReadOnly(type: SObjectType, values: SObjectRecord, mode: WriteMode): RestError | undefined {
  const readOnly = Object.keys(values).filter((field) => type.readOnly.includes(field));
  if (readOnly.length === 0) return undefined;
  const action = mode === 'insert' ? 'create' : 'update';
  return {
    message: `Unable to ${action} fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
    errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
    fields: readOnly,
  };
}

function checkRequired(type: SObjectType, values: SObjectRecord, mode: WriteMode): RestError | undefined {
  // An update only fails when it clears a required field; an insert must give them all.
  const missing = type.required.filter((field) => (mode === 'insert' ? values[field] == null : field in values && values[field] === null));
  if (missing.length === 0) return undefined;
  return { message: `Required fields are missing: [${missing.join(', ')}]`, errorCode: 'REQUIRED_FIELD_MISSING', fields: missing };
}

function checkLookups(org: Org, type: SObjectType, values: SObjectRecord): RestError | undefined {
  for (const relationship of PARENT_RELATIONSHIPS[type.name] ?? []) {
    const parentId = values[relationship.idField];
    if (parentId == null) continue;
    const parent = findRecord(org, findSObjectType(relationship.typeName)!, String(parentId));
    if (parent) {
      values[relationship.idField] = parent.Id; // stored as the 18-character id, whichever form was sent
      continue;
    }
    return {
      message: `${relationship.name} ID: id value of incorrect type: ${String(parentId)}`,
      errorCode: 'FIELD_INTEGRITY_EXCEPTION',
      fields: [relationship.idField],
    };
  }
  return undefined;
}

/** Stores a new record (ids and timestamps set by buildRecord's caller) in the org. */
export function insertRecord(org: Org, type: SObjectType, record: SObjectRecord): void {
  recordsOf(org, type).set(String(record.Id), record);
}

/** Applies an update the way Salesforce stamps it: new LastModifiedDate and SystemModstamp, derived fields recomputed. */
export function updateRecord(type: SObjectType, record: SObjectRecord, values: SObjectRecord, now = new Date()): void {
  const timestamp = now.toISOString().replace('Z', '+0000');
  Object.assign(record, values, { LastModifiedDate: timestamp, SystemModstamp: timestamp });
  deriveFields(type, record);
}

/** Deletes the record and, like Salesforce's cascade from Account, the children that look it up. */
export function deleteRecord(org: Org, type: SObjectType, record: SObjectRecord): void {
  recordsOf(org, type).delete(String(record.Id));
  for (const [childName, relationships] of Object.entries(PARENT_RELATIONSHIPS)) {
    const childType = findSObjectType(childName)!;
    for (const relationship of relationships.filter((r) => r.typeName === type.name)) {
      for (const child of [...recordsOf(org, childType).values()]) {
        if (child[relationship.idField] === record.Id) deleteRecord(org, childType, child);
      }
    }
  }
}
