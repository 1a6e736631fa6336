import { z } from "zod";
import { ROLES } from "../auth/roles";
import { PASSWORD_MIN_LENGTH } from "../auth/password";

const teamIds = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().min(1)).max(100));

export const UserCreateSchema = z.object({
  email: z.string().trim().toLowerCase().max(320, "At most 320 characters").pipe(z.email({ error: "Enter a valid email address" })),
  name: z.string().trim().min(1, "Name is required").max(200, "Name is at most 200 characters"),
  role: z.enum(ROLES, { error: "Choose admin, operator or auditor" }),
  teamIds,
});

export const UserUpdateSchema = UserCreateSchema.omit({ email: true });

export const PasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(200, "Use at most 200 characters");

export const TeamSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(100, "Name is at most 100 characters"),
  description: z.string().trim().max(1000, "Description is at most 1000 characters").default(""),
});
