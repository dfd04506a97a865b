import { describe, expect, it } from 'vitest';
import { synthesizeTenant } from './synth/synthesize';
import { exampleStacks, LOCAL_STATE } from './testing/example-stacks';

describe('synthesis', () => {
  it('gives byte-identical output for the same input', async () => {
    const first = await exampleStacks();
    const second = await exampleStacks();
    expect(second.stacks.map((s) => s.json)).toEqual(first.stacks.map((s) => s.json));
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
