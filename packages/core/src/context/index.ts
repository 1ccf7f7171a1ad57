export {
  currentRequestScope,
  enterRequestScope,
  type RequestScope,
  runInRequestScope,
} from "./request-scope.js";
