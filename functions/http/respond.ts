import type { ApiResponse } from './router.js';

/**
 * Carried by every API response, errors included: nothing the API answers is cached by a browser or
 * a proxy (keys, invoices, usage), and no response is sniffed into another content type.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

export function errorBody(code: string, message: string, extra: Record<string, unknown> = {}) {
  return { error: { code, message, ...extra } };
}

/** A rendered document (PDF or e-invoice XML) as the response body, shown inline under its file name. */
export function documentResponse(
  document: { filename: string; contentType: string; body: Buffer },
  headers: Record<string, string> = {},
): ApiResponse {
  return {
    statusCode: 200,
    headers: {
      'content-type': document.contentType,
      'content-disposition': `inline; filename="${document.filename}"`,
      'content-length': String(document.body.length),
      ...headers,
    },
    body: document.body.toString('base64'),
    isBase64Encoded: true,
  };
}
