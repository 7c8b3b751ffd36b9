import type { Org } from '../state';
import { SoqlError, type SoqlLiteral } from './soql-lexer';
import { parseSoql, type ComparisonOperator, type FieldRef, type SoqlCondition, type SoqlQuery } from './soql-parser';
import { canonicalField, findSObjectType, type SObjectRecord, type SObjectType } from '../rest/sobjects';

export { SoqlError } from './soql-lexer';

type FieldValue = SObjectRecord[string];

export interface RecordAttributes {
  type: string;
  url: string;
}

export interface QueriedRecord {
  attributes: RecordAttributes;
  [field: string]: FieldValue | RecordAttributes | QueriedRecord;
}

export interface QueryResult {
  totalSize: number;
  done: true;
  records: QueriedRecord[];
}

/** Lookups to a parent, by child type: a query may follow them (`SELECT Account.Name FROM Contact`). */
export const PARENT_RELATIONSHIPS: Record<string, { name: string; idField: string; typeName: string }[]> = {
  Contact: [{ name: 'Account', idField: 'AccountId', typeName: 'Account' }],
};

interface ResolvedField {
  name: string;
  parent?: { name: string; idField: string; type: SObjectType };
}

const CUSTOM_OBJECT_HINT =
  "If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.";
const CUSTOM_FIELD_HINT =
  "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";
const CUSTOM_RELATIONSHIP_HINT =
  "If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.";

/** The `attributes` Salesforce puts on every record it returns. */
export function recordAttributes(typeName: string, id: FieldValue, apiVersion: string): RecordAttributes {
  return { type: typeName, url: `/services/data/v${apiVersion}/sobjects/${typeName}/${String(id)}` };
}

/** Runs a query over the org's records the way `/query` answers it; throws SoqlError as Salesforce refuses. */
export function runSoql(text: string, org: Org, apiVersion: string): QueryResult {
  const query = parseSoql(text);
  const type = findSObjectType(query.from.name);
  if (!type) throw new SoqlError('INVALID_TYPE', text, query.from.index, `sObject type '${query.from.name}' is not supported. ${CUSTOM_OBJECT_HINT}`);
  const fields = query.fields?.map((ref) => resolveField(query, type, ref));
  const matches = query.where ? compileCondition(query, type, org, query.where) : () => true;
  const sorted = sortRecords(query, type, org, [...(org.records.get(type.name)?.values() ?? [])].filter(matches));
  const offset = query.offset ?? 0;
  const page = sorted.slice(offset, query.limit === undefined ? undefined : offset + query.limit);
  if (!fields) return { totalSize: page.length, done: true, records: [] };
  return { totalSize: page.length, done: true, records: page.map((record) => projectRecord(record, type, fields, org, apiVersion)) };
}

function resolveField(query: SoqlQuery, type: SObjectType, ref: FieldRef): ResolvedField {
  let parts = ref.path.split('.');
  // `SELECT Account.Name FROM Account`: a path may start with the queried object's own name.
  if (parts.length > 1 && parts[0].toLowerCase() === type.name.toLowerCase()) parts = parts.slice(1);
  if (parts.length === 1) return { name: requireField(query, type, parts[0], ref.index) };
  const relationship = PARENT_RELATIONSHIPS[type.name]?.find((r) => r.name.toLowerCase() === parts[0].toLowerCase());
  if (!relationship || parts.length > 2) {
    throw new SoqlError('INVALID_FIELD', query.text, ref.index, `Didn't understand relationship '${parts[0]}' in field path. ${CUSTOM_RELATIONSHIP_HINT}`);
  }
  const parentType = findSObjectType(relationship.typeName)!;
  return { name: requireField(query, parentType, parts[1], ref.index), parent: { ...relationship, type: parentType } };
}

function requireField(query: SoqlQuery, type: SObjectType, name: string, index: number): string {
  const field = canonicalField(type, name);
  if (!field) throw new SoqlError('INVALID_FIELD', query.text, index, `No such column '${name}' on entity '${type.name}'. ${CUSTOM_FIELD_HINT}`);
  return field;
}

function parentOf(org: Org, field: ResolvedField, record: SObjectRecord): SObjectRecord | undefined {
  const parentId = field.parent ? record[field.parent.idField] : undefined;
  return typeof parentId === 'string' ? org.records.get(field.parent!.type.name)?.get(parentId) : undefined;
}

function valueOf(org: Org, field: ResolvedField, record: SObjectRecord): FieldValue {
  const source = field.parent ? parentOf(org, field, record) : record;
  return source?.[field.name] ?? null;
}

function compileCondition(query: SoqlQuery, type: SObjectType, org: Org, condition: SoqlCondition): (record: SObjectRecord) => boolean {
  if (condition.kind === 'not') {
    const inner = compileCondition(query, type, org, condition.condition);
    return (record) => !inner(record);
  }
  if (condition.kind === 'and' || condition.kind === 'or') {
    const parts = condition.conditions.map((c) => compileCondition(query, type, org, c));
    return condition.kind === 'and' ? (record) => parts.every((p) => p(record)) : (record) => parts.some((p) => p(record));
  }
  const field = resolveField(query, type, condition.field);
  return (record) => compareField(valueOf(org, field, record), condition.operator, condition.value);
}

function compareField(actual: FieldValue, operator: ComparisonOperator, expected: SoqlLiteral | SoqlLiteral[]): boolean {
  if (Array.isArray(expected)) {
    const isIn = expected.some((value) => isEqual(actual, value));
    return operator === 'in' ? isIn : !isIn;
  }
  if (operator === 'like') return actual !== null && likePattern(String(expected)).test(String(actual));
  if (operator === '=') return isEqual(actual, expected);
  if (operator === '!=') return !isEqual(actual, expected);
  if (actual === null || expected === null) return false;
  const order = compareLiteral(actual, expected);
  return operator === '<' ? order < 0 : operator === '>' ? order > 0 : operator === '<=' ? order <= 0 : order >= 0;
}

function isEqual(actual: FieldValue, expected: SoqlLiteral): boolean {
  if (actual === null || expected === null) return actual === expected;
  return compareLiteral(actual, expected) === 0;
}

/** Text compares case-insensitively, as SOQL does; dates and numbers by value. */
function compareLiteral(actual: string | number | boolean, expected: Exclude<SoqlLiteral, null>): number {
  if (expected instanceof Date) return Math.sign(Date.parse(String(actual)) - expected.getTime());
  if (typeof expected === 'number') return Math.sign(Number(actual) - expected);
  return compareText(String(actual), String(expected));
}

function compareText(a: string, b: string): number {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  return left < right ? -1 : left > right ? 1 : 0;
}

/** LIKE: `%` any run, `_` one character, `\%` and `\_` literal; case-insensitive and anchored. */
function likePattern(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern[i];
    if (char === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) source += pattern[++i];
    else if (char === '%') source += '.*';
    else if (char === '_') source += '.';
    else source += char.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}

function sortRecords(query: SoqlQuery, type: SObjectType, org: Org, records: SObjectRecord[]): SObjectRecord[] {
  const keys = query.orderBy.map((order) => ({ ...order, field: resolveField(query, type, order.field) }));
  return records.sort((left, right) => {
    for (const key of keys) {
      const order = compareForSort(valueOf(org, key.field, left), valueOf(org, key.field, right), key);
      if (order !== 0) return order;
    }
    return 0;
  });
}

// Nulls go where NULLS FIRST/LAST puts them whatever the direction; only values flip for DESC.
function compareForSort(a: FieldValue, b: FieldValue, key: { isDescending: boolean; isNullsLast: boolean }): number {
  if (a === null || b === null) return a === b ? 0 : (a === null) === key.isNullsLast ? 1 : -1;
  const order = typeof a === 'number' && typeof b === 'number' ? Math.sign(a - b) : compareText(String(a), String(b));
  return key.isDescending ? -order : order;
}

function projectRecord(record: SObjectRecord, type: SObjectType, fields: ResolvedField[], org: Org, apiVersion: string): QueriedRecord {
  const projected: QueriedRecord = { attributes: recordAttributes(type.name, record.Id, apiVersion) };
  for (const field of fields) {
    if (!field.parent) {
      projected[field.name] = record[field.name] ?? null;
      continue;
    }
    const parent = parentOf(org, field, record);
    if (!parent) projected[field.parent.name] = null;
    else {
      const nested = (projected[field.parent.name] ??= { attributes: recordAttributes(field.parent.type.name, parent.Id, apiVersion) }) as QueriedRecord;
      nested[field.name] = parent[field.name] ?? null;
    }
  }
  return projected;
}
