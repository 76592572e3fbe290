/** Where the Electron binary is, or null where it was never downloaded. */
export function electronBinary(): string | null;
