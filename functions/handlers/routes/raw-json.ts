/** The validated body's original JSON (wire form), which is what plan versions store. */
export const rawJson = (request: { event: { body?: string; isBase64Encoded: boolean } }) =>
  JSON.parse(
    request.event.isBase64Encoded
      ? Buffer.from(request.event.body ?? '', 'base64').toString('utf8')
      : (request.event.body ?? '{}'),
  ) as Record<string, unknown>;
