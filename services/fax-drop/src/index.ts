export * from './fax-drop.ts';
export * from './s3-drop.ts';
export * from './sidecar.ts';
