import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { customerAccountOf, customerBootstrapTemplate, synthesizeCustomerBootstrap, writeStack } from '@tenancy/stacks';
import { EXIT, UsageError } from '../exit-codes';
import { workspaceDirs } from '../workspace';
import { loadValidFleet } from './load-valid-fleet';

export interface BootstrapOptions {
  readonly root: string;
  readonly tenant: string;
  /** CloudFormation template (one file), or a Terraform configuration (a folder with main.tf.json). */
  readonly format: 'cloudformation' | 'terraform';
  readonly out?: string;
}

/** Writes what a customer deploys to let the planner and the deployer into their account. */
export async function bootstrapCommand(options: BootstrapOptions): Promise<number> {
  const fleet = await loadValidFleet(options.root);
  if (!fleet) return EXIT.invalid;
  const file = fleet.tenants.find((t) => t.id === options.tenant);
  if (!file) throw new UsageError(`no tenant file tenants/${options.tenant}.yaml`);
  if (file.tenant.hosting.model !== 'customer-account') throw new UsageError(`tenant ${options.tenant} is hosted in the ${file.tenant.hosting.model}; only customer-account tenants are bootstrapped`);
  const account = customerAccountOf(options.tenant, fleet.tenants, fleet.platform);
  const { region } = file.tenant.hosting;
  const base = `${account.accountId}-${account.roleName}`;
  const shown = (path: string) => relative(process.cwd(), path) || path;
  const hosted = `tenants ${account.tenants.join(', ')}${account.cells.length ? `, cells ${account.cells.join(', ')}` : ''}${account.pools.length ? `, pools ${account.pools.join(', ')}` : ''}`;
  const lines = [`It creates roles ${account.roleName} (deployer) and ${account.plannerRoleName} (planner, read-only) in account ${account.accountId} for ${hosted}.`,
    `Send it to the customer with the external id held in secret ${file.tenant.hosting.externalIdSecret} (never in the same message).`];
  if (options.format === 'terraform') {
    const outDir = options.out ?? join(workspaceDirs(options.root).bootstrap, 'terraform');
    const stack = synthesizeCustomerBootstrap(account, fleet.platform, region, { kind: 'local', stateDir: join(outDir, 'state'), outDir });
    const dir = writeStack(outDir, stack);
    process.stdout.write([`wrote ${shown(join(dir, 'main.tf.json'))}`, ...lines, 'They apply it with:', `  terraform init && terraform apply -var external_id=<the external id>`, ''].join('\n'));
    return EXIT.ok;
  }
  const out = options.out ?? join(workspaceDirs(options.root).bootstrap, `${base}.template.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(customerBootstrapTemplate(account, fleet.platform, region), null, 2)}\n`);
  process.stdout.write([
    `wrote ${shown(out)}`, ...lines, 'They deploy it with:',
    `  aws cloudformation deploy --stack-name tenancy-access --template-file ${shown(out)} --capabilities CAPABILITY_NAMED_IAM --parameter-overrides ExternalId=<the external id>`,
    '',
  ].join('\n'));
  return EXIT.ok;
}
