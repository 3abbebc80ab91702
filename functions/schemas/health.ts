import * as z from 'zod';

const HealthStatusSchema = z.enum(['ok', 'unavailable']);

/** GET /health: the API's health and each dependency's (the same body with 503 when one is down). */
export const HealthSchema = z
  .strictObject({
    status: HealthStatusSchema.meta({ description: 'ok with 200; unavailable with 503' }),
    dependencies: z.record(
      z.string(),
      z
        .strictObject({
          status: HealthStatusSchema,
          latency_ms: z.int().optional().meta({ description: 'How long the check took (reachable dependencies)' }),
          error: z.string().optional().meta({ description: 'Why it is unavailable' }),
        })
        .meta({ id: 'DependencyHealth' }),
    ),
  })
  .meta({ id: 'Health' });
