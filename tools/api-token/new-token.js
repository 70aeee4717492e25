#!/usr/bin/env node
// Prints a new random token and the configuration entry that grants it: an API token
// (CAIRN_API_TOKENS) or an intake sender's credential (CAIRN_INTAKE_TOKENS). Only the entry (its
// SHA-256) goes into configuration; the token is shown once and never stored by Cairn.
'use strict';
const { createHash, randomBytes } = require('node:crypto');

const ROLES = ['admin', 'investigator', 'auditor', 'siem'];
const INTAKE_BINDINGS = {
  'kubernetes-audit': 'cluster',
  falco: 'cluster',
  opa: 'cluster',
  distribution: 'registry',
  harbor: 'registry',
  'eks-firehose': 'cluster',
  'gke-pubsub': 'cluster',
};
const args = process.argv.slice(2).filter((arg) => arg !== '--json');
const usage = () => {
  console.error(`usage: npm run token -- <name> <${ROLES.join('|')}>`);
  console.error(
    `       npm run token -- intake <name> <${Object.keys(INTAKE_BINDINGS).join('|')}> <cluster or registry name>`,
  );
  process.exit(2);
};

let entry;
let setting;
let prefix = 'cairn_';
if (args[0] === 'intake') {
  const [, name, source, bound] = args;
  const binding = INTAKE_BINDINGS[source];
  if (!name || !binding || !bound) usage();
  entry = { name, source, [binding]: bound };
  setting = 'CAIRN_INTAKE_TOKENS';
  prefix = 'cairn_intake_';
} else {
  const [name, role] = args;
  if (!name || !ROLES.includes(role)) usage();
  entry = { name, role };
  setting = 'CAIRN_API_TOKENS';
}
const token = `${prefix}${randomBytes(32).toString('base64url')}`;
entry.sha256 = createHash('sha256').update(token).digest('hex');
if (process.argv.includes('--json')) {
  process.stdout.write(`${JSON.stringify({ token, entry })}\n`);
} else {
  process.stdout.write(`token (give to ${entry.name}, shown once): ${token}\n`);
  process.stdout.write(`${setting} entry: ${JSON.stringify(entry)}\n`);
}
