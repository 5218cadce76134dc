export * from './review-index.ts';
export * from './search-terms.ts';
export { openSql, type Sql, type IndexLocation } from './sql.ts';
export { migrate, listMigrations } from './migrate.ts';
