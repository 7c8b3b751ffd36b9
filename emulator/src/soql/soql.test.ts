import { beforeEach, describe, expect, test } from 'vitest';
import { EmulatorState, type Org } from '../state';
import { buildRecord, findSObjectType } from '../rest/sobjects';
import { runSoql, SoqlError } from './soql';

const VERSION = '62.0';

function names(query: string, org: Org): unknown[] {
  return runSoql(query, org, VERSION).records.map((record) => record.Name);
}

function refusal(query: string, org: Org): { errorCode: string; message: string } {
  try {
    runSoql(query, org, VERSION);
  } catch (err) {
    if (err instanceof SoqlError) return { errorCode: err.errorCode, message: err.message };
    throw err;
  }
  throw new Error(`expected ${query} to be refused`);
}

describe('runSoql', () => {
  let org: Org;
  beforeEach(() => {
    org = new EmulatorState().orgByKey('production')!;
  });

  test('when fields are selected in any letter case, then each record has attributes and only those fields, spelled canonically', () => {
    const query = "select id, NAME, billingcity from ACCOUNT where name = 'Edge Communications'";

    const result = runSoql(query, org, VERSION);

    expect(result.totalSize).toBe(1);
    expect(result.done).toBe(true);
    const [record] = result.records;
    expect(Object.keys(record)).toEqual(['attributes', 'Id', 'Name', 'BillingCity']);
    expect(record).toEqual({
      attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${String(record.Id)}` },
      Id: expect.stringMatching(/^001/),
      Name: 'Edge Communications',
      BillingCity: 'Austin',
    });
  });

  test('when a text filter differs only in letter case, then it still matches, as SOQL equality is case-insensitive', () => {
    const query = "SELECT Name FROM Account WHERE Industry = 'APPAREL'";

    const found = names(query, org);

    expect(found).toEqual(['Burlington Textiles Corp of America']);
  });

  test('when filtering with != and = null, then null fields count as different from any text', () => {
    const withoutDescription = 'SELECT Name FROM Account WHERE Description = null';
    const notEdge = "SELECT Name FROM Account WHERE Name != 'Edge Communications' AND Description != null";

    const nullCount = runSoql(withoutDescription, org, VERSION).totalSize;
    const nonNull = names(notEdge, org);

    expect(nullCount).toBe(4);
    expect(nonNull).toEqual([]);
  });

  test('when filtering with LIKE, then % and _ are wildcards and the match ignores case', () => {
    const prefix = "SELECT Name FROM Account WHERE Name LIKE 'pyr%'";
    const single = "SELECT Name FROM Contact WHERE FirstName LIKE 'J_ck'";

    const byPrefix = names(prefix, org);
    const bySingle = names(single, org);

    expect(byPrefix).toEqual(['Pyramid Construction Inc.']);
    expect(bySingle).toEqual(['Jack Rogers']);
  });

  test('when filtering with IN and NOT IN, then records match any or none of the listed values', () => {
    const inQuery = "SELECT Name FROM Account WHERE BillingCity IN ('Austin', 'paris')";
    const notInQuery = "SELECT Name FROM Account WHERE BillingCity NOT IN ('Austin', 'Paris', 'Chicago')";

    const inside = names(inQuery, org);
    const outside = names(notInQuery, org);

    expect(inside).toEqual(['Edge Communications', 'Pyramid Construction Inc.']);
    expect(outside).toEqual(['Burlington Textiles Corp of America']);
  });

  test('when AND and OR are grouped with parentheses and NOT, then they combine; mixed without parentheses, then MALFORMED_QUERY', () => {
    const grouped = "SELECT Name FROM Account WHERE (BillingCity = 'Austin' OR BillingCity = 'Paris') AND NOT Industry = 'Construction'";
    const mixed = "SELECT Name FROM Account WHERE BillingCity = 'Austin' OR BillingCity = 'Paris' AND Industry = 'x'";

    const found = names(grouped, org);
    const error = refusal(mixed, org);

    expect(found).toEqual(['Edge Communications']);
    expect(error.errorCode).toBe('MALFORMED_QUERY');
    expect(error.message).toContain('unexpected token: AND');
  });

  test('when comparing a datetime, numbers or booleans, then values compare by their type', () => {
    const later = 'SELECT Id FROM Account WHERE CreatedDate > 2000-01-01T00:00:00Z';
    const earlier = 'SELECT Id FROM Account WHERE CreatedDate < 2000-01-01T00:00:00.000+00:00';
    const boolean = 'SELECT Id FROM Account WHERE Name = true';

    const laterCount = runSoql(later, org, VERSION).totalSize;
    const earlierCount = runSoql(earlier, org, VERSION).totalSize;
    const booleanCount = runSoql(boolean, org, VERSION).totalSize;

    expect(laterCount).toBe(4);
    expect(earlierCount).toBe(0);
    expect(booleanCount).toBe(0);
  });

  test('when ordering descending with LIMIT and OFFSET, then the page is taken from the sorted records', () => {
    const query = 'SELECT Name FROM Account ORDER BY Name DESC LIMIT 2 OFFSET 1';

    const result = runSoql(query, org, VERSION);

    expect(result.records.map((r) => r.Name)).toEqual(['Grand Hotels & Resorts Ltd', 'Edge Communications']);
    expect(result.totalSize).toBe(2);
  });

  test('when ordering by a field with nulls, then nulls come first ascending, last descending, or where NULLS says', () => {
    const account = findSObjectType('Account')!;
    const described = buildRecord(account, { Name: 'Zeta', Description: 'has one' });
    org.records.get('Account')!.set(String(described.Id), described);

    const ascending = names('SELECT Name FROM Account ORDER BY Description ASC, Name LIMIT 2', org);
    const descending = names('SELECT Name FROM Account ORDER BY Description DESC LIMIT 1', org);
    const nullsLast = names('SELECT Name FROM Account ORDER BY Description ASC NULLS LAST LIMIT 1', org);

    expect(ascending).toEqual(['Burlington Textiles Corp of America', 'Edge Communications']);
    expect(descending).toEqual(['Zeta']);
    expect(nullsLast).toEqual(['Zeta']);
  });

  test('when selecting COUNT(), then totalSize counts the matches and records is empty', () => {
    const query = "SELECT COUNT() FROM Contact WHERE Title = 'SVP, Administration and Finance'";

    const result = runSoql(query, org, VERSION);

    expect(result).toEqual({ totalSize: 2, done: true, records: [] });
  });

  test('when a Contact query follows Account.Name, then each record nests its parent account with attributes', () => {
    const query = "SELECT Name, Account.Name FROM Contact WHERE Account.BillingCity = 'Burlington'";

    const [record] = runSoql(query, org, VERSION).records;

    expect(record.Name).toBe('Jack Rogers');
    expect(record.Account).toEqual({
      attributes: { type: 'Account', url: expect.stringMatching(/^\/services\/data\/v62\.0\/sobjects\/Account\/001/) },
      Name: 'Burlington Textiles Corp of America',
    });
  });

  test('when a string holds an escaped quote, then it is read as one quote character', () => {
    const account = findSObjectType('Account')!;
    const record = buildRecord(account, { Name: "O'Reilly Media" });
    org.records.get('Account')!.set(String(record.Id), record);

    const found = names("SELECT Name FROM Account WHERE Name = 'O\\'Reilly Media'", org);

    expect(found).toEqual(["O'Reilly Media"]);
  });

  test('when a keyword is misspelled, then MALFORMED_QUERY points at the unexpected token', () => {
    const query = 'SELECT Id FRM Account';

    const error = refusal(query, org);

    expect(error).toEqual({ errorCode: 'MALFORMED_QUERY', message: '\nSELECT Id FRM Account\n          ^\nERROR at Row:1:Column:11\nunexpected token: FRM' });
  });

  test('when the query is cut short or has an unterminated string, then MALFORMED_QUERY', () => {
    const cutShort = refusal('SELECT Id FROM', org);
    const unterminated = refusal("SELECT Id FROM Account WHERE Name = 'Edge", org);
    const badLimit = refusal('SELECT Id FROM Account LIMIT -1', org);

    expect(cutShort.errorCode).toBe('MALFORMED_QUERY');
    expect(cutShort.message).toContain('unexpected token: <EOF>');
    expect(unterminated.errorCode).toBe('MALFORMED_QUERY');
    expect(badLimit.errorCode).toBe('MALFORMED_QUERY');
  });

  test("when the object does not exist, then INVALID_TYPE with Salesforce's pointer and wording", () => {
    const query = 'SELECT Id FROM Foo';

    const error = refusal(query, org);

    expect(error).toEqual({
      errorCode: 'INVALID_TYPE',
      message:
        "\nSELECT Id FROM Foo\n               ^\nERROR at Row:1:Column:16\nsObject type 'Foo' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
    });
  });

  test('when a selected, filtered or ordered field does not exist, then INVALID_FIELD names the column and entity', () => {
    const selected = refusal('SELECT Id, Foo FROM Account', org);
    const filtered = refusal("SELECT Id FROM Account WHERE Bar = 'x'", org);
    const ordered = refusal('SELECT Id FROM Account ORDER BY Baz', org);
    const relationship = refusal('SELECT Owner.Name FROM Account', org);

    expect(selected.errorCode).toBe('INVALID_FIELD');
    expect(selected.message).toContain("ERROR at Row:1:Column:12\nNo such column 'Foo' on entity 'Account'.");
    expect(filtered.message).toContain("No such column 'Bar' on entity 'Account'.");
    expect(ordered.message).toContain("No such column 'Baz' on entity 'Account'.");
    expect(relationship.errorCode).toBe('INVALID_FIELD');
    expect(relationship.message).toContain("Didn't understand relationship 'Owner'");
  });
});
