/**
 * The Content-Security-Policy of the UI, in Electron (meta tag + header) and in browser mode:
 * scripts only from the app itself, no eval, no remote connections. Plotly sets inline styles, hence
 * 'unsafe-inline' for styles only; figures are exported through blob: and data: URLs.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
