// Builds the console (apps/console/src) into dist/console: one script, one style sheet, one page,
// served by the API under /console. Minified, no source maps shipped, no inline code (the page's
// Content-Security-Policy allows only its own files).
'use strict';
const { copyFileSync, mkdirSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const esbuild = require('esbuild');

const source = join(__dirname, 'src');
const out = join(__dirname, '..', '..', 'dist', 'console');

async function build() {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [join(source, 'main.tsx')],
    outfile: join(out, 'console.js'),
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'console.css', 'favicon.svg'])
    copyFileSync(join(source, file), join(out, file));
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  console.log(`console: ${(bytes / 1024).toFixed(1)} KiB of script in ${out}`);
}

build().catch((error) => {
  console.error(error);
  process.exit(1);
});
