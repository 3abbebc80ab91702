import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer, RawEmailToSend } from '../../app/ports/mailer.js';
import type { BillingConfig } from '../../config.js';

/** Fails a request that hangs (the local SES answers some actions never) instead of holding the batch. */
const REQUEST_TIMEOUT_MS = 15_000;
const CONNECTION_TIMEOUT_MS = 3_000;

export function createSesClient(config: Pick<BillingConfig, 'sesEndpoint' | 'region'>): SESv2Client {
  return new SESv2Client({
    region: config.region,
    maxAttempts: 2,
    retryMode: 'standard',
    requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, connectionTimeout: CONNECTION_TIMEOUT_MS },
    ...(config.sesEndpoint
      ? { endpoint: config.sesEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
}

/** SES v2 SendEmail with raw content, in the configuration set when one is configured. */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly configurationSet: string | undefined,
  ) {}

  async send(email: RawEmailToSend): Promise<string> {
    const result = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: email.from,
        Destination: { ToAddresses: email.to },
        Content: { Raw: { Data: email.raw } },
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
      }),
    );
    if (!result.MessageId) throw new Error('SES accepted the email but answered no message id');
    return result.MessageId;
  }
}
