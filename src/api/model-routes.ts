import * as z from 'zod';

// Routes (contract v1.2, "Routes: many deployments as one model"): a name that clients send as
// `model`, served by one of several `<provider>/<model>` targets chosen by a strategy. Called
// "model routes" in the code, since `routes/` already holds the HTTP routes.

export const routeStrategies = ['weighted', 'least-busy', 'lowest-latency'] as const;
export type RouteStrategy = (typeof routeStrategies)[number];

export const MAX_ROUTE_TARGETS = 20;

/**
 * A route's name has no `/`, so it can never be mistaken for `<provider>/<model>`; it may equal a
 * provider's name for that reason. No control characters: it is shown in logs, metrics and the console.
 */
export const routeNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[^/\p{Cc}]+$/u, 'may not contain "/" or control characters');

export const routeTargetInputSchema = z.strictObject({
  /** `<provider id or name>/<model>`, as in chat. */
  model: z.string().trim().min(3).max(256).regex(/^[^/]+\/.+$/, 'must be of the form <provider>/<model>'),
  /** The share of `weighted` picks, relative to the other targets' (default 1). */
  weight: z.number().positive().max(1_000_000).optional(),
});

export const createRouteSchema = z
  .strictObject({
    name: routeNameSchema,
    targets: z.array(routeTargetInputSchema).min(1).max(MAX_ROUTE_TARGETS),
    strategy: z.enum(routeStrategies).optional(),
  });

export type CreateRouteInput = z.input<typeof createRouteSchema>;

/** A partial update: what is given replaces what is stored (targets as a whole). */
export const updateRouteSchema = z
  .strictObject({
    name: routeNameSchema,
    targets: z.array(routeTargetInputSchema).min(1).max(MAX_ROUTE_TARGETS),
    strategy: z.enum(routeStrategies),
  })
  .partial();

export type UpdateRouteInput = z.input<typeof updateRouteSchema>;

export const routeTargetSchema = z.object({ model: z.string(), weight: z.number() });

export const routeSchema = z.object({
  id: z.string(),
  name: z.string(),
  targets: z.array(routeTargetSchema),
  strategy: z.enum(routeStrategies),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type Route = z.infer<typeof routeSchema>;
export type RouteTarget = z.infer<typeof routeTargetSchema>;

export const routeListSchema = z.object({ data: z.array(routeSchema) });
