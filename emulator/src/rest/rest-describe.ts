import type { Org } from '../state';
import { SOBJECT_TYPES, type SObjectType } from './sobjects';
import { PARENT_RELATIONSHIPS, recordAttributes } from '../soql/soql';

/** Field types by name; sobjects.ts keeps only names, and every other field of Account and Contact is text. */
const FIELD_TYPES: Record<string, string> = {
  Id: 'id',
  CreatedDate: 'datetime',
  LastModifiedDate: 'datetime',
  SystemModstamp: 'datetime',
  Phone: 'phone',
  Website: 'url',
  Email: 'email',
  Description: 'textarea',
};
const FIELD_LENGTHS: Record<string, number> = { id: 18, reference: 18, datetime: 0, phone: 40, email: 80, textarea: 32_000 };
const RECENT_ITEMS_LIMIT = 10;

/** The describeGlobal entry of one type (`GET …/sobjects` lists them; `GET …/sobjects/Type` shows one). */
export function describeSObjectSummary(type: SObjectType, version: string) {
  const base = `/services/data/v${version}/sobjects/${type.name}`;
  return {
    activateable: false,
    createable: true,
    custom: false,
    customSetting: false,
    deletable: true,
    deprecatedAndHidden: false,
    feedEnabled: true,
    keyPrefix: type.keyPrefix,
    label: type.name,
    labelPlural: `${type.name}s`,
    layoutable: true,
    mergeable: true,
    mruEnabled: true,
    name: type.name,
    queryable: true,
    replicateable: true,
    retrieveable: true,
    searchable: true,
    triggerable: true,
    undeletable: true,
    updateable: true,
    urls: { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` },
  };
}

export function describeGlobal(version: string) {
  return { encoding: 'UTF-8', maxBatchSize: 200, sobjects: SOBJECT_TYPES.map((type) => describeSObjectSummary(type, version)) };
}

/** `GET …/sobjects/Type`: the summary and the org's latest records of the type. */
export function describeSObjectBasics(type: SObjectType, org: Org, version: string) {
  const records = [...(org.records.get(type.name)?.values() ?? [])].reverse().slice(0, RECENT_ITEMS_LIMIT);
  return {
    objectDescribe: describeSObjectSummary(type, version),
    recentItems: records.map((record) => ({ attributes: recordAttributes(type.name, record.Id, version), Id: record.Id, Name: record.Name })),
  };
}

/** `GET …/sobjects/Type/describe`: the summary with fields and child relationships. */
export function describeSObject(type: SObjectType, version: string) {
  const childRelationships = Object.entries(PARENT_RELATIONSHIPS).flatMap(([childSObject, relationships]) =>
    relationships
      .filter((relationship) => relationship.typeName === type.name)
      .map((relationship) => ({ cascadeDelete: true, childSObject, field: relationship.idField, relationshipName: `${childSObject}s` })),
  );
  return { ...describeSObjectSummary(type, version), fields: type.fields.map((name) => describeField(type, name)), childRelationships, recordTypeInfos: [] };
}

function describeField(type: SObjectType, name: string) {
  const parent = PARENT_RELATIONSHIPS[type.name]?.find((relationship) => relationship.idField === name);
  const fieldType = parent ? 'reference' : (FIELD_TYPES[name] ?? 'string');
  const isReadOnly = type.readOnly.includes(name);
  return {
    name,
    label: name === 'Id' ? `${type.name} ID` : name.replace(/Id$/, ' ID').replace(/([a-z])([A-Z])/g, '$1 $2'),
    type: fieldType,
    soapType: fieldType === 'id' || fieldType === 'reference' ? 'tns:ID' : fieldType === 'datetime' ? 'xsd:dateTime' : 'xsd:string',
    length: FIELD_LENGTHS[fieldType] ?? 255,
    custom: false,
    nillable: !isReadOnly && !type.required.includes(name),
    createable: !isReadOnly,
    updateable: !isReadOnly,
    defaultedOnCreate: isReadOnly,
    nameField: name === 'Name',
    filterable: fieldType !== 'textarea',
    sortable: fieldType !== 'textarea',
    unique: false,
    referenceTo: parent ? [parent.typeName] : [],
    relationshipName: parent ? parent.name : null,
  };
}
