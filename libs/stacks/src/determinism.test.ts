import { describe, expect, it } from 'vitest';
import { synthesizeTenant } from './synth/synthesize';
import { exampleFleet, exampleStacks, LOCAL_STATE, synthesizeExample } from './testing/example-stacks';

describe('synthesis', () => {
  // The run's global setup synthesized the example in another process: a second synthesis here, of a
  // fleet loaded again, must give the same bytes (no clock, no randomness, no order of a Map or a glob).
  it('gives byte-identical output for the same input', async () => {
    const first = await exampleStacks();
    const second = synthesizeExample(await exampleFleet(), LOCAL_STATE);
    expect(second).not.toBe(first.stacks);
    expect(second.length).toBeGreaterThan(30);
    expect(second.map((s) => [s.name, s.json])).toEqual(first.stacks.map((s) => [s.name, s.json]));
  });

  it('gives a tenant the same stacks whatever else is synthesized before it', async () => {
    const example = await exampleStacks();
    const { platform } = example.fleet;
    const reversed = [...example.fleet.tenants].reverse().flatMap((t) => synthesizeTenant(t.id, t.tenant, platform, { state: LOCAL_STATE }));
    for (const stack of reversed) expect(stack.json).toBe(example.stacks.find((s) => s.name === stack.name)!.json);
  });

  it('is plain Terraform JSON, without cdktf metadata', async () => {
    const example = await exampleStacks();
    for (const stack of example.stacks) expect(stack.json).not.toContain('"//"');
  });
});
