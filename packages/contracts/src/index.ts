export * from './window';
export * from './problem';
export * from './executions';
export * from './schema';
export * from './usage';
export * from './identity';
export * from './queries';
export * from './reports';
