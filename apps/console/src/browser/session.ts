/**
 * The token lives in sessionStorage: this tab only, gone when it closes, never in a cookie (so no
 * request carries it unasked) and never in localStorage (so it does not outlive the session).
 */
const KEY = 'cairn.console.token';

export const storedToken = (): string | undefined => sessionStorage.getItem(KEY) ?? undefined;
export const storeToken = (token: string) => sessionStorage.setItem(KEY, token);
export const forgetToken = () => sessionStorage.removeItem(KEY);
