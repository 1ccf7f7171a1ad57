export {
  currentRequestScope,
  enterRequestScope,
  type RequestScope,
  requestScopesRequired,
  requireRequestScopes,
  runInRequestScope,
} from "./request-scope.js";
