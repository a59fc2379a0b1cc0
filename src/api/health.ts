import * as z from 'zod';

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  timestamp: z.string(),
  version: z.string(),
});

export type Health = z.infer<typeof healthSchema>;
