/**
 * The login user is the account on the machine, named on the inner hop (`ubuntu@…`). It ends up
 * in an SSH login on the machine, so only portable account names are let through.
 */
const LOGIN_USER = /^[A-Za-z_][A-Za-z0-9._-]{0,31}$/;

/** True when `name` is a portable POSIX account name. */
export function isValidLoginUser(name: string): boolean {
  return LOGIN_USER.test(name);
}
