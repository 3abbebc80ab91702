import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { answerRenderEvent, type RenderDocumentResult } from '../adapters/aws/documents-function.js';
import { renderDocument } from '../adapters/documents/render.js';
import { type Env, loadConfig } from '../config.js';
import { createRuntime, type Platform } from './runtime.js';

/** The documents function reads and writes nothing: the document it renders comes in the event. */
export const bindings = [] as const;

/**
 * Renders invoices and credit notes (PDF, XRechnung, ZUGFeRD) for the functions that need them: the
 * API (`GET …/pdf`, `…/einvoice`, the portal) and the delivery worker (email attachments) invoke it
 * synchronously. It is the one function that bundles pdfkit with fontkit, the fonts and the e-invoice
 * writers, so the others stay small and cold-start fast.
 */
export function createHandler(env?: Env, platform?: Platform) {
  const runtime = createRuntime(loadConfig(env), platform);
  const logger = runtime.logger('billing-documents');
  return middy(async (event: unknown): Promise<RenderDocumentResult> => {
    const result = await answerRenderEvent(event, renderDocument);
    logger.info('document rendered', {
      format: (event as { render?: { format?: string } }).render?.format,
      ...('unavailable' in result ? { unavailable: result.unavailable } : { filename: result.filename }),
    });
    return result;
  }).use(injectLambdaContext(logger));
}

/** Lambda entry of the documents function (synchronous invocations from the API and the delivery worker). */
export const handler = createHandler();
