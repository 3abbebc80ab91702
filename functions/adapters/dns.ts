import { lookup } from 'node:dns/promises';

/** Every address a host name resolves to (A and AAAA, as the system resolver gives them). */
export async function resolveHostAddresses(hostname: string): Promise<string[]> {
  const found = await lookup(hostname, { all: true, verbatim: true });
  return found.map((entry) => entry.address);
}
