import { SetMetadata } from '@nestjs/common';
import type { ApiRole } from '@cairn/api-policy';

export const ROLES_KEY = 'cairn:roles';

/** The roles allowed to call a resolver or route. Without it, nothing is allowed. */
export const Roles = (...roles: ApiRole[]) => SetMetadata(ROLES_KEY, roles);
