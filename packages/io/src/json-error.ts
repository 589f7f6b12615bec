/**
 * Where does a JSON text stop being JSON? `JSON.parse` messages differ between Node versions and
 * say nothing useful for a truncated file, so this small recogniser (RFC 8259) finds the offset of
 * the first error itself. It runs only after `JSON.parse` has failed.
 */
export interface JsonErrorLocation {
  /** UTF-16 offset of the first character that cannot continue the text */
  offset: number;
  /** the same position in UTF-8 bytes, as in the file */
  byte: number;
  /** 1-based */
  line: number;
  /** 1-based, in characters */
  column: number;
  /** `unexpected end of file` or `unexpected 'x', expected ...` */
  reason: string;
}

class Stop {
  constructor(
    readonly at: number,
    readonly expected: string,
  ) {}
}

export function locateJsonError(text: string): JsonErrorLocation | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const stop = (expected: string): never => {
    throw new Stop(i, expected);
  };
  const lit = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) stop(`'${word}'`);
      i++;
    }
  };
  const digits = () => {
    if (!/[0-9]/.test(text[i] ?? '')) stop('a digit');
    while (/[0-9]/.test(text[i] ?? '')) i++;
  };
  const str = () => {
    i++; // opening quote
    for (;;) {
      const c = text[i];
      if (c === undefined) stop(`'"'`);
      if (c === '"') {
        i++;
        return;
      }
      if (c! < ' ') stop('a printable character or an escape');
      if (c === '\\') {
        i++;
        const e = text[i];
        if (e === 'u') {
          i++;
          for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(text[i] ?? '')) stop('a hex digit');
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) stop('an escape character');
      }
      i++;
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') stop('a property name in double quotes');
        str();
        ws();
        if (text[i] !== ':') stop(`':'`);
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        stop(`',' or '}'`);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        stop(`',' or ']'`);
      }
    }
    if (c === '"') {
      str();
      return;
    }
    const word = ({ t: 'true', f: 'false', n: 'null' } as Record<string, string>)[c ?? ''];
    if (word) {
      lit(word);
      return;
    }
    if (c === '-' || /[0-9]/.test(c ?? '')) {
      if (c === '-') i++;
      if (text[i] === '0') i++;
      else digits();
      if (text[i] === '.') {
        i++;
        digits();
      }
      if (text[i] === 'e' || text[i] === 'E') {
        i++;
        if (text[i] === '+' || text[i] === '-') i++;
        digits();
      }
      return;
    }
    stop('a value');
  };
  try {
    value();
    ws();
    if (i < text.length) stop('the end of the text');
    return undefined;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    const before = text.slice(0, e.at);
    const lines = before.split('\n');
    const found = e.at >= text.length ? undefined : text[e.at];
    return {
      offset: e.at,
      byte: Buffer.byteLength(before, 'utf8'),
      line: lines.length,
      column: lines[lines.length - 1]!.length + 1,
      reason:
        found === undefined
          ? `unexpected end of file (expected ${e.expected}): the text is truncated`
          : `unexpected ${JSON.stringify(found)}, expected ${e.expected}`,
    };
  }
}
