/** The library's records live in app/library/types.ts so the API contract and the UI share them. */
export * from '../app/library/types';
