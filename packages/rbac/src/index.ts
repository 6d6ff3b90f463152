export * from './model';
export * from './role-file-error';
export * from './parse-roles';
export * from './presets';
export * from './role-registry';
export * from './role-set';
export * from './permissions';
