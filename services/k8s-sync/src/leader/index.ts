// Leader election on a coordination.k8s.io/v1 Lease: one k8s-sync instance writes at a time.
export { startLeaderElection, type LeaderElection, type LeaderElectionOptions } from './leader-election';
export { decideLease, leaderTimings, observeLease, stepDownAtMs, type LeaderTimings, type LeaseDecision, type LeaseObservation, type LeaseRecord } from './lease-decision';
export { InvalidLeaderElectionOptions } from './errors';
