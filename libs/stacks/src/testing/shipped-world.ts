import type { Platform } from '@tenancy/model';
import { customerAccountOf, customerBootstrapTemplate } from '../bootstrap/customer-bootstrap';
import type { PolicyDocument } from '../iam/policy-document';
import { s3State } from '../state/state-location';
import { synthesizeControlPlane, synthesizeCustomerBootstrap } from '../synth/synthesize';
import { exampleStacks } from './example-stacks';
import { IamSimulator, type SimulatedRole } from './iam-simulator';
import { accountRolesFromCloudFormation, accountRolesFromTerraform, rolesFromTerraform, type ShippedRoles } from './shipped-roles';
import { StackIndex, walkStack, type StackJson, type WalkedStack } from './stack-requests';

/** The external id customers' bootstraps are deployed with in the simulations. */
export const EXTERNAL_ID = 'test-external-id-3f9a';
/** The state key's ARN, which the control-plane stack knows only once applied. */
export const STATE_KEY = 'arn:aws:kms:us-east-1:111122223333:key/0b6a7e1c-state';

/** Everything tenancy ships for the example fleet, as IAM would read it, and a simulator. */
export interface ShippedWorld {
  readonly platform: Platform;
  readonly index: StackIndex;
  readonly walked: ReadonlyMap<string, WalkedStack>;
  /** The roles of each account: the account stacks' (provider, platform) and customers' CloudFormation bootstraps'. */
  readonly accounts: ReadonlyMap<string, ShippedRoles>;
  /** The customers' bootstraps in their Terraform form, by account. */
  readonly terraformBootstraps: ReadonlyMap<string, ShippedRoles>;
  readonly controlPlane: { readonly planner: SimulatedRole; readonly deployer: SimulatedRole; readonly purger: SimulatedRole };
  /** The state key's policy, as the control-plane stack writes it. */
  readonly stateKeyPolicy: PolicyDocument;
  readonly simulator: IamSimulator;
}

let built: Promise<ShippedWorld> | undefined;

/** Every fleet stack with its real S3 state, the shipped account roles, the control plane and the customers' bootstraps; built once per test file. */
export function shippedWorld(): Promise<ShippedWorld> {
  built ??= build();
  return built;
}

async function build(): Promise<ShippedWorld> {
  const example = await exampleStacks(undefined);
  const platform = example.fleet.platform;
  const fleet = await exampleStacks(s3State(platform));
  const stacks = new Map<string, StackJson>([...fleet.byName].map(([name, json]) => [name, json as unknown as StackJson]));
  const index = new StackIndex(stacks, { accountId: platform.accounts.provider.id, region: platform.controlPlane.region });
  const walked = new Map([...stacks.keys()].map((name) => [name, walkStack(index, name)]));

  const shipped = new Map(synthesizeControlPlane(platform, s3State(platform)).map((s) => [s.name, JSON.parse(s.json) as StackJson]));
  const accounts = new Map<string, ShippedRoles>([
    [platform.accounts.provider.id, accountRolesFromTerraform(shipped.get('account-provider')!)],
    [platform.accounts.platform.id, accountRolesFromTerraform(shipped.get('account-platform')!)],
  ]);
  const terraformBootstraps = new Map<string, ShippedRoles>();
  for (const file of example.fleet.tenants.filter((t) => t.tenant.hosting.model === 'customer-account')) {
    const account = customerAccountOf(file.id, example.fleet.tenants, platform);
    const { region } = file.tenant.hosting as { region: string };
    if (accounts.has(account.accountId)) continue;
    accounts.set(account.accountId, accountRolesFromCloudFormation(customerBootstrapTemplate(account, platform, region), account.accountId, EXTERNAL_ID));
    const terraform = synthesizeCustomerBootstrap(account, platform, region, { kind: 'local', stateDir: '/customer/state', outDir: '/customer/out' });
    terraformBootstraps.set(account.accountId, accountRolesFromTerraform(JSON.parse(terraform.json) as StackJson, { '${var.external_id}': EXTERNAL_ID }));
  }
  const cp = rolesFromTerraform(shipped.get('control-plane')!, { '${aws_kms_key.state-key.arn}': STATE_KEY });
  const stateKey = shipped.get('control-plane')!.resource!.aws_kms_key!['state-key']!;
  const { plannerRoleName, deployerRoleName, purgerRoleName } = platform.controlPlane;
  return {
    platform, index, walked, accounts, terraformBootstraps,
    stateKeyPolicy: JSON.parse(String(stateKey.policy)) as PolicyDocument,
    controlPlane: { planner: cp.get(plannerRoleName)!, deployer: cp.get(deployerRoleName)!, purger: cp.get(purgerRoleName)! },
    simulator: new IamSimulator(),
  };
}
