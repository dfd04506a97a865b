export { FleetRepo, REPO } from './fleet-repo';
export { simulateApply } from '../offline/simulated-apply';
