import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { customerAccountOf, customerBootstrapTemplate } from '@tenancy/stacks';
import { EXIT, UsageError } from '../exit-codes';
import { workspaceDirs } from '../workspace';
import { loadValidFleet } from './load-valid-fleet';

export interface BootstrapOptions {
  readonly root: string;
  readonly tenant: string;
  readonly out?: string;
}

/** Writes the CloudFormation template a customer deploys to let the deployer into their account. */
export async function bootstrapCommand(options: BootstrapOptions): Promise<number> {
  const fleet = await loadValidFleet(options.root);
  if (!fleet) return EXIT.invalid;
  const file = fleet.tenants.find((t) => t.id === options.tenant);
  if (!file) throw new UsageError(`no tenant file tenants/${options.tenant}.yaml`);
  if (file.tenant.hosting.model !== 'customer-account') throw new UsageError(`tenant ${options.tenant} is hosted in the ${file.tenant.hosting.model}; only customer-account tenants are bootstrapped`);
  const account = customerAccountOf(options.tenant, fleet.tenants, fleet.platform);
  const template = customerBootstrapTemplate(account, fleet.platform, file.tenant.hosting.region);
  const out = options.out ?? join(workspaceDirs(options.root).bootstrap, `${account.accountId}-${account.roleName}.template.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(template, null, 2)}\n`);
  const shown = relative(process.cwd(), out) || out;
  process.stdout.write([
    `wrote ${shown}`,
    `It creates role ${account.roleName} in account ${account.accountId} for tenants ${account.tenants.join(', ')}${account.cells.length ? `, cells ${account.cells.join(', ')}` : ''}${account.pools.length ? `, pools ${account.pools.join(', ')}` : ''}.`,
    `Send it to the customer with the external id held in secret ${file.tenant.hosting.externalIdSecret} (never in the same message). They deploy it with:`,
    `  aws cloudformation deploy --stack-name tenancy-access --template-file ${shown} --capabilities CAPABILITY_NAMED_IAM --parameter-overrides ExternalId=<the external id>`,
    '',
  ].join('\n'));
  return EXIT.ok;
}
