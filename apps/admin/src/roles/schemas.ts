import { z } from "zod";

/** The "new role" form and `POST /api/v1/roles`. Name rules are RBAC's (checked again by parseRoleName). */
export const createRoleSchema = z.object({
  name: z
    .string("Enter a name.")
    .trim()
    .min(1, "Enter a name.")
    .max(64, "Use at most 64 characters.")
    .regex(
      /^[a-z][a-z0-9-]*$/,
      "Use lowercase letters, digits and dashes, starting with a letter (like support-staff).",
    ),
  description: z
    .string()
    .trim()
    .max(255, "Use at most 255 characters.")
    .optional()
    .transform((value) => (value === undefined || value === "" ? null : value)),
});
