/** What the invoice and the credit-note deliveries share. */

/** The domain of the sender's address, for Message-IDs. */
export function messageIdDomain(sender: string): string {
  const address = /<([^>]+)>/.exec(sender)?.[1] ?? sender;
  return address.split('@')[1]?.trim() || 'billing.local';
}

/** A bookkeeping write after an email went out: retried (5 attempts, growing pauses), so a blip does not resend it. */
export async function recordWithRetries(operation: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await operation();
      return;
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
}
