import type { OneOffCharge } from '../../domain/billing/charge.js';

/** Port: the customer's one-off charges (billed by the invoice store in the invoice's transaction). */
export interface ChargesPort {
  create(charge: OneOffCharge): Promise<void>;
  list(customerId: string): Promise<OneOffCharge[]>;
  pending(customerId: string): Promise<OneOffCharge[]>;
  remove(customerId: string, id: string): Promise<void>;
}
