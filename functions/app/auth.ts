export type ApiKeyScope = 'admin' | 'ingest';

export interface Principal {
  keyId: string;
  scope: ApiKeyScope;
}

/** Port: turns a presented bearer secret into the principal it belongs to (or undefined). */
export interface ApiKeyVerifier {
  verify(secret: string): Promise<Principal | undefined>;
}
