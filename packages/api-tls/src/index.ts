/** The HTTPS API's certificates: the controller's own CA and the server certificates it issues. */
export * from './certificate-authority.js';
