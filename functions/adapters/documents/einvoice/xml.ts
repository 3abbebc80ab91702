import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';

export type { XMLBuilder };

/** Whether XML 1.0 can carry a code point (not C0 controls but tab, LF, CR; not lone surrogates, U+FFFE, U+FFFF). */
function isXmlChar(code: number): boolean {
  return (
    code === 0x09 ||
    code === 0x0a ||
    code === 0x0d ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    code >= 0x10000
  );
}

/** Text as XML 1.0 can carry it: customer data may hold what it cannot, replaced by U+FFFD. */
export function xmlText(value: string): string {
  let text = '';
  for (const char of value) text += isXmlChar(char.codePointAt(0) ?? 0) ? char : '\uFFFD';
  return text;
}

/** A new document whose root element is `name` in namespace `namespace`, with the given prefixes declared. */
export function xmlDocument(namespace: string, name: string, prefixes: Record<string, string>): XMLBuilder {
  const attributes: Record<string, string> = {};
  for (const [prefix, uri] of Object.entries(prefixes)) attributes[`xmlns:${prefix}`] = uri;
  return create({ version: '1.0', encoding: 'UTF-8' }).ele(namespace, name, attributes);
}

/** Appends `<name attributes>text</name>` to `parent` (text cleaned of what XML cannot carry). */
export function leaf(parent: XMLBuilder, name: string, text: string, attributes: Record<string, string> = {}): void {
  parent.ele(name, attributes).txt(xmlText(text));
}

/** The document, pretty printed. */
export function serialize(root: XMLBuilder): string {
  return root.end({ prettyPrint: true });
}
