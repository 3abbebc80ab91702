/**
 * Characters no name, id or label may hold: lone surrogates (not Unicode), C0 and C1 control
 * characters other than tab, line feed and carriage return, and the bidirectional overrides and
 * isolates that make a name read differently from what it is (U+202A-U+202E, U+2066-U+2069).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE_TEXT = /[\p{Cs}\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
/** What single-line text (ids, names, keys, labels) may not hold besides. */
const LINE_BREAKS = /[\t\n\r]/;

/** Why `text` is not acceptable text, or undefined when it is. */
export function textProblem(text: string, options: { singleLine?: boolean } = {}): string | undefined {
  const unsafe = UNSAFE_TEXT.exec(text);
  if (unsafe) {
    const code = unsafe[0].codePointAt(0) ?? 0;
    const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    if (code >= 0xd800 && code <= 0xdfff) return `must be well-formed Unicode (it holds a lone surrogate, ${name})`;
    return `must not contain control or bidirectional-override characters (it holds ${name})`;
  }
  if (options.singleLine && LINE_BREAKS.test(text)) return 'must be one line (no tab, line feed or carriage return)';
  return undefined;
}

const LONE_SURROGATE = /\p{Cs}/u;

/** Whether any string or key inside `value` (objects and arrays, any depth) holds a lone surrogate. */
export function holdsLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return LONE_SURROGATE.test(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(holdsLoneSurrogate);
  return Object.entries(value).some(([key, item]) => LONE_SURROGATE.test(key) || holdsLoneSurrogate(item));
}
