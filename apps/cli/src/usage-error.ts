/** A command line that cannot be right: exit 2 with the usage. */
export class UsageError extends Error {}
