export { formerTenantIds } from './git/former-tenants';
export { cliConfig, writeCliConfig } from './terraform/cli-config';
export { TerraformCli, type PlanOptions, type TerraformDiagnostic, type TerraformResult } from './terraform/terraform-cli';
export { findToolchain, holdsAwsProvider, offlineGap, type Toolchain } from './terraform/toolchain';
