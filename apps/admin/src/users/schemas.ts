import { EMAIL_MAX_LENGTH, passwordProblems } from "@marg/core/auth";
import { z } from "zod";

/** A checkbox or a JSON boolean: "on", "true", "1", true. Absent is false. */
const booleanish = z
  .union([z.boolean(), z.string()])
  .optional()
  .transform((value) => value === true || (typeof value === "string" && ["on", "true", "1"].includes(value)));

/** An optional text field: blank means "not given". */
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value));

/**
 * A new account, from the "new user" form and `POST /api/v1/users` alike: a name,
 * an email, and either an initial password (the policy's rules) or a reset link.
 */
export const createUserSchema = z
  .object({
    name: z.string("Enter a name.").trim().min(1, "Enter a name.").max(120, "Use at most 120 characters."),
    email: z
      .string("Enter an email address.")
      .trim()
      .max(EMAIL_MAX_LENGTH, `Use at most ${EMAIL_MAX_LENGTH} characters.`)
      .pipe(z.email("Enter a valid email address, like name@example.com.")),
    password: optionalText,
    sendResetLink: booleanish,
    role: optionalText,
  })
  .superRefine((input, ctx) => {
    if (input.password === undefined) {
      if (!input.sendResetLink) {
        ctx.addIssue({
          code: "custom",
          path: ["password"],
          message: "Give an initial password, or choose to send a reset link.",
        });
      }
      return;
    }
    const problem = passwordProblems(input.password, { email: input.email })[0];
    if (problem !== undefined) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
  });

export type CreateUserInput = z.output<typeof createUserSchema>;

/** One checkbox sends a string, several an array, none nothing: always a list of names. */
const roleList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => [
    ...new Set(
      (value === undefined ? [] : [value].flat()).map((role) => role.trim()).filter((role) => role !== ""),
    ),
  ])
  .pipe(z.array(z.string().min(1).max(64)).max(20, "Choose at most 20 roles."));

/** "Invite by email": an address and the roles the account will start with (none is allowed). */
export const inviteUserSchema = z.object({
  email: z
    .string("Enter an email address.")
    .trim()
    .max(EMAIL_MAX_LENGTH, `Use at most ${EMAIL_MAX_LENGTH} characters.`)
    .pipe(z.email("Enter a valid email address, like name@example.com.")),
  roles: roleList,
});

export type InviteUserInput = z.output<typeof inviteUserSchema>;

const positiveInt = (fallback: number, max: number) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(max)
    .catch(fallback)
    .optional()
    .transform((value) => value ?? fallback);

/** `?q=&status=&page=` of the users list and `GET /api/v1/users`; nonsense falls back to defaults. */
export const userListQuerySchema = z.object({
  q: z
    .string()
    .max(200)
    .catch("")
    .optional()
    .transform((value) => value?.trim() ?? ""),
  status: z
    .enum(["all", "active", "disabled"])
    .catch("all")
    .optional()
    .transform((value) => value ?? "all"),
  page: positiveInt(1, 1_000_000),
  perPage: positiveInt(25, 100),
});

export type UserListQuery = z.output<typeof userListQuerySchema>;

/** A role named in a form or URL. */
export const roleFieldSchema = z.object({
  role: z.string("Choose a role.").trim().min(1, "Choose a role."),
});

/** A permission named in a form or URL. */
export const permissionFieldSchema = z.object({
  permission: z.string("Choose a permission.").trim().min(1, "Choose a permission."),
});
