/** A SOQL subset: SELECT fields|COUNT() FROM type [WHERE …] [ORDER BY …] [LIMIT n] [OFFSET n]. */

import { SoqlError, tokenize, type SoqlLiteral, type Token } from './soql-lexer';

export type ComparisonOperator = '=' | '!=' | '<' | '>' | '<=' | '>=' | 'like' | 'in' | 'not in';

export interface FieldRef {
  path: string;
  /** Offset in the query text, for Salesforce's `ERROR at Row:r:Column:c` messages. */
  index: number;
}

export type SoqlCondition =
  | { kind: 'and'; conditions: SoqlCondition[] }
  | { kind: 'or'; conditions: SoqlCondition[] }
  | { kind: 'not'; condition: SoqlCondition }
  | { kind: 'compare'; field: FieldRef; operator: ComparisonOperator; value: SoqlLiteral | SoqlLiteral[] };

export interface SoqlOrderBy {
  field: FieldRef;
  isDescending: boolean;
  isNullsLast: boolean;
}

export interface SoqlQuery {
  text: string;
  /** undefined for `SELECT COUNT()`. */
  fields?: FieldRef[];
  from: { name: string; index: number };
  where?: SoqlCondition;
  orderBy: SoqlOrderBy[];
  limit?: number;
  offset?: number;
}

const RESERVED = new Set(['SELECT', 'FROM', 'WHERE', 'ORDER', 'BY', 'LIMIT', 'OFFSET', 'AND', 'OR', 'NOT', 'LIKE', 'IN', 'NULL', 'TRUE', 'FALSE', 'ASC', 'DESC', 'NULLS']);
const OPERATORS: Record<string, ComparisonOperator> = { '=': '=', '!=': '!=', '<>': '!=', '<': '<', '>': '>', '<=': '<=', '>=': '>=' };

/** Parses the SOQL subset; throws SoqlError MALFORMED_QUERY at the first token it cannot take. */
export function parseSoql(text: string): SoqlQuery {
  return new SoqlParser(text).parseQuery();
}

class SoqlParser {
  private readonly tokens: Token[];
  private position = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  parseQuery(): SoqlQuery {
    this.expectKeyword('SELECT');
    const fields = this.acceptCount() ? undefined : this.parseList(() => this.parseField());
    this.expectKeyword('FROM');
    const from = this.parseField();
    const query: SoqlQuery = { text: this.text, fields, from: { name: from.path, index: from.index }, orderBy: [] };
    if (this.acceptKeyword('WHERE')) query.where = this.parseConditions();
    if (this.acceptKeyword('ORDER')) {
      this.expectKeyword('BY');
      query.orderBy = this.parseList(() => this.parseOrderBy());
    }
    if (this.acceptKeyword('LIMIT')) query.limit = this.parseCount();
    if (this.acceptKeyword('OFFSET')) query.offset = this.parseCount();
    if (this.peek().kind !== 'eof') this.fail();
    return query;
  }

  /** `a AND b AND c` or `a OR b OR c`; mixing them needs parentheses, as Salesforce insists. */
  private parseConditions(): SoqlCondition {
    const first = this.parseTerm();
    const connector = this.peekKeyword('AND') ? 'AND' : this.peekKeyword('OR') ? 'OR' : undefined;
    if (!connector) return first;
    const conditions = [first];
    while (this.acceptKeyword(connector)) conditions.push(this.parseTerm());
    if (this.peekKeyword('AND') || this.peekKeyword('OR')) this.fail();
    return connector === 'AND' ? { kind: 'and', conditions } : { kind: 'or', conditions };
  }

  private parseTerm(): SoqlCondition {
    if (this.acceptKeyword('NOT')) return { kind: 'not', condition: this.parseTerm() };
    if (this.acceptSymbol('(')) {
      const inner = this.parseConditions();
      this.expectSymbol(')');
      return inner;
    }
    const field = this.parseField();
    const token = this.peek();
    if (token.kind === 'symbol' && OPERATORS[token.text]) {
      this.position += 1;
      return { kind: 'compare', field, operator: OPERATORS[token.text], value: this.parseLiteral() };
    }
    if (this.acceptKeyword('LIKE')) {
      const pattern = this.peek();
      if (pattern.kind !== 'string') this.fail();
      this.position += 1;
      return { kind: 'compare', field, operator: 'like', value: pattern.value as string };
    }
    const operator = this.acceptKeyword('NOT') ? 'not in' : 'in';
    this.expectKeyword('IN');
    this.expectSymbol('(');
    const values = this.parseList(() => this.parseLiteral());
    this.expectSymbol(')');
    return { kind: 'compare', field, operator, value: values };
  }

  private parseLiteral(): SoqlLiteral {
    const token = this.peek();
    const word = token.kind === 'word' ? token.text.toUpperCase() : '';
    if (token.kind === 'string' || token.kind === 'number' || token.kind === 'datetime') {
      this.position += 1;
      return token.value as SoqlLiteral;
    }
    if (word === 'NULL' || word === 'TRUE' || word === 'FALSE') {
      this.position += 1;
      return word === 'NULL' ? null : word === 'TRUE';
    }
    return this.fail();
  }

  private parseOrderBy(): SoqlOrderBy {
    const field = this.parseField();
    const isDescending = this.acceptKeyword('DESC');
    if (!isDescending) this.acceptKeyword('ASC');
    let isNullsLast = isDescending;
    if (this.acceptKeyword('NULLS')) {
      if (this.acceptKeyword('LAST')) isNullsLast = true;
      else if (this.acceptKeyword('FIRST')) isNullsLast = false;
      else this.fail();
    }
    return { field, isDescending, isNullsLast };
  }

  private parseField(): FieldRef {
    const token = this.peek();
    if (token.kind !== 'word' || RESERVED.has(token.text.toUpperCase())) this.fail();
    this.position += 1;
    return { path: token.text, index: token.index };
  }

  private parseCount(): number {
    const token = this.peek();
    if (token.kind !== 'number' || !Number.isInteger(token.value) || (token.value as number) < 0) this.fail();
    this.position += 1;
    return token.value as number;
  }

  private acceptCount(): boolean {
    const [count, open, close] = this.tokens.slice(this.position, this.position + 3);
    if (count.kind !== 'word' || count.text.toUpperCase() !== 'COUNT' || open?.text !== '(' || close?.text !== ')') return false;
    this.position += 3;
    return true;
  }

  private parseList<T>(parseItem: () => T): T[] {
    const items = [parseItem()];
    while (this.acceptSymbol(',')) items.push(parseItem());
    return items;
  }

  private peek(): Token {
    return this.tokens[this.position];
  }

  private peekKeyword(keyword: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.text.toUpperCase() === keyword;
  }

  private acceptKeyword(keyword: string): boolean {
    if (!this.peekKeyword(keyword)) return false;
    this.position += 1;
    return true;
  }

  private expectKeyword(keyword: string): void {
    if (!this.acceptKeyword(keyword)) this.fail();
  }

  private acceptSymbol(symbol: string): boolean {
    const token = this.peek();
    if (token.kind !== 'symbol' || token.text !== symbol) return false;
    this.position += 1;
    return true;
  }

  private expectSymbol(symbol: string): void {
    if (!this.acceptSymbol(symbol)) this.fail();
  }

  private fail(): never {
    const token = this.peek();
    throw new SoqlError('MALFORMED_QUERY', this.text, token.index, `unexpected token: ${token.text}`);
  }
}
