import { findToolchain, TerraformCli, writeCliConfig } from '@tenancy/lifecycle';
import { simulateApply } from './libs/lifecycle/src/testing/simulated-apply';
const tc = findToolchain()!;
const tf = new TerraformCli(tc.terraform, writeCliConfig(tc, '/tmp/repo/.tenancy/terraform.rc'));
for (const s of process.argv.slice(2)) console.log(s, await simulateApply(tf, `/tmp/repo/.tenancy/out/${s}`));
