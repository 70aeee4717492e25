// The cluster's addresses, as tools/local-stack/cluster.sh prints them, for test/support's clients.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

const printed = execFileSync('bash', [join(__dirname, '../../tools/local-stack/cluster.sh'), 'env'], {
  encoding: 'utf8',
});
for (const line of printed.trim().split('\n')) {
  const at = line.indexOf('=');
  process.env[line.slice(0, at)] = line.slice(at + 1);
}
