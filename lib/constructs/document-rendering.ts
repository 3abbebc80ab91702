import { Duration } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BillingFunction, PDF_DOCUMENT_ASSETS } from './billing-function.js';

export interface DocumentRenderingProps {
  /** Runtime configuration shared by all functions. */
  readonly environment: Readonly<Record<string, string>>;
  /** @default 1536: the CJK fonts are parsed in memory */
  readonly memorySize?: number;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The documents function: renders invoices and credit notes as PDF/A-3 (embedded fonts), XRechnung
 * (UBL, CII) and ZUGFeRD. The API and the delivery worker invoke it synchronously with the document
 * itself (bindDocuments), so it is granted nothing: no table, no queue, no secret. It alone bundles
 * pdfkit, fontkit, the fonts and the e-invoice writers; its bundle budget is larger than the others'.
 */
export class DocumentRendering extends Construct {
  readonly renderFunction: BillingFunction;

  constructor(scope: Construct, id: string, props: DocumentRenderingProps) {
    super(scope, id);
    this.renderFunction = new BillingFunction(this, 'Render', {
      handler: 'documents',
      description: 'Renders invoices and credit notes: PDF/A-3, XRechnung (UBL, CII), ZUGFeRD',
      environment: props.environment,
      memorySize: props.memorySize ?? 1536,
      // The API waits for it (HTTP API integrations time out after 30 s).
      timeout: Duration.seconds(25),
      logRetention: props.logRetention,
      ...PDF_DOCUMENT_ASSETS,
    });
  }
}
