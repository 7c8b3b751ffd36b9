/** SOQL text to tokens, and the error Salesforce answers for a query it refuses. */

export type SoqlLiteral = string | number | boolean | null | Date;

export type SoqlErrorCode = 'MALFORMED_QUERY' | 'INVALID_TYPE' | 'INVALID_FIELD';

/** A query Salesforce would refuse; the message carries its `ERROR at Row:1:Column:16` pointer. */
export class SoqlError extends Error {
  constructor(
    readonly errorCode: SoqlErrorCode,
    text: string,
    index: number,
    detail: string,
  ) {
    super(pointAt(text, index, detail));
  }
}

/** Salesforce's layout: the offending line, a caret under the column, the position, then the reason. */
function pointAt(text: string, index: number, detail: string): string {
  const before = text.slice(0, index).split('\n');
  const row = before.length;
  const column = before[row - 1].length + 1;
  const line = text.split('\n')[row - 1] ?? '';
  return `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${detail}`;
}

export interface Token {
  kind: 'word' | 'string' | 'number' | 'datetime' | 'symbol' | 'eof';
  text: string;
  index: number;
  value?: SoqlLiteral;
}

const TOKEN_PATTERNS: [Token['kind'], RegExp][] = [
  ['datetime', /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2}))?/],
  ['number', /^-?\d+(?:\.\d+)?/],
  ['word', /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/],
  ['symbol', /^(?:!=|<>|<=|>=|[=<>(),*])/],
];

// Escapes SOQL allows in quoted strings; \% and \_ stay escaped so LIKE can tell them from wildcards.
const STRING_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\', '%': '\\%', _: '\\_' };

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const rest = text.slice(index);
    const space = /^\s+/.exec(rest);
    if (space) {
      index += space[0].length;
      continue;
    }
    if (rest[0] === "'") {
      const token = readString(text, index);
      tokens.push(token);
      index += token.text.length;
      continue;
    }
    const match = TOKEN_PATTERNS.map(([kind, pattern]) => ({ kind, found: pattern.exec(rest) })).find((m) => m.found);
    if (!match?.found) throw new SoqlError('MALFORMED_QUERY', text, index, `no viable alternative at character '${rest[0]}'`);
    const word = match.found[0];
    const value = match.kind === 'number' ? Number(word) : match.kind === 'datetime' ? new Date(word) : undefined;
    tokens.push({ kind: match.kind, text: word, index, value });
    index += word.length;
  }
  tokens.push({ kind: 'eof', text: '<EOF>', index });
  return tokens;
}

function readString(text: string, start: number): Token {
  let value = '';
  for (let i = start + 1; i < text.length; i += 1) {
    const char = text[i];
    if (char === "'") return { kind: 'string', text: text.slice(start, i + 1), index: start, value };
    if (char !== '\\') {
      value += char;
      continue;
    }
    const escaped = STRING_ESCAPES[text[i + 1]];
    if (escaped === undefined) throw new SoqlError('MALFORMED_QUERY', text, i, 'Invalid string literal. Illegal character sequence');
    value += escaped;
    i += 1;
  }
  throw new SoqlError('MALFORMED_QUERY', text, text.length, "mismatched character '<EOF>' expecting '''");
}
