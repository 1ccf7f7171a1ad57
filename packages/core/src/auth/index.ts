/**
 * Auth: users of the shared `marg-rbac` database, password hashing and policy,
 * throttled sign-in, password-reset links and safe redirect targets. Framework-free
 * services: routes call them and present the results.
 */

export {
  type AccountEvent,
  type AccountEventLog,
  type AccountEventType,
  loggingAccountEventLog,
} from "./account-events.js";
export {
  type AccountInvitation,
  AccountInvitationService,
  INVITE_LINK_TTL_MS,
  type IssuedInvitation,
  invitationInvalid,
  SIGNUP_LINK_TTL_MS,
} from "./account-invitation-service.js";
export { invitationMail, signUpExistingAccountMail, signUpLinkMail } from "./account-mails.js";
export {
  ApiTokenCache,
  type ApiTokenHolder,
  type AuthenticatedApiToken,
} from "./api-tokens/api-token-cache.js";
export { parseApiTokenExpiry } from "./api-tokens/api-token-expiry.js";
export { API_TOKEN_PREFIX, isWellFormedApiToken } from "./api-tokens/api-token-format.js";
export {
  type ApiToken,
  ApiTokenService,
  type NewApiToken,
  type UncoveredPermissions,
} from "./api-tokens/api-token-service.js";
export { authMigrations } from "./auth-migrations.js";
export type {
  AccountInvitationPurpose,
  AccountInvitationsTable,
  AuthDatabase,
  LoginAttemptsTable,
  PasswordResetsTable,
  UsersTable,
} from "./auth-schema.js";
export { DEMO_PASSWORD, DEMO_USERS, demoUsersSeeder } from "./demo-users-seeder.js";
export { EMAIL_MAX_LENGTH, normalizeEmail, parseEmail, parseName } from "./email.js";
export { AUTH_ERRORS, type AuthErrorCode } from "./errors.js";
export { type Passkey, PasskeyService, type RelyingParty } from "./passkeys/passkey-service.js";
export {
  ARGON2_INSECURE_TEST_PARAMS,
  ARGON2_PRODUCTION_PARAMS,
  type Argon2Params,
  PasswordHasher,
} from "./password-hasher.js";
export { assertPasswordAcceptable, PASSWORD_POLICY, passwordProblems } from "./password-policy.js";
export {
  type PasswordResetRequest,
  PasswordResetService,
  RESET_TOKEN_TTL_MS,
} from "./password-reset-service.js";
export { assertRegistrationOpen, parseSignUpEmail } from "./registration-policy.js";
export { type SafeRedirectOptions, safeRedirectTarget } from "./safe-redirect.js";
export {
  hasSecondFactor,
  resetSecondFactors,
  type SecondFactorReset,
  type SecondFactorServices,
  type SecondFactors,
  secondFactorsOf,
} from "./second-factors.js";
export {
  DEFAULT_SIGN_IN_LIMITS,
  type SignInAttempt,
  type SignInFailureReason,
  type SignInLimits,
  type SignInResult,
  SignInService,
  signInFailureError,
  type ThrottleLimit,
} from "./sign-in-service.js";
export { createThrottleStore, type ThrottleStoreOptions } from "./stores/create-throttle-store.js";
export { DatabaseThrottleStore } from "./stores/database-throttle-store.js";
export { RedisThrottleStore, type ThrottleRedisClient } from "./stores/redis-throttle-store.js";
export {
  type SecondFactor,
  type TwoFactorKeys,
  TwoFactorService,
  type TwoFactorStatus,
} from "./two-factor/two-factor-service.js";
export type { Clock, ThrottleCounter, ThrottleStore, User, UserPage } from "./types.js";
export { type NewUser, type UserListQuery, UserRepository } from "./user-repository.js";
