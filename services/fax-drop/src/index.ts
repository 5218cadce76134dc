export * from './fax-drop.ts';
