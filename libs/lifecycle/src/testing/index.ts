export { FleetRepo, REPO } from './fleet-repo';
export { simulateApply } from './simulated-apply';
