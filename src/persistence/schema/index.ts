export * from './registry.ts';
export * from './verification.ts';
