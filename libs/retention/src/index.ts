export { parseLegalHolds, type LegalHold } from './legal-holds';
export { expiredMonths } from './retention-plan';
