export {
  currentRequestScope,
  enterRequestScope,
  enterRequestScopeHook,
  type RequestScope,
  requestScopesRequired,
  requireRequestScopes,
  runInRequestScope,
} from "./request-scope.js";
