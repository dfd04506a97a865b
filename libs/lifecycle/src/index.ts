export { formerTenantIds } from './git/former-tenants';
