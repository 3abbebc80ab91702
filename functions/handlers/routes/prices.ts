import { evaluatePrice, PriceInputError } from '../../domain/pricing/index.js';
import { toWireEvaluation } from '../../domain/pricing/serialize.js';
import { ValidationFailedError } from '../../http/errors.js';
import { json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import { EvaluatePriceRequestSchema, PriceEvaluationSchema } from '../../schemas/prices.js';

export function priceRoutes<Deps>(): Route<Deps>[] {
  const route = routesFor<Deps>();
  return [
    route({
      method: 'POST',
      path: '/v1/prices/evaluate',
      access: 'admin',
      summary:
        'Price a quantity, per-event amounts or usage records with any price model, with a line-by-line explanation',
      body: EvaluatePriceRequestSchema,
      response: { status: 200, description: 'the price and its explanation', schema: PriceEvaluationSchema },
      handle: async (request) => {
        const { body } = request;
        try {
          const evaluation = evaluatePrice(body.price, {
            quantity: body.quantity,
            events: body.events,
            usage: body.usage,
            timeZone: body.timezone,
          });
          return json(200, toWireEvaluation(evaluation, body.currency, body.rounding ?? 'half_up'));
        } catch (error) {
          if (error instanceof PriceInputError)
            throw new ValidationFailedError([{ path: '', message: error.message }], error.message);
          throw error;
        }
      },
    }),
  ];
}
