/**
 * A reader for the strict subset of YAML that the chart's values.yaml is written in, because no YAML
 * parser is a dependency of Caravan. Anything outside the subset is an error naming the line, never a
 * guess, so values.yaml cannot drift into YAML this reader would get wrong:
 * - block mappings with plain keys (`name:`), indented by spaces; block sequences (`- item`), whose
 *   items are scalars or mappings;
 * - scalars: double-quoted (JSON escapes), single-quoted, plain; the empty flow collections `[]` and `{}`;
 * - plain scalars resolve as in YAML 1.2's core schema (null, true/false, integers, floats, strings),
 *   and those YAML 1.1 readers (Helm's among them) would read otherwise are refused: `yes`/`no`/`on`/`off`,
 *   octal-looking `0755`, sexagesimal `1:30`;
 * - `#` comments, on their own line or after a value.
 * Not accepted: tabs, anchors and aliases, tags, block scalars (`|`, `>`), flow collections with
 * content, multi-line scalars, several documents, duplicate keys.
 */
export class YamlSubsetError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'YamlSubsetError';
  }
}

export type YamlValue = null | boolean | number | string | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  number: number;
  indent: number;
  text: string;
}

export function parseYamlSubset(source: string): { [key: string]: YamlValue } {
  const lines: Line[] = [];
  source.split(/\r?\n/).forEach((raw, index) => {
    const number = index + 1;
    const indentation = /^[ \t]*/.exec(raw)![0];
    if (indentation.includes('\t')) throw new YamlSubsetError(number, 'tabs are not allowed in indentation');
    const text = raw.slice(indentation.length).trimEnd();
    if (text === '' || text.startsWith('#')) return;
    if (text === '---' || text === '...')
      throw new YamlSubsetError(number, 'document markers are not supported: one document only');
    lines.push({ number, indent: indentation.length, text });
  });
  if (lines.length === 0) return {};
  if (lines[0].indent !== 0)
    throw new YamlSubsetError(lines[0].number, 'the document must start at column 1');
  const reader = new BlockReader(lines);
  const value = reader.block(0);
  if (reader.position < lines.length)
    throw new YamlSubsetError(lines[reader.position].number, 'unexpected indentation');
  if (!isMapping(value)) throw new YamlSubsetError(lines[0].number, 'the document must be a mapping');
  return value;
}

function isMapping(value: YamlValue): value is { [key: string]: YamlValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const KEY = /^([A-Za-z0-9_][A-Za-z0-9_.\-/]*):(?: +(.*))?$/;

class BlockReader {
  position = 0;

  constructor(private readonly lines: Line[]) {}

  /** The block whose first line is the current one, at exactly `indent`. */
  block(indent: number): YamlValue {
    const first = this.lines[this.position];
    return first.text === '-' || first.text.startsWith('- ') ? this.sequence(indent) : this.mapping(indent);
  }

  private mapping(indent: number): { [key: string]: YamlValue } {
    const result: { [key: string]: YamlValue } = {};
    while (this.position < this.lines.length) {
      const line = this.lines[this.position];
      if (line.indent < indent) break;
      if (line.indent > indent) throw new YamlSubsetError(line.number, 'unexpected indentation');
      if (line.text.startsWith('- ') || line.text === '-')
        throw new YamlSubsetError(line.number, 'a sequence item where a mapping key was expected');
      const match = KEY.exec(line.text);
      if (!match)
        throw new YamlSubsetError(line.number, `expected "key: value" with a plain key (got "${line.text}")`);
      const [, key, rest] = match;
      if (Object.prototype.hasOwnProperty.call(result, key))
        throw new YamlSubsetError(line.number, `duplicate key "${key}"`);
      this.position++;
      const value = rest === undefined ? undefined : withoutComment(rest, line.number);
      result[key] = value === undefined || value === '' ? this.nested(indent) : scalar(value, line.number);
    }
    return result;
  }

  private sequence(indent: number): YamlValue[] {
    const result: YamlValue[] = [];
    while (this.position < this.lines.length) {
      const line = this.lines[this.position];
      if (line.indent < indent) break;
      if (line.indent > indent) throw new YamlSubsetError(line.number, 'unexpected indentation');
      if (!(line.text === '-' || line.text.startsWith('- ')))
        throw new YamlSubsetError(line.number, 'a mapping key where a sequence item was expected');
      if (line.text === '-') {
        this.position++;
        result.push(this.nested(indent));
        continue;
      }
      const rest = line.text.slice(2).replace(/^ +/, '');
      const itemIndent = indent + (line.text.length - rest.length);
      if (KEY.test(rest)) {
        // `- key: value`: the item is a mapping whose first key sits where `key` is; read it as such.
        this.lines[this.position] = { number: line.number, indent: itemIndent, text: rest };
        result.push(this.mapping(itemIndent));
      } else {
        this.position++;
        result.push(scalar(withoutComment(rest, line.number), line.number));
      }
    }
    return result;
  }

  /** What follows `key:` or `-` with nothing after it: a deeper block, or null when there is none. */
  private nested(indent: number): YamlValue {
    const next = this.lines[this.position];
    if (next === undefined || next.indent <= indent) {
      // `key:` then a sequence at the same indent is valid YAML, but not in this subset.
      if (next && next.indent === indent && next.text.startsWith('- ')) {
        throw new YamlSubsetError(next.number, 'indent sequence items under their key');
      }
      return null;
    }
    return this.block(next.indent);
  }
}

/** The value text without a trailing `# comment`; quoted values must end at their closing quote. */
function withoutComment(text: string, line: number): string {
  const quote = text[0];
  if (quote === '"' || quote === "'") {
    let end = 1;
    while (end < text.length) {
      if (quote === '"' && text[end] === '\\') end += 2;
      else if (quote === "'" && text[end] === "'" && text[end + 1] === "'") end += 2;
      else if (text[end] === quote) break;
      else end++;
    }
    if (end >= text.length)
      throw new YamlSubsetError(line, 'unterminated quoted string (multi-line scalars are not supported)');
    const after = text.slice(end + 1);
    if (after.trim() !== '' && !/^\s+#/.test(after))
      throw new YamlSubsetError(line, `unexpected text after a quoted string: "${after.trim()}"`);
    return text.slice(0, end + 1);
  }
  const comment = /(^|\s)#/.exec(text);
  return (comment ? text.slice(0, comment.index) : text).trim();
}

function scalar(text: string, line: number): YamlValue {
  if (text.startsWith('"')) {
    try {
      return JSON.parse(text) as string;
    } catch {
      throw new YamlSubsetError(
        line,
        `invalid double-quoted string ${text} (only JSON escapes are supported)`,
      );
    }
  }
  if (text.startsWith("'")) return text.slice(1, -1).replace(/''/g, "'");
  if (text === '[]') return [];
  if (text === '{}') return {};
  if (/^[[{]/.test(text))
    throw new YamlSubsetError(line, 'flow collections with content are not supported: use block style');
  if (/^[&*!|>%@`,?]/.test(text) || /^-(\s|$)/.test(text))
    throw new YamlSubsetError(line, `"${text}" starts with a YAML indicator: quote it`);
  if (/:(\s|$)/.test(text))
    throw new YamlSubsetError(line, `"${text}" holds ": ", which would start a mapping: quote it`);
  if (text === 'null' || text === '~') return null;
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^(y|n|yes|no|on|off|true|false|null)$/i.test(text)) {
    throw new YamlSubsetError(
      line,
      `"${text}" is read differently by YAML 1.1 and 1.2 readers: quote it, or write true, false or null`,
    );
  }
  if (/^[-+]?0\d+$/.test(text) || /^[-+]?\d+(:[0-5]?\d)+(\.\d*)?$/.test(text)) {
    throw new YamlSubsetError(line, `"${text}" may be read as an octal or sexagesimal number: quote it`);
  }
  if (/^[-+]?\d+$/.test(text)) return Number(text);
  if (/^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (/^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$/.test(text) || /^0[xo]/i.test(text)) {
    throw new YamlSubsetError(line, `"${text}" is a special number in YAML: quote it`);
  }
  return text;
}
