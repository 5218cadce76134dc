export { startReviewServer, buildReviewApp, loadMemberDirectory, type ReviewServerDeps, type RouteInfo } from './server.ts';
export { LocalAccounts } from './auth/users.ts';
export { hashPassword, verifyPassword } from './auth/passwords.ts';
export { Role, hasRole } from './auth/roles.ts';
export { buildFhirBundle } from './fhir.ts';
export { buildCsv } from './csv.ts';
export { matchMember, CsvRoster, HttpMemberLookup, type Member, type MemberDirectory } from './members.ts';
