#!/usr/bin/env node
// Prints a new random API token and the CAIRN_API_TOKENS entry that grants it. Only the entry
// (its SHA-256) goes into configuration; the token is shown once and never stored by Cairn.
'use strict';
const { createHash, randomBytes } = require('node:crypto');

const ROLES = ['admin', 'investigator', 'auditor', 'siem'];
const [name, role] = process.argv.slice(2);
if (!name || !ROLES.includes(role)) {
  console.error(`usage: npm run token -- <name> <${ROLES.join('|')}>`);
  process.exit(2);
}
const token = `cairn_${randomBytes(32).toString('base64url')}`;
const sha256 = createHash('sha256').update(token).digest('hex');
if (process.argv.includes('--json')) {
  process.stdout.write(`${JSON.stringify({ token, entry: { name, role, sha256 } })}\n`);
} else {
  process.stdout.write(`token (give to ${name}, shown once): ${token}\n`);
  process.stdout.write(`CAIRN_API_TOKENS entry: ${JSON.stringify({ name, role, sha256 })}\n`);
}
