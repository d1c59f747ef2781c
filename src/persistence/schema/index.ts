export * from './registry.ts';
export * from './verification.ts';
export * from './energy.ts';
export * from './access.ts';
export * from './ledger.ts';
export * from './supervision.ts';
export * from './lots.ts';
export * from './imports.ts';
