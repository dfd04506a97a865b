import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { s3State } from './libs/stacks/src/state/state-location';
import { exampleFleet, LOCAL_STATE, SYNTHESIZED_KEY, synthesizeExample } from './libs/stacks/src/testing/example-stacks';

/**
 * Once per test run: the example fleet's stacks, synthesized for the local and the S3 state the
 * tests read them with, so each test file takes them instead of synthesizing them again; and a
 * Terraform result cache for the run (TENANCY_TERRAFORM_CACHE, inherited by every test file and
 * every CLI they start), so a configuration planned offline by several files is planned once.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const cache = mkdtempSync(join(tmpdir(), 'tenancy-terraform-results-'));
  process.env.TENANCY_TERRAFORM_CACHE = cache;
  const fleet = await exampleFleet();
  const states = [LOCAL_STATE, s3State(fleet.platform)];
  (project.provide as (key: string, value: unknown) => void)(SYNTHESIZED_KEY, Object.fromEntries(states.map((state) => [JSON.stringify(state), synthesizeExample(fleet, state)])));
  return () => rmSync(cache, { recursive: true, force: true });
}
