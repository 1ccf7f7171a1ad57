export {
  currentRequestScope,
  enterRequestScope,
  enterRequestScopeHook,
  type RequestScope,
  runInRequestScope,
} from "./request-scope.js";
