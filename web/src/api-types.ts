/**
 * GENERATED FILE, do not edit: the types of the billing API's OpenAPI document (GET /openapi.json),
 * written by openapi-typescript. Regenerate with `npm run api-types` (also run by `npm start` and
 * `npm run build:web`); test/unit/api-types.test.ts fails when this file is stale.
 */

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Health of the API and each dependency it needs (503 when one is down) */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This API as an OpenAPI 3.1 document */
        get: operations["getOpenapijson"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/prices/evaluate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Price a quantity, per-event amounts or usage records with any price model, with a line-by-line explanation */
        post: operations["postV1PricesEvaluate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/meters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List meters */
        get: operations["getV1Meters"];
        put?: never;
        /** Create a meter: which event type it counts and how */
        post: operations["postV1Meters"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/meters/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a meter */
        get: operations["getV1MetersKey"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List customers (paginated with cursor), or search them (q: part of the id, name or email, any case; the first `limit` matches, `truncated` when there are more); with include=estimate, each with its current period's usage and estimated bill from the latest refresh */
        get: operations["getV1Customers"];
        put?: never;
        /** Create a customer (its id is the CloudEvents subject) */
        post: operations["postV1Customers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a customer */
        get: operations["getV1CustomersId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a customer (null removes an optional field) */
        patch: operations["patchV1CustomersId"];
        trace?: never;
    };
    "/v1/coupons": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List coupons */
        get: operations["getV1Coupons"];
        put?: never;
        /** Create a coupon: a fixed amount or a percentage off, once, for some invoices or forever */
        post: operations["postV1Coupons"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/coupons/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a coupon */
        get: operations["getV1CouponsCode"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{id}/coupons": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The customer's coupons: what is left of each */
        get: operations["getV1CustomersIdCoupons"];
        put?: never;
        /** Apply a coupon to a customer (refused: coupon_expired, coupon_exhausted, coupon_currency_mismatch, coupon_already_applied) */
        post: operations["postV1CustomersIdCoupons"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{id}/credit-grants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Grant prepaid (paid) or promotional credits in the customer’s currency */
        post: operations["postV1CustomersIdCreditgrants"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{id}/credits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The customer's credit grants with balances and ledger, and the ongoing balance (minus the current period's usage rated so far) */
        get: operations["getV1CustomersIdCredits"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{id}/charges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The customer's one-off charges, oldest first: pending ones wait for the next invoice */
        get: operations["getV1CustomersIdCharges"];
        put?: never;
        /** A one-off charge: billed on the customer's next invoice in its currency, or with invoice_now at once on an invoice of its own */
        post: operations["postV1CustomersIdCharges"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{id}/charges/{charge}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a one-off charge not billed yet (409 once billed: credit it with a credit note) */
        delete: operations["deleteV1CustomersIdChargesCharge"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/invoices/{id}/lines": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a one-off line to a draft invoice (a charge in its currency); returns the draft as it reads now */
        post: operations["postV1InvoicesIdLines"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/invoices/{id}/lines/{charge}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Take a one-off line off a draft invoice (the charge is removed); returns the draft as it reads now */
        delete: operations["deleteV1InvoicesIdLinesCharge"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/invoices/{id}/finalize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Finalize a draft now, before its grace period ends: it is rated a last time and takes its number */
        post: operations["postV1InvoicesIdFinalize"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/invoices/{id}/reissue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Issue a void invoice again: its period rated again from the counters, with a new number (once per void invoice) */
        post: operations["postV1InvoicesIdReissue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List API keys (never the keys themselves) */
        get: operations["getV1Apikeys"];
        put?: never;
        /** Create an API key; the key is shown once (stored as a SHA-256 hash) */
        post: operations["postV1Apikeys"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key */
        delete: operations["deleteV1ApikeysId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ingest usage events (CloudEvents 1.0: one event, or a batch of up to 1,000); each is counted exactly once */
        post: operations["postV1Events"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel accepted events ({source, id}, or {events: [...]} up to 100): each exactly once, its usage taken back at once */
        post: operations["postV1EventsCancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{id}/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A customer's usage of a meter, read straight from the counters (no lag); as CSV with ?format=csv or Accept: text/csv */
        get: operations["getV1CustomersIdUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reconcile": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Rebuild a customer's counters from the stored raw events and list every difference (0 expected) */
        get: operations["getV1Reconcile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/event-archive/backfill": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Copy raw events from the events table to the event archive again (events it missed), part of the table per call; go on with the cursor it answers */
        post: operations["postV1EventarchiveBackfill"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{id}/entitlements": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The usage limits of a customer's active subscription: per limited meter its limit, usage of the current period and what remains (live) */
        get: operations["getV1CustomersIdEntitlements"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List plans (latest version of each) */
        get: operations["getV1Plans"];
        put?: never;
        /** Create a plan (version 1): interval, base fee, charges on meters with any price model, minimum commitment */
        post: operations["postV1Plans"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get the latest version of a plan and the list of its versions */
        get: operations["getV1PlansKey"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans/{key}/versions/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one version of a plan */
        get: operations["getV1PlansKeyVersionsVersion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans/{key}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create the next version of a plan (invoices already issued keep theirs) */
        post: operations["postV1PlansKeyVersions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A customer's subscriptions */
        get: operations["getV1Subscriptions"];
        put?: never;
        /** Subscribe a customer to a plan (start date may lie in the past); one active subscription per customer */
        post: operations["postV1Subscriptions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a subscription */
        get: operations["getV1SubscriptionsId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Replace the usage limits (per count or sum meter: {limit, hard}; {} removes them); hard limits apply to ingest at once */
        patch: operations["patchV1SubscriptionsId"];
        trace?: never;
    };
    "/v1/subscriptions/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel now (the running period is cut and invoiced) or at the end of the period */
        post: operations["postV1SubscriptionsIdCancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions/{id}/change-plan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change the plan now (usage and base fee split at the change, prorated) or at the end of the period */
        post: operations["postV1SubscriptionsIdChangeplan"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions/{id}/threshold-check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Progressive billing: check the current period's usage against the plan's thresholds now (the estimates refresh does it on a schedule) */
        post: operations["postV1SubscriptionsIdThresholdcheck"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{id}/upcoming-invoice": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The current period rated live from the counters: the invoice as it would read now */
        get: operations["getV1CustomersIdUpcominginvoice"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/invoices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List invoices, newest first, by customer, status and issue period (from/to); as CSV with ?format=csv or Accept: text/csv */
        get: operations["getV1Invoices"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/invoices/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an invoice with its lines and their explanations */
        get: operations["getV1InvoicesId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/billing-runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The most recent billing runs, newest first, each with its outcome per subscription (failed ones with code and message); runs whose process died are marked interrupted */
        get: operations["getV1Billingruns"];
        put?: never;
        /** Run the period close now (the same state machine the schedule starts); as_of defaults to now */
        post: operations["postV1Billingruns"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/billing-runs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A billing run and its outcome per subscription */
        get: operations["getV1BillingrunsId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/invoices/{id}/void": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Void an invoice: it keeps its number, is marked void, and the customer is emailed a void notice */
        post: operations["postV1InvoicesIdVoid"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/invoices/{id}/mark-paid": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record the payment of an invoice (a void invoice cannot be paid) */
        post: operations["postV1InvoicesIdMarkpaid"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/invoices/{id}/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Email the invoice again (202: the email is queued) */
        post: operations["postV1InvoicesIdResend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/invoices/{id}/pdf": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The invoice as PDF, rendered from the stored invoice (the same bytes every time) */
        get: operations["getV1InvoicesIdPdf"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/invoices/{id}/einvoice": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The invoice as an e-invoice (?format=xrechnung-ubl|xrechnung-cii|zugferd; default: the customer's invoice_format, else xrechnung-ubl). A draft has none (409). */
        get: operations["getV1InvoicesIdEinvoice"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/invoices/{id}/credit-notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The credit notes of an invoice, oldest first */
        get: operations["getV1InvoicesIdCreditnotes"];
        put?: never;
        /** Issue a credit note against a finalized or paid invoice (refused: invoice_not_creditable, nothing_to_credit, method_not_allowed 409; over_credit, invalid_credit_line 422) */
        post: operations["postV1InvoicesIdCreditnotes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/credit-notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List credit notes, newest first (of one customer with ?customer=) */
        get: operations["getV1Creditnotes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/credit-notes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a credit note */
        get: operations["getV1CreditnotesId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/credit-notes/{id}/pdf": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The credit note as PDF, rendered from the stored note (the same bytes every time) */
        get: operations["getV1CreditnotesIdPdf"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/credit-notes/{id}/einvoice": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The credit note as an e-invoice (type 381, referencing its invoice; ?format=xrechnung-ubl|xrechnung-cii|zugferd; default: the customer's invoice_format, else xrechnung-ubl) */
        get: operations["getV1CreditnotesIdEinvoice"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{id}/balance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The customer's balance per currency (credit notes add, invoices draw) and its ledger */
        get: operations["getV1CustomersIdBalance"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/invoices/{id}/payments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record a payment received outside the payment provider (bank transfer): partial payments leave the rest owed, an overpayment goes to the customer balance; the same reference again records nothing new */
        post: operations["postV1InvoicesIdPayments"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/invoices/{id}/collect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Collect what the invoice still owes through the payment provider now: an off-session charge on the customer's default payment method, else a hosted payment page (409 payments_not_configured without a provider; 409 when nothing is owed or the customer has no stripe_customer_id) */
        post: operations["postV1InvoicesIdCollect"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/stripe": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stripe webhooks (no API key: the Stripe-Signature header is verified over the raw body; 400 when it does not verify). payment_intent.succeeded pays, payment_intent.payment_failed marks payment_failed, charge.refunded records refunds; each event is applied once */
        post: operations["postV1WebhooksStripe"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/credit-notes/{id}/refund": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record a refund paid out by hand for a credit note with method refund (a refund at the payment provider is recorded by its webhook) */
        post: operations["postV1CreditnotesIdRefund"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/delivery/dead-letters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Delivery messages that failed every retry (the DLQ), without consuming them */
        get: operations["getV1DeliveryDeadletters"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/delivery/dead-letters/redrive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move dead letters (all, or the given message ids) back to the delivery queue */
        post: operations["postV1DeliveryDeadlettersRedrive"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/delivery/sweep": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run the outbox sweep now: re-enqueue every email owed for longer than the sweep age */
        post: operations["postV1DeliverySweep"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/dunning/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run dunning now (as the schedule does): the due steps of every overdue invoice, each exactly once; answers what this run did */
        post: operations["postV1DunningRuns"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{id}/unsuspend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Lift a dunning suspension by hand: the customer’s events are accepted again (a later run does not suspend it again for the same invoice) */
        post: operations["postV1CustomersIdUnsuspend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/revenue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Revenue invoiced in [from, to) by issue instant, per UTC month, plan or customer and currency (void invoices excluded); read from revenue counters */
        get: operations["getV1ReportsRevenue"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/ingestion": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Events accepted, duplicate and rejected (by code) per UTC day of receipt: best-effort statistics, not billing data */
        get: operations["getV1ReportsIngestion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/upcoming": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What is about to be billed: the upcoming invoices of all active subscriptions summed per currency, from the latest refresh of the estimates (rated now if there is none yet) */
        get: operations["getV1ReportsUpcoming"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/upcoming/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rate every active subscription's current period and store the estimates (also runs on a schedule). Where a refresher is configured (AWS, npm start) it runs in the background: 202 with the current as_of, and GET /v1/reports/upcoming shows a later as_of when it is done; otherwise 200 with the new report. */
        post: operations["postV1ReportsUpcomingRefresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exports/invoices.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Invoices as CSV (one row per invoice), issued in [from, to), by customer and status */
        get: operations["getV1ExportsInvoicescsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exports/usage.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A customer's usage of a meter as CSV (the same numbers as GET /v1/customers/{id}/usage) */
        get: operations["getV1ExportsUsagecsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/receivables": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Accounts receivable aging: what open invoices still owe as of an instant or date (default now), by days overdue (current, 1-30, 31-60, 61-90, over 90; in each invoice's time zone), per currency and per customer and currency; as CSV (one row per customer and currency) with ?format=csv or Accept: text/csv */
        get: operations["getV1ReportsReceivables"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exports/datev": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** DATEV Buchungsstapel (EXTF 700, category 21) of the invoices and credit notes issued and the payments and refunds received in [from, to] (local dates, at most 366 days, within one fiscal year); semicolon CSV, UTF-8 */
        get: operations["getV1ExportsDatev"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exports/journal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The double-entry journal of [from, to] (local dates, at most 366 days): invoices, credit notes, payments, refunds; JSON, or CSV with format=csv */
        get: operations["getV1ExportsJournal"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{id}/portal-links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A signed link to the customer portal that expires (default 60 minutes, at most 7 days); refused with 409 portal_not_configured without BILLING_PORTAL_SECRET and BILLING_PORTAL_URL */
        post: operations["postV1CustomersIdPortallinks"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/portal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Customer portal (portal link token, no API key): the customer, its balance and credits, live usage, the upcoming invoice and what it owes */
        get: operations["getV1Portal"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/portal/invoices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Customer portal (portal link token): the customer's invoices, newest first (no drafts) */
        get: operations["getV1PortalInvoices"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/portal/invoices/{id}/pdf": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Customer portal (portal link token, also as ?token=): one of its invoices as PDF */
        get: operations["getV1PortalInvoicesIdPdf"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/portal/invoices/{id}/einvoice": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Customer portal (portal link token, also as ?token=): one of its invoices as an e-invoice (?format=xrechnung-ubl|xrechnung-cii|zugferd) */
        get: operations["getV1PortalInvoicesIdEinvoice"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/portal/invoices/{id}/pay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Customer portal (portal link token): a hosted payment page for what the invoice still owes (409 payments_not_configured: pay by bank transfer; 409 invoice_not_payable: nothing owed; 409 payment_processing: a payment is on its way) */
        post: operations["postV1PortalInvoicesIdPay"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/portal/credit-notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Customer portal (portal link token): the customer's credit notes, newest first */
        get: operations["getV1PortalCreditnotes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/portal/credit-notes/{id}/pdf": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Customer portal (portal link token, also as ?token=): one of its credit notes as PDF */
        get: operations["getV1PortalCreditnotesIdPdf"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook-endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List webhook endpoints (never their secrets) */
        get: operations["getV1Webhookendpoints"];
        put?: never;
        /** Create a webhook endpoint; its signing secret is shown once */
        post: operations["postV1Webhookendpoints"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook-endpoints/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a webhook endpoint (never its secret) */
        get: operations["getV1WebhookendpointsId"];
        put?: never;
        post?: never;
        /** Delete a webhook endpoint: it receives nothing more (pending deliveries are canceled) */
        delete: operations["deleteV1WebhookendpointsId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook-endpoints/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The delivery log of an endpoint (newest first, up to 100): status and every attempt */
        get: operations["getV1WebhookendpointsIdDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook-deliveries/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Retry a failed or dead webhook delivery now (a fresh retry schedule) */
        post: operations["postV1WebhookdeliveriesIdRetry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A customer's alerts (optionally one subscription's), oldest first, each with its firings */
        get: operations["getV1Alerts"];
        put?: never;
        /** Create a usage alert (usage, spend or credit_balance) for a customer or one of its subscriptions */
        post: operations["postV1Alerts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alerts/check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check a customer's alerts now (or one subscription's): what crossed its threshold fires (once per period) */
        post: operations["postV1AlertsCheck"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alerts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an alert with its firings (newest first) */
        get: operations["getV1AlertsId"];
        put?: never;
        post?: never;
        /** Delete an alert: it fires no more (what it fired was delivered) */
        delete: operations["deleteV1AlertsId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Health: {
            /**
             * @description ok with 200; unavailable with 503
             * @enum {string}
             */
            status: "ok" | "unavailable";
            dependencies: {
                [key: string]: components["schemas"]["DependencyHealth"];
            };
        };
        DependencyHealth: {
            /** @enum {string} */
            status: "ok" | "unavailable";
            /** @description How long the check took (reachable dependencies) */
            latency_ms?: number;
            /** @description Why it is unavailable */
            error?: string;
        };
        PriceEvaluation: {
            currency: string;
            /** @description A decimal as a string, e.g. "12.50" */
            quantity: string;
            /** @description precise_amount rounded once to the currency's minor unit (not the sum of the rounded lines) */
            amount: string;
            /** @description A decimal as a string, e.g. "12.50" */
            precise_amount: string;
            lines: components["schemas"]["PriceLine"][];
            /** @description The coupon asked for, on this charge alone (no other coupons, no tax) */
            coupon?: {
                code: string;
                name: string;
                /** @description Whether the coupon applies to this charge at all */
                applies: boolean;
                /** @description A decimal as a string, e.g. "12.50" */
                discount: string;
                /** @description A decimal as a string, e.g. "12.50" */
                amount_after_discount: string;
                /** @description Why it does not apply */
                note?: string;
            };
        };
        PriceLine: {
            /** @enum {string} */
            kind: "usage" | "included" | "tier" | "percentage" | "fixed_fee" | "per_event_minimum" | "per_event_maximum" | "group" | "band" | "minimum_spend" | "maximum_spend";
            description: string;
            /** @description A decimal as a string, e.g. "12.50" */
            quantity: string;
            /** @description A decimal as a string, e.g. "12.50" */
            unit_price?: string;
            /** @description A decimal as a string, e.g. "12.50" */
            flat_fee?: string;
            /** @description A decimal as a string, e.g. "12.50" */
            precise_amount: string;
            /** @description precise_amount rounded to the currency's minor unit */
            amount: string;
            tier?: {
                index: number;
                /** @description A decimal as a string, e.g. "12.50" */
                from: string;
                up_to: string | null;
            };
            /** @description A decimal as a string, e.g. "12.50" */
            blocks?: string;
            /** @description A decimal as a string, e.g. "12.50" */
            block_size?: string;
            /** @description A decimal as a string, e.g. "12.50" */
            block_price?: string;
            /** @description A decimal as a string, e.g. "12.50" */
            free_quantity?: string;
            /** @description A decimal as a string, e.g. "12.50" */
            rate_percent?: string;
            events?: number;
            dimensions?: {
                [key: string]: string;
            };
            band?: string;
            /** @enum {string} */
            model?: "per_unit" | "package" | "graduated" | "volume" | "overage" | "graduated_percentage" | "percentage" | "matrix" | "time_of_use";
            lines?: components["schemas"]["PriceLine"][];
        };
        EvaluatePriceRequest: {
            /** @description ISO 4217 currency code, e.g. "EUR" */
            currency: string;
            price: components["schemas"]["Price"];
            /** @description A decimal number, preferably as a string ("12.50"). JSON numbers are accepted only when exact. */
            quantity?: string | number;
            events?: (string | number)[];
            usage?: {
                /** @default {} */
                dimensions?: {
                    [key: string]: string;
                };
                /** Format: date-time */
                time?: string;
                /** @description A decimal number, preferably as a string ("12.50"). JSON numbers are accepted only when exact. */
                quantity: string | number;
            }[];
            timezone?: string;
            /**
             * @description rounding of amounts to the minor unit; default half_up
             * @enum {string}
             */
            rounding?: "half_up" | "half_even" | "up" | "down";
            /** @description Simulate this coupon on the charge as if newly applied (its first invoice) */
            coupon?: string;
            /** @description The charge's meter, for coupons scoped to meters */
            meter?: string;
            /** @description The charge's plan, for coupons scoped to plans */
            plan?: string;
        };
        /**
         * Price
         * @description A price, selected by its model: per_unit, package, graduated, volume, overage, graduated_percentage, percentage, matrix, time_of_use. Amounts and quantities are decimal strings.
         */
        Price: {
            /** @constant */
            model: "per_unit";
            /** @description Price per unit */
            unit_price: string | number;
            /** @description The price's total is raised to at least this amount */
            minimum_spend?: string | number;
            /** @description The price's total is capped at this amount */
            maximum_spend?: string | number;
        } | {
            /** @constant */
            model: "package";
            /** @description Units per package */
            package_size: string | number;
            /** @description Price per package */
            package_price: string | number;
            /** @description Units free before packaging (default 0) */
            free_units?: string | number;
            /**
             * @description Partial packages: up = bill as a whole package (default), down = drop
             * @enum {string}
             */
            rounding?: "up" | "down";
            /** @description The price's total is raised to at least this amount */
            minimum_spend?: string | number;
            /** @description The price's total is capped at this amount */
            maximum_spend?: string | number;
        } | {
            /** @constant */
            model: "graduated";
            tiers: {
                /** @description Inclusive upper bound of the cumulative quantity covered by this tier; null for the last, open-ended tier. The tier covers (previous up_to, up_to]. */
                up_to: (string | number) | null;
                /** @description Price per unit of the portion in this tier (graduated) or of the whole quantity (volume) */
                unit_price?: string | number;
                /** @description Charged once when the tier is reached (graduated) or selected (volume) */
                flat_fee?: string | number;
                /** @description Units per block; partial blocks are rounded up */
                block_size?: string | number;
                /** @description Price per started block of block_size units */
                block_price?: string | number;
            }[];
            /** @description Charge the first tier's flat fee when the quantity is 0 (default true) */
            flat_fee_at_zero_usage?: boolean;
            /** @description The price's total is raised to at least this amount */
            minimum_spend?: string | number;
            /** @description The price's total is capped at this amount */
            maximum_spend?: string | number;
        } | {
            /** @constant */
            model: "volume";
            tiers: {
                /** @description Inclusive upper bound of the cumulative quantity covered by this tier; null for the last, open-ended tier. The tier covers (previous up_to, up_to]. */
                up_to: (string | number) | null;
                /** @description Price per unit of the portion in this tier (graduated) or of the whole quantity (volume) */
                unit_price?: string | number;
                /** @description Charged once when the tier is reached (graduated) or selected (volume) */
                flat_fee?: string | number;
                /** @description Units per block; partial blocks are rounded up */
                block_size?: string | number;
                /** @description Price per started block of block_size units */
                block_price?: string | number;
            }[];
            /** @description Charge the first tier's flat fee when the quantity is 0 (default true) */
            flat_fee_at_zero_usage?: boolean;
            /** @description The price's total is raised to at least this amount */
            minimum_spend?: string | number;
            /** @description The price's total is capped at this amount */
            maximum_spend?: string | number;
        } | {
            /** @constant */
            model: "overage";
            /** @description Units included free */
            included_units: string | number;
            /** @description Price per unit above the included units */
            unit_price: string | number;
            /** @description The price's total is raised to at least this amount */
            minimum_spend?: string | number;
            /** @description The price's total is capped at this amount */
            maximum_spend?: string | number;
        } | {
            /** @constant */
            model: "graduated_percentage";
            tiers: {
                /** @description Inclusive upper bound of the cumulative quantity covered by this tier; null for the last, open-ended tier. The tier covers (previous up_to, up_to]. */
                up_to: (string | number) | null;
                /** @description Percentage (0..100) of the portion of the amount in this tier */
                rate_percent: string | number;
                /** @description Charged once when the amount reaches this tier */
                flat_fee?: string | number;
            }[];
            /** @description Charge the first tier's flat fee when the amount is 0 (default false) */
            flat_fee_at_zero_usage?: boolean;
            /** @description The price's total is raised to at least this amount */
            minimum_spend?: string | number;
            /** @description The price's total is capped at this amount */
            maximum_spend?: string | number;
        } | {
            /** @constant */
            model: "percentage";
            /** @description Percentage (0..100) of the amount not given free */
            rate_percent: string | number;
            /** @description Fixed fee per paying event (none when the total amount is 0) */
            fixed_fee_per_event?: string | number;
            /** @description The first N events are free (up to free_amount if that is set too) */
            free_events?: number;
            /** @description This much of the amount is free (within the first free_events events if set) */
            free_amount?: string | number;
            /** @description Each paying event costs at least this (prices every event on its own) */
            per_event_min?: string | number;
            /** @description Each paying event costs at most this (prices every event on its own) */
            per_event_max?: string | number;
            /** @description The price's total is raised to at least this amount */
            minimum_spend?: string | number;
            /** @description The price's total is capped at this amount */
            maximum_spend?: string | number;
        } | {
            /** @constant */
            model: "matrix";
            /** @description The usage dimensions (e.g. model, region) that select the price */
            dimensions: string[];
            /** @description One price per combination of dimension values; the first matching entry wins */
            entries: {
                /** @description A value for every dimension, e.g. {"model": "gpt", "region": "eu"} */
                match: {
                    [key: string]: string;
                };
                price: components["schemas"]["Price"];
            }[];
            /** @description Price of combinations no entry matches */
            default_price?: components["schemas"]["Price"];
            /** @description The price's total is raised to at least this amount */
            minimum_spend?: string | number;
            /** @description The price's total is capped at this amount */
            maximum_spend?: string | number;
        } | {
            /** @constant */
            model: "time_of_use";
            bands: {
                name: string;
                /** @description Days the band starts on (mon..sun); an overnight band continues into the next day */
                days: ("mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun")[];
                /** @description Local start time HH:MM, inclusive */
                from: string;
                /** @description Local end time HH:MM, exclusive; 24:00 = end of day; to earlier than from = overnight */
                to: string;
                price: components["schemas"]["Price"];
            }[];
            /** @description Price of usage outside all bands */
            default_price: components["schemas"]["Price"];
            /** @description The price's total is raised to at least this amount */
            minimum_spend?: string | number;
            /** @description The price's total is capped at this amount */
            maximum_spend?: string | number;
        };
        Meter: {
            key: string;
            name: string;
            event_type: string;
            /** @enum {string} */
            aggregation: "count" | "sum" | "max" | "latest" | "unique_count" | "weighted_sum";
            value_property?: string;
            group_by: string[];
            /** @enum {string} */
            per?: "period" | "hour" | "day";
            /** Format: date-time */
            created_at: string;
        };
        CreateMeter: {
            key: string;
            name: string;
            event_type: string;
            /** @enum {string} */
            aggregation: "count" | "sum" | "max" | "latest" | "unique_count" | "weighted_sum";
            value_property?: string;
            /** @default [] */
            group_by?: string[];
            /**
             * @description weighted_sum only (default period): what the quantity is per. period: the time-weighted average level; hour: level-hours (GB-hours); day: level-days of the customer's local calendar days (seat-days)
             * @enum {string}
             */
            per?: "period" | "hour" | "day";
        };
        MeterList: {
            data: components["schemas"]["Meter"][];
        };
        Customer: {
            id: string;
            name: string;
            email: string;
            currency: string;
            timezone: string;
            locale: string;
            address?: components["schemas"]["Address"];
            tax_id?: string;
            /** @description Percent, e.g. "19" */
            tax_rate?: string;
            payment_terms_days: number;
            invoice_grace_hours?: number;
            stripe_customer_id?: string;
            tax_exempt?: boolean;
            tax_exempt_reason?: string;
            buyer_reference?: string;
            /** @enum {string} */
            invoice_format: "pdf" | "xrechnung-ubl" | "xrechnung-cii" | "zugferd";
            tax: components["schemas"]["TaxTreatment"];
            /** @description The end of the last period invoiced */
            billed_through?: string;
            dunning: components["schemas"]["CustomerDunning"];
            suspended?: components["schemas"]["Suspension"];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        Address: {
            line1: string;
            line2?: string;
            city: string;
            postal_code?: string;
            state?: string;
            country: string;
        };
        TaxTreatment: {
            /** @enum {string} */
            rule: "customer_rate" | "exempt" | "domestic" | "reverse_charge" | "eu_consumer" | "outside_eu" | "seller_outside_eu" | "not_configured";
            /**
             * @description EN 16931 VAT category code (UNCL5305)
             * @enum {string}
             */
            category: "S" | "AE" | "E" | "Z" | "O";
            /** @description Percent, e.g. "19" */
            rate: string;
            /** @description The country whose VAT applies, when one does */
            country?: string;
            /** @description Why the rate is what it is; always set when the rate is 0, printed on invoices */
            reason?: string;
        };
        /** @description The dunning the customer’s overdue invoices follow */
        CustomerDunning: {
            enabled: boolean;
            schedule: {
                after_days: number;
                /** @enum {string} */
                action: "reminder" | "retry" | "suspend" | "notify";
            }[];
            /** @description true: the customer’s own schedule; false: the configured default */
            custom: boolean;
        };
        /** @description Dunning suspended the customer: its events are refused (customer_suspended) */
        Suspension: {
            /** Format: date-time */
            at: string;
            /** @description The overdue invoice that caused it */
            invoice: string;
            reason: string;
        };
        CreateCustomer: {
            id: string;
            name: string;
            /** Format: email */
            email: string;
            /** @description ISO 4217 currency code, e.g. "EUR" */
            currency: string;
            /** @default UTC */
            timezone?: string;
            /** @default en */
            locale?: string;
            address?: {
                line1: string;
                line2?: string;
                city: string;
                postal_code?: string;
                state?: string;
                country: string;
            };
            tax_id?: string;
            /** @description A decimal number, preferably as a string ("12.50"). JSON numbers are accepted only when exact. */
            tax_rate?: string | number;
            payment_terms_days?: number;
            /** @description Hours the period's invoice stays a draft (absent: the plan's, else the global setting) */
            invoice_grace_hours?: number;
            /** @description The customer at Stripe: finalized invoices are collected from its default payment method */
            stripe_customer_id?: string;
            /** @description Charged no VAT; tax_exempt_reason says why */
            tax_exempt?: boolean;
            /** @description Why the customer is tax exempt, printed on its invoices; required with tax_exempt: true */
            tax_exempt_reason?: string;
            dunning?: components["schemas"]["CustomerDunningInput"];
            /** @description The customer's reference for routing invoices (BT-10: the Leitweg-ID of a German public authority, or a reference the customer asked for); e-invoices carry it */
            buyer_reference?: string;
            /**
             * @description How the customer receives invoices (default pdf): xrechnung-ubl, xrechnung-cii or zugferd are e-invoices
             * @enum {string}
             */
            invoice_format?: "pdf" | "xrechnung-ubl" | "xrechnung-cii" | "zugferd";
        };
        /** @description The customer’s dunning; absent fields keep the configured default (BILLING_DUNNING_SCHEDULE) */
        CustomerDunningInput: {
            enabled?: boolean;
            /** @description Steps in order of after_days; at most one final action (suspend or notify), last */
            schedule?: {
                /** @description Whole days after the due date (local) */
                after_days: number;
                /** @enum {string} */
                action: "reminder" | "retry" | "suspend" | "notify";
            }[];
        };
        CustomerList: {
            data: components["schemas"]["CustomerListItem"][];
            /** @description With include=estimate: the latest refresh (null: none yet) */
            estimates_as_of?: string | null;
            next_cursor?: string;
            /** @description With q: there are more matches than `limit` */
            truncated?: boolean;
        };
        CustomerListItem: {
            id: string;
            name: string;
            email: string;
            currency: string;
            timezone: string;
            locale: string;
            address?: components["schemas"]["Address"];
            tax_id?: string;
            /** @description Percent, e.g. "19" */
            tax_rate?: string;
            payment_terms_days: number;
            invoice_grace_hours?: number;
            stripe_customer_id?: string;
            tax_exempt?: boolean;
            tax_exempt_reason?: string;
            buyer_reference?: string;
            /** @enum {string} */
            invoice_format: "pdf" | "xrechnung-ubl" | "xrechnung-cii" | "zugferd";
            tax: components["schemas"]["TaxTreatment"];
            /** @description The end of the last period invoiced */
            billed_through?: string;
            dunning: components["schemas"]["CustomerDunning"];
            suspended?: components["schemas"]["Suspension"];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /** @description With include=estimate: the current period as the latest refresh rated it; null without an active subscription */
            estimate?: components["schemas"]["Estimate"] | null;
        };
        Estimate: {
            customer: string;
            name: string;
            subscription: string;
            plan: string;
            plan_version: number;
            currency: string;
            /** Format: date-time */
            period_start: string;
            /** Format: date-time */
            period_end: string;
            /** Format: date-time */
            usage_through: string;
            /** @description Usage so far per meter of the plan's charges */
            usage: {
                meter: string;
                /** @description A decimal as a string, e.g. "12.50" */
                quantity: string;
            }[];
            /** @description A decimal as a string, e.g. "12.50" */
            subtotal: string;
            /** @description A decimal as a string, e.g. "12.50" */
            total: string;
            /**
             * Format: date-time
             * @description The refresh this estimate belongs to
             */
            as_of: string;
        };
        UpdateCustomer: {
            name?: string;
            /** Format: email */
            email?: string;
            /** @description ISO 4217 currency code, e.g. "EUR" */
            currency?: string;
            timezone?: string;
            locale?: string;
            address?: {
                line1: string;
                line2?: string;
                city: string;
                postal_code?: string;
                state?: string;
                country: string;
            } | null;
            tax_id?: string | null;
            tax_rate?: (string | number) | null;
            payment_terms_days?: number;
            invoice_grace_hours?: number | null;
            stripe_customer_id?: string | null;
            /** @description true needs tax_exempt_reason; false or null ends the exemption and removes the reason */
            tax_exempt?: boolean | null;
            /** @description Why the customer is tax exempt: with tax_exempt: true, or alone for a customer who is exempt already */
            tax_exempt_reason?: string | null;
            buyer_reference?: string | null;
            /** @description null: back to pdf */
            invoice_format?: ("pdf" | "xrechnung-ubl" | "xrechnung-cii" | "zugferd") | null;
            /** @description Replaces the customer’s dunning settings; null: back to the configured default */
            dunning?: components["schemas"]["CustomerDunningInput"] | null;
        };
        Coupon: {
            code: string;
            name: string;
            /** @enum {string} */
            type: "fixed_amount" | "percentage";
            /** @description A decimal as a string, e.g. "12.50" */
            amount?: string;
            currency?: string;
            /** @description A decimal as a string, e.g. "12.50" */
            percent?: string;
            /** @enum {string} */
            duration: "once" | "repeating" | "forever";
            duration_periods?: number;
            applies_to?: {
                plans?: string[];
                meters?: string[];
            };
            max_redemptions?: number;
            /** Format: date-time */
            redeem_by?: string;
            redemptions: number;
            /** Format: date-time */
            created_at: string;
        };
        CreateCoupon: {
            code: string;
            name: string;
            /** @enum {string} */
            type: "fixed_amount" | "percentage";
            /** @description A decimal number, preferably as a string ("12.50"). JSON numbers are accepted only when exact. */
            amount?: string | number;
            /** @description ISO 4217 currency code, e.g. "EUR" */
            currency?: string;
            /** @description A decimal number, preferably as a string ("12.50"). JSON numbers are accepted only when exact. */
            percent?: string | number;
            /** @enum {string} */
            duration: "once" | "repeating" | "forever";
            duration_periods?: number;
            applies_to?: {
                plans?: string[];
                meters?: string[];
            };
            max_redemptions?: number;
            /** Format: date-time */
            redeem_by?: string;
        };
        AppliedCoupon: {
            code: string;
            name: string;
            /** @enum {string} */
            type: "fixed_amount" | "percentage";
            /** @description A decimal as a string, e.g. "12.50" */
            amount?: string;
            currency?: string;
            /** @description A decimal as a string, e.g. "12.50" */
            percent?: string;
            /** @enum {string} */
            duration: "once" | "repeating" | "forever";
            duration_periods?: number;
            applies_to?: {
                plans?: string[];
                meters?: string[];
            };
            /** Format: date-time */
            applied_at: string;
            /** @enum {string} */
            status: "active" | "consumed";
            /** @description fixed_amount once: what is left */
            remaining_amount?: string;
            /** @description repeating: invoices left */
            periods_remaining?: number;
        };
        ApplyCoupon: {
            code: string;
        };
        CreditGrant: {
            id: string;
            customer_id: string;
            name: string;
            /** @enum {string} */
            category: "paid" | "promotional";
            currency: string;
            /** @description A decimal as a string, e.g. "12.50" */
            amount: string;
            /** @description What is left to use: 0 once expired */
            balance: string;
            /** @description A decimal as a string, e.g. "12.50" */
            consumed: string;
            /** @description A decimal as a string, e.g. "12.50" */
            expired: string;
            priority: number;
            /** Format: date-time */
            effective_at: string;
            /** Format: date-time */
            expires_at?: string;
            applies_to?: {
                meters?: string[];
            };
            /** @enum {string} */
            status: "active" | "pending" | "expired" | "used_up";
            /** Format: date-time */
            created_at: string;
            ledger: {
                /** @enum {string} */
                type: "granted" | "consumed" | "restored" | "expired";
                /** @description A decimal as a string, e.g. "12.50" */
                amount: string;
                /** Format: date-time */
                at: string;
                invoice_id?: string;
                invoice_number?: string;
            }[];
        };
        CreateCreditGrant: {
            name: string;
            /** @description A decimal number, preferably as a string ("12.50"). JSON numbers are accepted only when exact. */
            amount: string | number;
            /** @enum {string} */
            category: "paid" | "promotional";
            priority?: number;
            /** Format: date-time */
            effective_at?: string;
            /** Format: date-time */
            expires_at?: string;
            applies_to?: {
                meters?: string[];
            };
        };
        Credits: {
            customer_id: string;
            currency: string;
            /** @description Sum of what is left of the grants in effect */
            balance: string;
            /** @description A decimal as a string, e.g. "12.50" */
            paid_balance: string;
            /** @description A decimal as a string, e.g. "12.50" */
            promotional_balance: string;
            /** @description The balance minus what the current period's usage rated so far would draw from it */
            ongoing_balance: string;
            grants: components["schemas"]["CreditGrant"][];
        };
        CreatedCharge: {
            charge: components["schemas"]["Charge"];
            /** @description With invoice_now: the invoice that billed it */
            invoice?: components["schemas"]["Invoice"];
        };
        Charge: {
            id: string;
            customer: string;
            description: string;
            /** @description A decimal as a string, e.g. "12.50" */
            quantity: string;
            /** @description A decimal as a string, e.g. "12.50" */
            unit_amount: string;
            /** @description quantity × unit_amount, rounded to the currency */
            amount: string;
            currency: string;
            /** @description A decimal as a string, e.g. "12.50" */
            tax_rate?: string;
            /** @enum {string} */
            status: "pending" | "billed";
            /** @description The invoice that billed it */
            invoice_id?: string;
            /** Format: date-time */
            created_at: string;
        };
        Invoice: {
            id: string;
            /** @description Empty while a draft: the number is taken at finalization */
            number: string;
            /**
             * @description A period's invoice, one-off charges invoiced at once, a voided period issued again, or an interim invoice of a period whose usage crossed a threshold
             * @enum {string}
             */
            kind: "subscription" | "one_off" | "reissue" | "progressive";
            /**
             * @description draft: during the invoice grace period, rated live, without a number
             * @enum {string}
             */
            status: "draft" | "finalized" | "paid" | "void";
            /**
             * Format: date-time
             * @description A draft: when the close finalizes it
             */
            grace_ends_at?: string;
            /** @description A void invoice issued again: the new invoice */
            reissued_as?: string;
            /** @description The void invoice this one issues again */
            reissue_of?: string;
            /** @description An interim invoice: the threshold level (1-based over the period) it billed */
            progressive?: {
                index: number;
                /** @description A decimal as a string, e.g. "12.50" */
                threshold: string;
            };
            customer: string;
            subscription: string;
            plan: string;
            plan_version: number;
            currency: string;
            locale: string;
            /** Format: date */
            issue_date: string;
            /** Format: date */
            due_date: string;
            /** Format: date-time */
            issued_at: string;
            /** Format: date-time */
            period_start: string;
            /** Format: date-time */
            period_end: string;
            seller: components["schemas"]["Party"];
            buyer: components["schemas"]["Party"];
            lines: components["schemas"]["InvoiceLine"][];
            /** @description A decimal as a string, e.g. "12.50" */
            subtotal: string;
            /** @description A decimal as a string, e.g. "12.50" */
            discount_total: string;
            /** @description A decimal as a string, e.g. "12.50" */
            promotional_credits: string;
            /** @description A decimal as a string, e.g. "12.50" */
            taxable_amount: string;
            /** @description Percent */
            tax_rate?: string;
            /** @description A decimal as a string, e.g. "12.50" */
            tax: string;
            /** @description A decimal as a string, e.g. "12.50" */
            total: string;
            /** @description A decimal as a string, e.g. "12.50" */
            paid_credits: string;
            /** @description A decimal as a string, e.g. "12.50" */
            credits_applied: string;
            /** @description What the customer balance (credit notes) paid */
            balance_applied: string;
            /** @description A decimal as a string, e.g. "12.50" */
            amount_due: string;
            /** @description Coupons in the order they applied */
            discounts: {
                coupon: string;
                name: string;
                /** @description A decimal as a string, e.g. "12.50" */
                amount: string;
            }[];
            /** @description Credit grants drawn, in the order they were consumed */
            credits: {
                grant: string;
                name: string;
                /** @enum {string} */
                category: "paid" | "promotional";
                /** @description A decimal as a string, e.g. "12.50" */
                amount: string;
            }[];
            /** @description Tax per category and rate (absent on invoices issued before tax rules) */
            tax_breakdown?: {
                category: string;
                /** @description A decimal as a string, e.g. "12.50" */
                rate: string;
                /** @description A decimal as a string, e.g. "12.50" */
                taxable_amount: string;
                /** @description A decimal as a string, e.g. "12.50" */
                tax: string;
                /** @description Why the rate is 0 */
                reason?: string;
                /** @description The tax rule that chose the rate */
                rule?: string;
            }[];
            reverse_charge: boolean;
            notes: string[];
            payment_instructions?: {
                account_holder?: string;
                iban?: string;
                bic?: string;
                /** @description Free text per language */
                text?: {
                    [key: string]: string;
                };
            };
            payment_terms_days: number;
            delivery: {
                /** @enum {string} */
                status: "pending" | "sent";
                attempts: number;
                message_id?: string;
                /** Format: date-time */
                sent_at?: string;
                last_error?: string;
            };
            voided?: {
                /** Format: date-time */
                at: string;
                reason: string;
            };
            payment?: {
                /** Format: date-time */
                paid_at: string;
                reference: string;
            };
            /** @description The credit notes issued against the invoice, oldest first */
            credit_notes?: {
                id: string;
                number: string;
                /** @description A decimal as a string, e.g. "12.50" */
                total: string;
                /** @enum {string} */
                method: "credit_balance" | "refund" | "reduce_amount_due";
                /** Format: date-time */
                issued_at: string;
            }[];
            /** @description Σ of the credit notes’ totals */
            credited_total?: string;
            /** @description Σ of the payments applied to the invoice */
            amount_paid: string;
            /** @description What the invoice still owes: amount_due − amount_paid (0 unless finalized) */
            amount_remaining: string;
            /** @enum {string} */
            payment_status: "pending" | "processing" | "payment_failed" | "partially_paid" | "paid";
            /**
             * @description Collected through the payment provider (the customer has a stripe_customer_id)
             * @enum {string}
             */
            collection?: "automatic";
            payments?: {
                id: string;
                /** @enum {string} */
                source: "provider" | "manual";
                method: string;
                /** @description All that was received */
                amount: string;
                /** @description What went to the invoice */
                applied: string;
                /** @description What went to the customer balance */
                overpaid: string;
                reference: string;
                /** Format: date-time */
                received_at: string;
            }[];
            payment_attempts?: {
                id: string;
                /** @enum {string} */
                kind: "charge" | "payment_link";
                /** Format: date-time */
                at: string;
                /** @enum {string} */
                status: "processing" | "requires_action" | "succeeded" | "failed" | "open";
                /** @description A decimal as a string, e.g. "12.50" */
                amount: string;
                /** @description A hosted payment page */
                url?: string;
                error?: string;
            }[];
            refunds?: {
                id: string;
                /** @description A decimal as a string, e.g. "12.50" */
                amount: string;
                /** @enum {string} */
                status: "pending" | "succeeded" | "failed";
                /** Format: date-time */
                at: string;
                credit_note?: string;
                payment_id?: string;
                reference?: string;
            }[];
            dunning?: components["schemas"]["InvoiceDunning"];
        };
        Party: {
            name: string;
            email?: string;
            address?: components["schemas"]["Address"];
            tax_id?: string;
            contact_name?: string;
            phone?: string;
            /** @description E-invoice electronic address (scheme EM: e-mail) */
            electronic_address?: string;
            /** @description Buyer: the customer's reference (Leitweg-ID), e-invoice BT-10 */
            buyer_reference?: string;
        };
        InvoiceLine: {
            /** @enum {string} */
            kind: "usage" | "base_fee" | "minimum_commitment" | "one_off" | "adjustment" | "progressive_credit";
            description: string;
            /** @description Meter key of a usage line */
            meter?: string;
            /** @description A decimal as a string, e.g. "12.50" */
            quantity: string;
            /** @description A decimal as a string, e.g. "12.50" */
            unit_price?: string;
            /** @description A decimal as a string, e.g. "12.50" */
            precise_amount: string;
            /** @description A decimal as a string, e.g. "12.50" */
            amount: string;
            /** Format: date-time */
            period_start: string;
            /** Format: date-time */
            period_end: string;
            /** @description How the amount came about (tiers, blocks, bands...) */
            details: components["schemas"]["PriceLine"][];
            /** @description The line's share of the coupons */
            discount?: string;
            /** @description The line's share of the promotional credits */
            promotional_credits?: string;
            /** @description amount − discount − promotional_credits */
            taxable_amount?: string;
            /** @description EN 16931 VAT category: S, AE, E, Z or O */
            tax_category?: string;
            /** @description A decimal as a string, e.g. "12.50" */
            tax_rate?: string;
            /** @description The line's share of the tax */
            tax?: string;
            /** @description The line's share of the paid credits */
            paid_credits?: string;
            /** @description taxable_amount + tax − paid_credits − its share of the customer balance */
            amount_due?: string;
            /** @description A one-off line: the charge it bills */
            charge?: string;
            /** @description A late-usage adjustment: the earlier invoice's charge it re-rates */
            adjustment?: {
                invoice_id: string;
                invoice_number: string;
                meter: string;
                /** Format: date-time */
                period_start: string;
                /** Format: date-time */
                period_end: string;
                /** @description The whole period rated now */
                rerated: string;
                /** @description What was billed for it before this line */
                invoiced: string;
                /** @description A decimal as a string, e.g. "12.50" */
                rerated_quantity: string;
                /** @description A decimal as a string, e.g. "12.50" */
                invoiced_quantity: string;
            };
            /** @description A negative line: an interim (progressive) invoice of the period, credited */
            progressive_credit?: {
                invoice_id: string;
                invoice_number: string;
                /** @description A decimal as a string, e.g. "12.50" */
                amount: string;
            };
        };
        /** @description The dunning steps recorded on the invoice, oldest first */
        InvoiceDunning: {
            steps: {
                /** @description Position in the schedule that ran it */
                step: number;
                after_days: number;
                /** @enum {string} */
                action: "reminder" | "retry" | "suspend" | "notify";
                /** Format: date-time */
                at: string;
                /** @enum {string} */
                status: "done" | "skipped" | "failed";
                detail?: string;
                email?: {
                    /** @enum {string} */
                    status: "pending" | "sent";
                    attempts: number;
                    message_id?: string;
                    /** Format: date-time */
                    sent_at?: string;
                    last_error?: string;
                };
            }[];
        };
        CreateCharge: {
            description: string;
            /** @description A decimal number, preferably as a string ("12.50"). JSON numbers are accepted only when exact. */
            quantity: string | number;
            /** @description Price per unit; never negative (a reduction is a coupon or a credit note) */
            unit_amount: string | number;
            /** @description Percent: this charge's own VAT rate where the customer is charged standard-rated VAT */
            tax_rate?: string | number;
            /** @description Defaults to the customer's currency */
            currency?: string;
            /** @description Invoice it at once on an invoice of its own (default: on the next invoice) */
            invoice_now?: boolean;
        };
        ChargeList: {
            data: components["schemas"]["Charge"][];
        };
        AddDraftLine: {
            description: string;
            /** @description A decimal number, preferably as a string ("12.50"). JSON numbers are accepted only when exact. */
            quantity: string | number;
            /** @description Price per unit; never negative (a reduction is a coupon or a credit note) */
            unit_amount: string | number;
            /** @description Percent: this charge's own VAT rate where the customer is charged standard-rated VAT */
            tax_rate?: string | number;
        };
        CreatedApiKey: {
            id: string;
            name: string;
            /** @enum {string} */
            scope: "admin" | "ingest";
            /** Format: date-time */
            created_at: string;
            /**
             * Format: date-time
             * @description When the key was revoked (absent: it is valid)
             */
            revoked_at?: string;
            /** @description The key (`bk_<id>_<secret>`), shown only in this response */
            key: string;
        };
        CreateApiKey: {
            name: string;
            /** @enum {string} */
            scope: "admin" | "ingest";
        };
        ApiKeyList: {
            data: components["schemas"]["ApiKey"][];
        };
        ApiKey: {
            id: string;
            name: string;
            /** @enum {string} */
            scope: "admin" | "ingest";
            /** Format: date-time */
            created_at: string;
            /**
             * Format: date-time
             * @description When the key was revoked (absent: it is valid)
             */
            revoked_at?: string;
        };
        IngestResult: {
            accepted: number;
            /** @description Events seen before (same source and id): counted once */
            duplicates: number;
            rejected: number;
            results: components["schemas"]["EventOutcome"][];
        };
        EventOutcome: {
            /** @description Position of the event in the request (0 for a single event) */
            index: number;
            /** @description The event's id, when it has one */
            id?: string;
            /** @enum {string} */
            status: "accepted" | "duplicate" | "rejected";
            /** @description Rejected events: invalid_event, unknown_customer, no_matching_meter, invalid_value, timestamp_in_future, timestamp_too_old, period_closed, usage_limit_exceeded, customer_suspended or internal */
            code?: string;
            /** @description Rejected events: why */
            message?: string;
        };
        CancelEventsResult: components["schemas"]["CancelledEvent"] | components["schemas"]["CancelBatchResult"];
        CancelledEvent: {
            /** @enum {string} */
            status: "cancelled" | "already_cancelled";
            source: string;
            id: string;
            customer: string;
            /** Format: date-time */
            time: string;
            /** Format: date-time */
            cancelled_at: string;
        };
        CancelBatchResult: {
            cancelled: number;
            already_cancelled: number;
            rejected: number;
            results: components["schemas"]["CancelOutcome"][];
        };
        CancelOutcome: {
            /** @description Position of the event in the request (0 for a single event) */
            index: number;
            source: string;
            id: string;
            /** @enum {string} */
            status: "cancelled" | "already_cancelled" | "rejected";
            customer?: string;
            /**
             * Format: date-time
             * @description The event's time
             */
            time?: string;
            /** Format: date-time */
            cancelled_at?: string;
            /**
             * @description Rejected events: not_found (not in the table: never accepted, or past its acceptance window), too_old (older than the acceptance window), not_cancellable (a max, latest or unique_count meter counted it), period_closed (its period is sealed)
             * @enum {string}
             */
            code?: "not_found" | "too_old" | "not_cancellable" | "period_closed";
            /** @description Rejected events: why */
            message?: string;
        };
        /** @description One event ({source, id}) or up to 100 ({events: [{source, id}, ...]}) */
        CancelEvents: {
            source?: string;
            id?: string;
            events?: components["schemas"]["EventRef"][];
        };
        EventRef: {
            source: string;
            id: string;
        };
        UsageSeries: {
            customer: string;
            meter: string;
            /** @enum {string} */
            aggregation: "count" | "sum" | "max" | "latest" | "unique_count" | "weighted_sum";
            /** @enum {string} */
            granularity: "hour" | "day" | "total";
            timezone: string;
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            series: {
                /** Format: date-time */
                start: string;
                /** Format: date-time */
                end: string;
                /** @description A decimal as a string, e.g. "12.50" */
                value: string;
                events: number;
                dimensions: {
                    [key: string]: string;
                };
            }[];
        };
        ReconcileReport: {
            customer: string;
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            /** @description Stored raw events of the customer in the range */
            events: number;
            /** @description 0 when the counters match the events */
            mismatch_count: number;
            meters: {
                meter: string;
                /** @enum {string} */
                aggregation: "count" | "sum" | "max" | "latest" | "unique_count" | "weighted_sum";
                /** @description The total the raw events give */
                from_events: string;
                /** @description The total the stored counters give */
                from_counters: string;
            }[];
            mismatches: components["schemas"]["ReconcileMismatch"][];
            /** @description Per count and sum meter: accepted = invoiced + adjusted + awaiting_adjustment + unbilled + voided + unsubscribed */
            billing: components["schemas"]["BillingConservation"][];
            /** @description false when billing covers more usage than was accepted */
            billing_balanced: boolean;
        };
        ReconcileMismatch: {
            meter: string;
            /** @description The 15-minute bucket, e.g. "2026-11-02T08:15Z" */
            bucket: string;
            dimensions: {
                [key: string]: string;
            };
            /** @enum {string} */
            field: "count" | "sum" | "weighted" | "max" | "latest" | "unique_values" | "rollups" | "level_snapshot";
            /** @description From the raw events: a decimal, "-" for none, or the sorted values (unique_values) */
            expected: string;
            /** @description From the stored counters, written the same way */
            actual: string;
        };
        BillingConservation: {
            meter: string;
            /** @description All usage of [from, to) in the counters */
            accepted: string;
            /** @description On the usage lines of invoices inside the range */
            invoiced: string;
            /** @description Changed since by later invoices and credit notes */
            adjusted: string;
            /** @description Late events and cancellations of invoiced periods the next invoice re-rates */
            awaiting_adjustment: string;
            /** @description Periods not invoiced yet (current periods, drafts) */
            unbilled: string;
            /** @description Void periods not issued again */
            voided: string;
            /** @description Outside every period of a subscription */
            unsubscribed: string;
            periods: {
                invoice_id: string;
                invoice_number: string;
                /** Format: date-time */
                period_start: string;
                /** Format: date-time */
                period_end: string;
                /** @description A decimal as a string, e.g. "12.50" */
                accepted: string;
                /** @description A decimal as a string, e.g. "12.50" */
                invoiced: string;
                /** @description A decimal as a string, e.g. "12.50" */
                adjusted: string;
                /** @description A decimal as a string, e.g. "12.50" */
                awaiting_adjustment: string;
            }[];
        };
        ArchiveBackfillResult: {
            /** @description Items of the events table read */
            scanned: number;
            /** @description Raw events written to the archive again (cancelled ones as cancellation records) */
            archived: number;
            /** @description Archive objects written */
            objects: number;
            /** @description Pass it to the next call; null: this segment of the table is done */
            cursor: string | null;
        };
        ArchiveBackfill: {
            /** @description Where the previous call stopped (its `cursor`); absent: from the start */
            cursor?: string;
            /** @description This part of a parallel scan (0-based) */
            segment?: number;
            /** @description How many parts the scan is cut into */
            total_segments?: number;
            /** @description Only this customer's events */
            customer?: string;
            /**
             * Format: date-time
             * @description Only events at or after this time
             */
            from?: string;
            /**
             * Format: date-time
             * @description Only events before this time
             */
            to?: string;
            /** @description Items one page of the scan reads at most */
            page_size?: number;
            /** @description Pages to read in this call at most (default: as many as about 20 seconds allow) */
            max_pages?: number;
        };
        Entitlements: {
            customer: string;
            /** @description The active subscription (absent: none) */
            subscription?: string;
            data: {
                meter: string;
                limit: string;
                hard: boolean;
                /** @description Usage of the period so far (decimal string) */
                usage: string;
                /** @description limit - usage; negative when a soft limit is passed (a hard limit never is) */
                remaining: string;
                /** Format: date-time */
                period_start: string;
                /** Format: date-time */
                period_end: string;
            }[];
        };
        Plan: {
            key: string;
            version: number;
            /** Format: date-time */
            created_at: string;
            name: string;
            currency: string;
            /** @enum {string} */
            interval: "day" | "week" | "month" | "year";
            interval_count?: number;
            base_fee?: {
                /** @description A decimal as the request wrote it: a string ("12.50") or a JSON number */
                amount: string | number;
                /** @enum {string} */
                timing: "in_advance" | "in_arrears";
            };
            /** @description Absent when the request left them out (no charges) */
            charges?: components["schemas"]["PlanCharge"][];
            /** @description A decimal as the request wrote it: a string ("12.50") or a JSON number */
            minimum_commitment?: string | number;
            /**
             * @description adjust when the plan was written without it
             * @enum {string}
             */
            late_usage: "adjust" | "reject";
            invoice_grace_hours?: number;
            progressive_billing?: {
                thresholds: {
                    /** @description A decimal as the request wrote it: a string ("12.50") or a JSON number */
                    amount: string | number;
                    recurring?: boolean;
                }[];
            };
            versions?: number[];
        };
        PlanCharge: {
            meter: string;
            price: components["schemas"]["WrittenPrice"];
            display_name?: string;
        };
        /** @description A price as written: its model and that model’s fields (see Price) */
        WrittenPrice: {
            /** @enum {string} */
            model: "per_unit" | "package" | "graduated" | "volume" | "overage" | "graduated_percentage" | "percentage" | "matrix" | "time_of_use";
        } & {
            [key: string]: unknown;
        };
        CreatePlan: {
            key: string;
            name: string;
            /** @description ISO 4217 currency code, e.g. "EUR" */
            currency: string;
            /** @enum {string} */
            interval: "day" | "week" | "month" | "year";
            interval_count?: number;
            base_fee?: {
                /** @description A decimal number, preferably as a string ("12.50"). JSON numbers are accepted only when exact. */
                amount: string | number;
                /**
                 * @default in_arrears
                 * @enum {string}
                 */
                timing?: "in_advance" | "in_arrears";
            };
            charges?: {
                meter: string;
                price: components["schemas"]["Price"];
                display_name?: string;
            }[];
            /** @description A decimal number, preferably as a string ("12.50"). JSON numbers are accepted only when exact. */
            minimum_commitment?: string | number;
            /**
             * @default adjust
             * @enum {string}
             */
            late_usage?: "adjust" | "reject";
            invoice_grace_hours?: number;
            /** @description Interim invoices when the period's usage charges reach a threshold (ascending amounts in the plan currency; the last may be recurring) */
            progressive_billing?: {
                thresholds: {
                    /** @description A decimal number, preferably as a string ("12.50"). JSON numbers are accepted only when exact. */
                    amount: string | number;
                    /** @default false */
                    recurring?: boolean;
                }[];
            };
        };
        PlanList: {
            data: components["schemas"]["Plan"][];
        };
        PlanVersionBody: {
            name: string;
            /** @description ISO 4217 currency code, e.g. "EUR" */
            currency: string;
            /** @enum {string} */
            interval: "day" | "week" | "month" | "year";
            interval_count?: number;
            base_fee?: {
                /** @description A decimal number, preferably as a string ("12.50"). JSON numbers are accepted only when exact. */
                amount: string | number;
                /**
                 * @default in_arrears
                 * @enum {string}
                 */
                timing?: "in_advance" | "in_arrears";
            };
            charges?: {
                meter: string;
                price: components["schemas"]["Price"];
                display_name?: string;
            }[];
            /** @description A decimal number, preferably as a string ("12.50"). JSON numbers are accepted only when exact. */
            minimum_commitment?: string | number;
            /**
             * @default adjust
             * @enum {string}
             */
            late_usage?: "adjust" | "reject";
            invoice_grace_hours?: number;
            /** @description Interim invoices when the period's usage charges reach a threshold (ascending amounts in the plan currency; the last may be recurring) */
            progressive_billing?: {
                thresholds: {
                    /** @description A decimal number, preferably as a string ("12.50"). JSON numbers are accepted only when exact. */
                    amount: string | number;
                    /** @default false */
                    recurring?: boolean;
                }[];
            };
        };
        Subscription: {
            id: string;
            customer: string;
            /** @enum {string} */
            status: "active" | "ended";
            plan: string;
            plan_version: number;
            /** @description Custom prices per meter key, as written */
            price_overrides: {
                [key: string]: components["schemas"]["WrittenPrice"];
            };
            /** @description Usage limits per meter key (absent: none) */
            usage_limits?: {
                [key: string]: {
                    limit: string;
                    hard: boolean;
                };
            };
            timezone: string;
            /** Format: date */
            billing_anchor: string;
            /** @enum {string} */
            interval: "day" | "week" | "month" | "year";
            interval_count: number;
            current_period: {
                /** Format: date-time */
                start: string;
                /** Format: date-time */
                end: string;
                /** Format: date-time */
                full_start: string;
                /** Format: date-time */
                full_end: string;
                plan: string;
                plan_version: number;
            };
            /** @description Applied when the current period closes */
            pending_change?: {
                plan: string;
                plan_version: number;
            };
            /**
             * Format: date-time
             * @description Set when it ends with the current period
             */
            ends_at?: string;
            /** Format: date-time */
            canceled_at?: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        CreateSubscription: {
            id?: string;
            customer: string;
            plan: string;
            plan_version?: number;
            start_date: string;
            billing_anchor?: string;
            price_overrides?: {
                [key: string]: unknown;
            };
            usage_limits?: components["schemas"]["UsageLimits"];
        };
        /** @description Usage limits per meter key of the current billing period */
        UsageLimits: {
            [key: string]: components["schemas"]["UsageLimit"];
        };
        UsageLimit: {
            /** @description The most usage of the period, a decimal string >= 0 */
            limit: string;
            /** @description true: events that would pass the limit are rejected (usage_limit_exceeded) */
            hard: boolean;
        };
        SubscriptionList: {
            data: components["schemas"]["Subscription"][];
        };
        UpdateSubscription: {
            usage_limits: components["schemas"]["UsageLimits"];
        };
        ThresholdCheck: {
            subscription: string;
            /**
             * @description invoiced: an interim invoice bills the usage so far (possibly written by an earlier check)
             * @enum {string}
             */
            status: "invoiced" | "none";
            /** @description none: why nothing was invoiced */
            reason?: string;
            /** @description The period's usage charges so far, as compared with the thresholds */
            usage_amount?: string;
            /** @description The threshold level (1-based over the period) invoiced */
            level?: number;
            invoice?: string;
            invoice_number?: string;
            /** @description false: an earlier check had written this invoice already */
            created?: boolean;
        };
        UpcomingInvoice: {
            customer: string;
            subscription: string;
            plan: string;
            plan_version: number;
            currency: string;
            /** Format: date-time */
            period_start: string;
            /** Format: date-time */
            period_end: string;
            /** Format: date-time */
            usage_through: string;
            lines: components["schemas"]["InvoiceLine"][];
            /** @description A decimal as a string, e.g. "12.50" */
            subtotal: string;
            /** @description A decimal as a string, e.g. "12.50" */
            discount_total: string;
            /** @description A decimal as a string, e.g. "12.50" */
            promotional_credits: string;
            /** @description A decimal as a string, e.g. "12.50" */
            taxable_amount: string;
            /** @description Percent */
            tax_rate?: string;
            /** @description A decimal as a string, e.g. "12.50" */
            tax: string;
            /** @description A decimal as a string, e.g. "12.50" */
            total: string;
            /** @description A decimal as a string, e.g. "12.50" */
            paid_credits: string;
            /** @description A decimal as a string, e.g. "12.50" */
            credits_applied: string;
            /** @description What the customer balance (credit notes) paid */
            balance_applied: string;
            /** @description A decimal as a string, e.g. "12.50" */
            amount_due: string;
            /** @description Coupons in the order they applied */
            discounts: {
                coupon: string;
                name: string;
                /** @description A decimal as a string, e.g. "12.50" */
                amount: string;
            }[];
            /** @description Credit grants drawn, in the order they were consumed */
            credits: {
                grant: string;
                name: string;
                /** @enum {string} */
                category: "paid" | "promotional";
                /** @description A decimal as a string, e.g. "12.50" */
                amount: string;
            }[];
            /** @description Tax per category and rate (absent on invoices issued before tax rules) */
            tax_breakdown?: {
                category: string;
                /** @description A decimal as a string, e.g. "12.50" */
                rate: string;
                /** @description A decimal as a string, e.g. "12.50" */
                taxable_amount: string;
                /** @description A decimal as a string, e.g. "12.50" */
                tax: string;
                /** @description Why the rate is 0 */
                reason?: string;
                /** @description The tax rule that chose the rate */
                rule?: string;
            }[];
            reverse_charge: boolean;
            notes: string[];
        };
        InvoiceList: {
            data: components["schemas"]["Invoice"][];
            /** @description Pass as `cursor` for the next page */
            next_cursor?: string;
        };
        BillingRun: {
            id: string;
            /** Format: date-time */
            as_of: string;
            /**
             * @description interrupted: the process running it died (the next run resumes its work)
             * @enum {string}
             */
            status: "running" | "succeeded" | "failed" | "interrupted";
            /** Format: date-time */
            started_at: string;
            /** Format: date-time */
            finished_at?: string;
            summary: {
                invoiced: number;
                drafted: number;
                skipped: number;
                failed: number;
            };
            results: components["schemas"]["BillingRunResult"][];
            error?: string;
        };
        BillingRunResult: {
            subscription_id: string;
            /**
             * @description drafted: the invoice grace period runs, the invoice is a draft
             * @enum {string}
             */
            status: "invoiced" | "drafted" | "skipped" | "failed";
            invoice_id?: string;
            invoice_number?: string;
            /** @description A failure the close recognised, e.g. rating_failed */
            code?: string;
            message?: string;
            /** @description A crash the state machine caught: the error name */
            error?: string;
            /** @description Step Functions' cause (a JSON string) */
            cause?: string;
            /** @description Why the subscription was skipped */
            reason?: string;
        };
        BillingRunList: {
            data: components["schemas"]["BillingRun"][];
        };
        InvoiceAfterAction: {
            id: string;
            /** @description Empty while a draft: the number is taken at finalization */
            number: string;
            /**
             * @description A period's invoice, one-off charges invoiced at once, a voided period issued again, or an interim invoice of a period whose usage crossed a threshold
             * @enum {string}
             */
            kind: "subscription" | "one_off" | "reissue" | "progressive";
            /**
             * @description draft: during the invoice grace period, rated live, without a number
             * @enum {string}
             */
            status: "draft" | "finalized" | "paid" | "void";
            /**
             * Format: date-time
             * @description A draft: when the close finalizes it
             */
            grace_ends_at?: string;
            /** @description A void invoice issued again: the new invoice */
            reissued_as?: string;
            /** @description The void invoice this one issues again */
            reissue_of?: string;
            /** @description An interim invoice: the threshold level (1-based over the period) it billed */
            progressive?: {
                index: number;
                /** @description A decimal as a string, e.g. "12.50" */
                threshold: string;
            };
            customer: string;
            subscription: string;
            plan: string;
            plan_version: number;
            currency: string;
            locale: string;
            /** Format: date */
            issue_date: string;
            /** Format: date */
            due_date: string;
            /** Format: date-time */
            issued_at: string;
            /** Format: date-time */
            period_start: string;
            /** Format: date-time */
            period_end: string;
            seller: components["schemas"]["Party"];
            buyer: components["schemas"]["Party"];
            lines: components["schemas"]["InvoiceLine"][];
            /** @description A decimal as a string, e.g. "12.50" */
            subtotal: string;
            /** @description A decimal as a string, e.g. "12.50" */
            discount_total: string;
            /** @description A decimal as a string, e.g. "12.50" */
            promotional_credits: string;
            /** @description A decimal as a string, e.g. "12.50" */
            taxable_amount: string;
            /** @description Percent */
            tax_rate?: string;
            /** @description A decimal as a string, e.g. "12.50" */
            tax: string;
            /** @description A decimal as a string, e.g. "12.50" */
            total: string;
            /** @description A decimal as a string, e.g. "12.50" */
            paid_credits: string;
            /** @description A decimal as a string, e.g. "12.50" */
            credits_applied: string;
            /** @description What the customer balance (credit notes) paid */
            balance_applied: string;
            /** @description A decimal as a string, e.g. "12.50" */
            amount_due: string;
            /** @description Coupons in the order they applied */
            discounts: {
                coupon: string;
                name: string;
                /** @description A decimal as a string, e.g. "12.50" */
                amount: string;
            }[];
            /** @description Credit grants drawn, in the order they were consumed */
            credits: {
                grant: string;
                name: string;
                /** @enum {string} */
                category: "paid" | "promotional";
                /** @description A decimal as a string, e.g. "12.50" */
                amount: string;
            }[];
            /** @description Tax per category and rate (absent on invoices issued before tax rules) */
            tax_breakdown?: {
                category: string;
                /** @description A decimal as a string, e.g. "12.50" */
                rate: string;
                /** @description A decimal as a string, e.g. "12.50" */
                taxable_amount: string;
                /** @description A decimal as a string, e.g. "12.50" */
                tax: string;
                /** @description Why the rate is 0 */
                reason?: string;
                /** @description The tax rule that chose the rate */
                rule?: string;
            }[];
            reverse_charge: boolean;
            notes: string[];
            payment_instructions?: {
                account_holder?: string;
                iban?: string;
                bic?: string;
                /** @description Free text per language */
                text?: {
                    [key: string]: string;
                };
            };
            payment_terms_days: number;
            delivery: {
                /** @enum {string} */
                status: "pending" | "sent";
                attempts: number;
                message_id?: string;
                /** Format: date-time */
                sent_at?: string;
                last_error?: string;
            };
            voided?: {
                /** Format: date-time */
                at: string;
                reason: string;
            };
            payment?: {
                /** Format: date-time */
                paid_at: string;
                reference: string;
            };
            /** @description The credit notes issued against the invoice, oldest first */
            credit_notes?: {
                id: string;
                number: string;
                /** @description A decimal as a string, e.g. "12.50" */
                total: string;
                /** @enum {string} */
                method: "credit_balance" | "refund" | "reduce_amount_due";
                /** Format: date-time */
                issued_at: string;
            }[];
            /** @description Σ of the credit notes’ totals */
            credited_total?: string;
            /** @description Σ of the payments applied to the invoice */
            amount_paid: string;
            /** @description What the invoice still owes: amount_due − amount_paid (0 unless finalized) */
            amount_remaining: string;
            /** @enum {string} */
            payment_status: "pending" | "processing" | "payment_failed" | "partially_paid" | "paid";
            /**
             * @description Collected through the payment provider (the customer has a stripe_customer_id)
             * @enum {string}
             */
            collection?: "automatic";
            payments?: {
                id: string;
                /** @enum {string} */
                source: "provider" | "manual";
                method: string;
                /** @description All that was received */
                amount: string;
                /** @description What went to the invoice */
                applied: string;
                /** @description What went to the customer balance */
                overpaid: string;
                reference: string;
                /** Format: date-time */
                received_at: string;
            }[];
            payment_attempts?: {
                id: string;
                /** @enum {string} */
                kind: "charge" | "payment_link";
                /** Format: date-time */
                at: string;
                /** @enum {string} */
                status: "processing" | "requires_action" | "succeeded" | "failed" | "open";
                /** @description A decimal as a string, e.g. "12.50" */
                amount: string;
                /** @description A hosted payment page */
                url?: string;
                error?: string;
            }[];
            refunds?: {
                id: string;
                /** @description A decimal as a string, e.g. "12.50" */
                amount: string;
                /** @enum {string} */
                status: "pending" | "succeeded" | "failed";
                /** Format: date-time */
                at: string;
                credit_note?: string;
                payment_id?: string;
                reference?: string;
            }[];
            dunning?: components["schemas"]["InvoiceDunning"];
            /** @description The delivery of the void notice (void invoices) */
            void_notice?: {
                /** @enum {string} */
                status: "pending" | "sent";
                attempts: number;
                message_id?: string;
                /** Format: date-time */
                sent_at?: string;
                last_error?: string;
            };
        };
        VoidInvoice: {
            reason: string;
        };
        MarkInvoicePaid: {
            /** Format: date-time */
            paid_at: string;
            reference: string;
        };
        CreditNote: {
            id: string;
            number: string;
            invoice: string;
            invoice_number: string;
            customer: string;
            currency: string;
            locale: string;
            /** Format: date-time */
            issued_at: string;
            /** Format: date */
            issue_date: string;
            reason: string;
            /** @enum {string} */
            method: "credit_balance" | "refund" | "reduce_amount_due";
            lines: {
                line: number;
                description: string;
                /** @description A decimal as a string, e.g. "12.50" */
                quantity?: string;
                /** @description Net credited */
                amount: string;
                tax_category: string;
                /** @description A decimal as a string, e.g. "12.50" */
                tax_rate: string;
                /** @description A decimal as a string, e.g. "12.50" */
                tax: string;
                /** @description A decimal as a string, e.g. "12.50" */
                total: string;
            }[];
            /** @description A decimal as a string, e.g. "12.50" */
            subtotal: string;
            /** @description A decimal as a string, e.g. "12.50" */
            tax: string;
            /** @description A decimal as a string, e.g. "12.50" */
            total: string;
            seller: {
                name: string;
                email?: string;
                address?: components["schemas"]["Address"];
                tax_id?: string;
                contact_name?: string;
                phone?: string;
                electronic_address?: string;
                buyer_reference?: string;
            };
            buyer: {
                name: string;
                email?: string;
                address?: components["schemas"]["Address"];
                tax_id?: string;
                contact_name?: string;
                phone?: string;
                electronic_address?: string;
                buyer_reference?: string;
            };
            /** @description Method refund: the money owed back; pending until paid out (requested at the provider, succeeded when it reports it or when recorded by hand) */
            refund?: {
                /** @enum {string} */
                status: "pending" | "requested" | "succeeded" | "failed";
                /** @description A decimal as a string, e.g. "12.50" */
                amount: string;
                /** @description The payment provider's refund id */
                id?: string;
                /** @description The payment refunded */
                payment_id?: string;
                /** @description A refund paid out by hand: its reference */
                reference?: string;
                /** Format: date-time */
                at?: string;
                error?: string;
            };
            /** @description Issued by voiding the invoice */
            void?: boolean;
            delivery: {
                /** @enum {string} */
                status: "pending" | "sent";
                attempts: number;
                message_id?: string;
                /** Format: date-time */
                sent_at?: string;
                last_error?: string;
            };
        };
        CreateCreditNote: {
            lines: {
                line: number;
                /** @description Net to credit (before tax), in whole minor units */
                amount?: string | number;
                /** @description Quantity to credit: taxable_amount × quantity / line quantity */
                quantity?: string | number;
            }[];
            reason: string;
            /** @enum {string} */
            method: "credit_balance" | "refund" | "reduce_amount_due";
        };
        CreditNoteList: {
            data: components["schemas"]["CreditNote"][];
        };
        CustomerBalance: {
            customer: string;
            balances: {
                currency: string;
                /** @description A decimal as a string, e.g. "12.50" */
                amount: string;
            }[];
            ledger: {
                /** @enum {string} */
                type: "credit_note" | "invoice" | "invoice_void" | "overpayment";
                currency: string;
                /** @description Signed: + adds to the balance, − draws on it */
                amount: string;
                /** Format: date-time */
                at: string;
                credit_note?: string;
                credit_note_number?: string;
                invoice?: string;
                invoice_number?: string;
            }[];
        };
        PaymentRecorded: {
            invoice: components["schemas"]["Invoice"];
            payment: {
                id: string;
                /** @description A decimal as a string, e.g. "12.50" */
                amount: string;
                /** @description A decimal as a string, e.g. "12.50" */
                applied: string;
                /** @description A decimal as a string, e.g. "12.50" */
                overpaid: string;
                reference: string;
                method: string;
                /** Format: date-time */
                received_at: string;
            };
        };
        RecordPayment: {
            /** @description In the invoice currency; beyond what is owed goes to the customer balance */
            amount: string | number;
            /** @description The bank reference: the same reference again records nothing new */
            reference: string;
            /**
             * @default bank_transfer
             * @enum {string}
             */
            method?: "bank_transfer" | "cash" | "check" | "other";
            /**
             * Format: date-time
             * @description When the money arrived (default: now)
             */
            paid_at?: string;
        };
        WebhookReceipt: {
            /** @constant */
            received: true;
            /** @enum {string} */
            outcome: "applied" | "duplicate" | "ignored";
            event: string;
            invoice?: string;
            reason?: string;
        };
        RecordRefund: {
            /** @description The bank reference of the money sent back */
            reference: string;
            /**
             * Format: date-time
             * @description When it was sent (default: now)
             */
            refunded_at?: string;
        };
        DeadLetterList: {
            data: components["schemas"]["DeadLetter"][];
        };
        DeadLetter: {
            message_id: string;
            /** @description When the body is a delivery message (kind credit_note: the credit note id) */
            invoice_id?: string;
            /**
             * @description When the body is a delivery message
             * @enum {string}
             */
            kind?: "invoice" | "void" | "credit_note" | "reminder" | "alert";
            /** @description The message body as queued */
            body: string;
            receive_count: number;
            /**
             * Format: date-time
             * @description When the message was first sent
             */
            sent_at?: string;
        };
        RedriveResult: {
            redriven: number;
            message_ids: string[];
        };
        RedriveDeadLetters: {
            message_ids?: string[];
        };
        OutboxSweepResult: {
            /** @description Sent to the delivery queue again */
            requeued: number;
            /** @description No longer owed (sent already, voided or gone): dropped from the outbox */
            cleared: number;
            /** @description Not sent again: every attempt is used up */
            held: number;
        };
        DunningRun: {
            /** Format: date-time */
            ran_at: string;
            /** @description Overdue invoices looked at */
            invoices: number;
            steps: {
                invoice: string;
                number: string;
                customer: string;
                step: number;
                after_days: number;
                /** @enum {string} */
                action: "reminder" | "retry" | "suspend" | "notify";
                /** @enum {string} */
                status: "done" | "skipped" | "failed";
                detail?: string;
            }[];
            /** @description Customers suspended by this run */
            suspended: string[];
            /** @description Customers whose suspension this run lifted */
            unsuspended: string[];
            /** @description Invoices whose due steps could not be recorded (the next run tries again) */
            errors: {
                invoice: string;
                message: string;
            }[];
        };
        RevenueReport: {
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            /** @enum {string} */
            group_by: "month" | "plan" | "customer";
            groups: components["schemas"]["RevenueGroup"][];
            totals: components["schemas"]["RevenueTotal"][];
            /** @description Void invoices issued in the range: left out of every sum */
            void_count: number;
        };
        RevenueGroup: {
            /** @description yyyy-mm (UTC month of the issue instant), plan key or customer id */
            key: string;
            label: string;
            currency: string;
            count: number;
            /** @description A decimal as a string, e.g. "12.50" */
            subtotal: string;
            /** @description A decimal as a string, e.g. "12.50" */
            tax: string;
            /** @description A decimal as a string, e.g. "12.50" */
            total: string;
            /** @description Of `total`, what is marked paid */
            paid: string;
            /** @description A decimal as a string, e.g. "12.50" */
            outstanding: string;
        };
        RevenueTotal: {
            currency: string;
            count: number;
            /** @description A decimal as a string, e.g. "12.50" */
            subtotal: string;
            /** @description A decimal as a string, e.g. "12.50" */
            tax: string;
            /** @description A decimal as a string, e.g. "12.50" */
            total: string;
            /** @description Of `total`, what is marked paid */
            paid: string;
            /** @description A decimal as a string, e.g. "12.50" */
            outstanding: string;
        };
        IngestionReport: {
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            days: {
                /**
                 * Format: date
                 * @description UTC day of receipt
                 */
                day: string;
                accepted: number;
                duplicate: number;
                /** @description Rejections by code */
                rejected: {
                    [key: string]: number;
                };
                rejected_total: number;
            }[];
            totals: {
                accepted: number;
                duplicate: number;
                rejected: number;
                rejected_by_code: {
                    [key: string]: number;
                };
            };
        };
        UpcomingReport: {
            /**
             * Format: date-time
             * @description When the estimates were rated
             */
            as_of: string;
            duration_ms: number;
            totals: {
                currency: string;
                count: number;
                /** @description A decimal as a string, e.g. "12.50" */
                subtotal: string;
                /** @description A decimal as a string, e.g. "12.50" */
                total: string;
            }[];
            /** @description The largest upcoming invoices (per currency, total descending) */
            top: components["schemas"]["Estimate"][];
            /** @description How many subscriptions were active (rated or not) */
            subscriptions: number;
            /** @description Subscriptions that could not be rated, left out of the totals (at most 100 kept) */
            failed: {
                subscription: string;
                customer: string;
                /** @enum {string} */
                code: "rating_failed" | "storage_unavailable";
                error: string;
            }[];
        };
        ReceivablesReport: {
            /** @description The instant (or local date) the invoices were aged at */
            as_of: string;
            currencies: components["schemas"]["ReceivablesTotal"][];
            customers: components["schemas"]["ReceivablesCustomer"][];
            invoices: components["schemas"]["ReceivableInvoice"][];
        };
        /** @description Outstanding in one currency, by age */
        ReceivablesTotal: {
            currency: string;
            /** @description Open invoices counted */
            count: number;
            /** @description Outstanding: the sum of the buckets */
            total: string;
            /** @description Not yet overdue (due today or later) */
            current: string;
            /** @description 1 to 30 days overdue */
            days_1_30: string;
            /** @description 31 to 60 days overdue */
            days_31_60: string;
            /** @description 61 to 90 days overdue */
            days_61_90: string;
            /** @description 91 days overdue and more */
            days_over_90: string;
        };
        /** @description What one customer owes in one currency, by age */
        ReceivablesCustomer: {
            customer_id: string;
            /** @description The buyer's name on the customer's latest open invoice */
            customer_name?: string;
            currency: string;
            /** @description Open invoices counted */
            count: number;
            /** @description Outstanding: the sum of the buckets */
            total: string;
            /** @description Not yet overdue (due today or later) */
            current: string;
            /** @description 1 to 30 days overdue */
            days_1_30: string;
            /** @description 31 to 60 days overdue */
            days_31_60: string;
            /** @description 61 to 90 days overdue */
            days_61_90: string;
            /** @description 91 days overdue and more */
            days_over_90: string;
        };
        ReceivableInvoice: {
            id: string;
            number: string;
            customer_id: string;
            customer_name?: string;
            currency: string;
            /** Format: date */
            issue_date: string;
            /**
             * Format: date
             * @description Local date in the invoice's time zone
             */
            due_date: string;
            timezone: string;
            /** @description Local date of as_of minus due date (0 or less: not overdue) */
            days_overdue: number;
            /** @enum {string} */
            bucket: "current" | "days_1_30" | "days_31_60" | "days_61_90" | "days_over_90";
            /** @description A decimal as a string, e.g. "12.50" */
            amount_due: string;
            /** @description A decimal as a string, e.g. "12.50" */
            amount_paid: string;
            /** @description A decimal as a string, e.g. "12.50" */
            amount_remaining: string;
            /** @enum {string} */
            payment_status: "pending" | "processing" | "payment_failed" | "partially_paid" | "paid";
        };
        Journal: {
            /** Format: date */
            from: string;
            /** Format: date */
            to: string;
            rows: components["schemas"]["JournalRow"][];
            totals: {
                currency: string;
                /** @description A decimal as a string, e.g. "12.50" */
                debit: string;
                /** @description A decimal as a string, e.g. "12.50" */
                credit: string;
            }[];
        };
        JournalRow: {
            /** Format: date */
            date: string;
            /** @enum {string} */
            document_type: "invoice" | "credit_note" | "payment" | "refund" | "balance_applied" | "balance_returned";
            /** @description Invoice or credit note number (payments and refunds: their invoice) */
            number: string;
            reference: string;
            customer_id: string;
            customer_name: string;
            account: string;
            contra_account: string;
            debit: string | "";
            credit: string | "";
            currency: string;
            /** @description Percent of the revenue or VAT line; empty elsewhere */
            tax_rate: string;
            text: string;
        };
        PortalLink: {
            /** @description Names the link (not a secret) */
            id: string;
            customer: string;
            /** @description The portal page with the token in its fragment: send this to the customer */
            url: string;
            /** @description The bearer token the portal routes take (Authorization: Bearer <token>) */
            token: string;
            /** Format: date-time */
            expires_at: string;
        };
        CreatePortalLink: {
            /** @description Lifetime of the link in minutes (default 60, at most 10080: 7 days) */
            expires_in_minutes?: number;
        };
        PortalOverview: {
            customer: {
                id: string;
                name: string;
                email: string;
                currency: string;
                timezone: string;
                locale: string;
            };
            link: {
                /** Format: date-time */
                expires_at: string;
            };
            seller: {
                name: string;
                email?: string;
            };
            /** @description The customer balance per currency (credit notes add, invoices draw) */
            balances: {
                currency: string;
                /** @description A decimal as a string, e.g. "12.50" */
                amount: string;
            }[];
            /** @description Prepaid and promotional credits in effect */
            credits: {
                currency: string;
                /** @description A decimal as a string, e.g. "12.50" */
                balance: string;
                /** @description A decimal as a string, e.g. "12.50" */
                paid_balance: string;
                /** @description A decimal as a string, e.g. "12.50" */
                promotional_balance: string;
            };
            /** @description What the open invoices still owe, per currency */
            amount_owed: {
                currency: string;
                /** @description A decimal as a string, e.g. "12.50" */
                amount: string;
            }[];
            /** @description Usage of the current period so far, as the upcoming invoice rates it */
            usage: {
                meter: string;
                description: string;
                /** @description A decimal as a string, e.g. "12.50" */
                quantity: string;
                /** @description A decimal as a string, e.g. "12.50" */
                amount: string;
            }[];
            /** @description The current period rated live (null without an active subscription) */
            upcoming_invoice: {
                plan: string;
                currency: string;
                /** Format: date-time */
                period_start: string;
                /** Format: date-time */
                period_end: string;
                /** Format: date-time */
                usage_through: string;
                lines: {
                    /** @enum {string} */
                    kind: "usage" | "base_fee" | "minimum_commitment" | "one_off" | "adjustment" | "progressive_credit";
                    description: string;
                    meter?: string;
                    /** @description A decimal as a string, e.g. "12.50" */
                    quantity: string;
                    /** @description A decimal as a string, e.g. "12.50" */
                    unit_price?: string;
                    /** @description A decimal as a string, e.g. "12.50" */
                    amount: string;
                }[];
                /** @description A decimal as a string, e.g. "12.50" */
                subtotal: string;
                /** @description A decimal as a string, e.g. "12.50" */
                discount_total: string;
                /** @description A decimal as a string, e.g. "12.50" */
                tax: string;
                /** @description A decimal as a string, e.g. "12.50" */
                total: string;
                /** @description A decimal as a string, e.g. "12.50" */
                credits_applied: string;
                /** @description A decimal as a string, e.g. "12.50" */
                amount_due: string;
            } | null;
            payments: {
                /** @description Whether invoices can be paid online (POST /v1/portal/invoices/{id}/pay) */
                online: boolean;
            };
        };
        PortalInvoiceList: {
            data: components["schemas"]["PortalInvoice"][];
        };
        PortalInvoice: {
            id: string;
            number: string;
            /** @enum {string} */
            status: "finalized" | "paid" | "void";
            /** @enum {string} */
            payment_status: "pending" | "processing" | "payment_failed" | "partially_paid" | "paid";
            currency: string;
            /** Format: date */
            issue_date: string;
            /** Format: date */
            due_date: string;
            /** Format: date-time */
            period_start: string;
            /** Format: date-time */
            period_end: string;
            /** @description A decimal as a string, e.g. "12.50" */
            subtotal: string;
            /** @description A decimal as a string, e.g. "12.50" */
            tax: string;
            /** @description A decimal as a string, e.g. "12.50" */
            total: string;
            /** @description A decimal as a string, e.g. "12.50" */
            amount_due: string;
            /** @description A decimal as a string, e.g. "12.50" */
            amount_paid: string;
            /** @description A decimal as a string, e.g. "12.50" */
            amount_remaining: string;
            /** @description A decimal as a string, e.g. "12.50" */
            credited_total?: string;
            /** @description Bank transfer details (when the seller configured them) */
            payment_instructions?: {
                account_holder?: string;
                iban?: string;
                bic?: string;
                /** @description The seller's own wording, in the invoice's language */
                text?: string;
            };
            /** @description Path of the PDF (add ?token=) */
            pdf: string;
            /** @description Path of the e-invoice (add ?token=, optionally &format=): in the customer's invoice_format, else XRechnung UBL */
            einvoice: string;
        };
        PortalPayment: {
            /** @description The payment provider's hosted page */
            url: string;
            /** Format: date-time */
            expires_at: string;
            /** @description A decimal as a string, e.g. "12.50" */
            amount: string;
            currency: string;
        };
        PortalCreditNoteList: {
            data: components["schemas"]["PortalCreditNote"][];
        };
        PortalCreditNote: {
            id: string;
            number: string;
            invoice_number: string;
            currency: string;
            /** Format: date */
            issue_date: string;
            reason: string;
            /** @enum {string} */
            method: "credit_balance" | "refund" | "reduce_amount_due";
            /** @description A decimal as a string, e.g. "12.50" */
            subtotal: string;
            /** @description A decimal as a string, e.g. "12.50" */
            tax: string;
            /** @description A decimal as a string, e.g. "12.50" */
            total: string;
            /** @description Path of the PDF (add ?token=) */
            pdf: string;
        };
        CreatedWebhookEndpoint: {
            id: string;
            url: string;
            events: string[];
            description?: string;
            /** Format: date-time */
            created_at: string;
            /** @description The signing secret (`whsec_...`), shown only in this response */
            secret: string;
        };
        CreateWebhookEndpoint: {
            /** @description https, not to localhost or a loopback, private or link-local address (where BILLING_WEBHOOK_ALLOW_PRIVATE_URLS is set: also http to localhost / 127.0.0.1) */
            url: string;
            /** @description The event types to receive, or ["*"] for all */
            events: ("*" | "invoice.draft_created" | "invoice.finalized" | "invoice.paid" | "invoice.payment_failed" | "invoice.voided" | "credit_note.created" | "customer.created" | "customer.updated" | "subscription.created" | "subscription.changed" | "subscription.canceled" | "usage.alert_triggered" | "credits.balance_low" | "billing_run.completed" | "billing_run.failed")[];
            description?: string;
        };
        WebhookEndpointList: {
            data: components["schemas"]["WebhookEndpoint"][];
        };
        WebhookEndpoint: {
            id: string;
            url: string;
            events: string[];
            description?: string;
            /** Format: date-time */
            created_at: string;
        };
        WebhookDeliveryList: {
            data: components["schemas"]["WebhookDelivery"][];
        };
        WebhookDelivery: {
            id: string;
            event_id: string;
            event_type: string;
            endpoint_id: string;
            /** @enum {string} */
            status: "pending" | "delivered" | "failed" | "dead" | "canceled";
            /** Format: date-time */
            created_at: string;
            attempts: {
                /** Format: date-time */
                at: string;
                status_code?: number;
                error?: string;
                duration_ms: number;
            }[];
            /** Format: date-time */
            next_attempt_at?: string;
            /** Format: date-time */
            delivered_at?: string;
        };
        Alert: {
            id: string;
            customer_id: string;
            subscription_id?: string;
            /** @enum {string} */
            kind: "usage" | "spend" | "credit_balance";
            meter?: string;
            /** @description A decimal as a string, e.g. "12.50" */
            threshold: string;
            currency?: string;
            name?: string;
            /** Format: date-time */
            created_at: string;
            /** @description Its firings, newest first (at most 20) */
            triggers: {
                /** Format: date-time */
                period_start: string;
                /** Format: date-time */
                period_end: string;
                /** @description A decimal as a string, e.g. "12.50" */
                value: string;
                /** @description A decimal as a string, e.g. "12.50" */
                threshold: string;
                /** Format: date-time */
                triggered_at: string;
                /** @description The webhook event (usage.alert_triggered or credits.balance_low) */
                event_id: string;
                email: {
                    /**
                     * @description `none`: the customer has no email address, the firing went out as a webhook only
                     * @enum {string}
                     */
                    status: "pending" | "sent" | "none";
                    to?: string;
                    /** Format: date-time */
                    sent_at?: string;
                };
                note?: string;
            }[];
            /** Format: date-time */
            last_triggered_at?: string;
        };
        CreateAlert: {
            customer_id: string;
            /** @description The subscription whose period and bill are watched; absent: the customer's (its active subscription) */
            subscription_id?: string;
            /**
             * @description `usage`: a meter's quantity in the current period reaches the threshold; `spend`: the running bill of the current period (subtotal) reaches it; `credit_balance`: the prepaid credit balance falls below it
             * @enum {string}
             */
            kind: "usage" | "spend" | "credit_balance";
            /** @description `usage` alerts: the meter key */
            meter?: string;
            /** @description A positive decimal string: a quantity, or an amount in the currency (spend, credit_balance) */
            threshold: string;
            name?: string;
        };
        AlertList: {
            data: components["schemas"]["Alert"][];
        };
        AlertCheckResult: {
            /** Format: date-time */
            checked_at: string;
            results: {
                alert_id: string;
                /** @enum {string} */
                status: "fired" | "already_fired" | "not_reached" | "skipped";
                /** @description A decimal as a string, e.g. "12.50" */
                value?: string;
                /** @description A decimal as a string, e.g. "12.50" */
                threshold: string;
                /** Format: date-time */
                period_start?: string;
                reason?: string;
                trigger?: {
                    /** Format: date-time */
                    period_start: string;
                    /** Format: date-time */
                    period_end: string;
                    /** @description A decimal as a string, e.g. "12.50" */
                    value: string;
                    /** @description A decimal as a string, e.g. "12.50" */
                    threshold: string;
                    /** Format: date-time */
                    triggered_at: string;
                    /** @description The webhook event (usage.alert_triggered or credits.balance_low) */
                    event_id: string;
                    email: {
                        /**
                         * @description `none`: the customer has no email address, the firing went out as a webhook only
                         * @enum {string}
                         */
                        status: "pending" | "sent" | "none";
                        to?: string;
                        /** Format: date-time */
                        sent_at?: string;
                    };
                    note?: string;
                };
            }[];
            /** @description How many alerts this check fired */
            fired: number;
        };
        Error: {
            error: {
                /** @description machine-readable code, e.g. validation_failed */
                code: string;
                message: string;
                details?: {
                    /** @description JSON pointer into the request */
                    path: string;
                    message: string;
                }[];
                request_id?: string;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description every dependency is up; 503 (with Retry-After) answers the same body, status unavailable, when one is down */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOpenapijson: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1PricesEvaluate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EvaluatePriceRequest"];
            };
        };
        responses: {
            /** @description the price and its explanation */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PriceEvaluation"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1Meters: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description every meter */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeterList"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1Meters: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateMeter"];
            };
        };
        responses: {
            /** @description the meter */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Meter"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1MetersKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the meter */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Meter"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1Customers: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                include?: "estimate";
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description a page of customers, or the matches */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerList"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1Customers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateCustomer"];
            };
        };
        responses: {
            /** @description the customer */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Customer"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1CustomersId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the customer */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Customer"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchV1CustomersId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateCustomer"];
            };
        };
        responses: {
            /** @description the changed customer */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Customer"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1Coupons: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description every coupon */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Coupon"][];
                    };
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1Coupons: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateCoupon"];
            };
        };
        responses: {
            /** @description the coupon */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Coupon"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1CouponsCode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the coupon */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Coupon"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1CustomersIdCoupons: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the coupons applied */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["AppliedCoupon"][];
                    };
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1CustomersIdCoupons: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApplyCoupon"];
            };
        };
        responses: {
            /** @description the coupon as applied */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppliedCoupon"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1CustomersIdCreditgrants: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateCreditGrant"];
            };
        };
        responses: {
            /** @description the grant */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreditGrant"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1CustomersIdCredits: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the credits */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Credits"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1CustomersIdCharges: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the charges */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChargeList"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1CustomersIdCharges: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateCharge"];
            };
        };
        responses: {
            /** @description the charge (and its invoice) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedCharge"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteV1CustomersIdChargesCharge: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                charge: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the removed charge */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Charge"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1InvoicesIdLines: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddDraftLine"];
            };
        };
        responses: {
            /** @description the draft with the line */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Invoice"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteV1InvoicesIdLinesCharge: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                charge: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the draft without the line */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Invoice"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1InvoicesIdFinalize: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the finalized invoice */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Invoice"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1InvoicesIdReissue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the new invoice */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Invoice"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1Apikeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description every API key, revoked ones included */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1Apikeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateApiKey"];
            };
        };
        responses: {
            /** @description the key record and, this once, the key */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiKey"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteV1ApikeysId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the revoked key */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1Events: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the outcome of every event (rejected events do not fail the request, except one single event over a hard usage limit: 403 usage_limit_exceeded, or of a suspended customer: 403 customer_suspended) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IngestResult"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1EventsCancel: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CancelEvents"];
            };
        };
        responses: {
            /** @description one event: the cancelled event (404 not_found, 422 too_old or not_cancellable, 409 period_closed otherwise); a batch: every outcome */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CancelEventsResult"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1CustomersIdUsage: {
        parameters: {
            query: {
                meter: string;
                from: string;
                to: string;
                granularity?: "hour" | "day" | "total";
                group_by?: string;
                timezone?: string;
                format?: "json" | "csv";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the usage series (JSON; or CSV) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsageSeries"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1Reconcile: {
        parameters: {
            query: {
                customer: string;
                from: string;
                to: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the reconciliation report */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReconcileReport"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1EventarchiveBackfill: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ArchiveBackfill"];
            };
        };
        responses: {
            /** @description what this call did, and where to go on from */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ArchiveBackfillResult"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1CustomersIdEntitlements: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the limits and their usage */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Entitlements"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1Plans: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the latest version of every plan */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlanList"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1Plans: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePlan"];
            };
        };
        responses: {
            /** @description the plan version */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Plan"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1PlansKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the latest version, with `versions` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Plan"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1PlansKeyVersionsVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the plan version */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Plan"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1PlansKeyVersions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PlanVersionBody"];
            };
        };
        responses: {
            /** @description the new plan version */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Plan"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1Subscriptions: {
        parameters: {
            query: {
                customer: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the customer's subscriptions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubscriptionList"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1Subscriptions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSubscription"];
            };
        };
        responses: {
            /** @description the subscription */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Subscription"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1SubscriptionsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the subscription */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Subscription"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchV1SubscriptionsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateSubscription"];
            };
        };
        responses: {
            /** @description the subscription */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Subscription"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1SubscriptionsIdCancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @default period_end
                     * @enum {string}
                     */
                    at?: "now" | "period_end";
                };
            };
        };
        responses: {
            /** @description the subscription */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Subscription"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1SubscriptionsIdChangeplan: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    plan: string;
                    plan_version?: number;
                    /**
                     * @default period_end
                     * @enum {string}
                     */
                    at?: "now" | "period_end";
                };
            };
        };
        responses: {
            /** @description the subscription */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Subscription"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1SubscriptionsIdThresholdcheck: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description what the check did */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ThresholdCheck"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1CustomersIdUpcominginvoice: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the upcoming invoice */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UpcomingInvoice"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1Invoices: {
        parameters: {
            query?: {
                customer?: string;
                status?: "draft" | "finalized" | "paid" | "void";
                limit?: number;
                cursor?: string;
                from?: string;
                to?: string;
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the invoices (JSON; or CSV) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvoiceList"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1InvoicesId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the invoice */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Invoice"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1Billingruns: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the runs, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BillingRunList"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1Billingruns: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: date-time */
                    as_of?: string;
                };
            };
        };
        responses: {
            /** @description the finished run (locally) or 202 with the started run (AWS) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BillingRun"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1BillingrunsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the run */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BillingRun"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1InvoicesIdVoid: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VoidInvoice"];
            };
        };
        responses: {
            /** @description the void invoice */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvoiceAfterAction"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1InvoicesIdMarkpaid: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MarkInvoicePaid"];
            };
        };
        responses: {
            /** @description the paid invoice */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvoiceAfterAction"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1InvoicesIdResend: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the invoice, delivery pending */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvoiceAfterAction"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1InvoicesIdPdf: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the PDF */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1InvoicesIdEinvoice: {
        parameters: {
            query?: {
                format?: "xrechnung-ubl" | "xrechnung-cii" | "zugferd";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description XRechnung 3.0 as XML (application/xml; UBL 2.1 or UN/CEFACT CII), or ZUGFeRD/Factur-X EN 16931 as PDF/A-3 with the CII XML embedded (application/pdf) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1InvoicesIdCreditnotes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the credit notes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreditNoteList"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1InvoicesIdCreditnotes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateCreditNote"];
            };
        };
        responses: {
            /** @description the credit note */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreditNote"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1Creditnotes: {
        parameters: {
            query?: {
                customer?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the credit notes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreditNoteList"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1CreditnotesId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the credit note */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreditNote"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1CreditnotesIdPdf: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the PDF */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1CreditnotesIdEinvoice: {
        parameters: {
            query?: {
                format?: "xrechnung-ubl" | "xrechnung-cii" | "zugferd";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description XRechnung 3.0 as XML (application/xml; UBL 2.1 or UN/CEFACT CII), or ZUGFeRD/Factur-X EN 16931 as PDF/A-3 with the CII XML embedded (application/pdf) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1CustomersIdBalance: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the balance */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerBalance"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1InvoicesIdPayments: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecordPayment"];
            };
        };
        responses: {
            /** @description the invoice and the payment (200: recorded before) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentRecorded"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1InvoicesIdCollect: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the invoice with the attempt */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Invoice"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1WebhooksStripe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the event was received */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookReceipt"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1CreditnotesIdRefund: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecordRefund"];
            };
        };
        responses: {
            /** @description the credit note */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreditNote"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1DeliveryDeadletters: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the dead letters (at most `limit`) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeadLetterList"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1DeliveryDeadlettersRedrive: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RedriveDeadLetters"];
            };
        };
        responses: {
            /** @description the messages moved back */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RedriveResult"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1DeliverySweep: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description what the sweep did */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OutboxSweepResult"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1DunningRuns: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description what the run did */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DunningRun"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1CustomersIdUnsuspend: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the customer, not suspended */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Customer"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1ReportsRevenue: {
        parameters: {
            query: {
                from: string;
                to: string;
                group_by?: "month" | "plan" | "customer";
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the revenue report */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RevenueReport"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1ReportsIngestion: {
        parameters: {
            query: {
                from: string;
                to: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the ingestion report */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IngestionReport"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1ReportsUpcoming: {
        parameters: {
            query?: {
                top?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the upcoming report */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UpcomingReport"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1ReportsUpcomingRefresh: {
        parameters: {
            query?: {
                top?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the new upcoming report (202: the refresh was started) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UpcomingReport"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1ExportsInvoicescsv: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
                customer?: string;
                status?: "finalized" | "paid" | "void";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV, RFC 4180 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1ExportsUsagecsv: {
        parameters: {
            query: {
                customer: string;
                meter: string;
                from: string;
                to: string;
                granularity?: "hour" | "day" | "total";
                group_by?: string;
                timezone?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV, RFC 4180 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1ReportsReceivables: {
        parameters: {
            query?: {
                as_of?: string;
                currency?: string;
                customer?: string;
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the aging report (JSON; or CSV) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReceivablesReport"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1ExportsDatev: {
        parameters: {
            query: {
                from: string;
                to: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description EXTF CSV (semicolons, decimal comma) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1ExportsJournal: {
        parameters: {
            query: {
                from: string;
                to: string;
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the journal (CSV with format=csv) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Journal"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1CustomersIdPortallinks: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePortalLink"];
            };
        };
        responses: {
            /** @description the link */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PortalLink"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1Portal: {
        parameters: {
            query?: {
                token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the portal overview */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PortalOverview"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1PortalInvoices: {
        parameters: {
            query?: {
                token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the invoices */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PortalInvoiceList"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1PortalInvoicesIdPdf: {
        parameters: {
            query?: {
                token?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the PDF */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1PortalInvoicesIdEinvoice: {
        parameters: {
            query?: {
                token?: string;
                format?: "xrechnung-ubl" | "xrechnung-cii" | "zugferd";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description XRechnung 3.0 as XML (application/xml; UBL 2.1 or UN/CEFACT CII), or ZUGFeRD/Factur-X EN 16931 as PDF/A-3 with the CII XML embedded (application/pdf) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1PortalInvoicesIdPay: {
        parameters: {
            query?: {
                token?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the payment page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PortalPayment"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1PortalCreditnotes: {
        parameters: {
            query?: {
                token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the credit notes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PortalCreditNoteList"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1PortalCreditnotesIdPdf: {
        parameters: {
            query?: {
                token?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the PDF */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1Webhookendpoints: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description every endpoint, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpointList"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1Webhookendpoints: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWebhookEndpoint"];
            };
        };
        responses: {
            /** @description the endpoint and, this once, its secret */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedWebhookEndpoint"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1WebhookendpointsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the endpoint */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpoint"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteV1WebhookendpointsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the deleted endpoint */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpoint"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1WebhookendpointsIdDeliveries: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the deliveries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryList"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1WebhookdeliveriesIdRetry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the delivery, pending again */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1Alerts: {
        parameters: {
            query?: {
                customer_id?: string;
                subscription_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the alerts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertList"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1Alerts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateAlert"];
            };
        };
        responses: {
            /** @description the alert */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Alert"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postV1AlertsCheck: {
        parameters: {
            query?: {
                customer_id?: string;
                subscription_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the outcome per alert */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertCheckResult"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getV1AlertsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the alert */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Alert"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteV1AlertsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the deleted alert */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Alert"];
                };
            };
            /** @description validation failed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the key may not use this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
