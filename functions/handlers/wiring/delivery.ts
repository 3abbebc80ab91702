import { composeAlertMessage, messageComposers } from '../../adapters/ses/invoice-message.js';
import { createSesClient, SesMailer } from '../../adapters/ses/mailer.js';
import { DeliveryQueue } from '../../adapters/sqs/delivery-queue.js';
import { customerDocumentFormat } from '../../app/documents.js';
import { runPaymentTask } from '../../app/payments.js';
import type { DeliveryHandlerDeps } from '../delivery-handler.js';
import type { Runtime } from '../runtime.js';
import { paymentDeps } from './payments.js';
import { webhookDeps } from './webhooks.js';

/** The delivery function (SQS batches of invoice emails): invoices, the renderer, SES and the queue's retry delay. */
export function deliveryDeps(runtime: Runtime): DeliveryHandlerDeps {
  const { config, clock, platform } = runtime;
  const payments = paymentDeps(runtime);
  const webhooks = webhookDeps(runtime);
  const customers = runtime.stores.customers();
  // Read when the email is composed: the format the customer asks for now.
  const messages = messageComposers(runtime.documents(), (customerId) => customerDocumentFormat(customers, customerId));
  return {
    config,
    clock,
    invoices: runtime.stores.invoices(),
    compose: messages.invoice,
    creditNotes: runtime.stores.creditNotes(),
    composeCreditNote: messages.creditNote,
    paymentTasks: (kind, id) => runPaymentTask(payments, kind, id),
    composeReminder: messages.reminder,
    alerts: runtime.stores.alerts(),
    composeAlert: composeAlertMessage,
    ...(webhooks ? { webhooks } : {}),
    mailer: platform.mailer ?? new SesMailer(runtime.tracked(createSesClient(config)), config.sesConfigurationSet),
    queue: new DeliveryQueue(runtime.sqs(), config.deliveryQueueUrl ?? ''),
    logger: runtime.logger('billing-delivery'),
  };
}
