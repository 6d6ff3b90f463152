export { startAthenaPeer, type AthenaPeer, type AthenaPeerOptions, type RecordedCall } from './athena-peer';
export { startAwsLocal, uploadParquet, type AwsLocal, type AwsLocalOptions } from './aws-local';
export { AthenaFaults, type InjectedFailure } from './athena-faults';
export type { WorkgroupConfig, PeerExecution, AthenaState } from './athena-executions';
export type { RoleConfig, IssuedCredentials } from './sts-peer';
export { athenaEngineOptionsFor } from './engine-options';
