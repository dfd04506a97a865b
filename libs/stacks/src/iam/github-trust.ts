/**
 * What the control plane's trusts require of GitHub, for the commands that check a repository
 * against it without loading the synthesizer (`@tenancy/stacks/github-trust`).
 */
export { DEFAULT_BRANCH, ENVIRONMENTS, WORKFLOWS } from './control-plane-policies';
