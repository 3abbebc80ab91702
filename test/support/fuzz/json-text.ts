/** JSON text written verbatim into a body: numbers no JavaScript value can hold (`1e100000000`, `-0`), deep nesting. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** An object as an ordered list of members: keys such as `__proto__` stay plain data, duplicates stay duplicates. */
export class JsonMembers {
  constructor(readonly members: ReadonlyArray<readonly [string, unknown]>) {}
}

/**
 * JSON text of a fuzz value. Strings go through JSON.stringify, which writes a lone surrogate as the
 * escape `\ud800` (well-formed JSON text that decodes to an ill-formed string).
 */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (value instanceof JsonMembers) {
    return `{${value.members.map(([key, member]) => `${JSON.stringify(key)}:${toJsonText(member)}`).join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map((item) => toJsonText(item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .map(([key, member]) => `${JSON.stringify(key)}:${toJsonText(member)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A short, printable description of a fuzz value for failure lines (long strings abbreviated). */
export function describeValue(value: unknown, max = 60): string {
  const text = toJsonText(value);
  // Control, C1 and bidi formatting characters written as escapes, so a failure line prints as it reads.
  const printable = [...text]
    .map((c) => {
      const code = c.charCodeAt(0);
      const hidden =
        code < 0x20 ||
        (code >= 0x7f && code <= 0x9f) ||
        (code >= 0x202a && code <= 0x202e) ||
        (code >= 0x2066 && code <= 0x2069);
      return hidden ? `\\u${code.toString(16).padStart(4, '0')}` : c;
    })
    .join('');
  return printable.length <= max ? printable : `${printable.slice(0, max - 20)}…(${text.length} chars)`;
}

/** A URL-encoded value as it goes into a failure line: long ones abbreviated. */
export function abbreviate(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 20)}…(${text.length} chars)`;
}
