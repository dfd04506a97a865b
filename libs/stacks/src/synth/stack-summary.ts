/** Resources and data sources in a synthesized stack's JSON. */
export function countResources(json: string): { resources: number; dataSources: number } {
  const stack = JSON.parse(json) as { resource?: Record<string, object>; data?: Record<string, object> };
  const count = (blocks: Record<string, object> | undefined) => Object.values(blocks ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
  return { resources: count(stack.resource), dataSources: count(stack.data) };
}
